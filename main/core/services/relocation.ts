/** Relocation sites, relocated households and employment of relocated labour (domain.md §2.9, §3.6). */
import { sql, type Kysely } from 'kysely';
import type { SiteRow } from '../../../shared/api.ts';
import { monthEnd, monthOf } from '../../../shared/dates.ts';
import type { RelocationSite } from '../../../shared/types.ts';
import { audit, nowIso } from '../context.ts';
import type { Database } from '../db/schema.ts';
import type { Handlers } from '../dispatcher.ts';
import { LedgerError, notFound } from '../errors.ts';
import { employedInMonth, headNow, labourAt, personCurrentAt } from '../domain/facts.ts';
import { EmploymentWrites } from '../domain/employment.ts';
import { RelocationWrites } from '../domain/relocation.ts';
import { relocationFigures } from './figures.ts';
import { householdOrThrow, personOrThrow, stripUndefined } from './households.ts';
import { page, quickMatch } from './list.ts';
import { readParameters, villageOrThrow } from './settings.ts';

async function siteOrThrow(db: Kysely<Database>, id: number, field = 'siteId'): Promise<RelocationSite> {
  const s = await db.selectFrom('relocationSite').selectAll().where('id', '=', id).executeTakeFirst();
  if (!s) throw notFound('安置点', id, field);
  return s;
}

export const relocationHandlers: Pick<
  Handlers,
  | 'site.list'
  | 'site.create'
  | 'site.update'
  | 'relocated.list'
  | 'relocated.link'
  | 'relocated.update'
  | 'employment.list'
  | 'employment.add'
  | 'employment.update'
