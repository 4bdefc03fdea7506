/**
 * The demo township: deterministic, clearly synthetic (prefecture code 5299 does not exist, names are
 * generated, the township is called 示范镇（演示）), every ID with a valid GB 11643 checksum, and every
 * record consistent with the workflow rules the services enforce. Data runs through DEMO_LAST_MONTH.
 * Written with prepared statements in one transaction: the county scale is 400,000 persons.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { type MEASURE_CATEGORIES } from '../../../shared/catalogs.ts';
import { addDays, addMonths, ageOn, daysBetween, monthDays, monthEnd, monthStart } from '../../../shared/dates.ts';
import { computeCheckChar } from '../../../shared/idnumber.ts';
import { proRataSubsidyFen } from '../../../shared/money.ts';
import { DEFAULT_INCOME_THRESHOLDS } from '../../../shared/parameters.ts';
import { Random } from './random.ts';

export const DEMO_LAST_MONTH = '2026-10';
const DEMO_END = monthEnd(DEMO_LAST_MONTH);
const REGION = '529901';

export type DemoScale = 'township' | 'county';

interface ScaleSpec {
  villages: number;
  households: number;
  sizes: readonly (readonly [number, number])[];
  caseRate: number;
  posts: number;
  sites: number;
  relocated: number;
  helpers: number;
}

const SCALES: Record<DemoScale, ScaleSpec> = {
  township: {
    villages: 12,
    households: 3000,
    sizes: [
      [1, 6],
      [2, 15],
      [3, 22],
      [4, 30],
      [5, 17],
      [6, 10],
    ],
    caseRate: 0.065,
    posts: 200,
    sites: 3,
    relocated: 400,
    helpers: 40,
  },
  county: {
    villages: 250,
    households: 100_000,
    sizes: [
      [1, 3],
      [2, 10],
      [3, 20],
      [4, 32],
      [5, 20],
      [6, 15],
    ],
    caseRate: 0.06,
    posts: 3000,
    sites: 20,
    relocated: 13_000,
    helpers: 600,
  },
};

const SURNAMES = [
  '王',
  '李',
  '张',
  '刘',
  '陈',
  '杨',
  '黄',
  '赵',
  '吴',
  '周',
  '徐',
  '孙',
  '马',
  '朱',
  '胡',
  '郭',
  '何',
  '罗',
  '高',
  '林',
  '梁',
  '宋',
  '郑',
  '谢',
  '韩',
  '唐',
  '冯',
  '曹',
  '彭',
  '曾',
  '田',
  '龙',
  '石',
  '杜',
  '潘',
  '袁',
  '蒋',
  '蔡',
  '余',
  '吕',
];
const GIVEN = [
  '国',
  '建',
  '明',
  '华',
  '平',
  '军',
  '文',
  '云',
  '海',
  '林',
  '芳',
  '秀',
  '英',
  '兰',
  '玉',
  '梅',
  '红',
  '丽',
  '春',
  '桂',
  '德',
  '志',
  '强',
  '勇',
  '俊',
  '婷',
  '静',
  '敏',
  '燕',
  '霞',
  '超',
  '涛',
  '鹏',
  '磊',
  '洋',
  '杰',
  '欣',
  '怡',
  '子',
  '浩',
];
const VILLAGE_NAMES = [
  '青山',
  '石桥',
  '河湾',
  '松林',
  '新寨',
  '龙井',
  '桃园',
  '白岩',
  '金竹',
  '红星',
  '平坝',
  '水口',
  '上坝',
  '下寨',
  '茶园',
  '高峰',
  '竹林',
  '凤凰',
  '长冲',
  '梨树',
];
const GROUP_NAMES = ['一组', '二组', '三组', '四组', '五组', '六组', '七组', '八组'];
const POST_NAMES = [
  '保洁员',
  '护路员',
  '护林员',
  '巡河员',
  '管水员',
  '治安巡防员',
  '护理员',
  '乡村振兴信息员',
  '光伏电站管理员',
  '寄递物流岗',
];
const HELPER_UNITS = [
  '县农业农村局',
  '县人社局',
  '县教育局',
  '县卫健局',
  '县住建局',
  '县水务局',
  '乡人民政府',
  '乡卫生院',
  '县供电所',
  '县信用联社',
];

/** Risk type → measure categories that answer it (domain.md §2.5 table). */
const RISK_MEASURES: Record<string, readonly string[]> = {
  因病: ['健康帮扶', '社会帮扶'],
  因残: ['综合保障', '社会帮扶'],
  因学: ['其他教育帮扶', '义务教育保障'],
  因安全住房: ['住房安全保障', '搬迁'],
  因安全饮水: ['饮水安全保障'],
  缺劳动力: ['综合保障', '公益岗位帮扶'],
  因务工就业不稳: ['就业帮扶'],
  因自然灾害: ['产业帮扶', '社会帮扶'],
  因意外事故: ['社会帮扶'],
  因产业项目失败: ['产业帮扶', '金融帮扶'],
};
const RISK_WEIGHTS = [
  ['因病', 35],
  ['因残', 14],
  ['因学', 10],
  ['缺劳动力', 10],
  ['因务工就业不稳', 12],
  ['因安全住房', 5],
  ['因自然灾害', 5],
  ['因意外事故', 5],
  ['因安全饮水', 2],
  ['因产业项目失败', 2],
] as const;

interface GenPerson {
  id: number;
  relation: string;
  gender: '男' | '女';
  birthDate: string;
  health: string;
  labourCapacity: string;
  schoolStatus: string | null;
  leftOn: string | null;
}

interface GenHousehold {
  id: number;
  villageIdx: number;
  poor: boolean;
  persons: GenPerson[];
  plannedRisks: string[] | null;
}

