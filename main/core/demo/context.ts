/**
 * What every part of the demo generator shares: one seeded random stream, the cached insert statements, the
 * summary being counted and the small draws (names, phones, ID numbers, dates) the domain modules all use.
 * The generator is deterministic only because every module draws from this one stream in a fixed order: a
 * draw added, removed or moved anywhere changes every record after it, so changes here are changes to the
 * demo township.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { addDays, daysBetween, monthEnd } from '../../../shared/dates.ts';
import { computeCheckChar } from '../../../shared/idnumber.ts';
import { DEFAULT_INCOME_THRESHOLDS } from '../../../shared/parameters.ts';
import type { Connection } from '../db/query.ts';
import { CaseWrites } from '../domain/cases.ts';
import { PostWrites } from '../domain/posts.ts';
import { Register } from '../domain/register.ts';
import { RelocationWrites } from '../domain/relocation.ts';
import { GIVEN, SURNAMES } from './names.ts';
import { Random } from './random.ts';

export const DEMO_LAST_MONTH = '2026-10';
export const DEMO_END = monthEnd(DEMO_LAST_MONTH);
/** Region code of the fictional county (prefecture 5299 does not exist). */
export const REGION = '529901';
/** The one timestamp of every created_at/updated_at: the demo is the same file whenever it is generated. */
export const DEMO_NOW = '2026-11-01T00:00:00.000Z';

export const LABOUR_FORCE = ['普通劳动力', '技能劳动力', '弱劳动力或半劳动力'];

export type DemoScale = 'township' | 'county';

export interface ScaleSpec {
  villages: number;
  households: number;
  sizes: readonly (readonly [number, number])[];
  caseRate: number;
  posts: number;
  sites: number;
  relocated: number;
  helpers: number;
}

const SCALES: Record<DemoScale, ScaleSpec> = {
  township: {
    villages: 12,
    households: 3000,
    sizes: [
      [1, 6],
      [2, 15],
      [3, 22],
      [4, 30],
      [5, 17],
      [6, 10],
    ],
    caseRate: 0.065,
    posts: 200,
    sites: 3,
    relocated: 400,
    helpers: 40,
  },
  county: {
    villages: 250,
    households: 100_000,
    sizes: [
      [1, 3],
      [2, 10],
      [3, 20],
      [4, 32],
      [5, 20],
      [6, 15],
    ],
    caseRate: 0.06,
    posts: 3000,
    sites: 20,
    relocated: 13_000,
    helpers: 600,
  },
};

export interface DemoSummary {
  scale: DemoScale;
  /** Data-quality problems planted on purpose, by rule code (resources/README.md lists them). */
  planted: Record<string, number>;
  seed: number;
  villages: number;
  households: number;
  persons: number;
  cases: number;
  posts: number;
  placements: number;
  sites: number;
  relocatedHouseholds: number;
  employments: number;
  visits: number;
  measures: number;
}

/** A generated person as the later steps (cases, posts, relocation, planted problems) need to see it. */
export interface GenPerson {
  id: number;
  relation: string;
  gender: '男' | '女';
  birthDate: string;
  health: string;
  labourCapacity: string;
  schoolStatus: string | null;
  leftOn: string | null;
}

export interface GenHousehold {
  id: number;
  villageIdx: number;
  poor: boolean;
  persons: GenPerson[];
  /** Risks a monitoring case will be opened for; narrowed to those the members fit when the case is made. */
  plannedRisks: string[] | null;
}

/** Villages by index (0-based, in sort order) with their names and group ids. */
export interface DemoVillages {
  ids: number[];
  names: string[];
  groupIds: number[][];
}

/** Inserts one row with positional values (in the order of the columns) and returns its rowid. */
export type InsertRow = (...values: unknown[]) => number;

export class DemoContext {
  readonly raw: BetterSqlite3.Database;
  /** The household register's writes, the same as the forms' and the imports'. */
  readonly register: Register;
  readonly posts: PostWrites;
  readonly relocation: RelocationWrites;
  readonly cases: CaseWrites;
  readonly rnd: Random;
  readonly scale: DemoScale;
  readonly spec: ScaleSpec;
  readonly summary: DemoSummary;
  private readonly statements = new Map<string, InsertRow>();
  private readonly usedIds = new Set<string>();

  constructor(conn: Connection, scale: DemoScale, seed: number) {
    const spec = SCALES[scale];
    this.raw = conn.raw;
    this.register = new Register(conn, DEMO_NOW);
    this.posts = new PostWrites(conn, DEMO_NOW);
    this.relocation = new RelocationWrites(conn, DEMO_NOW);
    this.cases = new CaseWrites(conn, DEMO_NOW);
    this.rnd = new Random(seed);
    this.scale = scale;
    this.spec = spec;
    this.summary = {
      scale,
      seed,
      planted: {},
      villages: spec.villages,
      households: spec.households,
      persons: 0,
      cases: 0,
      posts: 0,
      placements: 0,
      sites: spec.sites,
      relocatedHouseholds: 0,
      employments: 0,
      visits: 0,
      measures: 0,
    };
  }

  /** The insert for a table, prepared once (a table always comes with the same column list). */
  insert(table: string, columns: readonly string[]): InsertRow {
    let row = this.statements.get(table);
    if (!row) {
      const stmt = this.raw.prepare(
        `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
      );
      row = (...values: unknown[]) => Number(stmt.run(...values).lastInsertRowid);
      this.statements.set(table, row);
    }
    return row;
  }

  /** Counts a data-quality problem planted on purpose under its rule code. */
  plant(rule: string, n = 1): void {
    this.summary.planted[rule] = (this.summary.planted[rule] ?? 0) + n;
  }

  /** A GB 11643 ID number with a valid checksum, unique within the demo. */
  idNumber(birth: string, gender: '男' | '女'): string {
    const digits = birth.replaceAll('-', '');
    let seq = this.rnd.int(0, 499) * 2 + (gender === '男' ? 1 : 0);
    for (;;) {
      const first17 = `${REGION}${digits}${String(seq).padStart(3, '0')}`;
      const id = first17 + computeCheckChar(first17);
      if (!this.usedIds.has(id)) {
        this.usedIds.add(id);
        return id;
      }
      seq = (seq + 2) % 1000;
    }
  }

  name(surname?: string): string {
    const rnd = this.rnd;
    return (surname ?? rnd.pick(SURNAMES)) + rnd.pick(GIVEN) + (rnd.chance(0.7) ? rnd.pick(GIVEN) : '');
  }

  phone(): string {
    const rnd = this.rnd;
    return `1${rnd.pick(['3', '5', '8', '9'])}${rnd.int(0, 9)}${String(rnd.int(0, 99_999_999)).padStart(8, '0')}`;
  }

  birthForAge(age: number): string {
    return addDays(`${2026 - age}-01-01`, -this.rnd.int(0, 364));
  }

  dateBetween(from: string, to: string): string {
    return addDays(from, this.rnd.int(0, Math.max(0, daysBetween(from, to))));
  }
}

/** The per-capita income threshold of a year (the latest one in force), in fen. */
export function thresholdFen(year: number): number {
  return [...DEFAULT_INCOME_THRESHOLDS].reverse().find((t) => t.year <= year)?.amountFen ?? 600_000;
}
