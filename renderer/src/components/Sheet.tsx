/**
 * The spreadsheet-like grid every page uses. Excel habits: arrow keys and Enter/Tab move, typing edits, each
 * committed edit is saved through the core at once (the core's message is shown at the cell when it refuses),
 * Ctrl+Z / Ctrl+Y undo and redo saved edits, Ctrl+V pastes a block copied from Excel into editable columns
 * (AG Grid Community has no clipboard module), column layouts are remembered per sheet.
 * Large lists page through the core with the infinite row model instead of loading every row.
 */
import { AgGridReact } from 'ag-grid-react';
import type {
  ColDef,
  ColumnState,
  GetRowIdParams,
  GridApi,
  GridReadyEvent,
  IDatasource,
  IGetRowsParams,
  RowClickedEvent,
  RowDoubleClickedEvent,
} from 'ag-grid-community';
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode, type RefObject } from 'react';
import type { Page } from '../../../shared/api.ts';
import { LOCALE, STYLE_NONCE, THEME } from '../grid.ts';
import {
  cellKey,
  useCellSaving,
  useEditHistory,
  useSheetKeys,
  type GridApiRef,
  type SetSheetStatus,
  type SheetStatus,
} from './sheetEditing.ts';

export interface FetchArgs {
  offset: number;
  limit: number;
  sort: { field: string; dir: 'asc' | 'desc' }[];
}

export interface SheetProps<R extends object> {
  columns: ColDef<R>[];
  /** Client-side rows… */
  rows?: R[] | null;
  /** …or pages from the core (infinite row model); change `fetchKey` to reload. */
  fetchPage?: (args: FetchArgs) => Promise<Page<R>>;
  fetchKey?: string;
  rowId?: (row: R) => string;
  /** Persist one edited field; return the stored row to show computed values, or throw an ApiError. */
  onSave?: (row: R, field: string) => Promise<R | void>;
  onSelect?: (row: R | null) => void;
  onOpen?: (row: R) => void;
  quickFilter?: string;
  /** localStorage key for the column layout. */
  layoutKey: string;
  height?: number | string;
  footer?: ReactNode;
  testId?: string;
  pinnedBottom?: R[];
}

const LAYOUT_PREFIX = 'ledger.layout.';

export function Sheet<R extends object>(props: SheetProps<R>) {
  const { columns, rows, fetchPage, fetchKey, onSave, onSelect, onOpen, quickFilter, layoutKey } = props;
  const { height = 480, footer, testId, pinnedBottom } = props;
  const apiRef = useRef<GridApi<R> | null>(null);
  const [status, setStatus] = useState<SheetStatus>(null);
  const [total, setTotal] = useState<number | null>(null);
  const rowIdOf = useCallback(
    (row: R) => (props.rowId ? props.rowId(row) : String((row as { id?: number }).id)),
    [props.rowId],
  );
  const datasource = usePagedDatasource(fetchPage, fetchKey, setTotal, setStatus);
  const history = useEditHistory(apiRef, setStatus);
  const { errors, onCellValueChanged } = useCellSaving(apiRef, onSave, history, setStatus);
  const { onKeyDown, onPaste } = useSheetKeys(apiRef, history, setStatus);
  const { shownColumns, defaultColDef } = useColumnDefs(columns, fetchPage, errors);
  const { onGridReady, saveLayout } = useColumnLayout(apiRef, layoutKey);

  useEffect(() => {
    if (rows) setTotal(rows.length);
  }, [rows]);

  return (
    <div className="sheet" data-testid={testId}>
      <div className="sheet-grid" style={{ height }} onKeyDown={onKeyDown} onPaste={onPaste}>
        <AgGridReact<R>
          theme={THEME}
          localeText={LOCALE}
          styleNonce={STYLE_NONCE}
          columnDefs={shownColumns}
          defaultColDef={defaultColDef}
          rowData={fetchPage ? undefined : (rows ?? null)}
          rowModelType={fetchPage ? 'infinite' : 'clientSide'}
          datasource={datasource}
          cacheBlockSize={100}
          maxBlocksInCache={50}
          getRowId={(p: GetRowIdParams<R>) => rowIdOf(p.data)}
          quickFilterText={fetchPage ? undefined : quickFilter}
          pinnedBottomRowData={pinnedBottom}
          rowSelection={{ mode: 'singleRow', checkboxes: false, enableClickSelection: true }}
          enterNavigatesVerticallyAfterEdit
          enterNavigatesVertically
          stopEditingWhenCellsLoseFocus
          tooltipShowDelay={200}
          onGridReady={onGridReady}
          onCellValueChanged={onCellValueChanged}
          onRowClicked={(e: RowClickedEvent<R>) => e.data && onSelect?.(e.data)}
          onRowDoubleClicked={(e: RowDoubleClickedEvent<R>) => e.data && onOpen?.(e.data)}
          onColumnMoved={saveLayout}
          onColumnResized={(e) => e.finished && saveLayout()}
          onSortChanged={saveLayout}
          onColumnVisible={saveLayout}
          onColumnPinned={saveLayout}
          overlayNoRowsTemplate="<span>没有记录</span>"
        />
      </div>
      <SheetBar total={total} status={status} footer={footer} />
    </div>
  );
}

