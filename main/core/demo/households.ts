/**
 * Villages, households and their members: the population every other part of the demo works on. A household's
 * planned risks are drawn here, with its members, because members are shaped to fit them (someone ill for 因病,
 * someone disabled for 因残); the monitoring case itself is opened later, in cases.ts.
 */
import { ageOn } from '../../../shared/dates.ts';
import {
  DEMO_END,
  DEMO_NOW as now,
  type DemoContext,
  type DemoVillages,
  type GenHousehold,
  type GenPerson,
  REGION,
} from './context.ts';
import type { NewPerson } from '../domain/register.ts';
import { SCHOOL_STATUSES } from '../../../shared/catalogs.ts';
import { GROUP_NAMES, SURNAMES, VILLAGE_NAMES } from './names.ts';
import { type Random } from './random.ts';

const VILLAGE_COLUMNS = ['code', 'name', 'sort_order', 'created_at', 'updated_at'];
const GROUP_COLUMNS = ['village_id', 'name'];

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

/** A member to be generated: relation, gender and age in the demo year. */
type Known<K extends keyof NewPerson> = Exclude<NewPerson[K], undefined>;

interface MemberPlan {
  relation: Known<'relation'>;
  gender: '男' | '女';
  age: number;
}

/** What a household's members share when they are generated one by one. */
interface MemberContext {
  household: GenHousehold;
  surname: string;
  size: number;
  needIll: boolean;
  needDisabled: boolean;
}

export function generateVillages(ctx: DemoContext): DemoVillages {
  const { rnd, spec } = ctx;
  const village = ctx.insert('village', VILLAGE_COLUMNS);
  const group = ctx.insert('village_group', GROUP_COLUMNS);
  const villages: DemoVillages = { ids: [], names: [], groupIds: [] };
  for (let i = 0; i < spec.villages; i++) {
    const base = VILLAGE_NAMES[i % VILLAGE_NAMES.length]!;
    const vname = `${base}村${i >= VILLAGE_NAMES.length ? Math.floor(i / VILLAGE_NAMES.length) + 1 : ''}`;
    const code = `${REGION}${String(101 + Math.floor(i / 20)).padStart(3, '0')}${String((i % 20) + 1).padStart(3, '0')}`;
    const vid = village(code, vname, i + 1, now, now);
    villages.ids.push(vid);
    villages.names.push(vname);
    const groups: number[] = [];
    // The bound is drawn again at every test of the loop condition: part of the demo's draw order, keep it.
    for (let g = 0; g < rnd.int(4, 8); g++) groups.push(group(vid, GROUP_NAMES[g]!));
    villages.groupIds.push(groups);
  }
  return villages;
}

export function generateHouseholds(ctx: DemoContext, villages: DemoVillages): GenHousehold[] {
  const households: GenHousehold[] = [];
  for (let i = 0; i < ctx.spec.households; i++) {
    const gh = insertHousehold(ctx, villages, i);
    households.push(gh);
    generateMembers(ctx, gh);
  }
  return households;
}

/** The household row, numbered within its village, and the risks a case will later be opened for. */
function insertHousehold(ctx: DemoContext, villages: DemoVillages, i: number): GenHousehold {
  const { rnd, spec } = ctx;
  const villageIdx = Math.floor((i * spec.villages) / spec.households);
  const seqInVillage = i - Math.ceil((villageIdx * spec.households) / spec.villages) + 1;
  const poor = rnd.chance(0.25);
  const hhType = poor ? (rnd.chance(0.06) ? '脱贫不享受政策户' : '脱贫户') : '一般农户';
  const dibao = rnd.chance(poor ? 0.15 : 0.03) ? 1 : 0;
  const tekun = !dibao && rnd.chance(0.01) ? 1 : 0;
  const groupList = villages.groupIds[villageIdx]!;
  const gIdx = rnd.int(0, groupList.length - 1);
  // Property order is the order of the random draws: keep it (see context.ts).
  const hid = ctx.register.addHousehold(
    {
      hhNo: `${REGION}${String(villageIdx + 1).padStart(4, '0')}${String(seqInVillage).padStart(5, '0')}`,
      villageId: villages.ids[villageIdx]!,
      groupId: groupList[gIdx]!,
      address: `${villages.names[villageIdx]}${GROUP_NAMES[gIdx]}${rnd.int(1, 120)}号`,
      phone: rnd.chance(0.9) ? ctx.phone() : null,
      hhType,
      exitedPoverty: poor ? 1 : 0,
      exitYear: poor ? rnd.int(2016, 2020) : null,
      dibao,
      tekun,
      doudi: dibao || tekun ? (rnd.int(0, 1) as 0 | 1) : 0,
      militaryFamily: rnd.chance(0.01) ? 1 : 0,
    },
    // A demo household exists since before the records begin, like one registered in the national system.
    null,
  );
  const plannedRisks = rnd.chance(poor ? spec.caseRate * 2 : spec.caseRate * 0.7) ? pickRisks(rnd) : null;
  return { id: hid, villageIdx, poor, persons: [], plannedRisks };
}

function generateMembers(ctx: DemoContext, gh: GenHousehold): void {
  const { rnd } = ctx;
  const size = rnd.weighted(ctx.spec.sizes);
  const surname = rnd.pick(SURNAMES);
  const plan = planMembers(rnd, size);
  const members: MemberContext = {
    household: gh,
    surname,
    size: plan.length,
    needIll: gh.plannedRisks?.includes('因病') ?? false,
    needDisabled: gh.plannedRisks?.includes('因残') ?? false,
  };
  plan.forEach((p, idx) => {
    gh.persons.push(insertPerson(ctx, members, p, idx));
    ctx.summary.persons++;
  });
}

