/**
 * Public-welfare posts (公益性岗位) held by labour of poor or monitored households, with a year of attendance
 * and the payroll months behind it: the last month open, the eleven before it locked, as a township that pays
 * monthly would have them. A few holders leave and are replaced, so a post can have two placements in a month.
 */
import { addDays, addMonths, ageOn, monthDays, monthEnd, monthStart } from '../../../shared/dates.ts';
import { proRataSubsidyFen } from '../../../shared/money.ts';
import {
  DEMO_LAST_MONTH,
  DEMO_NOW as now,
  type DemoContext,
  type DemoVillages,
  type GenHousehold,
  type GenPerson,
} from './context.ts';

const ATTENDANCE_COLUMNS = [
  'placement_id',
  'month',
  'required_days',
  'days',
  'monthly_subsidy_fen',
  'subsidy_fen',
  'deduction_fen',
  'created_at',
  'updated_at',
];
const PAYROLL_MONTH_COLUMNS = ['month', 'generated_at', 'locked_at', 'locked_by'];

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

/** The first month with attendance: a year up to the demo's last month. */
const FIRST_MONTH = addMonths(DEMO_LAST_MONTH, -11);

interface Holder {
  h: GenHousehold;
  p: GenPerson;
}

interface PlacementSpan {
  id: number;
  hired: string;
  exit: string | null;
}

export function generatePosts(ctx: DemoContext, villages: DemoVillages, households: GenHousehold[]): void {
  const candidates = postCandidates(households);
  let candidate = 0;
  const nextHolder = () => candidates[candidate++ % Math.max(1, candidates.length)]!;
  for (let i = 0; i < ctx.spec.posts && candidates.length > 0; i++) {
    const { postId, monthly } = insertPost(ctx, villages, i);
    const placements = hire(ctx, postId, nextHolder);
    recordAttendance(ctx, placements, monthly);
  }
  const payrollMonth = ctx.insert('payroll_month', PAYROLL_MONTH_COLUMNS);
  for (let m = FIRST_MONTH; m <= DEMO_LAST_MONTH; m = addMonths(m, 1)) {
    payrollMonth(m, now, m < DEMO_LAST_MONTH ? now : null, m < DEMO_LAST_MONTH ? '演示数据' : null);
  }
}

/** The first present member able to work, aged 20–58, of each poor or monitored household, in household order. */
function postCandidates(households: GenHousehold[]): Holder[] {
  return households
    .filter((h) => h.poor || h.plannedRisks)
    .flatMap((h) =>
      h.persons
        .filter((p) => !p.leftOn && (p.labourCapacity === '弱劳动力或半劳动力' || p.labourCapacity === '普通劳动力'))
        .slice(0, 1)
        .map((p) => ({ h, p })),
    )
    .filter(({ p }) => {
      const age = ageOn(p.birthDate, `${FIRST_MONTH}-01`);
      return age >= 20 && age <= 58;
    });
}

function insertPost(ctx: DemoContext, villages: DemoVillages, i: number): { postId: number; monthly: number } {
  const { rnd } = ctx;
  const pname = POST_NAMES[i % POST_NAMES.length]!;
  const department = rnd.chance(0.7) ? '人社部门' : '农业农村部门';
  const monthly = rnd.pick([50_000, 60_000, 80_000]);
  const vIdx = i % ctx.spec.villages;
  const postId = ctx.posts.addPost(
    {
      name: pname,
      category: pname === '乡村振兴信息员' ? '技术技能岗位' : '普通岗位',
      department,
      employer: `${villages.names[vIdx]}村民委员会`,
      villageId: villages.ids[vIdx]!,
      workForm: '非全日制',
      fundingSource: department === '人社部门' ? '就业补助资金' : '衔接推进乡村振兴补助资金',
      monthlySubsidyFen: monthly,
      requiredDays: 30,
      quota: 1,
      duties: null,
      establishedOn: '2023-01-01',
    },
    30,
  );
  ctx.summary.posts++;
  return { postId, monthly };
}

/** The post's holder, and if they leave during the year, their successor (hired 5–20 days later). */
function hire(ctx: DemoContext, postId: number, nextHolder: () => Holder): PlacementSpan[] {
  const { rnd } = ctx;
  let holder = nextHolder();
  let hired = ctx.dateBetween('2023-03-01', `${FIRST_MONTH}-01`);
  const agreementStart = `${hired.slice(0, 4)}-01-01`;
  let exitOn: string | null = rnd.chance(0.08)
    ? ctx.dateBetween(`${addMonths(FIRST_MONTH, 2)}-01`, `${addMonths(DEMO_LAST_MONTH, -2)}-28`)
    : null;
  const spans: PlacementSpan[] = [];
  for (let round = 0; round < 2; round++) {
    // Drawn in the order of the placement's columns (see context.ts).
    const exitReason = exitOn ? rnd.pick(['本人自愿退出', '已实现稳定就业（含长期外出务工）']) : null;
    const bankAccount = `6217${String(rnd.int(0, 999_999_999)).padStart(9, '0')}${String(rnd.int(0, 999_999)).padStart(6, '0')}`;
    const id = ctx.posts.addPlacement({
      postId,
      personId: holder.p.id,
      personCategory: holder.h.poor ? '脱贫劳动力' : '监测对象劳动力',
      agreementType: '劳务协议',
      agreementStart: round === 0 ? agreementStart : hired,
      agreementEnd: '2026-12-31',
      hiredOn: hired,
      bankName: '县农村信用合作联社',
      bankAccount,
      noticeOn: addDays(hired, -10),
    });
    if (exitOn) ctx.posts.updatePlacement(id, { exitOn, exitReason });
    ctx.summary.placements++;
    spans.push({ id, hired, exit: exitOn });
    if (!exitOn) break;
    holder = nextHolder();
    hired = addDays(exitOn, rnd.int(5, 20));
    exitOn = null;
  }
  return spans;
}

/** Month by month, each placement in force that month: mostly full attendance, sometimes 20–29 days. */
function recordAttendance(ctx: DemoContext, placements: PlacementSpan[], monthly: number): void {
  const { rnd } = ctx;
  const attendance = ctx.insert('attendance', ATTENDANCE_COLUMNS);
  for (let m = FIRST_MONTH; m <= DEMO_LAST_MONTH; m = addMonths(m, 1)) {
    for (const pl of placements) {
      if (pl.hired > monthEnd(m) || (pl.exit && pl.exit <= monthStart(m))) continue;
      const days = Math.min(monthDays(m), rnd.chance(0.85) ? 30 : rnd.int(20, 29));
      attendance(pl.id, m, 30, days, monthly, proRataSubsidyFen(monthly, 30, days), 0, now, now);
    }
  }
}
