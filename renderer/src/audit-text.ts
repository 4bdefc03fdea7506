/**
 * An audit entry's snapshots as a reader wants them: the fields that changed, by their Chinese labels, old → new
 * (a new record lists what it was created with). No DOM here: tests/renderer-types checks it on the node side.
 */
import { FIELD_LABELS } from '../../shared/labels.ts';

const HIDDEN = new Set(['id', 'createdAt', 'updatedAt']);

function parse(json: string | null): Record<string, unknown> | null {
  if (!json) return null;
  try {
    const v: unknown = JSON.parse(json);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function text(v: unknown): string {
  if (v === null || v === undefined || v === '') return '（空）';
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return v.map(text).join('、');
  return `（${describe(v as Record<string, unknown>)}）`;
}

const label = (key: string) => FIELD_LABELS[key] ?? key;

/** 「字段」旧 → 新；… for an update, 「字段」值；… for a creation, '' when there is nothing to show. */
export function auditChanges(beforeJson: string | null, afterJson: string | null): string {
  const before = parse(beforeJson);
  const after = parse(afterJson);
  if (!after) return before ? `删除前：${describe(before)}` : '';
  if (!before) return describe(after);
  return Object.keys(after)
    .filter((k) => !HIDDEN.has(k) && JSON.stringify(before[k]) !== JSON.stringify(after[k]))
    .map((k) => `${label(k)}：${text(before[k])} → ${text(after[k])}`)
    .join('；');
}

function describe(record: Record<string, unknown>): string {
  return Object.entries(record)
    .filter(([k, v]) => !HIDDEN.has(k) && v !== null && v !== undefined && v !== '')
    .map(([k, v]) => `${label(k)}：${text(v)}`)
    .join('；');
}
