/**
 * Public-welfare posts: posts, hiring with eligibility, exits, monthly attendance, payroll and month lock
 * (domain.md §2.8, §3.5, §5.3).
 */
import { sql, type Kysely } from 'kysely';
import type { AttendanceRow, AttendanceSheet, Condition, Eligibility } from '../../../shared/api.ts';
import { NO_LABOUR_CAPACITIES } from '../../../shared/catalogs.ts';
import { ageOn, monthDays, monthOf } from '../../../shared/dates.ts';
import { maskAccountNumber } from '../../../shared/mask.ts';
import { proRataSubsidyFen } from '../../../shared/money.ts';
import type { Attendance, Placement, Post } from '../../../shared/types.ts';
import { audit, nowIso, type Ctx } from '../context.ts';
import type { Database } from '../db/schema.ts';
import type { Handlers } from '../dispatcher.ts';
import { LedgerError, notFound } from '../errors.ts';
import { placementInMonth } from '../domain/facts.ts';
import { personOrThrow, stripUndefined } from './households.ts';
import { page, quickMatch } from './list.ts';
import { readParameters, villageOrThrow } from './settings.ts';

async function postOrThrow(db: Kysely<Database>, id: number, field = 'postId'): Promise<Post> {
  const p = await db.selectFrom('post').selectAll().where('id', '=', id).executeTakeFirst();
  if (!p) throw notFound('公益性岗位', id, field);
  return p;
}

async function placementOrThrow(db: Kysely<Database>, id: number): Promise<Placement> {
  const p = await db.selectFrom('placement').selectAll().where('id', '=', id).executeTakeFirst();
  if (!p) throw notFound('聘用记录', id, 'placementId');
  return p;
}

const activeOn = (d: string) => sql<boolean>`(pl.hired_on <= ${d} AND (pl.exit_on IS NULL OR pl.exit_on > ${d}))`;

function placementQuery(db: Kysely<Database>) {
  return db
    .selectFrom('placement as pl')
    .innerJoin('person as p', 'p.id', 'pl.personId')
    .innerJoin('household as h', 'h.id', 'p.householdId')
    .innerJoin('village as v', 'v.id', 'h.villageId')
    .innerJoin('post as po', 'po.id', 'pl.postId')
    .selectAll('pl')
    .select([
      'p.name as personName',
      'p.idNumber as idNumber',
      'p.gender as gender',
      'p.birthDate as birthDate',
      'p.householdId as householdId',
      'po.name as postName',
      'po.department as department',
      'po.monthlySubsidyFen as monthlySubsidyFen',
      'v.name as villageName',
    ]);
}

function maskAccount<T extends { bankAccount: string | null }>(
  r: T,
): Omit<T, 'bankAccount'> & { bankAccountMasked: string | null } {
  const { bankAccount, ...rest } = r;
  return { ...rest, bankAccountMasked: bankAccount ? maskAccountNumber(bankAccount) : null };
}

