/**
 * The monthly submission (domain.md §4): T1 监测对象花名册, T2 户花名册, T3 统计月报, T5 公益岗位人员花名册,
 * T6 出勤天数和拟拨付岗位补贴金额汇总表, T8 补贴发放表, T9 安置点基本情况表, T10 搬迁劳动力就业情况月报 (+ detail),
 * T11 务工监测月报 (+ detail), all as of the month's end, as declarative sheet definitions for report.ts.
 */
import { ageOn, monthEnd } from '../../../shared/dates.ts';
import { MEASURE_CATEGORIES } from '../../../shared/catalogs.ts';
import { fenToYuanText } from '../../../shared/money.ts';
import type { Settings } from '../../../shared/parameters.ts';
import type { Column, SheetDef } from './report.ts';
import type { MonthlyData, Row } from './monthly-data.ts';
import { col, int, ratio, seq, widthFor, yes, yyyymm } from './sheet-columns.ts';
import { workSheets } from './monthly-work.ts';

const status = (k: unknown) => (k === 'eliminated' ? '是' : '否');

export function header(settings: Settings | null, month: string) {
  const unit = settings ? `${settings.county}${settings.townshipName}` : '';
  return {
    unit,
    info: [[`填报单位（盖章）：${unit}`, `统计截至：${monthEnd(month)}`]] as [string, string][],
    sign: ['填报人：__________    联系电话：__________    审核人（签字）：__________    填报时间：____年__月__日'],
  };
}

/** What the sheets' titles and frames take from the settings: unit, county and township, info and signature lines. */
interface Frame extends ReturnType<typeof header> {
  month: string;
  county: string;
  town: string;
}

export function monthlySheets(data: MonthlyData, settings: Settings | null): SheetDef<Row>[] {
  const m = data.month;
  const f: Frame = {
    ...header(settings, m),
    month: m,
    county: settings?.county ?? '',
    town: settings?.townshipName ?? '',
  };
  return [
    t1RosterPersons(data, f),
    t2RosterHouseholds(data, f),
    t3VillageSummary(data, f.info, f.sign),
    t5Placements(data, f),
    t6Attendance(data, f),
    t8Payment(data, f),
    ...relocationSheets(data, f.info, f.sign),
    ...workSheets(data, { info: f.info, sign: f.sign, home: settings }),
  ];
}

// The sheet functions below hold each sheet's column table whole: one entry per printed column, in print order.

function t1RosterPersons(data: MonthlyData, f: Frame): SheetDef<Row> {
  return {
    name: 'T1 监测对象花名册',
    title: `防止返贫监测对象花名册（${yyyymm(f.month)}）`,
    info: f.info,
    landscape: true,
    paper: 'A3',
    rows: data.rosterPersons(),
    groupBy: (r) => String(r.village),
    subtotalLabel: (g) => `${g} 小计`,
    totalLabel: (n) => `合计：${n}人`,
    columns: [
      seq,
      { key: 'county', header: '县(市、区、旗)', width: widthFor(f.county), value: () => f.county },
      { key: 'town', header: '乡(镇)', width: widthFor(f.town), value: () => f.town },
      col('village', '行政村', 10),
      col('groupName', '自然村', 10),
      col('hhNo', '户编号', 20),
      { key: 'pno', header: '人编号', width: 8, value: () => null },
      col('name', '姓名', 8),
      col('idNumber', '证件号码', 21),
      {
        key: 'persons',
        header: '人数',
        width: 6,
        kind: 'int',
        value: (r) => (r.relation === '户主' ? r.persons : null) as never,
        sum: true,
      },
      col('relation', '与户主关系', 10),
      col('ethnicity', '民族', 8),
      col('education', '文化程度', 10),
      col('school', '在校生状况', 12),
      col('health', '健康状况', 10),
      col('labour', '劳动技能', 12),
      col('workMonths', '务工时间（月）', 8, 'int'),
      { key: 'seriousIns', header: '是否参加大病保险', width: 8, value: (r) => yes(r.seriousIns) },
      col('risks', '致贫/返贫风险', 16),
      { key: 'unsafe', header: '危房户', width: 6, value: () => null },
      { key: 'water', header: '是否解决安全饮用水', width: 8, value: () => null },
      col('perCapita', '人均纯收入', 12, 'money'),
      col('hhPhone', '户联系电话', 13),
      col('phone', '人联系电话', 13),
      col('identified', '首次识别时间', 11, 'date'),
      {
        key: 'personIdentified',
        header: '人员识别时间',
        width: 11,
        kind: 'date',
        value: (r) => (r.joinedOn && String(r.joinedOn) > String(r.identified) ? r.joinedOn : r.identified) as never,
      },
      col('hhType', '户类型', 10),
      col('category', '监测对象类型', 12),
      { key: 'eliminatedFlag', header: '风险是否消除', width: 8, value: (r) => status(r.k) },
      col('identified', '风险识别时间', 11, 'date'),
      {
        key: 'eliminatedOn',
        header: '风险消除时间',
        width: 11,
        kind: 'date',
        value: (r) => (r.k === 'eliminated' ? r.eliminated : null) as never,
      },
    ],
    footer: f.sign,
  };
}

