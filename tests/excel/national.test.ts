/**
 * Files in the national system's layouts (../shared/national-layouts.md), built here from the header lists
 * verbatim with synthetic people: title rows above the header, the national labels a member may carry.
 */
import path from 'node:path';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeId, newLedger, tempDir } from '../helpers.ts';

let dir: string;
beforeAll(() => {
  dir = tempDir();
});

/** The 2022 national person list (名单), 31 columns, header on row 3 under two title rows. */
const PERSON_LIST_2022 = [
  '序号', '县(市、区、旗)', '乡(镇)', '行政村', '自然村', '户编号', '人编号', '姓名', '证件号码', '人数', '与户主关系',
  '民族', '文化程度', '在校生状况', '健康状况', '劳动技能', '务工时间（月）', '是否参加大病保险', '致贫原因1', '危房户',
  '是否解决安全饮用水', '人均纯收入', '户联系电话', '人联系电话', '首次识别时间', '人员识别时间', '户类型',
  '易返贫致贫户(监测对象)类型', '风险是否消除', '风险识别时间', '风险消除时间',
]; // prettier-ignore

async function nationalWorkbook(file: string, header: string[], rows: Record<string, string | number>[]) {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Sheet1');
  ws.addRow(['已脱贫人口名单']);
  ws.addRow(['导出时间：2026-11-01']);
  ws.addRow(header);
  rows.forEach((r, i) => ws.addRow(header.map((h) => (h === '序号' ? i + 1 : (r[h] ?? null)))));
  await wb.xlsx.writeFile(file);
}

describe('national person list (2022 名单)', () => {
  it('takes every member with the national labels (之外祖母, 学龄前儿童, bare 小学, 高职高专, 技师学院)', async () => {
    const { ledger } = await newLedger();
    const hh = { 行政村: '青山村', 户编号: '529901101001000009', 户类型: '脱贫户', 户联系电话: '13800001111' };
    const rows = [
      { ...hh, 姓名: '韦国强', 证件号码: makeId('1975-04-02', '男', 11), 与户主关系: '户主', 文化程度: '初中' },
      { ...hh, 姓名: '李秀兰', 证件号码: makeId('1977-09-12', '女', 12), 与户主关系: '配偶', 文化程度: '小学' },
      {
        ...hh,
        姓名: '黄老太',
        证件号码: makeId('1940-01-20', '女', 13),
        与户主关系: '之外祖母',
        文化程度: '文盲或半文盲',
      },
      {
        ...hh,
        姓名: '韦小宝',
        证件号码: makeId('2022-06-01', '男', 14),
        与户主关系: '之孙子',
        在校生状况: '学龄前儿童',
      },
      { ...hh, 姓名: '韦小玲', 证件号码: makeId('2016-03-05', '女', 15), 与户主关系: '之女', 在校生状况: '小学' },
      { ...hh, 姓名: '韦大军', 证件号码: makeId('2006-07-07', '男', 16), 与户主关系: '之子', 文化程度: '高职高专' },
      {
        ...hh,
        姓名: '韦二军',
        证件号码: makeId('2008-08-08', '男', 17),
        与户主关系: '之子',
        在校生状况: '技师学院二年级',
      },
      // 残疾人证 numbers in 证件号码: the ID inside, then category 4 (肢体) and grade 2 (二级); 22 with a reissue mark.
      { ...hh, 姓名: '韦三妹', 证件号码: `${makeId('1999-09-09', '女', 19)}42`, 与户主关系: '之女', 健康状况: '残疾' },
      {
        ...hh,
        姓名: '韦四弟',
        证件号码: `${makeId('2001-01-11', '男', 20)}13B1`,
        与户主关系: '之子',
        健康状况: '残疾',
      },
    ];
    const file = path.join(dir, 'person-list-2022.xlsx');
    await nationalWorkbook(file, PERSON_LIST_2022, rows);

    const r = await ledger.run('import.run', { kind: 'households', file });
    expect(r.errors).toEqual([]);
    expect(r).toMatchObject({ read: 9, inserted: 9, rejected: 0 });
    const stored = ledger.store.raw
      .prepare(
        `SELECT name, relation, gender, education, school_status AS school FROM person
        WHERE disability_category IS NULL ORDER BY id`,
      )
      .all();
    expect(stored).toEqual([
      { name: '韦国强', relation: '户主', gender: '男', education: '初中', school: null },
      { name: '李秀兰', relation: '配偶', gender: '女', education: '小学', school: null },
      { name: '黄老太', relation: '之外祖母', gender: '女', education: '文盲或半文盲', school: null },
      { name: '韦小宝', relation: '之孙子', gender: '男', education: null, school: '学龄前儿童' },
      { name: '韦小玲', relation: '之女', gender: '女', education: null, school: '小学' },
      { name: '韦大军', relation: '之子', gender: '男', education: '高职高专', school: null },
      { name: '韦二军', relation: '之子', gender: '男', education: null, school: '技师学院二年级' },
    ]);
    const disabled = ledger.store.raw
      .prepare(
        `SELECT name, id_number AS id, disability_category AS category, disability_grade AS grade FROM person
        WHERE disability_category IS NOT NULL ORDER BY id`,
      )
      .all();
    expect(disabled).toEqual([
      { name: '韦三妹', id: makeId('1999-09-09', '女', 19), category: '肢体', grade: '二级' },
      { name: '韦四弟', id: makeId('2001-01-11', '男', 20), category: '视力', grade: '三级' },
    ]);
    // A national label with the wrong gender for its relation is still refused, naming the row and column.
    await nationalWorkbook(file, PERSON_LIST_2022, [
      { ...hh, 姓名: '黄老爷', 证件号码: makeId('1938-02-02', '女', 18), 与户主关系: '之外祖父' },
    ]);
    const bad = await ledger.run('import.run', { kind: 'households', file });
    expect(bad).toMatchObject({ read: 1, inserted: 0, rejected: 1 });
    expect(bad.errors[0]).toMatchObject({ sheet: 'Sheet1', row: 4, column: '与户主关系' });
    await ledger.close();
  });
});