/** Head first, then spouse, then parents, children or grandchildren as the head's age allows. */
function planMembers(rnd: Random, size: number): MemberPlan[] {
  const headAge = size === 1 ? rnd.int(45, 85) : rnd.int(28, 75);
  const headGender: '男' | '女' = rnd.chance(0.82) ? '男' : '女';
  const plan: MemberPlan[] = [{ relation: '户主', gender: headGender, age: headAge }];
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
  return plan;
}

/** One member's row (28 columns, hence the length) and, if they left the household, the event recording it. */
function insertPerson(ctx: DemoContext, members: MemberContext, p: MemberPlan, idx: number): GenPerson {
  const { rnd } = ctx;
  const birth = ctx.birthForAge(p.age);
  const age = ageOn(birth, DEMO_END);
  const health = memberHealth(rnd, age, idx === 0 && members.needIll, idx === members.size - 1 && members.needDisabled);
  const school = schoolStatus(age, rnd);
  const labour = labourCapacity(age, health, school, rnd);
  const education = educationFor(age, school, rnd);
  const working = labour === '普通劳动力' || labour === '技能劳动力';
  const medEmployee = age >= 18 && rnd.chance(0.02) ? 1 : 0;
  const left = idx > 0 && rnd.chance(0.01) ? ctx.dateBetween('2022-01-01', DEMO_END) : null;
  const leftReason = left ? (p.age > 70 ? '死亡' : rnd.pick(['迁出', '婚出'])) : null;
  // Property order is the order of the random draws: keep it (see context.ts).
  const pid = ctx.register.addPerson({
    householdId: members.household.id,
    idNumber: ctx.idNumber(birth, p.gender),
    name:
      idx === 0 || p.relation.startsWith('之子') || p.relation.startsWith('之女') || p.relation.startsWith('之孙')
        ? ctx.name(members.surname)
        : ctx.name(),
    relation: p.relation,
    gender: p.gender,
    ethnicity: rnd.weighted([
      ['汉族', 60],
      ['布依族', 20],
      ['苗族', 15],
      ['仡佬族', 3],
      ['侗族', 2],
    ] as const),
    politics: age >= 18 && rnd.chance(0.05) ? '中共党员' : '群众',
    education,
    schoolStatus: school,
    health,
    disabilityCategory: health === '残疾' ? rnd.pick(['肢体', '视力', '听力', '智力'] as const) : null,
    disabilityGrade: health === '残疾' ? rnd.pick(['二级', '三级', '四级'] as const) : null,
    labourCapacity: labour,
    workMonths: working ? rnd.int(3, 12) : 0,
    workPlace: working && rnd.chance(0.5) ? rnd.pick(['省外', '省内县外', '县内']) : null,
    medResident: medEmployee ? 0 : 1,
    medEmployee,
    seriousIllnessIns: 1,
    pensionResident: age >= 16 && !school && !medEmployee ? 1 : 0,
    pensionEmployee: medEmployee,
    dibao: 0,
    tekun: 0,
    phone: age >= 18 && rnd.chance(0.6) ? ctx.phone() : null,
  });
  if (left && leftReason) {
    ctx.register.updatePerson(pid, { leftOn: left, leftReason });
    ctx.register.recordPersonEvent(pid, leftReason, left);
  }
  return {
    id: pid,
    relation: p.relation,
    gender: p.gender,
    birthDate: birth,
    health,
    labourCapacity: labour,
    schoolStatus: school,
    leftOn: left,
  };
}

/** Health by age; the head is made ill and the last member disabled when the planned risks call for it. */
function memberHealth(rnd: Random, age: number, makeIll: boolean, makeDisabled: boolean): NonNullable<Known<'health'>> {
  let health: NonNullable<Known<'health'>> = rnd.weighted([
    ['健康', 85],
    ['长期慢性病', age > 50 ? 16 : 5],
    ['患大病', 2],
    ['残疾', 4],
  ] as const);
  if (makeIll && health !== '患大病') health = rnd.chance(0.7) ? '长期慢性病' : '患大病';
  if (makeDisabled) health = '残疾';
  return health;
}

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

function schoolStatus(age: number, rnd: Random): Known<'schoolStatus'> {
  const grade = (text: string) => {
    const status = SCHOOL_STATUSES.find((s) => s === text);
    if (!status) throw new Error(`not a school status: ${text}`);
    return status;
  };
  if (age >= 3 && age <= 5) return '学前教育';
  if (age >= 6 && age <= 11) return grade(`小学${'一二三四五六'[age - 6]}年级`);
  if (age >= 12 && age <= 14) return grade(['七年级', '八年级', '九年级'][age - 12]!);
  if (age >= 15 && age <= 17)
    return rnd.chance(0.85) ? grade(`${rnd.chance(0.7) ? '普通高中' : '中职'}${'一二三'[age - 15]}年级`) : null;
  if (age >= 18 && age <= 21) return rnd.chance(0.3) ? grade(`高职高专${'一二三'[Math.min(2, age - 18)]}年级`) : null;
  return null;
}

function labourCapacity(
  age: number,
  health: string,
  school: string | null,
  rnd: Random,
): NonNullable<Known<'labourCapacity'>> {
  if (age < 16 || school) return '无劳动力';
  if (health === '患大病') return '丧失劳动力';
  if (health === '残疾') return rnd.chance(0.5) ? '弱劳动力或半劳动力' : '丧失劳动力';
  if (age > 70) return '无劳动力';
  if (age > 60 || health === '长期慢性病') return '弱劳动力或半劳动力';
  return rnd.chance(0.2) ? '技能劳动力' : '普通劳动力';
}

function educationFor(age: number, school: string | null, rnd: Random): NonNullable<Known<'education'>> {
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
