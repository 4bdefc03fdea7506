/**
 * Monitoring cases with their whole timeline: clue, the identification stages within the 15-day limit, the
 * measures answering each risk, elimination for some, a few rolled back, and the helpers' visits while a
 * household is monitored. Every case goes through the same stages the services enforce, so the demo shows
 * what a township's ledger looks like after years of correct work (planted mistakes are elsewhere).
 */
import type { CaseStatus } from '../../../shared/types.ts';
import { type MEASURE_CATEGORIES } from '../../../shared/catalogs.ts';
import { addDays } from '../../../shared/dates.ts';
import {
  DEMO_END,
  DEMO_NOW as now,
  type DemoContext,
  type GenHousehold,
  LABOUR_FORCE,
  thresholdFen,
} from './context.ts';

const HELPER_COLUMNS = ['name', 'gender', 'politics', 'unit', 'phone', 'created_at', 'updated_at'];
const HOUSEHOLD_HELPER_COLUMNS = ['household_id', 'helper_id', 'start_date', 'end_date'];
const INCOME_COLUMNS = [
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
];
const MEASURE_COLUMNS = [
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
];
const VISIT_COLUMNS = [
  'household_id',
  'helper_id',
  'visited_on',
  'method',
  'findings',
  'new_risk',
  'follow_up',
  'created_at',
  'updated_at',
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

/** Within the 15-day limit: at most 2+1+2+1+(6)+2+1 days from clue to county approval. */
const IDENTIFICATION_STEPS: readonly [string, number, number][] = [
  ['verify', 1, 2],
  ['compare', 1, 1],
  ['review', 1, 2],
  ['notice', 1, 1],
  ['town', 1, 2],
  ['county', 1, 1],
  ['announce', 1, 3],
  ['enter', 1, 5],
];
const ELIMINATION_STEPS: readonly [string, number, number][] = [
  ['e_verify', 0, 0],
  ['e_review', 1, 3],
  ['e_notice', 1, 2],
  ['e_town', 1, 3],
  ['e_county', 1, 3],
  ['e_mark', 1, 5],
];
const REJECT_REASON = '经核实家庭收入高于监测范围';
const ROLLBACK_REASON = '家庭成员患大病，收入不稳定';

/** A case as opened: the household it is about and what its later steps need. */
interface OpenedCase {
  household: GenHousehold;
  risks: string[];
  caseId: number;
  clue: string;
  members: number;
  helperId: number;
}

/** Where identification stopped: the last stage done, its date, and the day the county approved (if it did). */
interface Identification {
  date: string;
  last: string;
  identifiedOn: string | null;
}

/** Helpers (帮扶责任人), each assigned to the households of the cases drawn for them. */
export function generateHelpers(ctx: DemoContext): number[] {
  const { rnd } = ctx;
  const helper = ctx.insert('helper', HELPER_COLUMNS);
  const helperIds: number[] = [];
  for (let i = 0; i < ctx.spec.helpers; i++) {
    helperIds.push(
      helper(
        ctx.name(),
        rnd.chance(0.6) ? '男' : '女',
        rnd.chance(0.7) ? '中共党员' : '群众',
        rnd.pick(HELPER_UNITS),
        ctx.phone(),
        now,
        now,
      ),
    );
  }
  return helperIds;
}

export function generateCases(ctx: DemoContext, households: GenHousehold[], helperIds: number[]): void {
  for (const gh of households) {
    if (gh.plannedRisks) {
      gh.plannedRisks = gh.plannedRisks.filter((r) => riskFits(gh, r));
      if (gh.plannedRisks.length === 0) gh.plannedRisks = null;
    }
    if (!gh.plannedRisks) continue;
    generateCase(ctx, gh, gh.plannedRisks, helperIds);
  }
}

/** A planned risk stays only if a present member bears it out (a pupil for 因学, someone ill for 因病…). */
function riskFits(gh: GenHousehold, risk: string): boolean {
  const present = gh.persons.filter((p) => !p.leftOn);
  return risk === '因学'
    ? present.some((p) => p.schoolStatus)
    : risk === '因务工就业不稳'
      ? present.some((p) => LABOUR_FORCE.includes(p.labourCapacity))
      : risk === '因病'
        ? present.some((p) => p.health === '长期慢性病' || p.health === '患大病')
        : risk === '因残'
          ? present.some((p) => p.health === '残疾')
          : true;
}

function generateCase(ctx: DemoContext, gh: GenHousehold, risks: string[], helperIds: number[]): void {
  const opened = openCase(ctx, gh, risks, helperIds);
  const { date, last, identifiedOn } = identify(ctx, opened);
  if (!identifiedOn) return;

  ctx.insert('household_helper', HOUSEHOLD_HELPER_COLUMNS)(gh.id, opened.helperId, identifiedOn, null);
  addMeasures(ctx, opened, identifiedOn);
  // Elimination for some households with labour, identified long enough ago
  const hasLabour = gh.persons.some((p) => !p.leftOn && LABOUR_FORCE.includes(p.labourCapacity));
  let monitoredUntil = DEMO_END;
  if (last === 'enter' && hasLabour && ctx.rnd.chance(0.6)) monitoredUntil = eliminate(ctx, opened, date);
  addVisits(ctx, opened, identifiedOn, monitoredUntil);
}

/** The case row at its clue, its risks and the clue stage. */
function openCase(ctx: DemoContext, gh: GenHousehold, risks: string[], helperIds: number[]): OpenedCase {
  const { rnd } = ctx;
  ctx.summary.cases++;
  const category = gh.poor ? '脱贫不稳定户' : rnd.chance(0.8) ? '边缘易致贫户' : '突发严重困难户';
  const clue = ctx.dateBetween('2021-03-01', '2026-10-20');
  const members = gh.persons.filter((p) => !p.leftOn).length || 1;
  const helperId = rnd.pick(helperIds);
  const caseId = ctx.cases.addCase({
    householdId: gh.id,
    category,
    channel: rnd.weighted([
      ['基层干部排查', 60],
      ['农户自主申报', 25],
      ['部门筛查预警', 15],
    ] as const),
    channelDetail: null,
    clueDate: clue,
    status: '识别中',
    stage: 'clue',
    round: 0,
    identifiedOn: null,
    eliminatedOn: null,
    eliminationMethod: null,
    rejectedOn: null,
    rejectReason: null,
    previousCaseId: null,
    note: null,
  });
  ctx.cases.setRisks(
    caseId,
    risks.map((r) => ({ riskType: r, detail: r === '因自然灾害' ? '洪涝灾害' : null })),
  );
  ctx.cases.addStage(caseId, { round: 0, stage: 'clue', doneOn: clue, actor: '村级信息员' });
  return { household: gh, risks, caseId, clue, members, helperId };
}

/** The identification stages up to the demo's end; one in twenty is rejected at the township review. */
function identify(ctx: DemoContext, c: OpenedCase): Identification {
  const { rnd, cases } = ctx;
  let date = c.clue;
  let last = 'clue';
  let status: CaseStatus = '识别中';
  let identifiedOn: string | null = null;
  const rejected = rnd.chance(0.05);
  for (const [code, lo, hi] of IDENTIFICATION_STEPS) {
    const next = addDays(date, rnd.int(lo, hi));
    const end = code === 'notice' ? addDays(next, rnd.int(5, 7) - 1) : null;
    if ((end ?? next) > DEMO_END) break;
    if (rejected && code === 'town') {
      cases.addStage(c.caseId, { round: 0, stage: 'rejected', doneOn: next, actor: '乡镇审核组', note: REJECT_REASON });
      cases.addEvent(c.caseId, 'rejected', next, REJECT_REASON);
      status = '已否决';
      last = 'rejected';
      cases.updateCase(c.caseId, { status, stage: last, rejectedOn: next, rejectReason: REJECT_REASON });
      break;
    }
    const actor = code === 'county' ? '县乡村振兴局' : code === 'town' ? '乡镇审核组' : '村两委';
    cases.addStage(c.caseId, { round: 0, stage: code, doneOn: next, endOn: end, actor });
    date = end ?? next;
    last = code;
    if (code === 'verify') {
      const perCap = Math.round(
        thresholdFen(Number(next.slice(0, 4))) * (rejected ? 1.05 + rnd.next() * 0.3 : 0.45 + rnd.next() * 0.45),
      );
      addIncome(ctx, c, '识别时', next, perCap, c.risks.includes('因病'));
    }
    if (code === 'county') {
      status = '监测中';
      identifiedOn = next;
      cases.addEvent(c.caseId, 'identified', next);
    }
  }
  cases.updateCase(c.caseId, { status, stage: last, identifiedOn });
  return { date, last, identifiedOn };
}

/** Measures answering each risk, and for some households one more for income. */
function addMeasures(ctx: DemoContext, c: OpenedCase, identifiedOn: string): void {
  const { rnd } = ctx;
  const measure = ctx.insert('measure', MEASURE_COLUMNS);
  const gh = c.household;
  for (const r of c.risks) {
    const category = rnd.pick(RISK_MEASURES[r] ?? ['社会帮扶']);
    const start = addDays(identifiedOn, rnd.int(1, 30));
    measure(gh.id, c.caseId, category, null, start, null, rnd.int(5, 300) * 10_000, null, null, 1, null, now, now);
    ctx.summary.measures++;
  }
  if (rnd.chance(0.4)) {
    const category = rnd.pick([
      '产业帮扶',
      '就业帮扶',
      '金融帮扶',
    ] as const satisfies readonly (typeof MEASURE_CATEGORIES)[number][]);
    const start = addDays(identifiedOn, rnd.int(10, 60));
    measure(gh.id, c.caseId, category, null, start, null, rnd.int(10, 500) * 10_000, null, null, 1, null, now, now);
    ctx.summary.measures++;
  }
}

/**
 * The elimination stages, starting 200–900 days after the last identification stage, up to the demo's end.
 * Returns the last day the household is monitored (its elimination day, or the demo's end if not eliminated).
 */
function eliminate(ctx: DemoContext, c: OpenedCase, identificationDone: string): string {
  const { rnd, cases } = ctx;
  let d = addDays(identificationDone, rnd.int(200, 900));
  let elast = '';
  let eliminatedOn: string | null = null;
  const method = rnd.chance(0.85) ? '帮扶消除' : '自然消除';
  for (const [code, lo, hi] of ELIMINATION_STEPS) {
    const next = code === 'e_verify' ? d : addDays(d, rnd.int(lo, hi));
    const end = code === 'e_notice' ? addDays(next, 6) : null;
    if ((end ?? next) > DEMO_END) break;
    if (code === 'e_verify') {
      const perCap = Math.round(thresholdFen(Number(next.slice(0, 4))) * (1.15 + rnd.next() * 0.8));
      addIncome(ctx, c, '消除时', next, perCap, false);
    }
    const actor =
      code === 'e_verify' ? `${ctx.name()}、${ctx.name()}` : code === 'e_county' ? '县乡村振兴局' : '乡镇审核组';
    cases.addStage(c.caseId, { round: 1, stage: code, doneOn: next, endOn: end, actor });
    d = end ?? next;
    elast = code;
    if (code === 'e_county') {
      eliminatedOn = next;
      cases.addEvent(c.caseId, 'eliminated', next, method);
    }
  }
  if (!elast) return DEMO_END;
  cases.updateCase(c.caseId, {
    status: eliminatedOn ? '已消除' : '消除中',
    stage: elast,
    round: 1,
    eliminatedOn,
    eliminationMethod: method,
  });
  if (!eliminatedOn) return DEMO_END;
  // A few eliminations are rolled back (§3.4)
  if (elast === 'e_mark' && rnd.chance(0.04) && rollBack(ctx, c, d)) return DEMO_END;
  return eliminatedOn;
}

/** Rolls an eliminated case back 30–200 days after it was marked, if that is still within the demo. */
function rollBack(ctx: DemoContext, c: OpenedCase, marked: string): boolean {
  const back = addDays(marked, ctx.rnd.int(30, 200));
  if (back > DEMO_END) return false;
  ctx.cases.addStage(c.caseId, {
    round: 1,
    stage: 'rollback',
    doneOn: back,
    actor: '乡镇审核组',
    note: ROLLBACK_REASON,
  });
  ctx.cases.addEvent(c.caseId, 'rolled_back', back, ROLLBACK_REASON);
  ctx.cases.updateCase(c.caseId, { status: '监测中', stage: 'rollback', eliminatedOn: null, eliminationMethod: null });
  return true;
}

/** Visits: roughly every one to two months while monitored. */
function addVisits(ctx: DemoContext, c: OpenedCase, identifiedOn: string, monitoredUntil: string): void {
  const { rnd } = ctx;
  const visit = ctx.insert('visit', VISIT_COLUMNS);
  for (let v = addDays(identifiedOn, rnd.int(5, 30)); v <= monitoredUntil; v = addDays(v, rnd.int(25, 60))) {
    visit(
      c.household.id,
      c.helperId,
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
    ctx.summary.visits++;
  }
}

/** An income snapshot whose parts add up to the per-capita income asked for. */
function addIncome(ctx: DemoContext, c: OpenedCase, kind: string, asOf: string, perCapitaFen: number, ill: boolean) {
  const net = perCapitaFen * c.members;
  const wage = Math.round(net * 0.55);
  const business = Math.round(net * 0.2);
  const property = Math.round(net * 0.05);
  const cost = Math.round(net * 0.05);
  const transfer = net - wage - business - property + cost;
  ctx.insert('income_snapshot', INCOME_COLUMNS)(
    c.household.id,
    c.caseId,
    kind,
    asOf,
    c.members,
    wage,
    business,
    property,
    transfer,
    cost,
    0,
    ill ? ctx.rnd.int(50, 400) * 10_000 : 0,
    now,
    now,
  );
}