/** A customised 监测对象信息 export as the national system writes it: one row per person (columns from §2). */
const MONITORING_PERSONS = [
  '县', '乡', '行政村', '户编号', '户类型', '监测对象类别', '证件类型', '证件号码', '姓名', '性别', '出生日期',
  '与户主关系', '民族', '文化程度', '在校生状况', '健康状况', '劳动技能', '户联系电话', '识别监测时间',
  '致贫/返贫风险1', '致贫/返贫风险2', '致贫/返贫风险3', '致贫/返贫风险4', '致贫/返贫风险5', '风险是否已消除',
  '消除监测时间', '风险消除方式', '就业帮扶', '健康帮扶', '公益性岗位帮扶',
]; // prettier-ignore

describe('national 监测对象信息 export, one row per person', () => {
  it('makes one case per monitored household with all its risks, skipping member and unmonitored rows', async () => {
    const { ledger } = await newLedger();
    const base = { 县: '测试县', 乡: '测试镇', 行政村: '青山村', 证件类型: '居民身份证', 民族: '汉族' };
    const a = {
      ...base, 户编号: '529901101001000101', 户类型: '一般农户', 监测对象类别: '边缘易致贫户', 识别监测时间: '202403',
      '致贫/返贫风险1': '因病', '致贫/返贫风险2': '因学', '致贫/返贫风险3': '因务工就业不稳', '致贫/返贫风险4': '因自然灾害',
      风险是否已消除: '否', 就业帮扶: '劳务输出,外出务工补贴', 健康帮扶: '城乡居民基本医疗保险个人缴费补贴',
    }; // prettier-ignore
    const b = {
      ...base, 户编号: '529901101001000102', 户类型: '一般农户', 监测对象类别: '突发严重困难户', 识别监测时间: '202301',
      '致贫/返贫风险1': '因残', '致贫/返贫风险5': '其他', 风险是否已消除: '是', 消除监测时间: '202406', 风险消除方式: '帮扶消除', 公益性岗位帮扶: '护林员',
    }; // prettier-ignore
    const c = { ...base, 户编号: '529901101001000103', 户类型: '脱贫户', 监测对象类别: '' };
    const person = (hh: object, name: string, birth: string, gender: '男' | '女', seq: number, relation: string) => ({
      ...hh,
      姓名: name,
      证件号码: makeId(birth, gender, seq),
      性别: gender,
      出生日期: birth.replaceAll('-', ''),
      与户主关系: relation,
    });
    const rows = [
      person(a, '蒙一', '1970-01-01', '男', 21, '户主'),
      person(a, '蒙二', '1972-02-02', '女', 22, '配偶'),
      person(a, '蒙三', '2010-03-03', '男', 23, '之子'),
      person(b, '罗一', '1965-04-04', '男', 24, '户主'),
      person(b, '罗二', '1990-05-05', '女', 25, '之女'),
      person(c, '潘一', '1960-06-06', '男', 26, '户主'),
      person(c, '潘二', '1962-07-07', '女', 27, '配偶'),
    ];
    const file = path.join(dir, 'monitoring-persons.xlsx');
    await nationalWorkbook(file, MONITORING_PERSONS, rows);

    // Day one from the file alone: the same export brings the households and members, then the cases.
    const persons = await ledger.run('import.run', { kind: 'households', file });
    expect(persons).toMatchObject({ read: 7, inserted: 7, rejected: 0 });
    const cases = await ledger.run('import.run', { kind: 'monitoring', file });
    expect(cases.errors).toEqual([]);
    expect(cases).toMatchObject({ read: 7, inserted: 2, rejected: 0, skipped: 5 });

    const stored = ledger.store.raw
      .prepare(
        `SELECT h.hh_no AS hhNo, c.category, c.status, c.identified_on AS identified, c.eliminated_on AS eliminated,
          (SELECT group_concat(risk_type, '、') FROM (SELECT risk_type FROM case_risk WHERE case_id = c.id ORDER BY seq)) AS risks
        FROM monitoring_case c JOIN household h ON h.id = c.household_id ORDER BY h.hh_no`,
      )
      .all();
    expect(stored).toEqual([
      {
        hhNo: a.户编号,
        category: '边缘易致贫户',
        status: '监测中',
        identified: '2024-03-01',
        eliminated: null,
        risks: '因病、因学、因务工就业不稳、因自然灾害',
      },
      {
        hhNo: b.户编号,
        category: '突发严重困难户',
        status: '已消除',
        identified: '2023-01-01',
        eliminated: '2024-06-01',
        risks: '因残、其他',
      },
    ]);
    const measures = ledger.store.raw
      .prepare(
        `SELECT h.hh_no AS hhNo, m.category, m.item, m.start_date AS starts FROM measure m
        JOIN household h ON h.id = m.household_id ORDER BY h.hh_no, m.id`,
      )
      .all();
    expect(measures).toEqual([
      { hhNo: a.户编号, category: '就业帮扶', item: '劳务输出,外出务工补贴', starts: '2024-03-01' },
      { hhNo: a.户编号, category: '健康帮扶', item: '城乡居民基本医疗保险个人缴费补贴', starts: '2024-03-01' },
      { hhNo: b.户编号, category: '公益岗位帮扶', item: '护林员', starts: '2023-01-01' },
    ]);
    // With its measures in, the eliminated household is not reported as eliminated without any (JC11).
    const jc11 = await ledger.run('rules.run', { month: '2024-06', rules: ['JC11'] });
    expect(jc11.findings).toEqual([]);
    const june = await ledger.run('stats.month', { month: '2024-06' });
    expect(june.monitoring).toMatchObject({ current: 1, eliminatedInMonth: 1 });

    // The same file again changes nothing.
    const again = await ledger.run('import.run', { kind: 'monitoring', file });
    expect(again).toMatchObject({ read: 7, inserted: 0, updated: 0, unchanged: 2, rejected: 0, skipped: 5 });
    await ledger.close();
  });
});