/** The line under the grid: row count, the last save's (or refusal's) message, the page's own footer. */
function SheetBar({ total, status, footer }: { total: number | null; status: SheetStatus; footer: ReactNode }) {
  return (
    <div className="sheet-bar">
      <span className="sheet-total">{total === null ? '' : `共 ${total} 条`}</span>
      <span className={status?.error ? 'sheet-status error' : 'sheet-status'} role="status">
        {status?.text ?? ''}
      </span>
      {footer}
    </div>
  );
}

/** The infinite row model's source of pages from the core; undefined for client-side rows. */
function usePagedDatasource<R>(
  fetchPage: ((args: FetchArgs) => Promise<Page<R>>) | undefined,
  fetchKey: string | undefined,
  setTotal: (total: number) => void,
  setStatus: SetSheetStatus,
) {
  // A reply for an older filter must not overwrite the total of the current one.
  const generation = useRef(0);
  return useMemo<IDatasource | undefined>(() => {
    if (!fetchPage) return undefined;
    const mine = ++generation.current;
    return {
      getRows(p: IGetRowsParams) {
        const sort = p.sortModel.map((s) => ({ field: s.colId, dir: s.sort }));
        fetchPage({ offset: p.startRow, limit: p.endRow - p.startRow, sort }).then(
          (page) => {
            if (mine === generation.current) setTotal(page.total);
            p.successCallback(page.rows, page.total);
          },
          (e: unknown) => {
            setStatus({ text: `读取失败：${(e as Error).message}`, error: true });
            p.failCallback();
          },
        );
      },
    };
    // fetchKey names everything the fetch depends on.
  }, [fetchKey]);
}

/** Columns as shown and the defaults every column shares (sorting, filters, the core's refusals at the cell). */
function useColumnDefs<R extends object>(
  columns: ColDef<R>[],
  fetchPage: SheetProps<R>['fetchPage'],
  errors: RefObject<Map<string, string>>,
) {
  // Paged grids filter through the toolbar and the core; per-column client filters would see one page only.
  const shownColumns = useMemo(
    () => (fetchPage ? columns.map((c) => ({ ...c, filter: false })) : columns),
    [columns, fetchPage],
  );
  const defaultColDef = useMemo<ColDef<R>>(
    () => ({
      sortable: true,
      resizable: true,
      filter: !fetchPage,
      minWidth: 70,
      cellClassRules: {
        'cell-error': (p) => (p.node.id ? errors.current.has(cellKey(p.node.id, p.column.getColId())) : false),
        'cell-editable': (p) => !!p.colDef.editable,
      },
      tooltipValueGetter: (p) =>
        p.node?.id && p.column && 'getColId' in p.column
          ? errors.current.get(cellKey(p.node.id, p.column.getColId()))
          : undefined,
    }),
    [fetchPage, errors],
  );
  return { shownColumns, defaultColDef };
}

/** Keeps the grid's api in `apiRef`, restores the column layout saved for `layoutKey` and saves it on changes. */
function useColumnLayout<R>(apiRef: GridApiRef<R>, layoutKey: string) {
  const saveLayout = useCallback(() => {
    const api = apiRef.current;
    if (api) localStorage.setItem(LAYOUT_PREFIX + layoutKey, JSON.stringify(api.getColumnState()));
  }, [apiRef, layoutKey]);

  const onGridReady = useCallback(
    (e: GridReadyEvent<R>) => {
      apiRef.current = e.api;
      const saved = localStorage.getItem(LAYOUT_PREFIX + layoutKey);
      if (saved) {
        try {
          const state: unknown = JSON.parse(saved);
          if (!Array.isArray(state)) throw new Error('not a column layout');
          e.api.applyColumnState({ state: state as ColumnState[], applyOrder: true });
        } catch {
          localStorage.removeItem(LAYOUT_PREFIX + layoutKey);
        }
      }
    },
    [apiRef, layoutKey],
  );
  return { onGridReady, saveLayout };
}
