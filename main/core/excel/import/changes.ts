/**
 * What an import would change, one record field at a time. Importers propose each change to a sink before
 * writing it: a plain import takes everything (and audits each record), the monthly reconciliation with the
 * national system first lists them (国家系统比对) and later takes only those the user chose.
 */
import type { ReconcileDifference } from '../../../../shared/api.ts';

export type ChangeEntity = ReconcileDifference['entity'];

export interface Change {
  entity: ChangeEntity;
  /** The record's key in the file and the ledger: ID number for persons, 户编号 (or head's ID) otherwise. */
  key: string;
  /** The key is an ID number: masked wherever it is shown or audited. */
  keyIsIdNumber?: boolean;
  /** The stored record, when there is one. */
  recordId: number | null;
  /** The household the change belongs to, as the list groups them (e.g. 青山村 王建国户). */
  group: string;
  /** A field name, or '*' for a record the file has and the ledger does not. */
  field: string;
  label: string;
  ledger: unknown;
  national: unknown;
  /** False when the change cannot be taken here (a status change goes through the workflow screens). */
  applicable?: boolean;
  note?: string;
}

export interface ChangeSink {
  /** Whether to write this change. */
  take(change: Change): boolean;
  /** Every record the file holds, changed or not (what is in the ledger and not here is 只在台账). */
  seen?(entity: ChangeEntity, key: string): void;
  /** A change that comes with one already taken (a member of a new household): written, heard, not chosen. */
  follow?(change: Change): void;
}

/** The sink for what comes with a taken change: takes everything, telling the sink it follows. */
export function following(sink: ChangeSink): ChangeSink {
  return {
    take(change) {
      sink.follow?.(change);
      return true;
    },
  };
}

/** Everything is taken (a plain import); `onTaken` hears each change (for its audit entry). */
export function takingAll(onTaken: (c: Change) => void = () => undefined): ChangeSink {
  return {
    follow: onTaken,
    take(change) {
      if (change.applicable === false) return false;
      onTaken(change);
      return true;
    },
  };
}

/** A difference's stable id: the same file and ledger give the same ids, so a choice can name them. */
export const changeId = (c: Pick<Change, 'entity' | 'key' | 'field'>) => `${c.entity}|${c.key}|${c.field}`;

/** Records every proposed change and takes it (the preview runs inside a savepoint that is rolled back). */
export function recordingSink(): ChangeSink & { changes: Change[]; keys: Record<ChangeEntity, Set<string>> } {
  const changes: Change[] = [];
  const keys: Record<ChangeEntity, Set<string>> = { 农户: new Set(), 人员: new Set(), 监测对象: new Set() };
  return {
    changes,
    keys,
    seen(entity, key) {
      keys[entity].add(key);
    },
    take(change) {
      changes.push(change);
      return change.applicable !== false;
    },
  };
}

/** Takes only the chosen changes, and tells each taken one to `onTaken` (for its audit entry). */
export function choosingSink(chosen: ReadonlySet<string>, onTaken: (c: Change) => void): ChangeSink {
  return {
    follow: onTaken,
    take(change) {
      if (change.applicable === false || !chosen.has(changeId(change))) return false;
      onTaken(change);
      return true;
    },
  };
}
