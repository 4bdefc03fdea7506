/**
 * The spreadsheet-like grid every page uses. Excel habits: arrow keys and Enter/Tab move, typing edits, each
 * committed edit is saved through the core at once (the core's message is shown at the cell when it refuses),
 * Ctrl+Z / Ctrl+Y undo and redo saved edits, Ctrl+V pastes a block copied from Excel into editable columns
 * (AG Grid Community has no clipboard module), column layouts are remembered per sheet.
 * Large lists page through the core with the infinite row model instead of loading every row.
 */
import { AgGridReact } from 'ag-grid-react';
import type {
  CellValueChangedEvent,
  ColDef,
  Column,
  ColumnState,
  GetRowIdParams,
  GridApi,
  GridReadyEvent,
  IDatasource,
  IGetRowsParams,
  IRowNode,
  RowClickedEvent,
  RowDoubleClickedEvent,
} from 'ag-grid-community';
import {
  useCallback,
  useEffect,
  useMemo,
  useRef,
  useState,
  type ClipboardEvent,
  type KeyboardEvent,
  type ReactNode,
} from 'react';
import type { Page } from '../../../shared/api.ts';
import { LOCALE, STYLE_NONCE, THEME } from '../grid.ts';

interface Change {
  rowId: string;
  colId: string;
  oldValue: unknown;
  newValue: unknown;
}

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
  const {
    columns,
    rows,
    fetchPage,
    fetchKey,
    onSave,
    onSelect,
    onOpen,
    quickFilter,
    layoutKey,
    height = 480,
    footer,
    testId,
    pinnedBottom,
  } = props;
  const apiRef = useRef<GridApi<R> | null>(null);
  const errors = useRef(new Map<string, string>());
  const undoStack = useRef<Change[][]>([]);
  const redoStack = useRef<Change[][]>([]);
  const [status, setStatus] = useState<{ text: string; error: boolean } | null>(null);
  const [total, setTotal] = useState<number | null>(null);
  const rowIdOf = useCallback(
    (row: R) => (props.rowId ? props.rowId(row) : String((row as { id?: number }).id)),
    [props.rowId],
  );

  // A reply for an older filter must not overwrite the total of the current one.
  const generation = useRef(0);
  const datasource = useMemo<IDatasource | undefined>(() => {
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

  // Paged grids filter through the toolbar and the core; per-column client filters would see one page only.
  const shownColumns = useMemo(
    () => (fetchPage ? columns.map((c) => ({ ...c, filter: false })) : columns),
    [columns, fetchPage],
  );

  const cellKey = (rowId: string, colId: string) => `${rowId}\u0000${colId}`;

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
    [fetchPage],
  );

  const saveLayout = useCallback(() => {
    const api = apiRef.current;
    if (api) localStorage.setItem(LAYOUT_PREFIX + layoutKey, JSON.stringify(api.getColumnState()));
  }, [layoutKey]);

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
    [layoutKey],
  );

  const headerOf = (colId: string) => apiRef.current?.getColumnDef(colId)?.headerName ?? colId;

  const saveCell = useCallback(
    async (e: CellValueChangedEvent<R>) => {
      const colId = e.column.getColId();
      const rowId = e.node.id!;
      if (e.source === 'revert' || !onSave || e.oldValue === e.newValue) return;
      const change: Change = { rowId, colId, oldValue: e.oldValue, newValue: e.newValue };
      // Pasted blocks are recorded as one change by pasteBlock (grid events arrive after it returns).
      if (e.source !== 'undo' && e.source !== 'redo' && e.source !== 'paste') {
        undoStack.current.push([change]);
        redoStack.current = [];
      }
      const field = e.colDef.field ?? colId;
      try {
        const stored = await onSave(e.data, field);
        errors.current.delete(cellKey(rowId, colId));
        if (stored) e.node.setData(stored);
        // Pasted blocks and undo/redo keep their own summary line; errors always replace it.
        if (e.source !== 'paste' && e.source !== 'undo' && e.source !== 'redo') {
          setStatus({ text: `已保存：第 ${(e.node.rowIndex ?? 0) + 1} 行「${headerOf(colId)}」`, error: false });
        }
      } catch (err) {
        const message = (err as Error).message;
        errors.current.set(cellKey(rowId, colId), message);
        e.node.setDataValue(colId, e.oldValue, 'revert');
        setStatus({ text: `第 ${(e.node.rowIndex ?? 0) + 1} 行「${headerOf(colId)}」未保存：${message}`, error: true });
      }
      e.api.refreshCells({ rowNodes: [e.node], columns: [colId], force: true });
    },
    [onSave],
  );
  // AG Grid does not wait for event handlers; saveCell reports its own failures at the cell.
  const onCellValueChanged = useCallback((e: CellValueChangedEvent<R>) => void saveCell(e), [saveCell]);

  const replay = (stack: Change[][], other: Change[][], useOld: boolean, label: string) => {
    const api = apiRef.current;
    const changes = stack.pop();
    if (!api || !changes) return;
    for (const c of [...changes].reverse()) {
      api.getRowNode(c.rowId)?.setDataValue(c.colId, useOld ? c.oldValue : c.newValue, useOld ? 'undo' : 'redo');
    }
    other.push(changes);
    setStatus({ text: `${label} ${changes.length} 处修改`, error: false });
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const api = apiRef.current;
    if (!api || api.getEditingCells().length > 0 || !(e.ctrlKey || e.metaKey)) return;
    const key = e.key.toLowerCase();
    if (key === 'z' && !e.shiftKey) {
      e.preventDefault();
      replay(undoStack.current, redoStack.current, true, '已撤销');
    } else if (key === 'y' || (key === 'z' && e.shiftKey)) {
      e.preventDefault();
      replay(redoStack.current, undoStack.current, false, '已重做');
    } else if (key === 'c') {
      const cell = api.getFocusedCell();
      const node = cell ? api.getDisplayedRowAtIndex(cell.rowIndex) : undefined;
      if (cell && node) {
        const value = api.getCellValue({ rowNode: node, colKey: cell.column, useFormatter: true });
        void navigator.clipboard?.writeText(String(value ?? '')).catch(() => undefined);
      }
    }
  };

  const onPaste = (e: ClipboardEvent<HTMLDivElement>) => {
    const api = apiRef.current;
    if (!api || api.getEditingCells().length > 0) return;
    const text = e.clipboardData.getData('text/plain');
    const focused = api.getFocusedCell();
    if (!text || !focused) return;
    e.preventDefault();
    pasteBlock(api, focused.rowIndex, focused.column, text);
  };

  const pasteBlock = (api: GridApi<R>, rowIndex: number, start: Column, text: string) => {
    const block = text
      .replace(/\r\n?/g, '\n')
      .replace(/\n$/, '')
      .split('\n')
      .map((line) => line.split('\t'));
    const columnsShown = api.getAllDisplayedColumns();
    const first = columnsShown.indexOf(start);
    let applied = 0;
    let skipped = 0;
    const changes: Change[] = [];
    block.forEach((cells, i) => {
      const node: IRowNode<R> | undefined = api.getDisplayedRowAtIndex(rowIndex + i);
      const data = node?.data;
      // Pinned totals and rows not loaded yet (paged grids) take no paste.
      if (!node || node.rowPinned || !data) {
        skipped += cells.length;
        return;
      }
      cells.forEach((raw, j) => {
        const col = columnsShown[first + j];
        const def: ColDef<R> | undefined = col?.getColDef();
        if (!col || !def) {
          skipped += 1;
          return;
        }
        const editable =
          typeof def.editable === 'function'
            ? def.editable({ node, data, column: col, colDef: def, api, context: undefined })
            : def.editable;
        if (!editable) {
          skipped += 1;
          return;
        }
        const parsed: unknown =
          typeof def.valueParser === 'function'
            ? def.valueParser({
                newValue: raw,
                oldValue: api.getCellValue<unknown>({ rowNode: node, colKey: col }),
                node,
                data,
                colDef: def,
                column: col,
                api,
                context: undefined,
              })
            : raw;
        const oldValue = api.getCellValue<unknown>({ rowNode: node, colKey: col });
        if (node.setDataValue(col, parsed, 'paste') && node.id) {
          changes.push({
            rowId: node.id,
            colId: col.getColId(),
            oldValue,
            newValue: api.getCellValue<unknown>({ rowNode: node, colKey: col }),
          });
        }
        applied += 1;
      });
    });
    if (changes.length) {
      undoStack.current.push(changes);
      redoStack.current = [];
    }
    setStatus({
      text: `已粘贴 ${applied} 个单元格${skipped ? `，${skipped} 个不可编辑或超出范围的单元格未粘贴` : ''}`,
      error: false,
    });
  };

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
      <div className="sheet-bar">
        <span className="sheet-total">{total === null ? '' : `共 ${total} 条`}</span>
        <span className={status?.error ? 'sheet-status error' : 'sheet-status'} role="status">
          {status?.text ?? ''}
        </span>
        {footer}
      </div>
    </div>
  );
}