describe('village list (行政村信息): the day-one source of villages', () => {
  it('creates the villages with their codes, refuses bad rows on their row, and re-imports as unchanged', async () => {
    const { ledger } = await newLedger(); // holds 青山村 529901101001
    const header = ['县', '乡', '行政村', '行政区划代码'];
    const file = path.join(dir, 'villages.xlsx');
    const rows = [
      { 行政村: '青山村', 行政区划代码: '529901101001' },
      { 行政村: '石桥村', 行政区划代码: '529901101002' },
      { 行政村: '白岩村', 行政区划代码: '529901101003' },
      { 行政村: '坡头村', 行政区划代码: '52990110100' },
      { 行政村: '青山村', 行政区划代码: '529901101009' },
    ].map((r) => ({ 县: '测试县', 乡: '测试镇', ...r }));
    await nationalWorkbook(file, header, rows);

    const r = await ledger.run('import.run', { kind: 'villages', file });
    expect(r).toMatchObject({ read: 5, inserted: 2, unchanged: 1, rejected: 2 });
    expect(r.errors).toEqual([
      expect.objectContaining({ row: 7, column: '行政区划代码', message: '村代码应为12位数字（统计用区划代码）' }),
      expect.objectContaining({ row: 8, column: '行政村', message: '行政村「青山村」已登记，区划代码为 529901101001' }),
    ]);
    const villages = await ledger.run('village.list', {});
    expect(villages.map((v) => [v.name, v.code])).toEqual([
      ['青山村', '529901101001'],
      ['石桥村', '529901101002'],
      ['白岩村', '529901101003'],
    ]);
    // A person list naming the new village is now taken.
    const people = path.join(dir, 'people-shiqiao.xlsx');
    await nationalWorkbook(people, PERSON_LIST_2022, [
      {
        行政村: '石桥村',
        户编号: '529901101002000001',
        姓名: '石一',
        证件号码: makeId('1980-01-01', '男', 31),
        与户主关系: '户主',
      },
    ]);
    expect(await ledger.run('import.run', { kind: 'households', file: people })).toMatchObject({
      inserted: 1,
      rejected: 0,
    });
    const again = await ledger.run('import.run', { kind: 'villages', file });
    expect(again).toMatchObject({ inserted: 0, updated: 0, unchanged: 3, rejected: 2 });
    await ledger.close();
  });
});

