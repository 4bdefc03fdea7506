/** Column builders and cell formats the monthly sheets share (report.ts column definitions over report rows). */
import type { Column } from './report.ts';
import type { Row } from './monthly-data.ts';
import { textUnits } from './measure.ts';

export const seq: Column<Row> = { key: 'seq', header: '序号', width: 6, kind: 'int', value: (_r, i) => i + 1 };

/** A column showing the row's value under `key` as it is. */
export const col = (
  key: string,
  header: string,
  width = 12,
  kind: Column<Row>['kind'] = 'text',
  extra: Partial<Column<Row>> = {},
): Column<Row> => ({
  key,
  header,
  width,
  kind,
  value: (r) => r[key] ?? null,
  ...extra,
});

/** A summed count column. */
export const int = (key: string, header: string, width = 8, group?: string): Column<Row> => ({
  key,
  header,
  group,
  width,
  kind: 'int',
  sum: true,
  value: (r) => Number(r[key] ?? 0),
});

/** 是 / 否, and blank where the ledger does not know (a national file without the column). */
export const yes = (v: unknown) => (v === 1 || v === '1' ? '是' : v === null || v === undefined ? '' : '否');
export const yyyymm = (month: string) => `${month.slice(0, 4)}年${month.slice(5, 7)}月`;
export const ratio = (a: number, b: number) => (b > 0 ? a / b : null);

/** A column as wide as a value every row repeats (the county's, the township's name), at least `min`. */
export const widthFor = (text: string, min = 10) => Math.max(min, textUnits(text) + 2);
