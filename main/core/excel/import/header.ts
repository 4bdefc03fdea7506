/**
 * Finding the header under title rows (national exports put it on row 3), including two-row merged headers,
 * and mapping columns to fields through synonym lists (national export headers first).
 */
import type { Cell } from './read.ts';
import { clean } from './parse.ts';

export type Synonyms = Record<string, readonly string[]>;

export const norm = (v: Cell) =>
  clean(v)
    .replace(/[\s*＊:：]/g, '')
    .replace(/（/g, '(')
    .replace(/）/g, ')');

export interface HeaderMatch {
  /** Index of the last header row; data starts after it. */
  headerRow: number;
  /** field → column index */
  columns: Record<string, number>;
  /** column index → the header text as shown in the file */
  labels: string[];
}

/** `overrides` (field → column index, -1 = do not import) is the user's adjustment of the detected mapping. */
export function findHeader(
  rows: Cell[][],
  synonyms: Synonyms,
  required: readonly string[],
  overrides: Record<string, number> = {},
): HeaderMatch | null {
  const lookup = new Map<string, string>();
  for (const [field, names] of Object.entries(synonyms))
    for (const n of names) if (!lookup.has(norm(n))) lookup.set(norm(n), field);
  const matchRow = (row: Cell[] | undefined) => {
    const cols: Record<string, number> = {};
    (row ?? []).forEach((v, i) => {
      const f = lookup.get(norm(v));
      if (f && cols[f] === undefined) cols[f] = i;
    });
    return cols;
  };
  let best: HeaderMatch | null = null;
  let bestScore = 0;
  for (let r = 0; r < Math.min(rows.length, 15); r++) {
    const top = rows[r]!;
    const below = rows[r + 1];
    const one = matchRow(top);
    // Two-row header: the lower row names the sub-columns under a merged upper cell.
    const lower = matchRow(below);
    const combined: Record<string, number> = { ...one };
    for (const [f, i] of Object.entries(lower))
      if (combined[f] === undefined && !Object.values(one).includes(i)) combined[f] = i;
    const twoRow =
      Object.keys(lower).length > 0 &&
      Object.keys(combined).length > Object.keys(one).length &&
      !holdsData(below ?? []);
    const cols = twoRow ? combined : one;
    const score = Object.keys(cols).length;
    if (score > bestScore && required.every((f) => cols[f] !== undefined)) {
      bestScore = score;
      const labels = (twoRow ? below! : top).map((v, i) => clean(v) || clean(top[i] ?? null));
      best = { headerRow: twoRow ? r + 1 : r, columns: cols, labels };
    }
  }
  // No row names the required columns, but the user has said where they are: take the likeliest header row.
  if (!best && required.every((f) => (overrides[f] ?? -1) >= 0)) best = guessHeader(rows);
  if (best) {
    const m: HeaderMatch = best;
    for (const [field, index] of Object.entries(overrides)) {
      if (!(field in synonyms)) continue;
      if (index < 0) delete m.columns[field];
      else {
        for (const [f, i] of Object.entries(m.columns)) if (i === index) delete m.columns[f];
        m.columns[field] = index;
      }
    }
    if (!required.every((f) => m.columns[f] !== undefined)) return null;
  }
  return best;
}

/**
 * The likeliest header row when no synonym matches (a layout nobody taught the importer): among the first 15
 * rows, the one with the most text cells that is not data. Its columns are for the user to map.
 */
export function guessHeader(rows: Cell[][]): HeaderMatch | null {
  let best: HeaderMatch | null = null;
  let most = 1;
  for (let r = 0; r < Math.min(rows.length, 15); r++) {
    const row = rows[r]!;
    if (holdsData(row)) continue;
    const texts = row.filter((v) => typeof v === 'string' && clean(v) !== '').length;
    if (texts > most) [best, most] = [{ headerRow: r, columns: {}, labels: row.map((v) => clean(v)) }, texts];
  }
  return best;
}

/**
 * A row holding an ID number, a 户编号 or another long number is data, not the lower row of a two-row header,
 * even when one of its values reads like a header label (与户主关系 "户主" next to a 户主 column).
 */
function holdsData(row: Cell[]): boolean {
  return row.some((v) => (typeof v === 'number' ? Math.abs(v) >= 100_000 : /\d{6,}/.test(clean(v))));
}

/** "合计", "青山村 小计", "合计：709人" — a label cell, never a person's data. */
const TOTAL_LABEL = /(^|\s)(合计|小计|总计)|^(合计|小计|总计)|(合计|小计|总计)[:：]/;

/** Blank rows and 合计/小计 rows are not data. `texts` are the row's cells cleaned (`clean`). */
export function isSkippable(texts: readonly string[]): boolean {
  let count = 0;
  let first = '';
  for (const t of texts) {
    if (t === '') continue;
    if (count++ === 0) first = t;
    // Every total label holds 计: the pattern is tried only on such cells (this runs on every row).
    if (t.length <= 40 && t.includes('计') && TOTAL_LABEL.test(t)) return true;
  }
  if (count === 0) return true;
  // Footer and note lines under a table (填报人：…, 说明：…) sit in one merged cell.
  return count === 1 && first.length > 8 && /[:：]/.test(first);
}

/** Text that `norm` would change: whitespace, *, colons, full-width forms (which include （）＊：). */
const NORM_CHANGES = /[\s*:\uFF01-\uFF5E]/;

/**
 * A row repeating the header (printed rosters repeat it per page; merged two-row headers fill it down). `texts`
 * are the row's cells cleaned (`clean`).
 */
const normalizedLabels = new WeakMap<HeaderMatch, { labels: string[]; cols: number[] }>();
export function isHeaderRepeat(row: Cell[], texts: readonly string[], header: HeaderMatch): boolean {
  let known = normalizedLabels.get(header);
  if (!known) {
    known = { labels: header.labels.map((l) => norm(l)), cols: Object.values(header.columns) };
    normalizedLabels.set(header, known);
  }
  const { labels, cols } = known;
  let same = 0;
  for (const i of cols) {
    const v = row[i];
    const label = labels[i];
    if (typeof v !== 'string' || v === '' || label === undefined || label === '') continue;
    // norm(v) is norm of the cleaned text. This runs on every cell of every row: a text whose first character
    // differs from the label's, and is none that norm drops, cannot match; most texts need no normalising.
    const t = texts[i]!;
    const first = t.charCodeAt(0);
    if (first !== label.charCodeAt(0) && first !== 0x20 && first !== 0x2a && first !== 0x3a) continue;
    if ((NORM_CHANGES.test(t) ? norm(t) : t) === label) same += 1;
  }
  return same >= Math.min(2, cols.length);
}
