/** AG Grid set-up shared by every sheet: modules, Chinese locale, theme, CSP nonce, column helpers. */
import { AG_GRID_LOCALE_CN } from '@ag-grid-community/locale';
import {
  AllCommunityModule,
  ModuleRegistry,
  themeQuartz,
  type ColDef,
  type ColDefField,
  type ValueFormatterParams,
} from 'ag-grid-community';
import { NONCE_META } from '../../shared/host.ts';
import { fenToYuan, fenToYuanText, yuanToFen } from '../../shared/money.ts';
import { normalizeDateText, toHalfWidth } from './text.ts';

// Without registered modules AG Grid 36 still renders rows but ignores the locale and the quick filter.
ModuleRegistry.registerModules([AllCommunityModule]);

export const LOCALE = AG_GRID_LOCALE_CN;
export const STYLE_NONCE = document.querySelector<HTMLMetaElement>(`meta[name="${NONCE_META}"]`)?.content || undefined;

export const THEME = themeQuartz.withParams({
  fontFamily: ['Noto Sans CJK SC', 'Microsoft YaHei', 'PingFang SC', 'sans-serif'],
  fontSize: 13,
  headerFontSize: 13,
  rowHeight: 32,
  headerHeight: 34,
  spacing: 6,
  accentColor: '#b4232a',
  headerBackgroundColor: '#f5f1ea',
  oddRowBackgroundColor: '#fcfbf8',
});

export type ColumnKind = 'text' | 'number' | 'date' | 'month' | 'money' | 'select' | 'flag' | 'percent';

export interface ColumnOptions<R> extends Omit<ColDef<R>, 'field' | 'headerName'> {
  kind?: ColumnKind;
  options?: readonly string[];
  /** Allow clearing a select cell. */
  nullable?: boolean;
}

const yuan = (fen: unknown) => (typeof fen === 'number' ? fenToYuanText(fen) : '');

/** A column with formatter, editor and parser chosen by kind; money is stored in fen, shown and typed in yuan. */
export function column<R>(
  field: ColDefField<R> & keyof R & string,
  headerName: string,
  o: ColumnOptions<R> = {},
): ColDef<R> {
  const { kind = 'text', options, nullable, ...rest } = o;
  const def: ColDef<R> = { field, headerName, colId: field, ...rest };
  switch (kind) {
    case 'number':
      def.cellDataType = false;
      def.type = 'rightAligned';
      def.filter = 'agNumberColumnFilter';
      def.valueParser = (p) =>
        String(p.newValue ?? '').trim() === '' ? null : Number(toHalfWidth(String(p.newValue)));
      def.cellEditor = 'agTextCellEditor';
      break;
    case 'money':
      def.cellDataType = false;
      def.type = 'rightAligned';
      def.filter = 'agNumberColumnFilter';
      def.valueGetter = (p) => {
        const v = p.data ? (p.data as Record<string, unknown>)[field] : null;
        return typeof v === 'number' ? fenToYuan(v) : null;
      };
      def.valueFormatter = (p: ValueFormatterParams<R>) =>
        typeof p.value === 'number' && Number.isFinite(p.value) ? fenToYuanText(yuanToFen(p.value)) : '';
      def.valueParser = (p) => {
        const t = toHalfWidth(String(p.newValue ?? '')).replace(/[,，\s元]/g, '');
        return t === '' ? null : Number(t);
      };
      def.valueSetter = (p) => {
        const v: unknown = p.newValue;
        (p.data as Record<string, unknown>)[field] = typeof v === 'number' && Number.isFinite(v) ? yuanToFen(v) : v;
        return true;
      };
      break;
    case 'date':
    case 'month':
      def.cellDataType = false;
      def.valueParser = (p) => normalizeDateText(String(p.newValue ?? ''), kind);
      break;
    case 'select':
      def.cellDataType = false;
      def.cellEditor = 'agSelectCellEditor';
      def.cellEditorParams = { values: nullable ? ['', ...(options ?? [])] : [...(options ?? [])] };
      def.valueParser = (p) => {
        const t = String(p.newValue ?? '').trim();
        return t === '' ? null : t;
      };
      break;
    case 'flag':
      def.cellDataType = false;
      def.valueFormatter = (p) => (p.value === 1 ? '是' : p.value === 0 ? '否' : '');
      def.cellEditor = 'agSelectCellEditor';
      def.cellEditorParams = { values: [1, 0] };
      def.refData = { 1: '是', 0: '否' };
      def.valueParser = (p) => (/^(1|是|√|y|yes|true)$/i.test(String(p.newValue).trim()) ? 1 : 0);
      break;
    case 'percent':
      def.cellDataType = false;
      def.type = 'rightAligned';
      def.valueFormatter = (p) => (typeof p.value === 'number' ? `${(p.value * 100).toFixed(1)}%` : '—');
      break;
    default:
      def.cellDataType = false;
      def.valueParser = (p) => {
        const t = String(p.newValue ?? '').trim();
        return t === '' ? null : t;
      };
  }
  if (kind === 'money') def.valueFormatter ??= (p) => yuan(p.value);
  return def;
}

export const fenText = yuan;