/** T2's 帮扶措施 group: one tick column per measure category. */
const measureCols: Column<Row>[] = MEASURE_CATEGORIES.map((c) => ({
  key: `m_${c}`,
  header: c,
  group: '帮扶措施',
  width: 6,
  value: (r) =>
    String(r.measures ?? '')
      .split(',')
      .includes(c)
      ? '✓'
      : null,
}));

function t2RosterHouseholds(data: MonthlyData, f: Frame): SheetDef<Row> {
  return {
    name: 'T2 监测对象户花名册',
    title: `防止返贫监测对象户花名册（${yyyymm(f.month)}）`,
    info: f.info,
    landscape: true,
    paper: 'A3',
    rows: data.rosterHouseholds(),
    totalLabel: (n, s) => `合计：${n}户${s.persons ?? 0}人`,
    columns: [
      seq,
      col('village', '行政村', 10),
      col('hhNo', '户编号', 20),
      col('headName', '户主姓名', 8),
      col('headId', '户主证件号码', 21),
      col('persons', '家庭人口数', 7, 'int', { sum: true }),
      col('hhType', '户类型', 10),
      col('category', '监测对象类别', 12),
      col('risks', '致贫/返贫风险', 16),
      col('identified', '识别监测时间', 11, 'date'),
      col('perCapita', '人均纯收入（元）', 11, 'money'),
      col('oop', '合规自付支出（元）', 11, 'money'),
      ...measureCols,
      { key: 'elim', header: '风险是否已消除', width: 8, value: (r) => status(r.k) },
      {
        key: 'method',
        header: '风险消除方式',
        width: 10,
        value: (r) => (r.k === 'eliminated' ? r.method : null) as never,
      },
      {
        key: 'elimOn',
        header: '风险消除时间',
        width: 11,
        kind: 'date',
        value: (r) => (r.k === 'eliminated' ? r.eliminated : null) as never,
      },
      col('helper', '帮扶责任人', 8),
      col('phone', '联系电话', 13),
      col('note', '备注', 12),
    ],
    footer: f.sign,
  };
}

function t5Placements(data: MonthlyData, f: Frame): SheetDef<Row> {
  const end = monthEnd(f.month);
  return {
    name: 'T5 公益岗位人员花名册',
    title: `乡村公益性岗位人员花名册（${yyyymm(f.month)}）`,
    info: f.info,
    landscape: true,
    rows: data.placements(),
    totalLabel: (n) => `合计：${n}人`,
    columns: [
      seq,
      { key: 'town', header: '乡镇', width: widthFor(f.town), value: () => f.town },
      col('village', '村', 10),
      col('name', '姓名', 8),
      col('gender', '性别', 5),
      col('idNumber', '身份证号码', 21),
      { key: 'age', header: '年龄', width: 5, kind: 'int', value: (r) => ageOn(String(r.birth), end) },
      col('personCategory', '人员类别', 14),
      col('labour', '劳动能力', 12),
      col('post', '岗位名称', 14),
      col('postCategory', '岗位类别', 10),
      col('department', '开发主管部门', 12),
      col('employer', '使用单位', 14),
      col('workForm', '用工形式', 9),
      col('hired', '上岗时间', 11, 'date'),
      { key: 'agreement', header: '协议起止时间', width: 22, value: (r) => `${r.agreementStart} 至 ${r.agreementEnd}` },
      col('monthlyFen', '月补贴标准（元）', 11, 'money'),
      col('phone', '联系电话', 13),
      { key: 'note', header: '备注', width: 10, value: () => null },
    ],
    footer: f.sign,
  };
}