/** The county 人社 export 贫困劳动力公益性岗位就业信息 (35 columns, header on row 1). */
const COUNTY_POST_ROSTER = [
  '所属行政区', '姓名', '性别', '年龄', '身份证号', '就业类型', '就业地域', '特色就业', '就业岗位(工种)', '就业地址',
  '就业单位名称', '就业起始年月', '就业终止年月', '联系电话', '脱贫状态', '文化程度', '转移就业意愿', '就业创业状态',
  '培训教育意愿', '培训教育状态', '苏陕协作', '年度', '在校状态', '就业意向', '劳动能力', '是否残疾', '就业渠道',
  '就业单位性质', '签订合同或协议月', '岗位补贴', '工资发放周期', '就业见习补贴', '求职补贴', '转移就业交通补贴', '享受政策',
]; // prettier-ignore

describe('county 人社 post roster (贫困劳动力公益性岗位就业信息)', () => {
  it('reads the header on row 1, the village from the region path and the months as the holding period', async () => {
    const { ledger, villageId } = await newLedger();
    const hh = await ledger.run('household.create', { villageId, hhNo: '529901101001000201' });
    const ids = [makeId('1972-05-05', '男', 41), makeId('1980-06-06', '女', 42)];
    await ledger.run('person.create', { householdId: hh.id, idNumber: ids[0]!, name: '吴一', relation: '户主' });
    const hh2 = await ledger.run('household.create', { villageId, hhNo: '529901101001000202' });
    await ledger.run('person.create', { householdId: hh2.id, idNumber: ids[1]!, name: '吴二', relation: '户主' });
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Sheet1');
    ws.addRow(COUNTY_POST_ROSTER);
    const row = (name: string, id: string, post: string) =>
      COUNTY_POST_ROSTER.map((h) =>
        ({
          所属行政区: '贵州省测试县测试镇青山村', 姓名: name, 身份证号: id, 就业类型: '公益性岗位', 就业岗位: post,
          '就业岗位(工种)': post, 就业单位名称: '青山村村民委员会', 就业起始年月: '202603', 就业终止年月: '202612',
          岗位补贴: '600', 年度: '2026',
        })[h] ?? null,
      ); // prettier-ignore
    ws.addRow(row('吴一', ids[0]!, '护林员'));
    ws.addRow(row('吴二', ids[1]!, '保洁员'));
    const file = path.join(dir, 'county-post-roster.xlsx');
    await wb.xlsx.writeFile(file);

    const r = await ledger.run('import.run', { kind: 'posts', file });
    expect(r.errors).toEqual([]);
    expect(r).toMatchObject({ read: 2, inserted: 2, rejected: 0 });
    const placements = ledger.store.raw
      .prepare(
        `SELECT po.name AS post, po.village_id AS village, po.employer, po.monthly_subsidy_fen AS monthlyFen,
          pl.hired_on AS hired, pl.agreement_start AS starts, pl.agreement_end AS ends
        FROM placement pl JOIN post po ON po.id = pl.post_id ORDER BY pl.id`,
      )
      .all();
    const held = { village: villageId, employer: '青山村村民委员会', monthlyFen: 60_000, hired: '2026-03-01' };
    expect(placements).toEqual([
      { post: '护林员', ...held, starts: '2026-03-01', ends: '2026-12-31' },
      { post: '保洁员', ...held, starts: '2026-03-01', ends: '2026-12-31' },
    ]);
    await ledger.close();
  });
});

