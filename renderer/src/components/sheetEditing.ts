/**
 * The editing habits of Sheet (Sheet.tsx), each as a hook over the grid's api: saving each committed cell through
 * the core, the undo/redo history of saved edits, and the keyboard and clipboard (Ctrl+Z / Ctrl+Y, Ctrl+C of
 * the focused cell, Ctrl+V of a block copied from Excel into the editable columns).
 */
import type { CellValueChangedEvent, ColDef, Column, GridApi, IRowNode } from 'ag-grid-community';
import { useCallback, useMemo, useRef, type ClipboardEvent, type KeyboardEvent, type RefObject } from 'react';

/** One saved cell edit, as undo and redo replay it. */
export interface Change {
  rowId: string;
  colId: string;
  oldValue: unknown;
  newValue: unknown;
}

export type SheetStatus = { text: string; error: boolean } | null;
export type SetSheetStatus = (status: SheetStatus) => void;
export type GridApiRef<R> = RefObject<GridApi<R> | null>;

/** The key of a cell in the map of the core's refusals shown at the cell. */
export const cellKey = (rowId: string, colId: string) => `${rowId}\u0000${colId}`;

export interface EditHistory {
  /** Record one user action (a typed cell or a pasted block); clears what could be redone. */
  record(changes: Change[]): void;
  undo(): void;
  redo(): void;
}

/** Undo and redo stacks of saved edits; replaying sets the values again, which saves them through the core. */
export function useEditHistory<R>(apiRef: GridApiRef<R>, setStatus: SetSheetStatus): EditHistory {
  const undoStack = useRef<Change[][]>([]);
  const redoStack = useRef<Change[][]>([]);
  return useMemo(() => {
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
    return {
      record(changes) {
        undoStack.current.push(changes);
        redoStack.current = [];
      },
      undo: () => replay(undoStack.current, redoStack.current, true, '已撤销'),
      redo: () => replay(redoStack.current, undoStack.current, false, '已重做'),
    };
  }, [apiRef, setStatus]);
}

/**
 * Saves each committed cell edit through `onSave`. The core's refusal reverts the cell and is kept in `errors`
 * (shown at the cell by the default column definition) and in the status line.
 */