function t6Attendance(data: MonthlyData, f: Frame): SheetDef<Row> {
  return {
    name: 'T6 出勤和补贴汇总',
    title: `乡村公益性岗位出勤天数和拟拨付岗位补贴金额汇总表（${yyyymm(f.month)}）`,
    landscape: false,
    info: [[`填报单位（盖章）：${f.unit}`, '填报时间：____年__月__日'], '开发主管部门：人社部门 / 农业农村部门'],
    rows: data.attendance(),
    totalLabel: (n, s) => `合计：${n}人，${fenToYuanText(s.subsidyFen ?? 0)}元`,
    columns: [
      seq,
      col('name', '姓名', 9),
      col('idNumber', '身份证号码', 21),
      col('required', '规定出勤天数（天）', 10, 'int'),
      col('days', '本月累计出勤天数（天）', 11, 'int'),
      col('subsidyFen', '补贴金额（元）', 12, 'money', { sum: true }),
      col('agreementStart', '起', 11, 'date', { group: '协议时间起止时间' }),
      col('agreementEnd', '止', 11, 'date', { group: '协议时间起止时间' }),
    ],
    footer: ['补贴金额 = 月补贴标准 ÷ 规定出勤天数 × 本月累计出勤天数（四舍五入到分，不超过月补贴标准）', ...f.sign],
  };
}

function t8Payment(data: MonthlyData, f: Frame): SheetDef<Row> {
  return {
    name: 'T8 补贴发放表',
    title: `公益性岗位补贴发放表（${yyyymm(f.month)}）`,
    info: f.info,
    landscape: true,
    rows: data.attendance(),
    totalLabel: (n) => `合计：${n}人`,
    columns: [
      seq,
      col('name', '姓名', 9),
      col('idNumber', '身份证号码', 21),
      col('post', '岗位名称', 14),
      col('bankName', '开户银行', 14),
      col('bankAccount', '银行卡号 / 社保卡号', 22),
      col('monthlyFen', '月补贴标准', 11, 'money'),
      col('days', '出勤天数', 8, 'int', { sum: true }),
      col('subsidyFen', '应发金额', 11, 'money', { sum: true }),
      col('deductionFen', '扣发金额', 10, 'money', { sum: true }),
      col('payFen', '实发金额', 11, 'money', { sum: true }),
      { key: 'sign', header: '领取人签字', width: 12, value: () => null },
      col('deductionReason', '备注', 14),
    ],
    footer: [
      '本表含完整银行账号，仅供发放使用，不得公示或外传。',
      '经办人：__________    审核人：__________    单位负责人：__________',
    ],
  };
}

function t3VillageSummary(data: MonthlyData, info: [string, string][], sign: string[]): SheetDef<Row> {
  type Acc = Record<string, number>;
  const byVillage = new Map<number, { name: string; acc: Acc }>();
  for (const v of data.villages()) byVillage.set(Number(v.id), { name: String(v.name), acc: {} });
  const add = (acc: Acc, key: string, persons: number) => {
    acc[`${key}H`] = (acc[`${key}H`] ?? 0) + 1;
    acc[`${key}P`] = (acc[`${key}P`] ?? 0) + persons;
  };
  for (const h of data.households()) {
    const v = byVillage.get(Number(h.villageId));
    if (!v) continue;
    const persons = Number(h.persons);
    add(v.acc, 'all', persons);
    if (h.hhType === '脱贫户' || h.hhType === '脱贫不享受政策户') add(v.acc, 'poor', persons);
    if (!h.k) continue;
    add(v.acc, 'mon', persons);
    add(v.acc, `cat_${h.category}`, persons);
    if (h.k === 'eliminated') add(v.acc, 'elim', persons);
    else {
      add(v.acc, 'open', persons);
      if (!h.doudi) add(v.acc, 'openNonDoudi', persons);
    }
    if (h.newIn) add(v.acc, 'new', persons);
    if (h.elimIn) add(v.acc, 'elimIn', persons);
    if (h.backIn) add(v.acc, 'back', persons);
  }
  const rows: Row[] = [...byVillage.values()].map((v) => ({ village: v.name, ...v.acc }));
  const pair = (key: string, group: string): Column<Row>[] => [
    { key: `${key}H`, header: '户', group, width: 7, kind: 'int', sum: true, value: (r) => Number(r[`${key}H`] ?? 0) },
    { key: `${key}P`, header: '人', group, width: 7, kind: 'int', sum: true, value: (r) => Number(r[`${key}P`] ?? 0) },
  ];
  return {
    name: 'T3 统计月报',
    title: `防止返贫监测对象统计月报（${yyyymm(data.month)}）`,
    landscape: true,
    info: [...info, '单位：户、人'],
    rows,
    totalLabel: () => '合计',
    columns: [
      seq,
      col('village', '行政村', 12),
      { key: 'allH', header: '总户数', width: 8, kind: 'int', sum: true, value: (r) => Number(r.allH ?? 0) },
      { key: 'allP', header: '总人数', width: 8, kind: 'int', sum: true, value: (r) => Number(r.allP ?? 0) },
      ...pair('poor', '脱贫户'),
      ...pair('mon', '监测对象合计'),
      ...pair('cat_脱贫不稳定户', '其中：脱贫不稳定户'),
      ...pair('cat_边缘易致贫户', '边缘易致贫户'),
      ...pair('cat_突发严重困难户', '突发严重困难户'),
      ...pair('open', '未消除风险'),
      ...pair('openNonDoudi', '其中非兜底未消除'),
      ...pair('elim', '已消除风险'),
      ...pair('new', '本月新识别'),
      ...pair('elimIn', '本月消除'),
      ...pair('back', '本月回退'),
    ],
    footer: sign,
  };
}

