/** The row loop every import kind shares: data rows under the header, cell access by field, errors by row and column. */
import type BetterSqlite3 from 'better-sqlite3';
import type { ImportError, ImportResult } from '../../../../shared/api.ts';
import { isHeaderRepeat, isSkippable, type HeaderMatch } from './header.ts';
import { clean, idText, personIdOf } from './parse.ts';
import type { Cell, Table } from './read.ts';
import type { z } from 'zod';
import { nationalLabel } from '../../../../shared/legacy-labels.ts';
import { HIDDEN_CHARACTERS } from '../../../../shared/schemas.ts';

const ALL_HIDDEN = new RegExp(HIDDEN_CHARACTERS.source, 'g');

export interface ValueOptions {
  /** The legacy-label list to map from (shared/legacy-labels.ts); the field's own name by default. */
  labels?: string;
  /** A refused value keeps the row: it is dropped with a warning instead of rejecting the row. */
  optional?: boolean;
}

/**
 * One data row. `dataRows` hands out the same object for every row of a table (no per-row allocation of
 * accessors): take what you need from it before asking for the next row.
 */
export interface DataRow {
  /** 0-based index into the table. */
  index: number;
  /** 1-based row number as Excel shows it. */
  row: number;
  get: (field: string) => Cell;
  /** The field's cell as cleaned text, as `clean(get(field))`: '' when blank or absent. */
  text: (field: string) => string;
  /** Excel stored this field's cell as a number (an ID so stored has lost digits). */
  numeric: (field: string) => boolean;
  /** The column's header text as in the file. */
  label: (field: string) => string;
  err: (field: string, message: string, value?: Cell) => void;
  /** Something taken with a change or dropped, that the user should see (the row is still taken). */
  warn: (field: string, message: string, value?: Cell) => void;
  /**
   * The field's cell checked by the operation's zod schema for that field (the one definition of value lists,
   * lengths and formats that forms and the API use): null when blank, or when refused (the error is recorded,
   * or a warning when `optional`). An old or everyday label with a certain national counterpart is taken as
   * that label, with a warning.
   */
  value: <T extends z.ZodType>(
    field: string,
    schema: T,
    cell?: Cell,
    options?: ValueOptions,
  ) => NonNullable<z.output<T>> | null;
  /** This row's errors so far. */
  errors: ImportError[];
  /** This row's warnings so far. */
  warnings: ImportError[];
}

export function noHeader(table: Table, needs: string): ImportResult {
  return {
    read: 0,
    inserted: 0,
    updated: 0,
    unchanged: 0,
    rejected: 0,
    warnings: [],
    errors: [
      { sheet: table.sheet, row: 1, column: '', value: '', message: `找不到表头：前15行中没有同时包含${needs}的行` },
    ],
  };
}

/** What a schema said about one value: its output, or the first issue's message. */
type Verdict = { ok: true; data: unknown } | { ok: false; message: string };

/**
 * Values remembered per schema, at most this many: catalog columns (民族, 文化程度 …) repeat a few values on
 * every row, while names and phones are nearly all different and would only fill memory.
 */
const VERDICTS_PER_SCHEMA = 4096;

/**
 * What one schema said about the values seen so far: each distinct value (while there are few), and the last one
 * (a household's 户编号 repeats on its consecutive rows however many households the file has).
 */
interface Memory {
  known: Map<unknown, Verdict>;
  lastGiven: unknown;
  last: Verdict | undefined;
}

/** The row cursor behind `dataRows`: moved from row to row, its methods shared by all rows. */
class RowCursor implements DataRow {
  index = 0;
  row = 0;
  errors: ImportError[] = [];
  warnings: ImportError[] = [];
  private cells: Cell[] = [];
  private texts: string[] = [];
  /** Zod schemas are pure: the same value gets the same verdict, so each distinct value is parsed once. */
  private readonly verdicts = new Map<z.ZodType, Memory>();

  private readonly table: Table;
  private readonly header: HeaderMatch;

  /** The imported fields and their columns. */
  private readonly mapped: [string, number][];

  constructor(table: Table, header: HeaderMatch) {
    this.table = table;
    this.header = header;
    this.mapped = Object.entries(header.columns).filter(([, i]) => i >= 0);
  }

  moveTo(index: number, cells: Cell[], texts: string[]): void {
    this.index = index;
    this.row = index + 1;
    this.cells = cells;
    this.texts = texts;
    this.errors = [];
    this.warnings = [];
  }

  // `get` and `err` are bound (created once per table): importers destructure them from the row.
  readonly get = (field: string): Cell => {
    const i = this.header.columns[field];
    return i === undefined ? null : (this.cells[i] ?? null);
  };

  readonly err = (field: string, message: string, value: Cell = this.get(field)): void => {
    this.errors.push(this.entry(field, message, value));
  };

  text(field: string): string {
    const i = this.header.columns[field];
    return i === undefined ? '' : (this.texts[i] ?? '');
  }

  warn(field: string, message: string, value: Cell = this.get(field)): void {
    this.warnings.push(this.entry(field, message, value));
  }

  numeric(field: string): boolean {
    const i = this.header.columns[field];
    return i !== undefined && !!this.table.numeric[this.index]?.[i];
  }

  label(field: string): string {
    const i = this.header.columns[field];
    return i !== undefined ? (this.header.labels[i] ?? field) : field;
  }

