/**
 * 工作台: this month's figures, a 12-month trend, and the to-do list — every item computed from stored dates
 * against today and the township's parameters, each pointing at the record to open.
 */
import { backupStatus, readCopyFolder } from '../backups.ts';
import { sql, type Kysely } from 'kysely';
import type { Dashboard, TodoItem } from '../../../shared/api.ts';
import { addDays, addMonths, monthOf } from '../../../shared/dates.ts';
import type { Parameters } from '../../../shared/parameters.ts';
import type { Ctx } from '../context.ts';
import type { Database } from '../db/schema.ts';
import { householdOpenNow } from '../domain/facts.ts';
import { monthStats, villageStats } from './figures.ts';
import { readParameters } from './settings.ts';

const TODO_LIMIT = 200;

export async function dashboard(ctx: Ctx, month: string | undefined): Promise<Dashboard> {
  const today = ctx.today();
  const current = month ?? monthOf(today);
  const months = Array.from({ length: 12 }, (_, i) => addMonths(current, i - 11));
  const all = [];
  for (const m of months) all.push(await monthStats(ctx.db, m));
  const trend = all.map((s, i) => ({
    month: months[i]!,
    current: s.monitoring.current,
    identified: s.monitoring.identifiedInMonth,
    eliminated: s.monitoring.eliminatedInMonth,
  }));
  // The trend's last two months are this month and the previous one.
  const stats = all[11]!;
  const previous = all[10]!;
  const byVillage = await villageStats(ctx.db, current);
  const todo = await todoItems(ctx.db, today);
  const status = backupStatus(ctx.file, readCopyFolder(ctx.file), new Date());
  const backup = {
    remind: status.remind,
    lastCopyAt: status.lastCopyAt,
    copyFolder: status.copyFolder,
    lastBackupAt: status.last?.at ?? null,
  };
  return { month: current, stats, previous, byVillage, trend, todo, backup };
}

type Row = Record<string, string | number | null>;

async function rows(db: Kysely<Database>, query: ReturnType<typeof sql<Row>>): Promise<Row[]> {
  return (await query.execute(db)).rows;
}

/** The household's head by name, or "户<id>" when the household has none. */
const WHO = sql`coalesce((SELECT name FROM person WHERE household_id = h.id AND relation = '户主' LIMIT 1), '户' || h.id)`;

/** Each to-do kind is its own query; the list keeps their order: overdue, notices, visits, agreements, age, payroll. */
export async function todoItems(db: Kysely<Database>, today: string): Promise<TodoItem[]> {
  const p = await readParameters(db);
  const horizon = addDays(today, p.agreementEndingDays);
  return [
    ...(await overdueIdentifications(db, today, p)),
    ...(await openNotices(db, today)),
    ...(await visitsDue(db, today, p)),
    ...(await agreementsEnding(db, today, horizon)),
    ...(await holdingAgeReached(db, horizon, p)),
    ...(await unlockedPayrolls(db)),
  ];
}

/** Identification past its time limit (clue date + N days) and still not approved. */
async function overdueIdentifications(db: Kysely<Database>, today: string, p: Parameters): Promise<TodoItem[]> {
  const found = await rows(
    db,
    sql<Row>`
    SELECT c.id, c.clue_date AS clue, v.name AS village, ${WHO} AS head, date(c.clue_date, '+' || ${p.identificationDays} || ' days') AS due
    FROM monitoring_case c JOIN household h ON h.id = c.household_id JOIN village v ON v.id = h.village_id
    WHERE c.status = '识别中' AND date(c.clue_date, '+' || ${p.identificationDays} || ' days') < ${today}
    ORDER BY c.clue_date LIMIT ${TODO_LIMIT}`,
  );
  return found.map((r) => ({
    kind: 'overdue',
    entity: 'case',
    id: Number(r.id),
    due: String(r.due),
    title: `${r.village} ${r.head}：识别超期`,
    detail: `线索登记于 ${r.clue}，应于 ${r.due} 前完成县级审批（${p.identificationDays}天）`,
  }));
}

/** Village notices: open notices (current stage is a notice) — ending soon or ended and waiting for the next step. */
async function openNotices(db: Kysely<Database>, today: string): Promise<TodoItem[]> {
  const found = await rows(
    db,
    sql<Row>`
    SELECT c.id, s.end_on AS ends, v.name AS village, ${WHO} AS head, s.stage
    FROM monitoring_case c JOIN case_stage s ON s.case_id = c.id AND s.round = c.round AND s.stage = c.stage
    JOIN household h ON h.id = c.household_id JOIN village v ON v.id = h.village_id
    WHERE c.stage IN ('notice', 'e_notice') AND c.status IN ('识别中', '消除中')
    ORDER BY s.end_on LIMIT ${TODO_LIMIT}`,
  );
  return found.map((r) => {
    const ended = r.ends !== null && String(r.ends) < today;
    return {
      kind: 'notice',
      entity: 'case',
      id: Number(r.id),
      due: r.ends === null ? null : String(r.ends),
      title: `${r.village} ${r.head}：${r.stage === 'notice' ? '识别' : '风险消除'}公示${ended ? '已结束，待乡镇审核' : '进行中'}`,
      detail: `公示截止 ${r.ends ?? '未填'}`,
    };
  });
}