/** T9, T10 and the T10 detail: sites built by the month's end, one row each, from the same per-site counts. */
function relocationSheets(data: MonthlyData, info: [string, string][], sign: string[]): SheetDef<Row>[] {
  const rows = siteRows(data);
  return [t9Sites(data, rows, info, sign), t10Employment(data, rows, info, sign), t10Detail(data, info, sign)];
}

/** T10's employment channels: each 就业方式 counts under one column. */
const CHANNELS: Record<string, string> = {
  省外务工: 'out',
  省内县外务工: 'prov',
  县内务工: 'county',
  公益性岗位: 'post',
  帮扶车间: 'shop',
  以工代赈: 'wage',
  自主创业: 'self',
  灵活就业: 'self',
  产业带动: 'county',
};

/** Per household of a site: its labour and how many of them are employed. */
type HouseholdCounts = { labour: number; employed: number };

/** Per site: persons, poor persons, labour, employed by channel; per household in it: labour and employed. */
function siteRows(data: MonthlyData): Row[] {
  const sites = data.sites();
  const per = new Map<number, Record<string, number>>();
  const households = new Map<number, Map<number, HouseholdCounts>>();
  for (const p of data.relocatedPersons()) {
    const s = per.get(Number(p.siteId)) ?? {};
    s.persons = (s.persons ?? 0) + 1;
    if (p.relocationType === '建档立卡') s.poorPersons = (s.poorPersons ?? 0) + 1;
    const hh = households.get(Number(p.siteId)) ?? new Map<number, HouseholdCounts>();
    const hr = hh.get(Number(p.householdId)) ?? { labour: 0, employed: 0 };
    if (p.isLabour) {
      s.labour = (s.labour ?? 0) + 1;
      hr.labour += 1;
      if (p.channel) {
        s.employed = (s.employed ?? 0) + 1;
        hr.employed += 1;
        const k = CHANNELS[String(p.channel)] ?? 'county';
        s[k] = (s[k] ?? 0) + 1;
      }
    }
    hh.set(Number(p.householdId), hr);
    households.set(Number(p.siteId), hh);
    per.set(Number(p.siteId), s);
  }
  return sites.map((site) =>
    siteRow(site, per.get(Number(site.id)) ?? {}, [...(households.get(Number(site.id))?.values() ?? [])]),
  );
}

function siteRow(site: Row, s: Record<string, number>, hh: HouseholdCounts[]): Row {
  return {
    ...site,
    households: hh.length,
    persons: s.persons ?? 0,
    poorPersons: s.poorPersons ?? 0,
    syncPersons: (s.persons ?? 0) - (s.poorPersons ?? 0),
    labourHouseholds: hh.filter((x) => x.labour > 0).length,
    labour: s.labour ?? 0,
    employed: s.employed ?? 0,
    out: s.out ?? 0,
    prov: s.prov ?? 0,
    county: s.county ?? 0,
    post: s.post ?? 0,
    shop: s.shop ?? 0,
    wage: s.wage ?? 0,
    self: s.self ?? 0,
    unemployed: (s.labour ?? 0) - (s.employed ?? 0),
    withJob: hh.filter((x) => x.labour > 0 && x.employed > 0).length,
    zero: hh.filter((x) => x.labour > 0 && x.employed === 0).length,
  };
}

/** T9's 配套设施 group: 有/无 per facility named in the site's list. */
const facility = (name: string): Column<Row> => ({
  key: `f_${name}`,
  header: name,
  group: '配套设施',
  width: 6,
  value: (r) => (String(r.facilities ?? '').includes(name) ? '有' : '无'),
});