export function useCellSaving<R>(
  apiRef: GridApiRef<R>,
  onSave: ((row: R, field: string) => Promise<R | void>) | undefined,
  history: EditHistory,
  setStatus: SetSheetStatus,
) {
  const errors = useRef(new Map<string, string>());
  const saveCell = useCallback(
    async (e: CellValueChangedEvent<R>) => {
      const colId = e.column.getColId();
      const rowId = e.node.id!;
      if (e.source === 'revert' || !onSave || e.oldValue === e.newValue) return;
      const headerOf = (id: string) => apiRef.current?.getColumnDef(id)?.headerName ?? id;
      // Pasted blocks are recorded as one change by pasteBlock (grid events arrive after it returns).
      const replayedOrPasted = e.source === 'undo' || e.source === 'redo' || e.source === 'paste';
      if (!replayedOrPasted) history.record([{ rowId, colId, oldValue: e.oldValue, newValue: e.newValue }]);
      const field = e.colDef.field ?? colId;
      try {
        const stored = await onSave(e.data, field);
        errors.current.delete(cellKey(rowId, colId));
        if (stored) e.node.setData(stored);
        // Pasted blocks and undo/redo keep their own summary line; errors always replace it.
        if (!replayedOrPasted) {
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
    [onSave, apiRef, history, setStatus],
  );
  // AG Grid does not wait for event handlers; saveCell reports its own failures at the cell.
  const onCellValueChanged = useCallback((e: CellValueChangedEvent<R>) => void saveCell(e), [saveCell]);
  return { errors, onCellValueChanged };
}

/** Ctrl+Z / Ctrl+Y (or Ctrl+Shift+Z) and Ctrl+C on the grid, and pasting a block at the focused cell. */
export function useSheetKeys<R>(apiRef: GridApiRef<R>, history: EditHistory, setStatus: SetSheetStatus) {
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const api = apiRef.current;
    if (!api || api.getEditingCells().length > 0 || !(e.ctrlKey || e.metaKey)) return;
    const key = e.key.toLowerCase();
    if (key === 'z' && !e.shiftKey) {
      e.preventDefault();
      history.undo();
    } else if (key === 'y' || (key === 'z' && e.shiftKey)) {
      e.preventDefault();
      history.redo();
    } else if (key === 'c') {
      copyFocusedCell(api);
    }
  };

  const onPaste = (e: ClipboardEvent<HTMLDivElement>) => {
    const api = apiRef.current;
    if (!api || api.getEditingCells().length > 0) return;
    const text = e.clipboardData.getData('text/plain');
    const focused = api.getFocusedCell();
    if (!text || !focused) return;
    e.preventDefault();
    const { applied, skipped, changes } = pasteBlock(api, focused.rowIndex, focused.column, text);
    if (changes.length) history.record(changes);
    setStatus({
      text: `已粘贴 ${applied} 个单元格${skipped ? `，${skipped} 个不可编辑或超出范围的单元格未粘贴` : ''}`,
      error: false,
    });
  };

  return { onKeyDown, onPaste };
}

/** The focused cell's shown (formatted) text to the system clipboard. */
function copyFocusedCell<R>(api: GridApi<R>) {
  const cell = api.getFocusedCell();
  const node = cell ? api.getDisplayedRowAtIndex(cell.rowIndex) : undefined;
  if (cell && node) {
    const value = api.getCellValue({ rowNode: node, colKey: cell.column, useFormatter: true });
    void navigator.clipboard?.writeText(String(value ?? '')).catch(() => undefined);
  }
}

/** Tab-separated lines as Excel copies them, without the trailing line break. */
function parseBlock(text: string): string[][] {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/\n$/, '')
    .split('\n')
    .map((line) => line.split('\t'));
}

/** Set a block of cells from the row at `rowIndex` and the column `start` on; count what took and what did not. */
function pasteBlock<R>(api: GridApi<R>, rowIndex: number, start: Column, text: string) {
  const columnsShown = api.getAllDisplayedColumns();
  const first = columnsShown.indexOf(start);
  let applied = 0;
  let skipped = 0;
  const changes: Change[] = [];
  parseBlock(text).forEach((cells, i) => {
    const node: IRowNode<R> | undefined = api.getDisplayedRowAtIndex(rowIndex + i);
    const data = node?.data;
    // Pinned totals and rows not loaded yet (paged grids) take no paste.
    if (!node || node.rowPinned || !data) {
      skipped += cells.length;
      return;
    }
    cells.forEach((raw, j) => {
      const result = pasteCell(api, node, data, columnsShown[first + j], raw);
      if (!result) {
        skipped += 1;
        return;
      }
      if (result.change) changes.push(result.change);
      applied += 1;
    });
  });
  return { applied, skipped, changes };
}

/**
 * Set one pasted cell through the column's parser. Null when the column is missing or not editable; otherwise the
 * change to record when the grid took the value.
 */
function pasteCell<R>(
  api: GridApi<R>,
  node: IRowNode<R>,
  data: R,
  col: Column | undefined,
  raw: string,
): { change?: Change } | null {
  const def: ColDef<R> | undefined = col?.getColDef();
  if (!col || !def) return null;
  const editable =
    typeof def.editable === 'function'
      ? def.editable({ node, data, column: col, colDef: def, api, context: undefined })
      : def.editable;
  if (!editable) return null;
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
    const newValue = api.getCellValue<unknown>({ rowNode: node, colKey: col });
    return { change: { rowId: node.id, colId: col.getColId(), oldValue, newValue } };
  }
  return {};
}