async function eligibility(ctx: Ctx, postId: number, personId: number, hiredOn: string): Promise<Eligibility> {
  const params = await readParameters(ctx.db);
  const post = await postOrThrow(ctx.db, postId);
  const person = await personOrThrow(ctx.db, personId);
  const age = ageOn(person.birthDate, hiredOn);
  const problems: Condition[] = [];
  const add = (code: string, label: string, ok: boolean, blocking: boolean, detail: string) =>
    problems.push({ code, label, ok, blocking, detail });

  add(
    'member',
    '为本乡镇在册人员',
    !person.leftOn || person.leftOn > hiredOn,
    true,
    person.leftOn ? `已于${person.leftOn}${person.leftReason ?? '减少'}` : '在册',
  );
  add('minAge', `年满${params.postMinAge}周岁`, age >= params.postMinAge, true, `上岗时${age}岁`);
  add(
    'maxAgeHolding',
    `不超过${params.postMaxAgeHolding}周岁`,
    age <= params.postMaxAgeHolding,
    true,
    `上岗时${age}岁`,
  );
  add(
    'maxAgeNewHire',
    `新聘人员一般不超过${params.postMaxAgeNewHire}周岁`,
    age <= params.postMaxAgeNewHire,
    false,
    `上岗时${age}岁，身体健康可放宽`,
  );

  const open = await ctx.db
    .selectFrom('placement as pl')
    .innerJoin('post as po', 'po.id', 'pl.postId')
    .select(['pl.id', 'po.name'])
    .where('pl.personId', '=', personId)
    .where((eb) => eb.or([eb('pl.exitOn', 'is', null), eb('pl.exitOn', '>', hiredOn)]))
    .executeTakeFirst();
  add('onePost', '一人一岗', !open, true, open ? `已在岗：${open.name}` : '无其他在岗岗位');

  const household = await ctx.db
    .selectFrom('placement as pl')
    .innerJoin('person as p', 'p.id', 'pl.personId')
    .select(['p.name'])
    .where('p.householdId', '=', person.householdId)
    .where('pl.personId', '!=', personId)
    .where((eb) => eb.or([eb('pl.exitOn', 'is', null), eb('pl.exitOn', '>', hiredOn)]))
    .executeTakeFirst();
  add(
    'onePerHousehold',
    '每户一人',
    !household,
    params.postOnePerHousehold,
    household ? `同户${household.name}已在岗` : '同户无其他在岗人员',
  );

  const holders = await ctx.db
    .selectFrom('placement as pl')
    .select(sql<number>`count(*)`.as('n'))
    .where('pl.postId', '=', postId)
    .where(activeOn(hiredOn))
    .executeTakeFirstOrThrow();
  add('quota', `岗位数${post.quota}个`, holders.n < post.quota, true, `已聘${holders.n}人`);
  add(
    'postOpen',
    '岗位未撤销',
    !post.abolishedOn || post.abolishedOn > hiredOn,
    true,
    post.abolishedOn ? `岗位已于${post.abolishedOn}撤销` : '岗位有效',
  );

  const capacityOk = !person.labourCapacity || !NO_LABOUR_CAPACITIES.includes(person.labourCapacity);
  add('labour', '具备劳动能力', capacityOk, false, person.labourCapacity ?? '劳动技能未填写');
  add('school', '不是在校学生', !person.schoolStatus, false, person.schoolStatus ?? '不在校');

  return { ok: problems.every((p) => p.ok || !p.blocking), age, problems };
}

async function monthLocked(db: Kysely<Database>, month: string) {
  return db.selectFrom('payrollMonth').selectAll().where('month', '=', month).executeTakeFirst();
}

async function attendanceSheet(db: Kysely<Database>, month: string, department?: string): Promise<AttendanceSheet> {
  let q = db
    .selectFrom('placement as pl')
    .innerJoin('person as p', 'p.id', 'pl.personId')
    .innerJoin('post as po', 'po.id', 'pl.postId')
    .leftJoin('attendance as a', (j) => j.onRef('a.placementId', '=', 'pl.id').on('a.month', '=', month))
    .select([
      'pl.id as placementId',
      'a.id as attendanceId',
      'p.name as personName',
      'p.idNumber as idNumber',
      'po.name as postName',
      'po.department as department',
      'pl.agreementStart as agreementStart',
      'pl.agreementEnd as agreementEnd',
      sql<number>`coalesce(a.required_days, po.required_days)`.as('requiredDays'),
      sql<number>`coalesce(a.days, po.required_days)`.as('days'),
      sql<number>`coalesce(a.monthly_subsidy_fen, po.monthly_subsidy_fen)`.as('monthlySubsidyFen'),
      'a.subsidyFen as storedSubsidy',
      sql<number>`coalesce(a.deduction_fen, 0)`.as('deductionFen'),
      'a.deductionReason as deductionReason',
    ])
    .where(sql<boolean>`${placementInMonth('pl', month)}`)
    .orderBy('po.department')
    .orderBy('po.name')
    .orderBy('pl.id');
  if (department) q = q.where('po.department', '=', department);
  const rows = await q.execute();
  const status = await monthLocked(db, month);
  const out: AttendanceRow[] = rows.map(({ storedSubsidy, ...r }) => {
    const subsidyFen = storedSubsidy ?? proRataSubsidyFen(r.monthlySubsidyFen, r.requiredDays, r.days);
    return { ...r, month, subsidyFen, payFen: subsidyFen - r.deductionFen };
  });
  return {
    month,
    generated: !!status?.generatedAt,
    locked: !!status?.lockedAt,
    lockedAt: status?.lockedAt ?? null,
    rows: out,
    totals: {
      persons: out.length,
      subsidyFen: out.reduce((a, r) => a + r.subsidyFen, 0),
      deductionFen: out.reduce((a, r) => a + r.deductionFen, 0),
      payFen: out.reduce((a, r) => a + r.payFen, 0),
    },
  };
}

