/**
 * T11 务工监测月报 and its detail (domain.md §2.4 and §4 T11): per village, the labour of 脱贫户 and monitored
 * households at the month's end and how many of them work in the month — by region and 点对点输送 — with the
 * month's work plans (计划外出务工); the detail lists every employment record covering the month, one row each.
 */
import type { MonthlyData, Row } from './monthly-data.ts';
import type { SheetDef } from './report.ts';
import { col, int, ratio, seq, yes, yyyymm } from './sheet-columns.ts';
import { workRegion, type Home, type WorkRegion } from './work-region.ts';

export interface WorkFrame {
  info: [string, string][];
  sign: string[];
  /** The township's county and province, to place a spell of work (null before setup). */
  home: Home | null;
}

const REGION_KEY: Record<WorkRegion, string> = { 省外: 'out', 省内县外: 'prov', 县内: 'county', 不详: 'unknown' };

/** 就业服务需求 answers that state no need. */
const NO_NEED: ReadonlySet<string> = new Set(['无', '暂无', '没有', '否', '无需求']);

export function workSheets(data: MonthlyData, f: WorkFrame): SheetDef<Row>[] {
  return [t11Summary(data, villageRows(data, f.home), f), t11Detail(data, f)];
}

/** Per household of a village: its labour and how many of them work in the month. */
type HouseholdCounts = { labour: number; working: number };

/** Per village (every village, also those with nobody in scope): the T11 counts. */
function villageRows(data: MonthlyData, home: Home | null): Row[] {
  const villages = new Map<number, { name: string; n: Record<string, number>; hh: Map<number, HouseholdCounts> }>();
  for (const v of data.villages()) villages.set(Number(v.id), { name: String(v.name), n: {}, hh: new Map() });
  const add = (n: Record<string, number>, key: string) => (n[key] = (n[key] ?? 0) + 1);
  for (const p of data.workPersons()) {
    const v = villages.get(Number(p.villageId));
    if (!v) continue;
    const hh = v.hh.get(Number(p.householdId)) ?? { labour: 0, working: 0 };
    v.hh.set(Number(p.householdId), hh);
    add(v.n, 'persons');
    const working = p.spellId !== null;
    if (p.isLabour) {
      add(v.n, 'labour');
      hh.labour += 1;
      if (working) {
        hh.working += 1;
        add(v.n, 'working');
        add(v.n, REGION_KEY[workRegion(p.channel as string | null, p.place as string | null, home)]);
        if (p.pointToPoint === 1) add(v.n, 'p2p');
      }
    } else if (working) add(v.n, 'otherWorking');
    if (p.planned === 1) add(v.n, 'planned');
    const need = String(p.serviceNeed ?? '').trim();
    if (need && !NO_NEED.has(need)) add(v.n, 'need');
  }
  return [...villages.values()].map(({ name, n, hh }) => {
    const counts = [...hh.values()];
    return {
      village: name,
      ...n,
      households: counts.length,
      labourHouseholds: counts.filter((x) => x.labour > 0).length,
      zero: counts.filter((x) => x.labour > 0 && x.working === 0).length,
    };
  });
}

function t11Summary(data: MonthlyData, rows: Row[], f: WorkFrame): SheetDef<Row> {
  const { labourAgeMin, labourAgeMax } = data.params;
  return {
    name: 'T11 务工监测月报',
    title: `脱贫人口和监测对象务工监测月报（${yyyymm(data.month)}）`,
    info: [...f.info, '单位：户、人'],
    landscape: true,
    rows,
    totalLabel: () => '合计',
    totals: (s) => ({ rate: ratio(s.working ?? 0, s.labour ?? 0) }),
    columns: [
      seq,
      col('village', '行政村', 12),
      int('households', '户数'),
      int('persons', '人数'),
      int('labourHouseholds', '有劳动力户数'),
      int('labour', '劳动力人数'),
      int('working', '合计', 7, '务工劳动力'),
      int('out', '省外务工', 7, '务工劳动力'),
      int('prov', '省内县外', 7, '务工劳动力'),
      int('county', '县内务工', 7, '务工劳动力'),
      int('unknown', '地域不详', 7, '务工劳动力'),
      int('p2p', '其中点对点输送', 8, '务工劳动力'),
      {
        key: 'rate',
        header: '务工率(%)',
        width: 8,
        kind: 'percent',
        value: (r) => ratio(Number(r.working ?? 0), Number(r.labour ?? 0)),
      },
      int('zero', '有劳动力但无人务工户数', 11),
      int('otherWorking', '非劳动力务工人数', 9),
      int('planned', '计划外出务工', 8, '计划外出务工人员'),
      int('need', '有就业服务需求', 8, '计划外出务工人员'),
    ],
    footer: [
      `户数、人数：脱贫户和监测对象户（含风险已消除）截至月末的户和家庭成员；劳动力：${labourAgeMin}–${labourAgeMax}周岁、有劳动能力（普通、技能、弱劳动力或半劳动力）且不在校。`,
      '务工：本月有务工记录（开始年月不晚于本月，结束年月为空或不早于本月）。地域按就业方式；未填或非地域类就业方式按务工所在地与本县、本省比对，无法判断的计入“地域不详”。',
      '务工率 = 务工劳动力合计 ÷ 劳动力人数；合计行按合计数重新计算，不取各村平均。计划外出务工人员取本月导入的计划外出务工信息。',
      ...f.sign,
    ],
  };
}

function t11Detail(data: MonthlyData, f: WorkFrame): SheetDef<Row> {
  const persons = new Set<number>();
  return {
    name: 'T11 务工明细',
    title: `脱贫人口和监测对象务工明细（${yyyymm(data.month)}）`,
    info: f.info,
    landscape: true,
    rows: countingPersons(data.workSpells(), persons),
    totalLabel: (n) => `合计：${persons.size}人，${n}条务工记录`,
    columns: [
      seq,
      col('village', '行政村', 10),
      col('hhNo', '户编号', 20),
      col('name', '姓名', 8),
      col('idNumber', '身份证号码', 21),
      { key: 'isLabour', header: '是否劳动力', width: 7, value: (r) => (r.isLabour ? '是' : '否') },
      col('startMonth', '开始时间', 9),
      col('endMonth', '结束时间', 9),
      col('place', '务工所在地', 16),
      {
        key: 'region',
        header: '务工地域',
        width: 8,
        value: (r) => workRegion(r.channel as string | null, r.place as string | null, f.home),
      },
      col('channel', '就业渠道', 10),
      col('industry', '所属行业', 10),
      col('employer', '务工单位', 16),
      col('incomeFen', '务工月收入（元）', 10, 'money'),
      { key: 'pointToPoint', header: '是否点对点输送', width: 8, value: (r) => yes(r.pointToPoint) },
    ],
    footer: f.sign,
  };
}

/** The rows as they stream by, noting each person (the total names persons as well as records). */
function* countingPersons(rows: Iterable<Row>, persons: Set<number>): Iterable<Row> {
  for (const r of rows) {
    persons.add(Number(r.personId));
    yield r;
  }
}