> = {
  async 'site.list'(ctx, input) {
    const month = input.month ?? monthOf(ctx.today());
    const params = await readParameters(ctx.db);
    const sites = await ctx.db
      .selectFrom('relocationSite as s')
      .leftJoin('village as v', 'v.id', 's.villageId')
      .selectAll('s')
      .select('v.name as villageName')
      .orderBy('s.id')
      .execute();
    const figures = new Map((await relocationFigures(ctx.db, month)).map((f) => [f.siteId, f]));
    return sites.map((s): SiteRow => {
      const f = figures.get(s.id)!;
      return {
        ...s,
        facilities: JSON.parse(s.facilities) as string[],
        households: f.households,
        persons: f.persons,
        labour: f.labour,
        employed: f.employed,
        employmentRate: f.labour > 0 ? f.employed / f.labour : null,
        zeroEmploymentHouseholds: f.zeroEmploymentHouseholds,
        sizeClass: (s.reportedPersons ?? f.persons) >= params.largeSitePersons ? '大型' : '小型',
      };
    });
  },

  async 'site.create'(ctx, input) {
    if (input.villageId) await villageOrThrow(ctx.db, input.villageId);
    const now = nowIso();
    const row = await ctx.db
      .insertInto('relocationSite')
      .values({
        name: input.name,
        code: input.code ?? null,
        villageId: input.villageId ?? null,
        location: input.location ?? null,
        method: input.method,
        subtype: input.subtype ?? null,
        batchYear: input.batchYear ?? null,
        builtOn: input.builtOn ?? null,
        reportedHouseholds: input.reportedHouseholds ?? null,
        reportedPersons: input.reportedPersons ?? null,
        facilities: JSON.stringify(input.facilities),
        workshops: input.workshops,
        industryProjects: input.industryProjects,
        partyOrg: input.partyOrg,
        residentCommittee: input.residentCommittee,
        workTeam: input.workTeam ?? null,
        note: input.note ?? null,
        createdAt: now,
        updatedAt: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(ctx, {
      action: '新增',
      entity: '安置点',
      entityId: row.id,
      summary: `新增安置点：${row.name}`,
      after: row,
    });
    return row;
  },

  async 'site.update'(ctx, { id, facilities, ...patch }) {
    const before = await siteOrThrow(ctx.db, id, 'id');
    if (patch.villageId) await villageOrThrow(ctx.db, patch.villageId);
    const row = await ctx.db
      .updateTable('relocationSite')
      .set({
        ...stripUndefined(patch),
        ...(facilities ? { facilities: JSON.stringify(facilities) } : {}),
        updatedAt: nowIso(),
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(ctx, {
      action: '修改',
      entity: '安置点',
      entityId: id,
      summary: `修改安置点：${row.name}`,
      before,
      after: row,
    });
    return row;
  },

  async 'relocated.list'(ctx, input) {
    const month = monthOf(ctx.today());
    const end = monthEnd(month);
    const params = await readParameters(ctx.db);
    let q = ctx.db
      .selectFrom('relocatedHousehold as r')
      .innerJoin('relocationSite as s', 's.id', 'r.siteId')
      .innerJoin('household as h', 'h.id', 'r.householdId')
      .selectAll('r')
      .select([
        's.name as siteName',
        'h.hhNo as hhNo',
        headNow('h').as('headName'),
        sql<number>`(SELECT count(*) FROM person p WHERE p.household_id = h.id AND ${personCurrentAt('p', end)})`.as(
          'members',
        ),
        sql<number>`(SELECT count(*) FROM person p WHERE p.household_id = h.id AND ${personCurrentAt('p', end)} AND ${labourAt('p', end, params.labourAgeMin, params.labourAgeMax)})`.as(
          'labour',
        ),
        sql<number>`(SELECT count(*) FROM person p WHERE p.household_id = h.id AND ${personCurrentAt('p', end)} AND ${labourAt('p', end, params.labourAgeMin, params.labourAgeMax)} AND ${employedInMonth('p', month)})`.as(
          'employed',
        ),
      ]);
    if (input.filter.siteId) q = q.where('r.siteId', '=', input.filter.siteId);
    if (input.quick) {
      const term = input.quick;
      q = q.where((eb) =>
        eb.or([
          quickMatch(term, ['h.hh_no', 's.name', 'r.origin_address']),
          sql<boolean>`EXISTS (SELECT 1 FROM person p WHERE p.household_id = h.id AND instr(p.name, ${term}) > 0)`,
        ]),
      );
    }
    return page(
      q,
      input,
      { id: 'r.id', headName: '"headName"', movedInOn: 'r.moved_in_on', siteName: 's.name' },
      'r.id',
    );
  },

  async 'relocated.link'(ctx, input) {
    const site = await siteOrThrow(ctx.db, input.siteId);
    await householdOrThrow(ctx.db, input.householdId);
    if (input.reclaimedOn && !input.oldHouseReclaimed)
      throw new LedgerError('validation', '填写了复垦日期，请同时勾选「拆旧复垦」', 'oldHouseReclaimed');
    const now = nowIso();
    const id = new RelocationWrites(ctx, now).linkHousehold(input);
    const row = await ctx.db
      .selectFrom('relocatedHousehold')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    await audit(ctx, {
      action: '关联搬迁户',
      entity: '安置点',
      entityId: site.id,
      summary: `${site.name}关联搬迁户（户 ${input.householdId}，${input.movedInOn}入住）`,
      after: row,
    });
    return row;
  },

  async 'relocated.update'(ctx, { id, ...patch }) {
    const before = await ctx.db.selectFrom('relocatedHousehold').selectAll().where('id', '=', id).executeTakeFirst();
    if (!before) throw notFound('搬迁户', id);
    if (patch.siteId) await siteOrThrow(ctx.db, patch.siteId);
    new RelocationWrites(ctx, nowIso()).updateRelocated(id, patch);
    const row = await ctx.db
      .selectFrom('relocatedHousehold')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    await audit(ctx, { action: '修改', entity: '搬迁户', entityId: id, summary: '修改搬迁户信息', before, after: row });
    return row;
  },

  async 'employment.list'(ctx, input) {
    const f = input.filter;
    let q = ctx.db
      .selectFrom('employment as em')
      .innerJoin('person as p', 'p.id', 'em.personId')
      .leftJoin('relocatedHousehold as r', 'r.householdId', 'p.householdId')
      .leftJoin('relocationSite as s', 's.id', 'r.siteId')
      .selectAll('em')
      .select(['p.name as personName', 'p.householdId as householdId', 's.name as siteName']);
    if (f.personId) q = q.where('em.personId', '=', f.personId);
    if (f.householdId) q = q.where('p.householdId', '=', f.householdId);
    if (f.siteId) q = q.where('r.siteId', '=', f.siteId);
    if (f.activeInMonth) {
      const m = f.activeInMonth;
      q = q
        .where('em.startMonth', '<=', m)
        .where((eb) => eb.or([eb('em.endMonth', 'is', null), eb('em.endMonth', '>=', m)]));
    }
    if (input.quick) q = q.where(quickMatch(input.quick, ['p.name', 'em.employer', 'em.place', 's.name']));
    return page(q, input, { id: 'em.id', startMonth: 'em.start_month', personName: 'p.name' }, 'em.id');
  },

  async 'employment.add'(ctx, input) {
    const person = await personOrThrow(ctx.db, input.personId);
    if (input.endMonth && input.endMonth < input.startMonth)
      throw new LedgerError('validation', '「结束年月」不能早于开始年月', 'endMonth');
    const id = new EmploymentWrites(ctx, nowIso()).addEmployment(input);
    const row = await ctx.db.selectFrom('employment').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    await audit(ctx, {
      action: '新增',
      entity: '就业记录',
      entityId: row.id,
      summary: `${person.name}就业：${row.channel}（${row.startMonth}起）`,
      after: row,
    });
    return row;
  },

  async 'employment.update'(ctx, { id, ...patch }) {
    const before = await ctx.db.selectFrom('employment').selectAll().where('id', '=', id).executeTakeFirst();
    if (!before) throw notFound('就业记录', id);
    const start = patch.startMonth ?? before.startMonth;
    const end = patch.endMonth === undefined ? before.endMonth : patch.endMonth;
    if (end && end < start) throw new LedgerError('validation', '「结束年月」不能早于开始年月', 'endMonth');
    new EmploymentWrites(ctx, nowIso()).updateEmployment(id, stripUndefined(patch));
    const row = await ctx.db.selectFrom('employment').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    await audit(ctx, {
      action: '修改',
      entity: '就业记录',
      entityId: id,
      summary: `修改就业记录：${row.channel ?? '就业方式未填'}（${row.startMonth}起）`,
      before,
      after: row,
    });
    return row;
  },
};
