/**
 * Public-welfare posts and who holds them: posts, hiring with its eligibility conditions, exits (domain.md §2.8,
 * §3.5, §5.3 with attendance.ts and payroll.ts). What a holder does month by month is elsewhere: hiring decides
 * who may be paid, attendance and payroll only how much.
 */
import { sql, type Kysely } from 'kysely';
import type { Condition, Eligibility } from '../../../shared/api.ts';
import { NO_LABOUR_CAPACITIES } from '../../../shared/catalogs.ts';
import { ageOn, monthEnd, monthOf } from '../../../shared/dates.ts';
import { maskAccountNumber } from '../../../shared/mask.ts';
import type { Placement, Post } from '../../../shared/types.ts';
import { audit, nowIso, type Ctx } from '../context.ts';
import type { Database } from '../db/schema.ts';
import type { Handlers } from '../dispatcher.ts';
import { LedgerError, notFound } from '../errors.ts';
import { PostWrites } from '../domain/posts.ts';
import { placementInMonth } from '../domain/facts.ts';
import { personOrThrow, stripUndefined } from './households.ts';
import { page, quickMatch } from './list.ts';
import { monthLocked } from './attendance.ts';
import { readParameters, villageOrThrow } from './settings.ts';

export async function postOrThrow(db: Kysely<Database>, id: number, field = 'postId'): Promise<Post> {
  const p = await db.selectFrom('post').selectAll().where('id', '=', id).executeTakeFirst();
  if (!p) throw notFound('公益性岗位', id, field);
  return p;
}

export async function placementOrThrow(db: Kysely<Database>, id: number): Promise<Placement> {
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

export const postHandlers: Pick<
  Handlers,
  | 'post.list'
  | 'post.create'
  | 'post.update'
  | 'placement.list'
  | 'placement.eligibility'
  | 'placement.hire'
  | 'placement.exit'
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
    const row = await postOrThrow(ctx.db, new PostWrites(ctx, now).addPost(input, params.postDefaultRequiredDays));
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
    const row = await placementOrThrow(ctx.db, new PostWrites(ctx, now).addPlacement(input));
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
    // An exit inside a locked month would change what that month paid (its required days and subsidy).
    const exitMonth = monthOf(input.exitOn);
    const lock = await monthLocked(ctx.db, exitMonth);
    if (lock?.lockedAt && input.exitOn < monthEnd(exitMonth))
      throw new LedgerError(
        'locked',
        `${exitMonth}月的考勤补贴已于${lock.lockedAt.slice(0, 10)}锁定，退岗日期不能在该月月末之前；如确需更正，请先解锁该月`,
        'exitOn',
      );
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
};