/** The 47-column family-member export (national-layouts.md §5), the columns this test uses, in its order. */
const FAMILY_47 = [
  '省', '市', '县', '乡', '村', '户编号', '人口编号', '姓名', '性别', '出生日期', '证件类型', '证件号码', '民族',
  '户联系电话', '成员联系电话', '年度', '与户主关系', '文化程度', '在校生状况', '劳动技能', '务工时间（月）', '健康状况',
  '政治面貌', '务工企业名称', '是否享受低保', '是否参加城镇职工基本养老保险', '是否参加大病保险',
  '是否参加新型农村合作医疗（城乡居民基本医疗保险）', '是否参加城乡居民基本养老保险', '公益性岗位(月数)', '残疾类别',
  '务工所在地', '是否参加城镇职工基本医疗保险', '是否特困供养人员',
]; // prettier-ignore

describe('unknown stays unknown', () => {
  it('a person list without insurance or 脱贫年度 columns stores them as not known: no finding comes from an absent column', async () => {
    const { ledger } = await newLedger();
    const hh = { 行政村: '青山村', 户编号: '529901101001000201', 户类型: '脱贫户' };
    // Clerks' everyday words: mapped where certain, each listed as a warning on its row and column.
    await nationalWorkbook(path.join(dir, 'plain-list.xlsx'), PERSON_LIST_2022, [
      { ...hh, 姓名: '杨一', 证件号码: makeId('1970-01-01', '男', 31), 与户主关系: '户主', 民族: '汉' },
      { ...hh, 姓名: '杨二', 证件号码: makeId('1972-02-02', '女', 32), 与户主关系: '妻子', 是否参加大病保险: '否' },
      { ...hh, 姓名: '杨三', 证件号码: makeId('2000-03-03', '男', 33), 与户主关系: '之子', 健康状况: '很好' },
    ]);
    const r = await ledger.run('import.run', { kind: 'households', file: path.join(dir, 'plain-list.xlsx') });
    expect(r).toMatchObject({ read: 3, inserted: 3, rejected: 0, errors: [] });
    expect(r.warnings.map((w) => [w.row, w.column, w.value, w.message])).toEqual([
      [4, '民族', '汉', '「汉」不是国家系统口径，已按「汉族」导入'],
      [5, '与户主关系', '妻子', '「妻子」不是国家系统口径，已按「配偶」导入'],
      [6, '健康状况', '很好', expect.stringContaining('该项未导入，其余内容已导入')],
    ]);
    expect(
      ledger.store.raw
        .prepare(
          'SELECT name, relation, ethnicity, health, med_resident AS med, serious_illness_ins AS serious, dibao FROM person ORDER BY id',
        )
        .all(),
    ).toEqual([
      { name: '杨一', relation: '户主', ethnicity: '汉族', health: null, med: null, serious: null, dibao: null },
      { name: '杨二', relation: '配偶', ethnicity: null, health: null, med: null, serious: 0, dibao: null },
      { name: '杨三', relation: '之子', ethnicity: null, health: null, med: null, serious: null, dibao: null },
    ]);
    expect(ledger.store.raw.prepare('SELECT exited_poverty, exit_year, dibao, doudi FROM household').get()).toEqual({
      exited_poverty: 1,
      exit_year: null,
      dibao: null,
      doudi: null,
    });
    const absentColumnRules = async () =>
      (await ledger.run('rules.run', { month: '2026-10', rules: ['RY12', 'NH07'] })).findings.map((f) => f.message);
    expect(await absentColumnRules()).toEqual([]);
    // The same rules still find what is known: a member stated to have neither medical insurance.
    const yang = (ledger.store.raw.prepare("SELECT id FROM person WHERE name = '杨三'").get() as { id: number }).id;
    await ledger.run('person.update', { id: yang, medResident: 0, medEmployee: 0 });
    expect(await absentColumnRules()).toEqual([expect.stringContaining('杨三')]);
    await ledger.close();
  });

  it('the 47-column family export brings 低保 / 特困, pensions, 公益性岗位(月数) and the 残疾人证 number itself', async () => {
    const { ledger } = await newLedger();
    const hh = { 村: '青山村', 户编号: '529901101001000301', 证件类型: '居民身份证' };
    const cert = `${makeId('1980-05-05', '男', 41)}41`;
    await nationalWorkbook(path.join(dir, 'family-47.xlsx'), FAMILY_47, [
      {
        ...hh,
        姓名: '龙一',
        证件类型: '残疾人证',
        证件号码: cert,
        与户主关系: '户主',
        是否享受低保: '是',
        是否特困供养人员: '否',
        是否参加城乡居民基本养老保险: '是',
        '是否参加新型农村合作医疗（城乡居民基本医疗保险）': '是',
        是否参加城镇职工基本医疗保险: '否',
        '公益性岗位(月数)': 6,
        务工所在地: '本县',
        政治面貌: '群众',
      },
      { ...hh, 姓名: '龙二', 证件号码: makeId('1982-06-06', '女', 42), 与户主关系: '配偶', 是否享受低保: '否' },
    ]);
    const r = await ledger.run('import.run', { kind: 'households', file: path.join(dir, 'family-47.xlsx') });
    expect(r).toMatchObject({ read: 2, inserted: 2, rejected: 0, errors: [], warnings: [] });
    expect(
      ledger.store.raw
        .prepare(
          `SELECT id_number AS id, disability_cert AS cert, disability_category AS category, disability_grade AS grade,
            dibao, tekun, pension_resident AS pension, med_resident AS med, med_employee AS medEmp,
            post_months AS postMonths, work_place AS place, politics FROM person ORDER BY id`,
        )
        .all(),
    ).toEqual([
      {
        id: cert.slice(0, 18),
        cert,
        category: '肢体',
        grade: '一级',
        dibao: 1,
        tekun: 0,
        pension: 1,
        med: 1,
        medEmp: 0,
        postMonths: 6,
        place: '本县',
        politics: '群众',
      },
      {
        id: makeId('1982-06-06', '女', 42),
        cert: null,
        category: null,
        grade: null,
        dibao: 0,
        tekun: null,
        pension: null,
        med: null,
        medEmp: null,
        postMonths: null,
        place: null,
        politics: null,
      },
    ]);
    await ledger.close();
  });

  it('the monitoring export keeps 低保 / 特困 scope, income at identification and the 风险消除后 block as income records', async () => {
    const { ledger } = await newLedger();
    const header = [
      '行政村', '户编号', '户类型', '监测对象类别', '证件号码', '姓名', '与户主关系', '享受低保政策情况',
      '享受特困供养政策情况', '识别监测时间', '致贫/返贫风险1', '致贫/返贫风险2', '风险是否已消除', '消除监测时间',
      '风险消除方式', '人均纯收入（元）', '工资性收入', '生产经营性收入', '转移性收入', '合规自付支出',
      '风险消除后工资性收入', '风险消除后财产性收入', '风险消除后转移性收入', '风险消除后生产经营性收入',
      '风险消除后生产经营性支出', '风险消除后家庭人均纯收入', '风险消除后理赔收入', '风险消除后合规自付支出',
    ]; // prettier-ignore
    const hh = { 行政村: '青山村', 户编号: '529901101001000401', 户类型: '一般农户' };
    const head = {
      ...hh, 监测对象类别: '突发严重困难户', 证件号码: makeId('1968-01-01', '男', 51), 姓名: '石一', 与户主关系: '户主',
      享受低保政策情况: '农村低保', 享受特困供养政策情况: '不享受', 识别监测时间: '202401', '致贫/返贫风险1': '因病',
      '致贫/返贫风险2': '因灾', 风险是否已消除: '是', 消除监测时间: '202409', 风险消除方式: '帮扶消除',
      '人均纯收入（元）': 5200, 工资性收入: 8000, 生产经营性收入: 2000, 转移性收入: 600, 合规自付支出: 1200,
      风险消除后工资性收入: 20000, 风险消除后财产性收入: 0, 风险消除后转移性收入: 3000, 风险消除后生产经营性收入: 6000,
      风险消除后生产经营性支出: 1000, 风险消除后家庭人均纯收入: 14000, 风险消除后理赔收入: 500, 风险消除后合规自付支出: 800,
    }; // prettier-ignore
    const spouse = {
      ...hh, 监测对象类别: '突发严重困难户', 证件号码: makeId('1970-02-02', '女', 52), 姓名: '石二', 与户主关系: '配偶',
      享受低保政策情况: '未享受', 享受特困供养政策情况: '城市特困',
    }; // prettier-ignore
    const file = path.join(dir, 'monitoring-income.xlsx');
    await nationalWorkbook(file, header, [head, spouse]);
    expect(await ledger.run('import.run', { kind: 'households', file })).toMatchObject({ inserted: 2, errors: [] });
    const r = await ledger.run('import.run', { kind: 'monitoring', file });
    expect(r).toMatchObject({ inserted: 1, skipped: 1, rejected: 0, errors: [] });
    expect(r.warnings.map((w) => [w.row, w.column, w.message])).toEqual([
      [4, '致贫/返贫风险1', '「因灾」不是国家系统口径，已按「因自然灾害」导入'],
    ]);
    expect(
      ledger.store.raw.prepare('SELECT name, dibao, dibao_scope, tekun, tekun_scope FROM person ORDER BY id').all(),
    ).toEqual([
      { name: '石一', dibao: 1, dibao_scope: '农村', tekun: 0, tekun_scope: null },
      { name: '石二', dibao: 0, dibao_scope: null, tekun: 1, tekun_scope: '城市' },
    ]);
    const incomes = await ledger.run('household.get', {
      id: (ledger.store.raw.prepare('SELECT id FROM household').get() as { id: number }).id,
    });
    expect(
      incomes.incomes.map((i) => [
        i.kind,
        i.asOf,
        i.members,
        i.wageFen,
        i.propertyFen,
        i.compliantOopFen,
        i.perCapitaFen,
      ]),
    ).toEqual([
      // 财产性收入 and 生产经营性支出 are not in the identification block: the components are incomplete, so the
      // per-capita figure is the one the file states.
      ['识别时', '2024-01-01', 2, 800000, null, 120000, 520000],
      ['消除时', '2024-09-01', 2, 2000000, 0, 80000, 1400000],
    ]);
    // Imported again: nothing new.
    expect(await ledger.run('import.run', { kind: 'monitoring', file })).toMatchObject({ unchanged: 1, inserted: 0 });
    expect(ledger.store.raw.prepare('SELECT count(*) AS n FROM income_snapshot').get()).toEqual({ n: 2 });
    await ledger.close();
  });
});