  value<T extends z.ZodType>(
    field: string,
    schema: T,
    cell?: Cell,
    options: ValueOptions = {},
  ): NonNullable<z.output<T>> | null {
    // The row's own cell (no `cell` given) was cleaned with the row.
    const own = cell === undefined;
    const raw = own ? this.get(field) : cell;
    const given = typeof raw === 'string' ? (own ? this.text(field) : clean(raw)) : raw;
    if (given === null || given === '') return null;
    let verdict = this.check(schema, given);
    if (!verdict.ok && typeof given === 'string') {
      const national = nationalLabel(options.labels ?? field, given);
      if (national !== undefined) {
        // A mapped label that is refused too is reported with the mapped label's message.
        verdict = this.check(schema, national);
        if (verdict.ok) this.warn(field, `「${given}」不是国家系统口径，已按「${national}」导入`, raw);
      }
    }
    if (verdict.ok) return (verdict.data ?? null) as NonNullable<z.output<T>> | null;
    if (options.optional) this.warn(field, `${verdict.message}；该项未导入，其余内容已导入`, raw);
    else this.err(field, verdict.message, raw);
    return null;
  }

  private check(schema: z.ZodType, given: unknown): Verdict {
    let memory = this.verdicts.get(schema);
    if (!memory) this.verdicts.set(schema, (memory = { known: new Map(), lastGiven: undefined, last: undefined }));
    if (memory.last && memory.lastGiven === given) return memory.last;
    // A full memory means a column of nearly all different values: each is parsed without looking it up.
    const full = memory.known.size >= VERDICTS_PER_SCHEMA;
    const remembered = full ? undefined : memory.known.get(given);
    if (remembered) return remembered;
    const parsed = schema.safeParse(given);
    const verdict: Verdict = parsed.success
      ? { ok: true, data: parsed.data }
      : { ok: false, message: parsed.error.issues[0]!.message };
    // Only plain values are shared between rows (an object output could be changed by whoever receives it).
    if (!parsed.success || typeof parsed.data !== 'object' || parsed.data === null) {
      if (!full) memory.known.set(given, verdict);
      memory.lastGiven = given;
      memory.last = verdict;
    }
    return verdict;
  }

  /**
   * A warning for each imported cell that lost hidden characters (HIDDEN_CHARACTERS: NUL, zero-width, direction
   * controls…) when cleaned, as forms lose them silently; the value shows where they were. Only a cell whose
   * cleaned text differs from it (rare) is looked at.
   */
  noteHidden(): void {
    for (const [field, i] of this.mapped) {
      const raw = this.cells[i];
      if (typeof raw === 'string' && raw !== this.texts[i] && HIDDEN_CHARACTERS.test(raw))
        this.warn(
          field,
          '含有不可见字符或控制字符（如零宽空格、文字方向符、NUL），已删除后导入',
          raw.replace(ALL_HIDDEN, (c) => `<U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}>`),
        );
    }
  }

  private entry(field: string, message: string, value: Cell): ImportError {
    return {
      sheet: this.table.sheet,
      row: this.row,
      column: this.label(field),
      value: value === null || value === undefined ? '' : String(value),
      message,
    };
  }
}

/** Every cell of a row cleaned once (`clean`), for the skip checks and the importers alike. */
function cleanCells(cells: Cell[]): string[] {
  const texts = new Array<string>(cells.length);
  for (let i = 0; i < cells.length; i++) texts[i] = clean(cells[i] ?? null);
  return texts;
}

/**
 * Rows below the header, without blank, 合计/小计, footer and repeated-header rows. Once the caller is done with a
 * row, its warnings go to `warnings` unless the row was refused (a refused row's errors say enough).
 */
export function* dataRows(table: Table, header: HeaderMatch, warnings: ImportError[] = []): Generator<DataRow> {
  const cursor = new RowCursor(table, header);
  for (let index = header.headerRow + 1; index < table.rows.length; index++) {
    const cells = table.rows[index]!;
    const texts = cleanCells(cells);
    if (isSkippable(texts) || isHeaderRepeat(cells, texts, header)) continue;
    cursor.moveTo(index, cells, texts);
    cursor.noteHidden();
    yield cursor;
    if (!cursor.errors.length) for (const w of cursor.warnings) warnings.push(w);
  }
}
export function byRow(errors: ImportError[]): ImportError[] {
  return errors.sort((a, b) => a.row - b.row);
}

/**
 * Finds a row's household by 户编号, else by the head's ID number (relocation and monitoring rows name a household
 * either way). Reports a bad ID cell or an unknown household on the row; `hint` ends the not-found message.
 */
export function householdLocator(raw: BetterSqlite3.Database, opts: { currentHeadOnly: boolean; hint: string }) {
  const byHhNo = raw.prepare('SELECT id FROM household WHERE hh_no = ?');
  const byHeadId = raw.prepare(
    `SELECT household_id AS id FROM person WHERE id_number = ?${opts.currentHeadOnly ? ' AND left_on IS NULL' : ''}`,
  );
  return (row: DataRow): { householdId: number | undefined; key: 'hhNo' | 'headId' | 'idNumber' } => {
    let householdId: number | undefined;
    const hhNo = clean(row.get('hhNo'));
    // On a person-level row the 户主's own 证件号码 is the head's ID.
    const headField = !clean(row.get('headId')) && clean(row.get('relation')) === '户主' ? 'idNumber' : 'headId';
    if (hhNo) householdId = (byHhNo.get(hhNo) as { id: number } | undefined)?.id;
    if (householdId === undefined && clean(row.get(headField))) {
      try {
        householdId = (
          byHeadId.get(personIdOf(idText(row.get(headField), row.numeric(headField)))) as { id: number } | undefined
        )?.id;
      } catch (e) {
        row.err(headField, (e as Error).message);
      }
    }
    const key = hhNo ? 'hhNo' : headField;
    if (householdId === undefined && !row.errors.length)
      row.err(key, hhNo ? `户编号「${hhNo}」不在本台账中，${opts.hint}` : '找不到该户：请填写户编号或户主身份证号');
    return { householdId, key };
  };
}
