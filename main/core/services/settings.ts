/** Township settings, parameters, income thresholds, villages and groups. */
import {
  DEFAULT_INCOME_THRESHOLDS,
  DEFAULT_PARAMETERS,
  ParametersSchema,
  type Parameters,
  type Settings,
} from '../../../shared/parameters.ts';
import type { Kysely } from 'kysely';
import { audit, nowIso } from '../context.ts';
import type { Database } from '../db/schema.ts';
import { VillageWrites } from '../domain/villages.ts';
import { notFound } from '../errors.ts';
import type { Handlers } from '../dispatcher.ts';

const SETTING_KEYS = ['townshipName', 'townshipCode', 'county', 'province'] as const;

export async function readSettings(db: Kysely<Database>): Promise<Settings | null> {
  const rows = await db.selectFrom('setting').selectAll().execute();
  const map = new Map(rows.map((r) => [r.key, r.value]));
  if (!SETTING_KEYS.every((k) => map.has(k))) return null;
  return Object.fromEntries(SETTING_KEYS.map((k) => [k, map.get(k)!])) as Settings;
}

export async function readParameters(db: Kysely<Database>): Promise<Parameters> {
  const rows = await db.selectFrom('parameter').selectAll().execute();
  const stored: Record<string, unknown> = {};
  for (const r of rows) stored[r.key] = JSON.parse(r.value);
  // Unknown or invalid stored keys fall back to defaults instead of breaking the app.
  const merged = { ...DEFAULT_PARAMETERS, ...ParametersSchema.partial().catch({}).parse(stored) };
  return merged;
}

/**
 * The monitoring threshold for a year: the year's own figure, else the latest earlier one
 * (domain.md §5.1: figures are per province and year, and several years were never published).
 */
export async function thresholdFor(
  db: Kysely<Database>,
  year: number,
): Promise<{ year: number; amountFen: number } | null> {
  const row = await db
    .selectFrom('incomeThreshold')
    .select(['year', 'amountFen'])
    .where('year', '<=', year)
    .orderBy('year', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ?? null;
}

export async function seedDefaults(db: Kysely<Database>): Promise<void> {
  const have = await db.selectFrom('incomeThreshold').select('year').limit(1).execute();
  if (have.length === 0) {
    await db
      .insertInto('incomeThreshold')
      .values([...DEFAULT_INCOME_THRESHOLDS])
      .execute();
  }
}

export async function villageOrThrow(db: Kysely<Database>, id: number, field = 'villageId') {
  const v = await db.selectFrom('village').selectAll().where('id', '=', id).executeTakeFirst();
  if (!v) throw notFound('行政村', id, field);
  return v;
}

export const settingsHandlers: Pick<
  Handlers,
  | 'settings.get'
  | 'settings.update'
  | 'parameters.get'
  | 'parameters.update'
  | 'thresholds.list'
  | 'thresholds.set'
  | 'village.list'
  | 'village.create'
  | 'village.update'
  | 'group.create'
> = {
  'settings.get': (ctx) => readSettings(ctx.db),

  async 'settings.update'(ctx, input) {
    const before = await readSettings(ctx.db);
    for (const key of SETTING_KEYS) {
      await ctx.db
        .insertInto('setting')
        .values({ key, value: input[key] })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value: input[key] }))
        .execute();
    }
    await audit(ctx, {
      action: '修改',
      entity: '乡镇设置',
      entityId: null,
      summary: `乡镇设置：${input.townshipName}`,
      before,
      after: input,
    });
    return input;
  },

  'parameters.get': (ctx) => readParameters(ctx.db),

  async 'parameters.update'(ctx, input) {
    const before = await readParameters(ctx.db);
    for (const [key, value] of Object.entries(input)) {
      if (value === undefined) continue;
      const json = JSON.stringify(value);
      await ctx.db
        .insertInto('parameter')
        .values({ key, value: json })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value: json }))
        .execute();
    }
    const after = await readParameters(ctx.db);
    await audit(ctx, {
      action: '修改',
      entity: '参数',
      entityId: null,
      summary: `修改参数：${Object.keys(input).join('、')}`,
      before,
      after,
    });
    return after;
  },

  'thresholds.list': (ctx) => ctx.db.selectFrom('incomeThreshold').selectAll().orderBy('year').execute(),

  async 'thresholds.set'(ctx, input) {
    const before = await ctx.db
      .selectFrom('incomeThreshold')
      .selectAll()
      .where('year', '=', input.year)
      .executeTakeFirst();
    const row = { year: input.year, amountFen: input.amountFen, source: input.source ?? null };
    await ctx.db
      .insertInto('incomeThreshold')
      .values(row)
      .onConflict((oc) => oc.column('year').doUpdateSet({ amountFen: row.amountFen, source: row.source }))
      .execute();
    await audit(ctx, {
      action: before ? '修改' : '新增',
      entity: '监测收入标准',
      entityId: input.year,
      summary: `${input.year}年监测收入标准`,
      before,
      after: row,
    });
    return row;
  },

  async 'village.list'(ctx) {
    const villages = await ctx.db
      .selectFrom('village as v')
      .selectAll('v')
      .select((eb) =>
        eb
          .selectFrom('household as h')
          .whereRef('h.villageId', '=', 'v.id')
          .where('h.closedOn', 'is', null)
          .select(eb.fn.countAll<number>().as('n'))
          .as('households'),
      )
      .orderBy('v.sortOrder')
      .orderBy('v.code')
      .execute();
    const groups = await ctx.db.selectFrom('villageGroup').selectAll().orderBy('name').execute();
    return villages.map((v) => ({
      ...v,
      households: Number(v.households ?? 0),
      groups: groups.filter((g) => g.villageId === v.id),
    }));
  },

  async 'village.create'(ctx, input) {
    const row = await villageOrThrow(ctx.db, new VillageWrites(ctx, nowIso()).addVillage(input));
    await audit(ctx, {
      action: '新增',
      entity: '行政村',
      entityId: row.id,
      summary: `新增行政村：${row.name}`,
      after: row,
    });
    return row;
  },

  async 'village.update'(ctx, { id, ...patch }) {
    const before = await villageOrThrow(ctx.db, id, 'id');
    new VillageWrites(ctx, nowIso()).updateVillage(id, patch);
    const row = await villageOrThrow(ctx.db, id, 'id');
    await audit(ctx, {
      action: '修改',
      entity: '行政村',
      entityId: id,
      summary: `修改行政村：${row.name}`,
      before,
      after: row,
    });
    return row;
  },

  async 'group.create'(ctx, input) {
    const village = await villageOrThrow(ctx.db, input.villageId);
    const row = await ctx.db.insertInto('villageGroup').values(input).returningAll().executeTakeFirstOrThrow();
    await audit(ctx, {
      action: '新增',
      entity: '村民小组',
      entityId: row.id,
      summary: `${village.name}新增村民小组：${row.name}`,
      after: row,
    });
    return row;
  },
};
