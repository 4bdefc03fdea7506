/** Households (户) and their members (家庭成员) — domain.md §2.2, §2.3. */
import { sql, type Kysely } from 'kysely';
import type { IncomeRow, PersonRow } from '../../../shared/api.ts';
import { ageOn } from '../../../shared/dates.ts';
import type { Household, IncomeSnapshot, Person } from '../../../shared/types.ts';
import { audit, nowIso } from '../context.ts';
import type { Database } from '../db/schema.ts';
import type { Handlers } from '../dispatcher.ts';
import { LedgerError, notFound } from '../errors.ts';
import { caseOpenNow, headNow, membersNow } from '../domain/facts.ts';
import { derivePersonal, Register } from '../domain/register.ts';
import { page, quickMatch } from './list.ts';
import { villageOrThrow } from './settings.ts';
import { helperLinks } from './case-records.ts';
import { caseRows } from './monitoring.ts';

export function householdQuery(db: Kysely<Database>) {
  return db
    .selectFrom('household as h')
    .innerJoin('village as v', 'v.id', 'h.villageId')
    .leftJoin('villageGroup as g', 'g.id', 'h.groupId')
    .selectAll('h')
    .select([
      'v.name as villageName',
      'g.name as groupName',
      headNow('h').as('headName'),
      headNow('h', 'id_number').as('headIdNumber'),
      membersNow('h').as('members'),
      sql<
        string | null
      >`(SELECT c.category FROM monitoring_case c WHERE c.household_id = h.id AND ${caseOpenNow('c')} LIMIT 1)`.as(
        'monitoringCategory',
      ),
      sql<
        string | null
      >`(SELECT c.status FROM monitoring_case c WHERE c.household_id = h.id ORDER BY c.id DESC LIMIT 1)`.as(
        'caseStatus',
      ),
    ]);
}

export async function householdOrThrow(db: Kysely<Database>, id: number, field = 'householdId'): Promise<Household> {
  const h = await db.selectFrom('household').selectAll().where('id', '=', id).executeTakeFirst();
  if (!h) throw notFound('户', id, field);
  return h;
}

async function checkGroup(db: Kysely<Database>, villageId: number, groupId: number | null | undefined) {
  if (groupId == null) return;
  const g = await db.selectFrom('villageGroup').selectAll().where('id', '=', groupId).executeTakeFirst();
  if (!g || g.villageId !== villageId) throw new LedgerError('validation', '村民小组不属于所选行政村', 'groupId');
}

export function personQuery(db: Kysely<Database>) {
  return db
    .selectFrom('person as p')
    .innerJoin('household as h', 'h.id', 'p.householdId')
    .innerJoin('village as v', 'v.id', 'h.villageId')
    .selectAll('p')
    .select(['v.id as villageId', 'v.name as villageName', 'h.hhNo as hhNo']);
}

export function withAge<T extends { birthDate: string }>(rows: T[], today: string): (T & { age: number })[] {
  return rows.map((r) => ({ ...r, age: ageOn(r.birthDate, today) }));
}

/** Net income from the components when all are known, else the 人均纯收入 the source reported (as `perCapitaNetFen`). */
export function incomeRow(s: IncomeSnapshot): IncomeRow {
  const parts = [s.wageFen, s.businessFen, s.propertyFen, s.transferFen, s.businessCostFen];
  const netFen = parts.every((p) => p !== null)
    ? s.wageFen! + s.businessFen! + s.propertyFen! + s.transferFen! - s.businessCostFen!
    : null;
  const perCapitaFen = netFen !== null ? Math.round(netFen / s.members) : s.reportedPerCapitaFen;
  return { ...s, netFen, perCapitaFen };
}

async function ensureSingleHead(db: Kysely<Database>, householdId: number, exceptPersonId?: number) {
  let q = db
    .selectFrom('person')
    .select(['id', 'name'])
    .where('householdId', '=', householdId)
    .where('relation', '=', '户主')
    .where('leftOn', 'is', null);
  if (exceptPersonId) q = q.where('id', '!=', exceptPersonId);
  const head = await q.executeTakeFirst();
  if (head) throw new LedgerError('conflict', `该户已有户主：${head.name}。一户只能有一个户主`, 'relation');
}

export async function personOrThrow(db: Kysely<Database>, id: number, field = 'personId'): Promise<Person> {
  const p = await db.selectFrom('person').selectAll().where('id', '=', id).executeTakeFirst();
  if (!p) throw notFound('人员', id, field);
  return p;
}

export const householdHandlers: Pick<
  Handlers,
  | 'household.list'
  | 'household.get'
  | 'household.create'
  | 'household.update'
  | 'person.list'
  | 'person.create'
  | 'person.update'
  | 'person.changeStatus'