async function refuseLocked(db: Kysely<Database>, month: string) {
  const s = await monthLocked(db, month);
  if (s?.lockedAt)
    throw new LedgerError('locked', `${month}月的考勤和补贴已于${s.lockedAt.slice(0, 10)}锁定，不能修改`, 'month');
}

function refuseFuture(ctx: Ctx, month: string) {
  if (month > monthOf(ctx.today())) throw new LedgerError('validation', '「月份」不能是未来月份', 'month');
}

export const postHandlers: Pick<
  Handlers,
  | 'post.list'
  | 'post.create'
  | 'post.update'
  | 'placement.list'
  | 'placement.eligibility'
  | 'placement.hire'
  | 'placement.exit'
  | 'attendance.sheet'
  | 'attendance.set'
  | 'payroll.generate'
  | 'payroll.lock'
> = {
  async 'post.list'(ctx, input) {
    const f = input.filter;
    const today = ctx.today();
    let q = ctx.db
      .selectFrom('post as po')
      .leftJoin('village as v', 'v.id', 'po.villageId')
      .selectAll('po')
      .select([
        'v.name as villageName',
        sql<number>`(SELECT count(*) FROM placement pl WHERE pl.post_id = po.id AND ${activeOn(today)})`.as('holders'),
      ]);
    if (f.villageId) q = q.where('po.villageId', '=', f.villageId);
    if (f.department) q = q.where('po.department', '=', f.department);
    if (f.category) q = q.where('po.category', '=', f.category);
    if (!f.includeAbolished)
      q = q.where((eb) => eb.or([eb('po.abolishedOn', 'is', null), eb('po.abolishedOn', '>', today)]));
    if (input.quick) q = q.where(quickMatch(input.quick, ['po.name', 'po.employer', 'v.name']));
    return page(
      q,
      input,
      {
        id: 'po.id',
        name: 'po.name',
        department: 'po.department',
        villageName: 'v.name',
        monthlySubsidyFen: 'po.monthly_subsidy_fen',
        holders: '"holders"',
      },
      'po.id',
    );
  },

  async 'post.create'(ctx, input) {
    if (input.villageId) await villageOrThrow(ctx.db, input.villageId);
    const params = await readParameters(ctx.db);
    const now = nowIso();
    const row = await ctx.db
      .insertInto('post')
      .values({
        name: input.name,
        category: input.category,
        department: input.department,
        employer: input.employer ?? null,
        villageId: input.villageId ?? null,
        workForm: input.workForm,
        fundingSource: input.fundingSource ?? null,
        monthlySubsidyFen: input.monthlySubsidyFen,
        requiredDays: input.requiredDays ?? params.postDefaultRequiredDays,
        quota: input.quota,
        duties: input.duties ?? null,
        establishedOn: input.establishedOn ?? null,
        abolishedOn: null,
        createdAt: now,
        updatedAt: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(ctx, {
      action: '新增',
      entity: '公益性岗位',
      entityId: row.id,
      summary: `新增岗位：${row.name}`,
      after: row,
    });
    return row;
  },

  async 'post.update'(ctx, { id, ...patch }) {
    const before = await postOrThrow(ctx.db, id, 'id');
    if (patch.villageId) await villageOrThrow(ctx.db, patch.villageId);
    const row = await ctx.db
      .updateTable('post')
      .set({ ...stripUndefined(patch), updatedAt: nowIso() })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(ctx, {
      action: '修改',
      entity: '公益性岗位',
      entityId: id,
      summary: `修改岗位：${row.name}`,
      before,
      after: row,
    });
    return row;
  },

  async 'placement.list'(ctx, input) {
    const f = input.filter;
    let q = placementQuery(ctx.db);
    if (f.postId) q = q.where('pl.postId', '=', f.postId);
    if (f.personId) q = q.where('pl.personId', '=', f.personId);
    if (f.villageId) q = q.where('h.villageId', '=', f.villageId);
    if (f.activeOn) q = q.where(activeOn(f.activeOn));
    if (f.activeInMonth) q = q.where(sql<boolean>`${placementInMonth('pl', f.activeInMonth)}`);
    if (input.quick) q = q.where(quickMatch(input.quick, ['p.name', 'p.id_number', 'po.name', 'v.name']));
    const result = await page(
      q,
      input,
      {
        id: 'pl.id',
        hiredOn: 'pl.hired_on',
        agreementEnd: 'pl.agreement_end',
        personName: 'p.name',
        postName: 'po.name',
      },
      'pl.id',
    );
    return { total: result.total, rows: result.rows.map(maskAccount) };
  },

  'placement.eligibility': (ctx, input) => eligibility(ctx, input.postId, input.personId, input.hiredOn),

  async 'placement.hire'(ctx, input) {
    if (input.agreementEnd < input.agreementStart)
      throw new LedgerError('validation', '「协议结束日期」不能早于协议开始日期', 'agreementEnd');
    if (input.hiredOn < input.agreementStart || input.hiredOn > input.agreementEnd) {
      throw new LedgerError('validation', '「上岗日期」应在协议期内', 'hiredOn');
    }
    const check = await eligibility(ctx, input.postId, input.personId, input.hiredOn);
    const blocking = check.problems.filter((p) => !p.ok && p.blocking);
    if (blocking.length) {
      throw new LedgerError(
        'workflow',
        `不符合聘用条件：${blocking.map((p) => `${p.label}（${p.detail}）`).join('；')}`,
        'personId',
        check.problems,
      );
    }
    const warnings = check.problems.filter((p) => !p.ok && !p.blocking);
    if (warnings.length && !input.acknowledgeWarnings) {
      throw new LedgerError(
        'workflow',
        `请确认：${warnings.map((p) => `${p.label}（${p.detail}）`).join('；')}`,
        'acknowledgeWarnings',
        check.problems,
      );
    }
    const now = nowIso();
    const row = await ctx.db
      .insertInto('placement')
      .values({
        postId: input.postId,
        personId: input.personId,
        personCategory: input.personCategory ?? null,
        agreementType: input.agreementType,
        agreementStart: input.agreementStart,
        agreementEnd: input.agreementEnd,
        hiredOn: input.hiredOn,
        exitOn: null,
        exitReason: null,
        bankName: input.bankName ?? null,
        bankAccount: input.bankAccount ?? null,
        insurancePolicy: input.insurancePolicy ?? null,
        noticeOn: input.noticeOn ?? null,
        createdAt: now,
        updatedAt: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const post = await postOrThrow(ctx.db, input.postId);
    await audit(ctx, {
      action: '聘用',
      entity: '公益性岗位聘用',
      entityId: row.id,
      summary: `聘用上岗：${post.name}（${row.hiredOn}）`,
      after: row,
    });
    return row;
  },

  async 'placement.exit'(ctx, input) {
    const before = await placementOrThrow(ctx.db, input.placementId);
    if (before.exitOn) throw new LedgerError('workflow', `该聘用已于${before.exitOn}退岗`, 'placementId');
    if (input.exitOn < before.hiredOn)
      throw new LedgerError('validation', `「退岗日期」不能早于上岗日期（${before.hiredOn}）`, 'exitOn');
    const later = await ctx.db
      .selectFrom('attendance')
      .select(['month'])
      .where('placementId', '=', before.id)
      .where('month', '>', monthOf(input.exitOn))
      .where('days', '>', 0)
      .orderBy('month')
      .executeTakeFirst();
    if (later) throw new LedgerError('workflow', `${later.month}月已有出勤记录，退岗日期不能早于该月`, 'exitOn');
    const row = await ctx.db
      .updateTable('placement')
      .set({ exitOn: input.exitOn, exitReason: input.exitReason, updatedAt: nowIso() })
      .where('id', '=', before.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(ctx, {
      action: '退岗',
      entity: '公益性岗位聘用',
      entityId: row.id,
      summary: `退岗（${input.exitOn}）：${input.exitReason}`,
      before,
      after: row,
    });
    return row;
  },

  'attendance.sheet': (ctx, input) => attendanceSheet(ctx.db, input.month, input.department),

  async 'attendance.set'(ctx, input) {
    await refuseLocked(ctx.db, input.month);
    refuseFuture(ctx, input.month);
    const placement = await placementOrThrow(ctx.db, input.placementId);
    const inMonth = await ctx.db
      .selectFrom('placement as pl')
      .select('pl.id')
      .where('pl.id', '=', placement.id)
      .where(sql<boolean>`${placementInMonth('pl', input.month)}`)
      .executeTakeFirst();
    if (!inMonth)
      throw new LedgerError('validation', `该人员${input.month}月不在岗或不在协议期内，不能登记考勤`, 'month');
    const maxDays = monthDays(input.month);
    if (input.days > maxDays)
      throw new LedgerError('validation', `「出勤天数」不能超过${input.month}月的天数（${maxDays}天）`, 'days');
    const post = await postOrThrow(ctx.db, placement.postId);
    const existing = await ctx.db
      .selectFrom('attendance')
      .selectAll()
      .where('placementId', '=', placement.id)
      .where('month', '=', input.month)
      .executeTakeFirst();
    const requiredDays = existing?.requiredDays ?? post.requiredDays;
    const monthlySubsidyFen = existing?.monthlySubsidyFen ?? post.monthlySubsidyFen;
    const subsidyFen = proRataSubsidyFen(monthlySubsidyFen, requiredDays, input.days);
    if (input.deductionFen > subsidyFen)
      throw new LedgerError('validation', '「扣发金额」不能超过补贴金额', 'deductionFen');
    const values = {
      days: input.days,
      subsidyFen,
      deductionFen: input.deductionFen,
      deductionReason: input.deductionReason ?? null,
      note: input.note ?? null,
      updatedAt: nowIso(),
    };
    let row: Attendance;
    if (existing) {
      row = await ctx.db
        .updateTable('attendance')
        .set(values)
        .where('id', '=', existing.id)
        .returningAll()
        .executeTakeFirstOrThrow();
    } else {
      row = await ctx.db
        .insertInto('attendance')
        .values({
          ...values,
          placementId: placement.id,
          month: input.month,
          requiredDays,
          monthlySubsidyFen,
          createdAt: values.updatedAt,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
    }
    await audit(ctx, {
      action: existing ? '修改' : '新增',
      entity: '考勤',
      entityId: row.id,
      summary: `${input.month}月出勤${input.days}天`,
      before: existing ?? null,
      after: row,
    });
    const sheet = await attendanceSheet(ctx.db, input.month);
    return sheet.rows.find((r) => r.placementId === placement.id)!;
  },

  async 'payroll.generate'(ctx, { month }) {
    await refuseLocked(ctx.db, month);
    refuseFuture(ctx, month);
    const sheet = await attendanceSheet(ctx.db, month);
    const missing = sheet.rows.filter((r) => r.attendanceId === null);
    const now = nowIso();
    if (missing.length) {
      await ctx.db
        .insertInto('attendance')
        .values(
          missing.map((r) => ({
            placementId: r.placementId,
            month,
            requiredDays: r.requiredDays,
            days: Math.min(r.days, monthDays(month)),
            monthlySubsidyFen: r.monthlySubsidyFen,
            subsidyFen: r.subsidyFen,
            deductionFen: 0,
            deductionReason: null,
            note: null,
            createdAt: now,
            updatedAt: now,
          })),
        )
        .execute();
    }
    await ctx.db
      .insertInto('payrollMonth')
      .values({ month, generatedAt: now, lockedAt: null, lockedBy: null })
      .onConflict((oc) => oc.column('month').doUpdateSet({ generatedAt: now }))
      .execute();
    await audit(ctx, {
      action: '生成补贴表',
      entity: '补贴月',
      entityId: null,
      summary: `${month}月生成考勤补贴（新增${missing.length}人，共${sheet.rows.length}人）`,
    });
    return attendanceSheet(ctx.db, month);
  },

  async 'payroll.lock'(ctx, { month }) {
    await refuseLocked(ctx.db, month);
    const sheet = await attendanceSheet(ctx.db, month);
    if (!sheet.generated || sheet.rows.some((r) => r.attendanceId === null)) {
      throw new LedgerError('workflow', `${month}月还有人员未登记考勤，请先生成补贴表`, 'month');
    }
    const now = nowIso();
    await ctx.db
      .updateTable('payrollMonth')
      .set({ lockedAt: now, lockedBy: ctx.actor })
      .where('month', '=', month)
      .execute();
    await audit(ctx, {
      action: '锁定',
      entity: '补贴月',
      entityId: null,
      summary: `${month}月考勤补贴锁定：${sheet.totals.persons}人，补贴${sheet.totals.subsidyFen}分`,
    });
    return attendanceSheet(ctx.db, month);
  },
};
