/**
 * 工作台: this month's figures, a 12-month trend, and the to-do list — every item computed from stored dates
 * against today and the township's parameters, each pointing at the record to open.
 */
import { sql, type Kysely } from 'kysely';
import type { Dashboard, TodoItem } from '../../../shared/api.ts';
import { addDays, addMonths, monthOf } from '../../../shared/dates.ts';
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
  return { month: current, stats, previous, byVillage, trend, todo };
}

type Row = Record<string, string | number | null>;

async function rows(db: Kysely<Database>, query: ReturnType<typeof sql<Row>>): Promise<Row[]> {
  return (await query.execute(db)).rows;
}

export async function todoItems(db: Kysely<Database>, today: string): Promise<TodoItem[]> {
  const p = await readParameters(db);
  const items: TodoItem[] = [];
  const who = sql`coalesce((SELECT name FROM person WHERE household_id = h.id AND relation = '户主' LIMIT 1), '户' || h.id)`;

  // Identification past its time limit (clue date + N days) and still not approved.
  for (const r of await rows(
    db,
    sql<Row>`
    SELECT c.id, c.clue_date AS clue, v.name AS village, ${who} AS head, date(c.clue_date, '+' || ${p.identificationDays} || ' days') AS due
    FROM monitoring_case c JOIN household h ON h.id = c.household_id JOIN village v ON v.id = h.village_id
    WHERE c.status = '识别中' AND date(c.clue_date, '+' || ${p.identificationDays} || ' days') < ${today}
    ORDER BY c.clue_date LIMIT ${TODO_LIMIT}`,
  )) {
    items.push({
      kind: 'overdue',
      entity: 'case',
      id: Number(r.id),
      due: String(r.due),
      title: `${r.village} ${r.head}：识别超期`,
      detail: `线索登记于 ${r.clue}，应于 ${r.due} 前完成县级审批（${p.identificationDays}天）`,
    });
  }

  // Village notices: open notices (current stage is a notice) — ending soon or ended and waiting for the next step.
  for (const r of await rows(
    db,
    sql<Row>`
    SELECT c.id, s.end_on AS ends, v.name AS village, ${who} AS head, s.stage
    FROM monitoring_case c JOIN case_stage s ON s.case_id = c.id AND s.round = c.round AND s.stage = c.stage
    JOIN household h ON h.id = c.household_id JOIN village v ON v.id = h.village_id
    WHERE c.stage IN ('notice', 'e_notice') AND c.status IN ('识别中', '消除中')
    ORDER BY s.end_on LIMIT ${TODO_LIMIT}`,
  )) {
    const ended = r.ends !== null && String(r.ends) < today;
    items.push({
      kind: 'notice',
      entity: 'case',
      id: Number(r.id),
      due: r.ends === null ? null : String(r.ends),
      title: `${r.village} ${r.head}：${r.stage === 'notice' ? '识别' : '风险消除'}公示${ended ? '已结束，待乡镇审核' : '进行中'}`,
      detail: `公示截止 ${r.ends ?? '未填'}`,
    });
  }

  // Visits due: monitored households whose last visit is older than the interval (eliminated: longer interval).
  for (const r of await rows(
    db,
    sql<Row>`
    SELECT c.id, c.status, v.name AS village, ${who} AS head,
      (SELECT max(visited_on) FROM visit WHERE household_id = h.id) AS last
    FROM monitoring_case c JOIN household h ON h.id = c.household_id JOIN village v ON v.id = h.village_id
    WHERE c.status IN ('监测中', '消除中', '已消除') AND ${householdOpenNow('h')}
      AND c.id = (SELECT max(id) FROM monitoring_case WHERE household_id = h.id)
      AND coalesce((SELECT max(visited_on) FROM visit WHERE household_id = h.id), c.identified_on, c.clue_date)
          < date(${today}, '-' || (CASE WHEN c.status = '已消除' THEN ${p.visitIntervalDaysEliminated} ELSE ${p.visitIntervalDaysMonitored} END) || ' days')
    ORDER BY last LIMIT ${TODO_LIMIT}`,
  )) {
    const interval = r.status === '已消除' ? p.visitIntervalDaysEliminated : p.visitIntervalDaysMonitored;
    items.push({
      kind: 'visit',
      entity: 'case',
      id: Number(r.id),
      due: null,
      title: `${r.village} ${r.head}：应走访`,
      detail: `${r.status}，上次走访 ${r.last ?? '无记录'}（每${interval}天至少一次）`,
    });
  }

  // Agreements ending within N days.
  const horizon = addDays(today, p.agreementEndingDays);
  for (const r of await rows(
    db,
    sql<Row>`
    SELECT pl.id, pl.agreement_end AS ends, pe.name, po.name AS post
    FROM placement pl JOIN person pe ON pe.id = pl.person_id JOIN post po ON po.id = pl.post_id
    WHERE pl.exit_on IS NULL AND pl.agreement_end BETWEEN ${today} AND ${horizon}
    ORDER BY pl.agreement_end LIMIT ${TODO_LIMIT}`,
  )) {
    items.push({
      kind: 'agreement',
      entity: 'placement',
      id: Number(r.id),
      due: String(r.ends),
      title: `${r.name}（${r.post}）：协议即将到期`,
      detail: `协议止于 ${r.ends}，请续签或办理退岗`,
    });
  }

  // Holders reaching the holding age limit within the same horizon (or already past it).
  for (const r of await rows(
    db,
    sql<Row>`
    SELECT pl.id, pe.name, po.name AS post, date(pe.birth_date, '+' || ${p.postMaxAgeHolding} || ' years') AS reach
    FROM placement pl JOIN person pe ON pe.id = pl.person_id JOIN post po ON po.id = pl.post_id
    WHERE pl.exit_on IS NULL AND date(pe.birth_date, '+' || ${p.postMaxAgeHolding} || ' years') <= ${horizon}
    ORDER BY reach LIMIT ${TODO_LIMIT}`,
  )) {
    items.push({
      kind: 'age',
      entity: 'placement',
      id: Number(r.id),
      due: String(r.reach),
      title: `${r.name}（${r.post}）：达到在岗年龄上限`,
      detail: `${r.reach} 满${p.postMaxAgeHolding}周岁，应安排退岗`,
    });
  }

  // Payroll months generated but not locked.
  for (const r of await rows(db, sql<Row>`SELECT month FROM payroll_month WHERE locked_at IS NULL ORDER BY month`)) {
    items.push({
      kind: 'payroll',
      entity: 'payroll',
      id: null,
      ref: String(r.month),
      due: null,
      title: `${r.month} 岗位补贴未锁定`,
      detail: '核对出勤后锁定当月，锁定后方可上报',
    });
  }
  return items;
}