> = {
  async 'household.list'(ctx, input) {
    const f = input.filter;
    let q = householdQuery(ctx.db);
    if (f.villageId) q = q.where('h.villageId', '=', f.villageId);
    if (f.groupId) q = q.where('h.groupId', '=', f.groupId);
    if (f.hhType) q = q.where('h.hhType', '=', f.hhType);
    if (f.exitedPoverty !== undefined) q = q.where('h.exitedPoverty', '=', f.exitedPoverty);
    if (!f.includeClosed) q = q.where('h.closedOn', 'is', null);
    if (f.monitoringCategory) {
      q = q.where(
        sql<boolean>`EXISTS (SELECT 1 FROM monitoring_case c WHERE c.household_id = h.id AND ${caseOpenNow('c')} AND c.category = ${f.monitoringCategory})`,
      );
    }
    if (input.quick) {
      const term = input.quick;
      q = q.where((eb) =>
        eb.or([
          quickMatch(term, ['h.hh_no', 'h.address', 'h.phone', 'v.name']),
          sql<boolean>`EXISTS (SELECT 1 FROM person p WHERE p.household_id = h.id AND (instr(p.name, ${term}) > 0 OR instr(p.id_number, ${term}) > 0))`,
        ]),
      );
    }
    return page(
      q,
      input,
      {
        id: 'h.id',
        hhNo: 'h.hh_no',
        villageName: 'v.name',
        headName: '"headName"',
        members: '"members"',
        hhType: 'h.hh_type',
        updatedAt: 'h.updated_at',
      },
      'h.id',
    );
  },

  async 'household.get'(ctx, { id }) {
    const household = await householdQuery(ctx.db).where('h.id', '=', id).executeTakeFirst();
    if (!household) throw notFound('户', id);
    const today = ctx.today();
    const members = withAge(
      await personQuery(ctx.db)
        .where('p.householdId', '=', id)
        .orderBy(sql`p.relation <> '户主'`)
        .orderBy('p.birthDate')
        .execute(),
      today,
    ) as PersonRow[];
    const personEvents = await ctx.db
      .selectFrom('personEvent as e')
      .innerJoin('person as p', 'p.id', 'e.personId')
      .selectAll('e')
      .where('p.householdId', '=', id)
      .orderBy('e.effectiveDate')
      .execute();
    const incomes = (
      await ctx.db.selectFrom('incomeSnapshot').selectAll().where('householdId', '=', id).orderBy('asOf').execute()
    ).map(incomeRow);
    const measures = await ctx.db
      .selectFrom('measure')
      .selectAll()
      .where('householdId', '=', id)
      .orderBy('startDate')
      .execute();
    const visits = await ctx.db
      .selectFrom('visit')
      .selectAll()
      .where('householdId', '=', id)
      .orderBy('visitedOn', 'desc')
      .execute();
    const relocation =
      (await ctx.db
        .selectFrom('relocatedHousehold as r')
        .innerJoin('relocationSite as s', 's.id', 'r.siteId')
        .selectAll('r')
        .select('s.name as siteName')
        .where('r.householdId', '=', id)
        .executeTakeFirst()) ?? null;
    return {
      household,
      members,
      personEvents,
      cases: await caseRows(ctx.db, (q) => q.where('c.householdId', '=', id)),
      incomes,
      measures,
      visits,
      helpers: await helperLinks(ctx.db, id),
      relocation,
    };
  },

  async 'household.create'(ctx, input) {
    await villageOrThrow(ctx.db, input.villageId);
    await checkGroup(ctx.db, input.villageId, input.groupId);
    // Without a date the household exists from the day it is recorded, so past months' figures do not change.
    const id = new Register(ctx, nowIso()).addHousehold(input, input.establishedOn ?? ctx.today());
    const row = await householdOrThrow(ctx.db, id);
    await audit(ctx, {
      action: '新增',
      entity: '户',
      entityId: row.id,
      summary: `新增户${row.hhNo ? `（户编号 ${row.hhNo}）` : ''}`,
      after: row,
    });
    return row;
  },

  async 'household.update'(ctx, { id, ...patch }) {
    const before = await householdOrThrow(ctx.db, id, 'id');
    const villageId = patch.villageId ?? before.villageId;
    if (patch.villageId) await villageOrThrow(ctx.db, patch.villageId);
    await checkGroup(ctx.db, villageId, patch.groupId === undefined ? before.groupId : patch.groupId);
    new Register(ctx, nowIso()).updateHousehold(id, patch);
    const row = await householdOrThrow(ctx.db, id);
    await audit(ctx, {
      action: '修改',
      entity: '户',
      entityId: id,
      summary: `修改户信息${row.hhNo ? `（户编号 ${row.hhNo}）` : ''}`,
      before,
      after: row,
    });
    return row;
  },

  async 'person.list'(ctx, input) {
    const f = input.filter;
    let q = personQuery(ctx.db);
    if (f.villageId) q = q.where('h.villageId', '=', f.villageId);
    if (f.householdId) q = q.where('p.householdId', '=', f.householdId);
    if (f.gender) q = q.where('p.gender', '=', f.gender as '男' | '女');
    if (f.labourCapacity) q = q.where('p.labourCapacity', '=', f.labourCapacity);
    if (f.health) q = q.where('p.health', '=', f.health);
    if (!f.includeLeft) q = q.where('p.leftOn', 'is', null);
    if (input.quick) q = q.where(quickMatch(input.quick, ['p.name', 'p.id_number', 'h.hh_no', 'p.phone', 'v.name']));
    const result = await page(
      q,
      input,
      {
        id: 'p.id',
        name: 'p.name',
        idNumber: 'p.id_number',
        birthDate: 'p.birth_date',
        villageName: 'v.name',
        hhNo: 'h.hh_no',
        relation: 'p.relation',
        updatedAt: 'p.updated_at',
      },
      'p.id',
    );
    return { total: result.total, rows: withAge(result.rows, ctx.today()) };
  },

  async 'person.create'(ctx, input) {
    const household = await householdOrThrow(ctx.db, input.householdId);
    if (household.closedOn) throw new LedgerError('validation', '该户已销户，不能新增成员', 'householdId');
    if (input.relation === '户主') await ensureSingleHead(ctx.db, input.householdId);
    const { joinKind, ...person } = input;
    const register = new Register(ctx, nowIso());
    const id = register.addPerson(person);
    // Joining an existing household on a date (birth, marriage…) is an event; see Register.recordPersonEvent.
    if (person.joinedOn) register.recordPersonEvent(id, joinKind ?? '其他增加', person.joinedOn);
    const row = await personOrThrow(ctx.db, id);
    await audit(ctx, {
      action: '新增',
      entity: '人员',
      entityId: row.id,
      summary: `新增家庭成员：${row.name}（${row.relation}）`,
      after: row,
    });
    return row;
  },

  async 'person.update'(ctx, { id, ...patch }) {
    const before = await personOrThrow(ctx.db, id, 'id');
    const idNumber = patch.idNumber ?? before.idNumber;
    const relation = patch.relation ?? before.relation;
    const info = derivePersonal(idNumber, patch.gender, relation);
    if (relation === '户主' && before.relation !== '户主' && !before.leftOn)
      await ensureSingleHead(ctx.db, before.householdId, id);
    const { gender: _g, ...rest } = patch;
    new Register(ctx, nowIso()).updatePerson(id, { ...rest, gender: info.gender, birthDate: info.birthDate });
    const row = await personOrThrow(ctx.db, id);
    await audit(ctx, {
      action: '修改',
      entity: '人员',
      entityId: id,
      summary: `修改人员信息：${row.name}`,
      before,
      after: row,
    });
    return row;
  },

  async 'person.changeStatus'(ctx, input) {
    const before = await personOrThrow(ctx.db, input.personId);
    if (before.leftOn) {
      throw new LedgerError(
        'workflow',
        `${before.name}已于${before.leftOn}减少（${before.leftReason}），不能再次变更`,
        'personId',
      );
    }
    if (before.joinedOn && input.effectiveDate < before.joinedOn) {
      throw new LedgerError('validation', `「生效日期」不能早于加入日期 ${before.joinedOn}`, 'effectiveDate');
    }
    if (input.effectiveDate > ctx.today()) {
      throw new LedgerError('validation', '「生效日期」不能晚于今天', 'effectiveDate');
    }
    const register = new Register(ctx, nowIso());
    register.updatePerson(input.personId, { leftOn: input.effectiveDate, leftReason: input.kind });
    register.recordPersonEvent(input.personId, input.kind, input.effectiveDate, input.note ?? null);
    const row = await personOrThrow(ctx.db, input.personId);
    await audit(ctx, {
      action: '人员减少',
      entity: '人员',
      entityId: row.id,
      summary: `${row.name}：${input.kind}（${input.effectiveDate}）`,
      before,
      after: row,
    });
    return row;
  },
};

/** Kysely treats `undefined` as "set to NULL" in some paths; a patch leaves absent fields alone. */
export function stripUndefined<T extends object>(o: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]: Exclude<T[K], undefined>;
  };
}