export interface DemoSummary {
  scale: DemoScale;
  /** Data-quality problems planted on purpose, by rule code (resources/README.md lists them). */
  planted: Record<string, number>;
  seed: number;
  villages: number;
  households: number;
  persons: number;
  cases: number;
  posts: number;
  placements: number;
  sites: number;
  relocatedHouseholds: number;
  employments: number;
  visits: number;
  measures: number;
}

export function generateDemo(raw: BetterSqlite3.Database, scale: DemoScale, seed: number): DemoSummary {
  const spec = SCALES[scale];
  const rnd = new Random(seed);
  const now = '2026-11-01T00:00:00.000Z';
  const existing = (raw.prepare('SELECT count(*) AS n FROM household').get() as { n: number }).n;
  if (existing > 0) throw new Error('demo data goes into an empty database only');

  const summary: DemoSummary = {
    scale,
    seed,
    planted: {},
    villages: spec.villages,
    households: spec.households,
    persons: 0,
    cases: 0,
    posts: 0,
    placements: 0,
    sites: spec.sites,
    relocatedHouseholds: 0,
    employments: 0,
    visits: 0,
    measures: 0,
  };

  const insert = (table: string, columns: string[]) => {
    const stmt = raw.prepare(
      `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
    );
    return (...values: unknown[]) => Number(stmt.run(...values).lastInsertRowid);
  };
  const setting = insert('setting', ['key', 'value']);
  const village = insert('village', ['code', 'name', 'sort_order', 'created_at', 'updated_at']);
  const group = insert('village_group', ['village_id', 'name']);
  const household = insert('household', [
    'hh_no',
    'village_id',
    'group_id',
    'address',
    'phone',
    'hh_type',
    'exited_poverty',
    'exit_year',
    'dibao',
    'tekun',
    'doudi',
    'military_family',
    'created_at',
    'updated_at',
  ]);
  const person = insert('person', [
    'household_id',
    'id_number',
    'name',
    'relation',
    'gender',
    'birth_date',
    'ethnicity',
    'politics',
    'education',
    'school_status',
    'health',
    'disability_category',
    'disability_grade',
    'labour_capacity',
    'work_months',
    'work_place',
    'med_resident',
    'med_employee',
    'serious_illness_ins',
    'pension_resident',
    'pension_employee',
    'dibao',
    'tekun',
    'phone',
    'left_on',
    'left_reason',
    'created_at',
    'updated_at',
  ]);
  const personEvent = insert('person_event', ['person_id', 'kind', 'effective_date', 'note', 'created_at']);
  const helper = insert('helper', ['name', 'gender', 'politics', 'unit', 'phone', 'created_at', 'updated_at']);
  const householdHelper = insert('household_helper', ['household_id', 'helper_id', 'start_date', 'end_date']);
  const mcase = insert('monitoring_case', [
    'household_id',
    'category',
    'channel',
    'channel_detail',
    'clue_date',
    'status',
    'stage',
    'round',
    'identified_on',
    'eliminated_on',
    'elimination_method',
    'rejected_on',
    'reject_reason',
    'previous_case_id',
    'note',
    'created_at',
    'updated_at',
  ]);
  const risk = insert('case_risk', ['case_id', 'seq', 'risk_type', 'detail']);
  const stage = insert('case_stage', ['case_id', 'round', 'stage', 'done_on', 'end_on', 'actor', 'note', 'created_at']);
  const event = insert('case_event', ['case_id', 'kind', 'effective_date', 'note']);
  const income = insert('income_snapshot', [
    'household_id',
    'case_id',
    'kind',
    'as_of',
    'members',
    'wage_fen',
    'business_fen',
    'property_fen',
    'transfer_fen',
    'business_cost_fen',
    'claims_fen',
    'compliant_oop_fen',
    'created_at',
    'updated_at',
  ]);
  const measure = insert('measure', [
    'household_id',
    'case_id',
    'category',
    'item',
    'start_date',
    'end_date',
    'amount_fen',
    'department',
    'funding_source',
    'implemented',
    'note',
    'created_at',
    'updated_at',
  ]);
  const visit = insert('visit', [
    'household_id',
    'helper_id',
    'visited_on',
    'method',
    'findings',
    'new_risk',
    'follow_up',
    'created_at',
    'updated_at',
  ]);
  const post = insert('post', [
    'name',
    'category',
    'department',
    'employer',
    'village_id',
    'work_form',
    'funding_source',
    'monthly_subsidy_fen',
    'required_days',
    'quota',
    'duties',
    'established_on',
    'created_at',
    'updated_at',
  ]);
  const placement = insert('placement', [
    'post_id',
    'person_id',
    'person_category',
    'agreement_type',
    'agreement_start',
    'agreement_end',
    'hired_on',
    'exit_on',
    'exit_reason',
    'bank_name',
    'bank_account',
    'notice_on',
    'created_at',
    'updated_at',
  ]);
  const attendance = insert('attendance', [
    'placement_id',
    'month',
    'required_days',
    'days',
    'monthly_subsidy_fen',
    'subsidy_fen',
    'deduction_fen',
    'created_at',
    'updated_at',
  ]);
  const payrollMonth = insert('payroll_month', ['month', 'generated_at', 'locked_at', 'locked_by']);
  const site = insert('relocation_site', [
    'name',
    'code',
    'village_id',
    'location',
    'method',
    'subtype',
    'batch_year',
    'built_on',
    'reported_households',
    'reported_persons',
    'facilities',
    'workshops',
    'industry_projects',
    'party_org',
    'resident_committee',
    'work_team',
    'created_at',
    'updated_at',
  ]);
  const relocated = insert('relocated_household', [
    'site_id',
    'household_id',
    'relocation_type',
    'relocation_year',
    'moved_in_on',
    'origin_address',
    'house_area_m2',
    'housing_subsidy_fen',
    'self_raised_fen',
    'property_certificate',
    'old_house_reclaimed',
    'reclaimed_on',
    'created_at',
    'updated_at',
  ]);
  const employment = insert('employment', [
    'person_id',
    'channel',
    'place',
    'employer',
    'job',
    'start_month',
    'end_month',
    'monthly_income_fen',
    'created_at',
    'updated_at',
  ]);
  const auditLog = insert('audit_log', ['at', 'actor', 'action', 'entity', 'entity_id', 'summary']);

  const usedIds = new Set<string>();
  const idNumber = (birth: string, gender: '男' | '女'): string => {
    const digits = birth.replaceAll('-', '');
    let seq = rnd.int(0, 499) * 2 + (gender === '男' ? 1 : 0);
    for (;;) {
      const first17 = `${REGION}${digits}${String(seq).padStart(3, '0')}`;
      const id = first17 + computeCheckChar(first17);
      if (!usedIds.has(id)) {
        usedIds.add(id);
        return id;
      }
      seq = (seq + 2) % 1000;
    }
  };
  const name = (surname?: string) =>
    (surname ?? rnd.pick(SURNAMES)) + rnd.pick(GIVEN) + (rnd.chance(0.7) ? rnd.pick(GIVEN) : '');
  const phone = () =>
    `1${rnd.pick(['3', '5', '8', '9'])}${rnd.int(0, 9)}${String(rnd.int(0, 99_999_999)).padStart(8, '0')}`;
  const birthForAge = (age: number) => addDays(`${2026 - age}-01-01`, -rnd.int(0, 364));
  const dateBetween = (from: string, to: string) => addDays(from, rnd.int(0, Math.max(0, daysBetween(from, to))));
  const thresholdFen = (year: number) =>
    [...DEFAULT_INCOME_THRESHOLDS].reverse().find((t) => t.year <= year)?.amountFen ?? 600_000;

  raw.transaction(() => {
    for (const [k, v] of Object.entries({
      townshipName: '示范镇（演示）',
      townshipCode: `${REGION}101000`,
      county: '演示县',
      province: '贵州省',
    }))
      setting(k, v);

    // Villages and groups
    const villageIds: number[] = [];
    const villageNames: string[] = [];
    const groupIds: number[][] = [];
    for (let i = 0; i < spec.villages; i++) {
      const base = VILLAGE_NAMES[i % VILLAGE_NAMES.length]!;
      const vname = `${base}村${i >= VILLAGE_NAMES.length ? Math.floor(i / VILLAGE_NAMES.length) + 1 : ''}`;
      const code = `${REGION}${String(101 + Math.floor(i / 20)).padStart(3, '0')}${String((i % 20) + 1).padStart(3, '0')}`;
      const vid = village(code, vname, i + 1, now, now);
      villageIds.push(vid);
      villageNames.push(vname);
      const groups: number[] = [];
      for (let g = 0; g < rnd.int(4, 8); g++) groups.push(group(vid, GROUP_NAMES[g]!));
      groupIds.push(groups);
    }

    // Households and persons
    const households: GenHousehold[] = [];
    for (let i = 0; i < spec.households; i++) {
      const villageIdx = Math.floor((i * spec.villages) / spec.households);
      const seqInVillage = i - Math.ceil((villageIdx * spec.households) / spec.villages) + 1;
      const poor = rnd.chance(0.25);
      const hhType = poor ? (rnd.chance(0.06) ? '脱贫不享受政策户' : '脱贫户') : '一般农户';
      const dibao = rnd.chance(poor ? 0.15 : 0.03) ? 1 : 0;
      const tekun = !dibao && rnd.chance(0.01) ? 1 : 0;
      const groupList = groupIds[villageIdx]!;
      const gIdx = rnd.int(0, groupList.length - 1);
      const hid = household(
        `${REGION}${String(villageIdx + 1).padStart(4, '0')}${String(seqInVillage).padStart(5, '0')}`,
        villageIds[villageIdx]!,
        groupList[gIdx]!,
        `${villageNames[villageIdx]}${GROUP_NAMES[gIdx]}${rnd.int(1, 120)}号`,
        rnd.chance(0.9) ? phone() : null,
        hhType,
        poor ? 1 : 0,
        poor ? rnd.int(2016, 2020) : null,
        dibao,
        tekun,
        dibao || tekun ? rnd.int(0, 1) : 0,
        rnd.chance(0.01) ? 1 : 0,
        now,
        now,
      );
      const plannedRisks = rnd.chance(poor ? spec.caseRate * 2 : spec.caseRate * 0.7) ? pickRisks(rnd) : null;
      const gh: GenHousehold = { id: hid, villageIdx, poor, persons: [], plannedRisks };
      households.push(gh);

      const size = rnd.weighted(spec.sizes);
      const surname = rnd.pick(SURNAMES);
      const headAge = size === 1 ? rnd.int(45, 85) : rnd.int(28, 75);
      const headGender: '男' | '女' = rnd.chance(0.82) ? '男' : '女';
      const plan: { relation: string; gender: '男' | '女'; age: number }[] = [
        { relation: '户主', gender: headGender, age: headAge },
      ];
      if (size >= 2)
        plan.push({
          relation: '配偶',
          gender: headGender === '男' ? '女' : '男',
          age: Math.max(20, headAge + rnd.int(-5, 3)),
        });
      while (plan.length < size) {
        const g: '男' | '女' = rnd.chance(0.52) ? '男' : '女';
        if (headAge < 48 && plan.length === 2 && rnd.chance(0.35) && headAge + 25 < 90) {
          plan.push({ relation: g === '男' ? '之父' : '之母', gender: g, age: headAge + rnd.int(22, 30) });
        } else if (headAge >= 55 && plan.length >= 4) {
          plan.push({
            relation: g === '男' ? '之孙子' : '之孙女',
            gender: g,
            age: rnd.int(1, Math.max(1, headAge - 45)),
          });
        } else {
          plan.push({ relation: g === '男' ? '之子' : '之女', gender: g, age: Math.max(0, headAge - rnd.int(20, 34)) });
        }
      }
      const needIll = plannedRisks?.includes('因病');
      const needDisabled = plannedRisks?.includes('因残');
      plan.forEach((p, idx) => {
        const birth = birthForAge(p.age);
        const age = ageOn(birth, DEMO_END);
        let health = rnd.weighted([
          ['健康', 85],
          ['长期慢性病', age > 50 ? 16 : 5],
          ['患大病', 2],
          ['残疾', 4],
        ] as const) as string;
        if (idx === 0 && needIll && health !== '患大病') health = rnd.chance(0.7) ? '长期慢性病' : '患大病';
        if (idx === plan.length - 1 && needDisabled) health = '残疾';
        const school = schoolStatus(age, rnd);
        const labour = labourCapacity(age, health, school, rnd);
        const education = educationFor(age, school, rnd);
        const working = labour === '普通劳动力' || labour === '技能劳动力';
        const medEmployee = age >= 18 && rnd.chance(0.02) ? 1 : 0;
        const left = idx > 0 && rnd.chance(0.01) ? dateBetween('2022-01-01', DEMO_END) : null;
        const leftReason = left ? (p.age > 70 ? '死亡' : rnd.pick(['迁出', '婚出'])) : null;
        const pid = person(
          hid,
          idNumber(birth, p.gender),
          idx === 0 || p.relation.startsWith('之子') || p.relation.startsWith('之女') || p.relation.startsWith('之孙')
            ? name(surname)
            : name(),
          p.relation,
          p.gender,
          birth,
          rnd.weighted([
            ['汉族', 60],
            ['布依族', 20],
            ['苗族', 15],
            ['仡佬族', 3],
            ['侗族', 2],
          ] as const),
          age >= 18 && rnd.chance(0.05) ? '中共党员' : '群众',
          education,
          school,
          health,
          health === '残疾' ? rnd.pick(['肢体', '视力', '听力', '智力']) : null,
          health === '残疾' ? rnd.pick(['二级', '三级', '四级']) : null,
          labour,
          working ? rnd.int(3, 12) : 0,
          working && rnd.chance(0.5) ? rnd.pick(['省外', '省内县外', '县内']) : null,
          medEmployee ? 0 : 1,
          medEmployee,
          1,
          age >= 16 && !school && !medEmployee ? 1 : 0,
          medEmployee,
          0,
          0,
          age >= 18 && rnd.chance(0.6) ? phone() : null,
          left,
          leftReason,
          now,
          now,
        );
        if (left) personEvent(pid, leftReason, left, null, now);
        gh.persons.push({
          id: pid,
          relation: p.relation,
          gender: p.gender,
          birthDate: birth,
          health,
          labourCapacity: labour,
          schoolStatus: school,
          leftOn: left,
        });
        summary.persons++;
      });
    }

    // Helpers (帮扶责任人)
    const helperIds: number[] = [];
    for (let i = 0; i < spec.helpers; i++) {
      helperIds.push(
        helper(
          name(),
          rnd.chance(0.6) ? '男' : '女',
          rnd.chance(0.7) ? '中共党员' : '群众',
          rnd.pick(HELPER_UNITS),
          phone(),
          now,
          now,
        ),
      );
    }

    // Monitoring cases with their whole timeline
    for (const gh of households) {
      if (gh.plannedRisks) {
        const present = gh.persons.filter((p) => !p.leftOn);
        const fits = (r: string) =>
          r === '因学'
            ? present.some((p) => p.schoolStatus)
            : r === '因务工就业不稳'
              ? present.some((p) => LABOUR_FORCE.includes(p.labourCapacity))
              : r === '因病'
                ? present.some((p) => p.health === '长期慢性病' || p.health === '患大病')
                : r === '因残'
                  ? present.some((p) => p.health === '残疾')
                  : true;
        gh.plannedRisks = gh.plannedRisks.filter(fits);
        if (gh.plannedRisks.length === 0) gh.plannedRisks = null;
      }
      if (!gh.plannedRisks) continue;
      summary.cases++;
      const category = gh.poor ? '脱贫不稳定户' : rnd.chance(0.8) ? '边缘易致贫户' : '突发严重困难户';
      const clue = dateBetween('2021-03-01', '2026-10-20');
      const members = gh.persons.filter((p) => !p.leftOn).length || 1;
      const helperId = rnd.pick(helperIds);
      const cid = mcase(
        gh.id,
        category,
        rnd.weighted([
          ['基层干部排查', 60],
          ['农户自主申报', 25],
          ['部门筛查预警', 15],
        ] as const),
        null,
        clue,
        '识别中',
        'clue',
        0,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        now,
        now,
      );
      gh.plannedRisks.forEach((r, i) => risk(cid, i + 1, r, r === '因自然灾害' ? '洪涝灾害' : null));
      stage(cid, 0, 'clue', clue, null, '村级信息员', null, now);
      // Within the 15-day limit: at most 2+1+2+1+(6)+2+1 days from clue to county approval.
      const steps: [string, number, number][] = [
        ['verify', 1, 2],
        ['compare', 1, 1],
        ['review', 1, 2],
        ['notice', 1, 1],
        ['town', 1, 2],
        ['county', 1, 1],
        ['announce', 1, 3],
        ['enter', 1, 5],
      ];
      let date = clue;
      let last = 'clue';
      let status = '识别中';
      let identifiedOn: string | null = null;
      const rejected = rnd.chance(0.05);
      for (const [code, lo, hi] of steps) {
        const next = addDays(date, rnd.int(lo, hi));
        const end = code === 'notice' ? addDays(next, rnd.int(5, 7) - 1) : null;
        if ((end ?? next) > DEMO_END) break;
        if (rejected && code === 'town') {
          stage(cid, 0, 'rejected', next, null, '乡镇审核组', '经核实家庭收入高于监测范围', now);
          event(cid, 'rejected', next, '经核实家庭收入高于监测范围');
          status = '已否决';
          last = 'rejected';
          raw
            .prepare(
              'UPDATE monitoring_case SET status = ?, stage = ?, rejected_on = ?, reject_reason = ? WHERE id = ?',
            )
            .run(status, last, next, '经核实家庭收入高于监测范围', cid);
          break;
        }
        stage(
          cid,
          0,
          code,
          next,
          end,
          code === 'county' ? '县乡村振兴局' : code === 'town' ? '乡镇审核组' : '村两委',
          null,
          now,
        );
        date = end ?? next;
        last = code;
        if (code === 'verify') {
          const perCap = Math.round(
            thresholdFen(Number(next.slice(0, 4))) * (rejected ? 1.05 + rnd.next() * 0.3 : 0.45 + rnd.next() * 0.45),
          );
          addIncome(gh.id, cid, '识别时', next, members, perCap, gh.plannedRisks.includes('因病'));
        }
        if (code === 'county') {
          status = '监测中';
          identifiedOn = next;
          event(cid, 'identified', next, null);
        }
      }
      raw
        .prepare('UPDATE monitoring_case SET status = ?, stage = ?, identified_on = ? WHERE id = ?')
        .run(status, last, identifiedOn, cid);
      if (!identifiedOn) continue;

      householdHelper(gh.id, helperId, identifiedOn, null);
      // Measures answering each risk
      for (const r of gh.plannedRisks) {
        const category = rnd.pick(RISK_MEASURES[r] ?? ['社会帮扶']);
        measure(
          gh.id,
          cid,
          category,
          null,
          addDays(identifiedOn, rnd.int(1, 30)),
          null,
          rnd.int(5, 300) * 10_000,
          null,
          null,
          1,
          null,
          now,
          now,
        );
        summary.measures++;
      }
      if (rnd.chance(0.4)) {
        measure(
          gh.id,
          cid,
          rnd.pick([
            '产业帮扶',
            '就业帮扶',
            '金融帮扶',
          ] as const satisfies readonly (typeof MEASURE_CATEGORIES)[number][]),
          null,
          addDays(identifiedOn, rnd.int(10, 60)),
          null,
          rnd.int(10, 500) * 10_000,
          null,
          null,
          1,
          null,
          now,
          now,
        );
        summary.measures++;
      }

      // Elimination for some households with labour, identified long enough ago
      const hasLabour = gh.persons.some(
        (p) => !p.leftOn && ['普通劳动力', '技能劳动力', '弱劳动力或半劳动力'].includes(p.labourCapacity),
      );
      let monitoredUntil = DEMO_END;
      if (last === 'enter' && hasLabour && rnd.chance(0.6)) {
        const start = addDays(date, rnd.int(200, 900));
        const estages: [string, number, number][] = [
          ['e_verify', 0, 0],
          ['e_review', 1, 3],
          ['e_notice', 1, 2],
          ['e_town', 1, 3],
          ['e_county', 1, 3],
          ['e_mark', 1, 5],
        ];
        let d = start;
        let elast = '';
        let eliminatedOn: string | null = null;
        const method = rnd.chance(0.85) ? '帮扶消除' : '自然消除';
        for (const [code, lo, hi] of estages) {
          const next = code === 'e_verify' ? d : addDays(d, rnd.int(lo, hi));
          const end = code === 'e_notice' ? addDays(next, 6) : null;
          if ((end ?? next) > DEMO_END) break;
          if (code === 'e_verify') {
            const perCap = Math.round(thresholdFen(Number(next.slice(0, 4))) * (1.15 + rnd.next() * 0.8));
            addIncome(gh.id, cid, '消除时', next, members, perCap, false);
          }
          stage(
            cid,
            1,
            code,
            next,
            end,
            code === 'e_verify' ? `${name()}、${name()}` : code === 'e_county' ? '县乡村振兴局' : '乡镇审核组',
            null,
            now,
          );
          d = end ?? next;
          elast = code;
          if (code === 'e_county') {
            eliminatedOn = next;
            event(cid, 'eliminated', next, method);
          }
        }
        if (elast) {
          raw
            .prepare(
              'UPDATE monitoring_case SET status = ?, stage = ?, round = 1, eliminated_on = ?, elimination_method = ? WHERE id = ?',
            )
            .run(eliminatedOn ? '已消除' : '消除中', elast, eliminatedOn, method, cid);
          if (eliminatedOn) monitoredUntil = eliminatedOn;
          // A few eliminations are rolled back (§3.4)
          if (eliminatedOn && elast === 'e_mark' && rnd.chance(0.04)) {
            const back = addDays(d, rnd.int(30, 200));
            if (back <= DEMO_END) {
              stage(cid, 1, 'rollback', back, null, '乡镇审核组', '家庭成员患大病，收入不稳定', now);
              event(cid, 'rolled_back', back, '家庭成员患大病，收入不稳定');
              raw
                .prepare(
                  "UPDATE monitoring_case SET status = '监测中', stage = 'rollback', eliminated_on = NULL, elimination_method = NULL WHERE id = ?",
                )
                .run(cid);
              monitoredUntil = DEMO_END;
            }
          }
        }
      }
      // Visits: roughly every one to two months while monitored
      for (let v = addDays(identifiedOn, rnd.int(5, 30)); v <= monitoredUntil; v = addDays(v, rnd.int(25, 60))) {
        visit(
          gh.id,
          helperId,
          v,
          rnd.weighted([
            ['入户', 70],
            ['电话', 20],
            ['微信', 10],
          ] as const),
          '了解家庭收入和“三保障”情况，无新增风险',
          0,
          null,
          now,
          now,
        );
        summary.visits++;
      }
    }

    // Public-welfare posts with holders, 12 months of attendance and payroll
    const firstMonth = addMonths(DEMO_LAST_MONTH, -11);
    const candidates = households
      .filter((h) => h.poor || h.plannedRisks)
      .flatMap((h) =>
        h.persons
          .filter((p) => !p.leftOn && (p.labourCapacity === '弱劳动力或半劳动力' || p.labourCapacity === '普通劳动力'))
          .slice(0, 1)
          .map((p) => ({ h, p })),
      )
      .filter(({ p }) => {
        const age = ageOn(p.birthDate, `${firstMonth}-01`);
        return age >= 20 && age <= 58;
      });
    let candidate = 0;
    const nextHolder = () => candidates[candidate++ % Math.max(1, candidates.length)];
    for (let i = 0; i < spec.posts && candidates.length > 0; i++) {
      const pname = POST_NAMES[i % POST_NAMES.length]!;
      const department = rnd.chance(0.7) ? '人社部门' : '农业农村部门';
      const monthly = rnd.pick([50_000, 60_000, 80_000]);
      const vIdx = i % spec.villages;
      const pid = post(
        pname,
        pname === '乡村振兴信息员' ? '技术技能岗位' : '普通岗位',
        department,
        `${villageNames[vIdx]}村民委员会`,
        villageIds[vIdx]!,
        '非全日制',
        department === '人社部门' ? '就业补助资金' : '衔接推进乡村振兴补助资金',
        monthly,
        30,
        1,
        null,
        '2023-01-01',
        now,
        now,
      );
      summary.posts++;
      let holder = nextHolder()!;
      let hired = dateBetween('2023-03-01', `${firstMonth}-01`);
      const agreementStart = `${hired.slice(0, 4)}-01-01`;
      let exitOn: string | null = rnd.chance(0.08)
        ? dateBetween(`${addMonths(firstMonth, 2)}-01`, `${addMonths(DEMO_LAST_MONTH, -2)}-28`)
        : null;
      const plIds: { id: number; hired: string; exit: string | null }[] = [];
      for (let round = 0; round < 2; round++) {
        const plId = placement(
          pid,
          holder.p.id,
          holder.h.poor ? '脱贫劳动力' : '监测对象劳动力',
          '劳务协议',
          round === 0 ? agreementStart : hired,
          '2026-12-31',
          hired,
          exitOn,
          exitOn ? rnd.pick(['本人自愿退出', '已实现稳定就业（含长期外出务工）']) : null,
          '县农村信用合作联社',
          `6217${String(rnd.int(0, 999_999_999)).padStart(9, '0')}${String(rnd.int(0, 999_999)).padStart(6, '0')}`,
          addDays(hired, -10),
          now,
          now,
        );
        summary.placements++;
        plIds.push({ id: plId, hired, exit: exitOn });
        if (!exitOn) break;
        holder = nextHolder()!;
        hired = addDays(exitOn, rnd.int(5, 20));
        exitOn = null;
      }
      for (let m = firstMonth; m <= DEMO_LAST_MONTH; m = addMonths(m, 1)) {
        for (const pl of plIds) {
          if (pl.hired > monthEnd(m) || (pl.exit && pl.exit <= monthStart(m))) continue;
          const days = Math.min(monthDays(m), rnd.chance(0.85) ? 30 : rnd.int(20, 29));
          attendance(pl.id, m, 30, days, monthly, proRataSubsidyFen(monthly, 30, days), 0, now, now);
        }
      }
    }
    for (let m = firstMonth; m <= DEMO_LAST_MONTH; m = addMonths(m, 1)) {
      payrollMonth(m, now, m < DEMO_LAST_MONTH ? now : null, m < DEMO_LAST_MONTH ? '演示数据' : null);
    }

    // Relocation sites, relocated households, employment of their labour
    const siteDefs = [
      ['幸福社区安置点', '城镇(县城/集镇)安置'],
      ['新民安置点', '中心村/移民新村安置'],
      ['园区安置点', '产业园区安置'],
      ['阳光安置点', '城镇(县城/集镇)安置'],
    ] as const;
    const siteIds: number[] = [];
    for (let s = 0; s < spec.sites; s++) {
      const [sname, subtype] = siteDefs[s % siteDefs.length]!;
      siteIds.push(
        site(
          spec.sites > siteDefs.length ? `${sname}${Math.floor(s / siteDefs.length) + 1}` : sname,
          `AZD${String(s + 1).padStart(3, '0')}`,
          villageIds[s % spec.villages]!,
          `${villageNames[s % spec.villages]}`,
          '集中安置',
          subtype,
          rnd.int(2017, 2019),
          `${rnd.int(2017, 2019)}-${String(rnd.int(1, 12)).padStart(2, '0')}-15`,
          null,
          null,
          JSON.stringify(['幼儿园', '小学', '卫生室', '社区综合服务中心', '帮扶车间'].slice(0, rnd.int(2, 5))),
          rnd.int(1, 4),
          rnd.int(0, 3),
          1,
          1,
          '县派驻点工作队',
          now,
          now,
        ),
      );
    }
    const movers = households
      .filter((h) => h.poor)
      .concat(households.filter((h) => !h.poor))
      .slice(0, spec.relocated);
    const perSite = new Map<number, { h: number; p: number }>();
    for (const [i, gh] of movers.entries()) {
      const siteId = siteIds[i % siteIds.length]!;
      const members = gh.persons.filter((p) => !p.leftOn).length;
      const moved = dateBetween('2019-06-01', '2020-12-31');
      relocated(
        siteId,
        gh.id,
        gh.poor ? '建档立卡' : '同步搬迁',
        Number(moved.slice(0, 4)),
        moved,
        `${villageNames[gh.villageIdx]}原址`,
        Math.max(25, members * 20),
        members * 2_000_000,
        rnd.int(0, 10) * 100_000,
        rnd.chance(0.9) ? 1 : 0,
        rnd.chance(0.85) ? 1 : 0,
        null,
        now,
        now,
      );
      summary.relocatedHouseholds++;
      const t = perSite.get(siteId) ?? { h: 0, p: 0 };
      perSite.set(siteId, { h: t.h + 1, p: t.p + members });
      // A planted few zero-employment households (rule BQ01); everyone else has someone in work.
      const labourHere = gh.persons.some(
        (p) =>
          !p.leftOn &&
          !p.schoolStatus &&
          LABOUR_FORCE.includes(p.labourCapacity) &&
          ageOn(p.birthDate, DEMO_END) >= 16 &&
          ageOn(p.birthDate, DEMO_END) <= 60,
      );
      const zeroEmployment = labourHere && i % 50 === 7;
      if (zeroEmployment) plant('BQ01');
      let employedHere = false;
      for (const p of gh.persons) {
        const age = ageOn(p.birthDate, DEMO_END);
        if (
          p.leftOn ||
          age < 16 ||
          age > 60 ||
          p.schoolStatus ||
          !['普通劳动力', '技能劳动力', '弱劳动力或半劳动力'].includes(p.labourCapacity)
        )
          continue;
        if (zeroEmployment) continue;
        if (!rnd.chance(0.9) && employedHere) continue;
        const extraJob = employedHere;
        employedHere = true;
        const channel = rnd.weighted([
          ['省外务工', 30],
          ['省内县外务工', 15],
          ['县内务工', 20],
          ['公益性岗位', 5],
          ['帮扶车间', 12],
          ['以工代赈', 3],
          ['自主创业', 5],
          ['灵活就业', 10],
        ] as const);
        const start = `${rnd.int(2020, 2026)}-${String(rnd.int(1, 12)).padStart(2, '0')}`;
        const startMonth = start > DEMO_LAST_MONTH ? DEMO_LAST_MONTH : start;
        // Only extra jobs end: the first job of each household runs on, so nobody becomes zero-employment by chance.
        const ended = extraJob && rnd.chance(0.1) ? addMonths(startMonth, rnd.int(2, 18)) : null;
        employment(
          p.id,
          channel,
          channel === '省外务工' ? rnd.pick(['广东省', '浙江省', '福建省']) : '本县',
          null,
          null,
          startMonth,
          ended && ended <= DEMO_LAST_MONTH ? ended : null,
          rnd.int(20, 60) * 10_000,
          now,
          now,
        );
        summary.employments++;
      }
    }
    // Reported counts as entered by the site (match the linked households)
    for (const [siteId, t] of perSite)
      raw
        .prepare('UPDATE relocation_site SET reported_households = ?, reported_persons = ? WHERE id = ?')
        .run(t.h, t.p, siteId);

    plantProblems(households);
    auditLog(
      now,
      '演示数据',
      '生成演示数据',
      '数据库',
      null,
      `生成演示数据（${scale === 'township' ? '乡镇' : '县级'}规模，种子 ${seed}）`,
    );
  })();

  function plant(rule: string, n = 1) {
    summary.planted[rule] = (summary.planted[rule] ?? 0) + n;
  }

  /**
   * The mistakes townships typically make, planted in households that nothing else touches (no case, not
   * relocated, no post) so that each shows up under exactly one rule: the 数据校验 page is never empty, and
   * `check --rules` must find exactly these.
   */
  function plantProblems(households: GenHousehold[]) {
    const busy = new Set<number>([
      ...(
        raw
          .prepare(
            'SELECT household_id AS h FROM monitoring_case UNION SELECT household_id FROM relocated_household UNION SELECT pe.household_id FROM placement pl JOIN person pe ON pe.id = pl.person_id',
          )
          .all() as { h: number }[]
      ).map((r) => r.h),
    ]);
    const quiet = households.filter((h) => !busy.has(h.id));
    const people = quiet.flatMap((h) => h.persons.filter((p) => !p.leftOn).map((p) => ({ ...p, household: h })));
    const every = <T>(list: T[], n: number) =>
      Array.from({ length: Math.min(n, list.length) }, (_, k) => list[Math.floor((k * list.length) / n)]!);
    const scaled = (n: number) => (scale === 'county' ? n * 10 : n);
    const update = (sqlText: string, ids: number[]) => {
      const stmt = raw.prepare(sqlText);
      for (const id of ids) stmt.run(id);
      return ids.length;
    };
    const used = new Set<number>();
    const take = (list: typeof people, n: number) => {
      const picked = every(
        list.filter((p) => !used.has(p.household.id)),
        n,
      );
      for (const p of picked) used.add(p.household.id);
      return picked.map((p) => p.id);
    };
    plant('RY12', update('UPDATE person SET med_resident = 0, med_employee = 0 WHERE id = ?', take(people, scaled(6))));
    plant(
      'RY15',
      update(
        'UPDATE person SET phone = substr(phone, 1, 10) WHERE id = ?',
        take(
          people.filter((p) => p.relation === '户主'),
          scaled(3),
        ).filter(
          (id) =>
            (raw.prepare('SELECT phone FROM person WHERE id = ?').get(id) as { phone: string | null }).phone !== null,
        ),
      ),
    );
    plant(
      'RY04',
      update(
        "UPDATE person SET relation = '之子' WHERE id = ?",
        take(
          people.filter((p) => p.relation === '之女'),
          scaled(2),
        ),
      ),
    );
    const healthyAdult = people.filter(
      (p) =>
        p.health === '健康' &&
        !p.schoolStatus &&
        p.labourCapacity === '普通劳动力' &&
        ageOn(p.birthDate, DEMO_END) >= 25 &&
        ageOn(p.birthDate, DEMO_END) <= 50,
    );
    plant(
      'RY08',
      update(
        "UPDATE person SET labour_capacity = '无劳动力', work_months = 0, work_place = NULL WHERE id = ?",
        take(healthyAdult, scaled(4)),
      ),
    );
    const heads = take(
      people.filter((p) => p.relation === '户主' && p.household.persons.filter((x) => !x.leftOn).length >= 2),
      scaled(1),
    );
    plant('NH01', update("UPDATE person SET relation = '其他' WHERE id = ?", heads));
    const att = raw
      .prepare('SELECT id FROM attendance WHERE month = ? AND days > 0 ORDER BY id LIMIT 1')
      .get(DEMO_LAST_MONTH) as { id: number } | undefined;
    if (att) plant('GW07', update('UPDATE attendance SET subsidy_fen = subsidy_fen + 5000 WHERE id = ?', [att.id]));
    const site = raw.prepare('SELECT max(id) AS id FROM relocation_site').get() as { id: number | null };
    if (site.id)
      plant(
        'BQ02',
        update('UPDATE relocation_site SET reported_households = reported_households + 2 WHERE id = ?', [site.id]),
      );
  }

  function addIncome(
    householdId: number,
    caseId: number,
    kind: string,
    asOf: string,
    members: number,
    perCapitaFen: number,
    ill: boolean,
  ) {
    const net = perCapitaFen * members;
    const wage = Math.round(net * 0.55);
    const business = Math.round(net * 0.2);
    const property = Math.round(net * 0.05);
    const cost = Math.round(net * 0.05);
    const transfer = net - wage - business - property + cost;
    income(
      householdId,
      caseId,
      kind,
      asOf,
      members,
      wage,
      business,
      property,
      transfer,
      cost,
      0,
      ill ? rnd.int(50, 400) * 10_000 : 0,
      now,
      now,
    );
  }

  return summary;
}

const LABOUR_FORCE = ['普通劳动力', '技能劳动力', '弱劳动力或半劳动力'];

function pickRisks(rnd: Random): string[] {
  const n = rnd.weighted([
    [1, 60],
    [2, 30],
    [3, 10],
  ] as const);
  const risks = new Set<string>();
  while (risks.size < n) risks.add(rnd.weighted(RISK_WEIGHTS));
  return [...risks];
}

function schoolStatus(age: number, rnd: Random): string | null {
  if (age >= 3 && age <= 5) return '学前教育';
  if (age >= 6 && age <= 11) return `小学${'一二三四五六'[age - 6]}年级`;
  if (age >= 12 && age <= 14) return ['七年级', '八年级', '九年级'][age - 12]!;
  if (age >= 15 && age <= 17)
    return rnd.chance(0.85) ? `${rnd.chance(0.7) ? '普通高中' : '中职'}${'一二三'[age - 15]}年级` : null;
  if (age >= 18 && age <= 21) return rnd.chance(0.3) ? `高职高专${'一二三'[Math.min(2, age - 18)]}年级` : null;
  return null;
}

function labourCapacity(age: number, health: string, school: string | null, rnd: Random): string {
  if (age < 16 || school) return '无劳动力';
  if (health === '患大病') return '丧失劳动力';
  if (health === '残疾') return rnd.chance(0.5) ? '弱劳动力或半劳动力' : '丧失劳动力';
  if (age > 70) return '无劳动力';
  if (age > 60 || health === '长期慢性病') return '弱劳动力或半劳动力';
  return rnd.chance(0.2) ? '技能劳动力' : '普通劳动力';
}

function educationFor(age: number, school: string | null, rnd: Random): string {
  if (age < 6) return '学龄前儿童';
  if (school?.startsWith('小学')) return '小学';
  if (school && /[七八九]年级/.test(school)) return '初中';
  if (school?.startsWith('普通高中') || school?.startsWith('中职')) return '初中';
  if (school?.startsWith('高职高专')) return '高中';
  if (age > 65)
    return rnd.weighted([
      ['文盲或半文盲', 40],
      ['小学', 50],
      ['初中', 10],
    ] as const);
  if (age <= 22)
    return rnd.weighted([
      ['初中', 55],
      ['高中', 20],
      ['中专/中职', 15],
      ['大专', 7],
      ['本科及以上', 3],
    ] as const);
  return rnd.weighted([
    ['小学', 25],
    ['初中', 45],
    ['高中', 15],
    ['中专/中职', 8],
    ['大专', 5],
    ['本科及以上', 2],
  ] as const);
}