function t9Sites(data: MonthlyData, rows: Row[], info: [string, string][], sign: string[]): SheetDef<Row> {
  return {
    name: 'T9 安置点基本情况',
    title: `易地扶贫搬迁安置点基本情况表（${yyyymm(data.month)}）`,
    info,
    landscape: true,
    rows,
    totalLabel: () => '合计',
    columns: [
      seq,
      col('name', '安置点名称', 16),
      col('village', '所在村(社区)', 12),
      col('method', '安置方式', 9),
      col('builtOn', '建成时间', 11, 'date'),
      int('households', '安置户数'),
      int('persons', '合计', 7, '安置人数'),
      int('poorPersons', '建档立卡', 8, '安置人数'),
      int('syncPersons', '同步搬迁', 8, '安置人数'),
      {
        key: 'size',
        header: '规模等级',
        width: 8,
        value: (r) => (Number(r.persons) >= data.params.largeSitePersons ? '大型' : '小型'),
      },
      facility('幼儿园'),
      facility('小学'),
      facility('初中'),
      facility('卫生室'),
      facility('社区综合服务中心'),
      int('workshops', '帮扶车间数'),
      int('industry_projects', '配套产业项目数'),
      {
        key: 'org',
        header: '党组织 / 居委会',
        width: 10,
        value: (r) => `${r.party_org ? '有' : '无'} / ${r.resident_committee ? '有' : '无'}`,
      },
      col('work_team', '驻点工作队', 12),
      col('note', '备注', 12),
    ],
    footer: sign,
  };
}

function t10Employment(data: MonthlyData, rows: Row[], info: [string, string][], sign: string[]): SheetDef<Row> {
  return {
    name: 'T10 搬迁劳动力就业月报',
    title: `易地扶贫搬迁劳动力就业情况月报（${yyyymm(data.month)}）`,
    info: [...info, '单位：户、人'],
    landscape: true,
    rows,
    totalLabel: () => '合计',
    totals: (s) => ({ rate: ratio(s.employed ?? 0, s.labour ?? 0) }),
    columns: [
      seq,
      col('name', '安置点名称', 16),
      int('households', '搬迁户数'),
      int('persons', '搬迁人数'),
      int('labourHouseholds', '有劳动力户数'),
      int('labour', '劳动力人数'),
      int('employed', '已就业人数'),
      int('out', '省外务工', 7, '其中'),
      int('prov', '省内县外', 7, '其中'),
      int('county', '县内务工', 7, '其中'),
      int('post', '公益性岗位', 7, '其中'),
      int('shop', '帮扶车间', 7, '其中'),
      int('wage', '以工代赈', 7, '其中'),
      int('self', '自主创业 / 灵活就业', 8, '其中'),
      int('unemployed', '未就业人数'),
      {
        key: 'rate',
        header: '就业率(%)',
        width: 8,
        kind: 'percent',
        value: (r) => ratio(Number(r.employed), Number(r.labour)),
      },
      int('withJob', '有劳动力户实现至少1人就业户数', 12),
      int('zero', '零就业家庭户数', 9),
    ],
    footer: ['就业率 = 已就业人数 ÷ 劳动力人数；合计行按合计数重新计算，不取各安置点平均。', ...sign],
  };
}

function t10Detail(data: MonthlyData, info: [string, string][], sign: string[]): SheetDef<Row> {
  return {
    name: 'T10 就业明细',
    title: `易地扶贫搬迁劳动力就业明细（${yyyymm(data.month)}）`,
    info,
    landscape: true,
    rows: filterLabour(data.relocatedPersons()),
    totalLabel: (n) => `合计：${n}人`,
    columns: [
      seq,
      col('site', '安置点', 14),
      col('headName', '户主姓名', 8),
      col('name', '姓名', 8),
      col('idNumber', '身份证号码', 21),
      col('gender', '性别', 5),
      { key: 'age', header: '年龄', width: 5, kind: 'int', value: (r) => ageOn(String(r.birth), monthEnd(data.month)) },
      col('labour', '劳动能力', 12),
      { key: 'state', header: '就业状态', width: 8, value: (r) => (r.channel ? '已就业' : '未就业') },
      col('channel', '就业方式', 12),
      col('place', '就业地点', 10),
      col('employer', '就业单位', 14),
      col('startMonth', '开始年月', 9),
      col('incomeFen', '月收入', 10, 'money'),
      col('phone', '联系电话', 13),
    ],
    footer: sign,
  };
}

function* filterLabour(rows: Iterable<Row>): Iterable<Row> {
  for (const r of rows) if (r.isLabour) yield r;
}