/** The 建档立卡 贫困人口 export (26 columns, national-layouts.md §5). */
const JDLK_26 = [
  '县(市、区、旗)', '乡(镇)', '行政村', '自然村', '户编号', '人编号', '姓名', '证件号码', '人数', '与户主关系', '民族',
  '文化程度', '在校生状况', '健康状况', '劳动技能', '务工状况', '务工时间（月）', '参加大病医疗', '脱贫属性', '贫困户属性',
  '主要致贫原因', '危房户', '饮水安全', '饮水困难', '人均纯收入', '联系电话',
]; // prettier-ignore

describe('建档立卡 贫困人口 export', () => {
  it("is recognised, and its 联系电话 is the member's own phone, not the household's", async () => {
    const { ledger } = await newLedger();
    const hh = { 行政村: '青山村', 户编号: '529901101001000601', 脱贫属性: '已脱贫', 贫困户属性: '一般贫困户' };
    const file = path.join(dir, 'jdlk.xlsx');
    await nationalWorkbook(file, JDLK_26, [
      { ...hh, 姓名: '梁一', 证件号码: makeId('1966-01-01', '男', 95), 与户主关系: '户主', 联系电话: '13811112222', 参加大病医疗: '是', 主要致贫原因: '缺技术' }, // prettier-ignore
      { ...hh, 姓名: '梁二', 证件号码: makeId('1968-01-01', '女', 96), 与户主关系: '配偶', 联系电话: '13833334444' },
    ]);
    expect(await ledger.run('import.detect', { file })).toMatchObject({
      kinds: ['households'],
      name: '建档立卡 贫困人口信息',
    });
    const r = await ledger.run('import.run', { kind: 'households', file });
    expect(r).toMatchObject({ inserted: 2, rejected: 0, errors: [] });
    // 脱贫属性 已脱贫 makes the household a 脱贫户, listed as a mapping on each row that says so.
    expect(r.warnings.map((w) => [w.row, w.column, w.message])).toEqual([
      [4, '脱贫属性', '「已脱贫」不是国家系统口径，已按「脱贫户」导入'],
      [5, '脱贫属性', '「已脱贫」不是国家系统口径，已按「脱贫户」导入'],
    ]);
    expect(ledger.store.raw.prepare('SELECT hh_type, exited_poverty FROM household').get()).toEqual({
      hh_type: '脱贫户',
      exited_poverty: 1,
    });
    expect(r.mapping!.find((m) => m.field === 'phone')!.column).toBe(JDLK_26.indexOf('联系电话'));
    expect(r.mapping!.find((m) => m.field === 'hhPhone')!.column).toBeNull();
    expect(
      ledger.store.raw
        .prepare(
          'SELECT p.name, p.phone, p.serious_illness_ins AS serious, h.phone AS hhPhone FROM person p JOIN household h ON h.id = p.household_id ORDER BY p.id',
        )
        .all(),
    ).toEqual([
      { name: '梁一', phone: '13811112222', serious: 1, hhPhone: null },
      { name: '梁二', phone: '13833334444', serious: null, hhPhone: null },
    ]);
    await ledger.close();
  });
});
