/**
 * Month figures as of the month's last day, from the facts of domain/facts.ts (effective dates only), so a
 * past month gives the same answer whatever is recorded later about later dates.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { MonthStats, VillageStats } from '../../../shared/api.ts';
import { MONITORING_CATEGORIES } from '../../../shared/catalogs.ts';
import { monthEnd, monthStart } from '../../../shared/dates.ts';
import type { Database } from '../db/schema.ts';
import {
  caseMonitoredAt,
  employedInMonth,
  householdExistsAt,
  labourAt,
  movedInBy,
  personCurrentAt,
  placementInMonth,
  postExistsAt,
  siteBuiltBy,
} from '../domain/facts.ts';
import { readParameters } from './settings.ts';

async function count(db: Kysely<Database>, query: RawBuilder<unknown>): Promise<number> {
  const r = await sql<{ n: number | null }>`${query}`.execute(db);
  return Number(r.rows[0]?.n ?? 0);
}

export interface RelocationFigures {
  siteId: number;
  households: number;
  persons: number;
  labour: number;
  employed: number;
  zeroEmploymentHouseholds: number;
}

/** Per-site relocation figures for a month (as of its end). */
export async function relocationFigures(db: Kysely<Database>, month: string): Promise<RelocationFigures[]> {
  const end = monthEnd(month);
  const params = await readParameters(db);
  const labour = labourAt('p', end, params.labourAgeMin, params.labourAgeMax);
  const employed = employedInMonth('p', month);
  const result = await sql<RelocationFigures>`
    WITH rh AS (
      SELECT r.site_id, r.household_id FROM relocated_household r JOIN household h ON h.id = r.household_id
      WHERE ${movedInBy('r', end)} AND ${householdExistsAt('h', end)}
    ),
    members AS (
      SELECT rh.site_id, rh.household_id, p.id,
        CASE WHEN ${labour} THEN 1 ELSE 0 END AS is_labour,
        CASE WHEN ${labour} AND ${employed} THEN 1 ELSE 0 END AS is_employed
      FROM rh JOIN person p ON p.household_id = rh.household_id
      WHERE ${personCurrentAt('p', end)}
    ),
    per_household AS (
      SELECT site_id, household_id, sum(is_labour) AS labour, sum(is_employed) AS employed FROM members GROUP BY site_id, household_id
    )
    SELECT s.id AS "siteId",
      (SELECT count(*) FROM rh WHERE rh.site_id = s.id) AS households,
      (SELECT count(*) FROM members m WHERE m.site_id = s.id) AS persons,
      (SELECT coalesce(sum(is_labour), 0) FROM members m WHERE m.site_id = s.id) AS labour,
      (SELECT coalesce(sum(is_employed), 0) FROM members m WHERE m.site_id = s.id) AS employed,
      (SELECT count(*) FROM per_household x WHERE x.site_id = s.id AND x.labour > 0 AND x.employed = 0) AS "zeroEmploymentHouseholds"
    FROM relocation_site s
    ORDER BY s.id`.execute(db);
  return result.rows.map((r) => ({
    siteId: r.siteId,
    households: Number(r.households),
    persons: Number(r.persons),
    labour: Number(r.labour),
    employed: Number(r.employed),
    zeroEmploymentHouseholds: Number(r.zeroEmploymentHouseholds),
  }));
}

export async function monthStats(db: Kysely<Database>, month: string): Promise<MonthStats> {
  const start = monthStart(month);
  const end = monthEnd(month);

  const villages = await count(db, sql`SELECT count(*) AS n FROM village`);
  const households = await count(db, sql`SELECT count(*) AS n FROM household h WHERE ${householdExistsAt('h', end)}`);
  const persons = await count(
    db,
    sql`SELECT count(*) AS n FROM person p JOIN household h ON h.id = p.household_id WHERE ${personCurrentAt('p', end)} AND ${householdExistsAt('h', end)}`,
  );

  const byCategoryRows = await sql<{ category: string; n: number }>`
    SELECT c.category, count(DISTINCT c.household_id) AS n FROM monitoring_case c
    WHERE ${caseMonitoredAt('c', end)} GROUP BY c.category`.execute(db);
  const byCategory = Object.fromEntries(
    MONITORING_CATEGORIES.map((k) => [k, 0]),
  ) as MonthStats['monitoring']['byCategory'];
  for (const r of byCategoryRows.rows) {
    if (r.category in byCategory) byCategory[r.category as keyof typeof byCategory] = Number(r.n);
  }
  const current = await count(
    db,
    sql`SELECT count(DISTINCT c.household_id) AS n FROM monitoring_case c WHERE ${caseMonitoredAt('c', end)}`,
  );
  const eventsInMonth = (kind: string) =>
    count(
      db,
      sql`SELECT count(DISTINCT c.household_id) AS n FROM case_event e JOIN monitoring_case c ON c.id = e.case_id
          WHERE e.kind = ${kind} AND e.effective_date BETWEEN ${start} AND ${end}`,
    );

  const posts = await count(db, sql`SELECT count(*) AS n FROM post po WHERE ${postExistsAt('po', end)}`);
  const holdersInMonth = await count(
    db,
    sql`SELECT count(DISTINCT pl.person_id) AS n FROM placement pl WHERE ${placementInMonth('pl', month)}`,
  );
  const subsidyFenInMonth = await count(
    db,
    sql`SELECT coalesce(sum(a.subsidy_fen), 0) AS n FROM attendance a JOIN placement pl ON pl.id = a.placement_id
        WHERE a.month = ${month} AND ${placementInMonth('pl', month)}`,
  );

  const sites = await count(db, sql`SELECT count(*) AS n FROM relocation_site s WHERE ${siteBuiltBy('s', end)}`);
  const reloc = await relocationFigures(db, month);
  const sum = (k: keyof RelocationFigures) => reloc.reduce((a, r) => a + r[k], 0);

  return {
    villages,
    households,
    persons,
    monitoring: {
      asOf: end,
      current,
      byCategory,
      identifiedInMonth: await eventsInMonth('identified'),
      eliminatedInMonth: await eventsInMonth('eliminated'),
    },
    posts: { posts, holdersInMonth, subsidyFenInMonth },
    relocation: { sites, households: sum('households'), labour: sum('labour'), employed: sum('employed') },
  };
}

export async function villageStats(db: Kysely<Database>, month: string): Promise<VillageStats[]> {
  const end = monthEnd(month);
  const rows = await sql<{ villageId: number; villageName: string; category: string | null; n: number }>`
    SELECT v.id AS "villageId", v.name AS "villageName", c.category, count(DISTINCT c.household_id) AS n
    FROM village v
    LEFT JOIN household h ON h.village_id = v.id
    LEFT JOIN monitoring_case c ON c.household_id = h.id AND ${caseMonitoredAt('c', end)}
    GROUP BY v.id, c.category
    ORDER BY v.sort_order, v.code`.execute(db);
  const map = new Map<number, VillageStats>();
  for (const r of rows.rows) {
    const v = map.get(r.villageId) ?? {
      villageId: r.villageId,
      villageName: r.villageName,
      current: 0,
      byCategory: Object.fromEntries(MONITORING_CATEGORIES.map((k) => [k, 0])),
    };
    if (r.category) {
      v.byCategory[r.category] = Number(r.n);
      v.current += Number(r.n);
    }
    map.set(r.villageId, v);
  }
  return [...map.values()];
}