/** Visits due: monitored households whose last visit is older than the interval (eliminated: longer interval). */
async function visitsDue(db: Kysely<Database>, today: string, p: Parameters): Promise<TodoItem[]> {
  const found = await rows(
    db,
    sql<Row>`
    SELECT c.id, c.status, v.name AS village, ${WHO} AS head,
      (SELECT max(visited_on) FROM visit WHERE household_id = h.id) AS last
    FROM monitoring_case c JOIN household h ON h.id = c.household_id JOIN village v ON v.id = h.village_id
    WHERE c.status IN ('监测中', '消除中', '已消除') AND ${householdOpenNow('h')}
      AND c.id = (SELECT max(id) FROM monitoring_case WHERE household_id = h.id)
      AND coalesce((SELECT max(visited_on) FROM visit WHERE household_id = h.id), c.identified_on, c.clue_date)
          < date(${today}, '-' || (CASE WHEN c.status = '已消除' THEN ${p.visitIntervalDaysEliminated} ELSE ${p.visitIntervalDaysMonitored} END) || ' days')
    ORDER BY last LIMIT ${TODO_LIMIT}`,
  );
  return found.map((r) => {
    const interval = r.status === '已消除' ? p.visitIntervalDaysEliminated : p.visitIntervalDaysMonitored;
    return {
      kind: 'visit',
      entity: 'case',
      id: Number(r.id),
      due: null,
      title: `${r.village} ${r.head}：应走访`,
      detail: `${r.status}，上次走访 ${r.last ?? '无记录'}（每${interval}天至少一次）`,
    };
  });
}

/** Agreements ending between today and the horizon (today + N days). */
async function agreementsEnding(db: Kysely<Database>, today: string, horizon: string): Promise<TodoItem[]> {
  const found = await rows(
    db,
    sql<Row>`
    SELECT pl.id, pl.agreement_end AS ends, pe.name, po.name AS post
    FROM placement pl JOIN person pe ON pe.id = pl.person_id JOIN post po ON po.id = pl.post_id
    WHERE pl.exit_on IS NULL AND pl.agreement_end BETWEEN ${today} AND ${horizon}
    ORDER BY pl.agreement_end LIMIT ${TODO_LIMIT}`,
  );
  return found.map((r) => ({
    kind: 'agreement',
    entity: 'placement',
    id: Number(r.id),
    due: String(r.ends),
    title: `${r.name}（${r.post}）：协议即将到期`,
    detail: `协议止于 ${r.ends}，请续签或办理退岗`,
  }));
}

/** Holders reaching the holding age limit within the same horizon as agreements (or already past it). */
async function holdingAgeReached(db: Kysely<Database>, horizon: string, p: Parameters): Promise<TodoItem[]> {
  const found = await rows(
    db,
    sql<Row>`
    SELECT pl.id, pe.name, po.name AS post, date(pe.birth_date, '+' || ${p.postMaxAgeHolding} || ' years') AS reach
    FROM placement pl JOIN person pe ON pe.id = pl.person_id JOIN post po ON po.id = pl.post_id
    WHERE pl.exit_on IS NULL AND date(pe.birth_date, '+' || ${p.postMaxAgeHolding} || ' years') <= ${horizon}
    ORDER BY reach LIMIT ${TODO_LIMIT}`,
  );
  return found.map((r) => ({
    kind: 'age',
    entity: 'placement',
    id: Number(r.id),
    due: String(r.reach),
    title: `${r.name}（${r.post}）：达到在岗年龄上限`,
    detail: `${r.reach} 满${p.postMaxAgeHolding}周岁，应安排退岗`,
  }));
}

/** Payroll months generated but not locked. */
async function unlockedPayrolls(db: Kysely<Database>): Promise<TodoItem[]> {
  const found = await rows(db, sql<Row>`SELECT month FROM payroll_month WHERE locked_at IS NULL ORDER BY month`);
  return found.map((r) => ({
    kind: 'payroll',
    entity: 'payroll',
    id: null,
    ref: String(r.month),
    due: null,
    title: `${r.month} 岗位补贴未锁定`,
    detail: '核对出勤后锁定当月，锁定后方可上报',
  }));
}
