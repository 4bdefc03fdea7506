/**
 * One dispatcher for every caller (IPC, HTTP bridge, CLI, tests): validate the input against the contract,
 * run the handler (writes in one transaction with their audit entries), and turn every failure into a
 * typed error with a Chinese message. Input values never reach a log.
 */
import { z } from 'zod';
import type { DemoAccount } from '../../shared/accounts.ts';
import { API, type OpName, type OpParsed, type OpResult } from '../../shared/api.ts';
import type { CallResult, LedgerErrorShape } from '../../shared/errors.ts';
import { todayIso } from '../../shared/dates.ts';
import { fieldLabel, FIELD_LABELS } from '../../shared/labels.ts';
import type { Ctx } from './context.ts';
import { authorize, newSession, type Session } from './auth/session.ts';
import { KeptRefusal, LedgerError } from './errors.ts';
import { discardStaged, FileGrants, publishStaged, type StagedFile } from './files.ts';
import { busyError, isBusy } from './db/lock.ts';
import type { LedgerDb } from './db/open.ts';

export type Handler<K extends OpName> = (ctx: Ctx, input: OpParsed<K>) => Promise<OpResult<K>>;
export type Handlers = { [K in OpName]: Handler<K> };
/**
 * What an operation does before its transaction begins, outside the write lock: reading and parsing the file an
 * import names takes seconds, during which other programs can go on writing (db/lock.ts).
 */
export type Preparer<K extends OpName> = (ctx: Ctx, input: OpParsed<K>) => void | Promise<void>;
export type Preparers = { [K in OpName]?: Preparer<K> };

export interface DispatchOptions {
  /** The in-process library's actor on a ledger without accounts (an older file): it works as it always did. */
  actor?: string;
  today?: () => string;
  /** Milliseconds now: lockouts after failed sign-ins and idle sessions; injectable for tests. */
  now?: () => number;
  /** Demo townships only: accounts and passwords shown on the login screen (auth.status). */
  demoAccounts?: DemoAccount[];
  prepare?: Preparers;
  /** Files the user picked in a native dialog this session (files.ts); a page names them by token. */
  grants?: FileGrants;
}

/**
 * Who is calling: `process` is the in-process library (CLI, tests), whose paths are taken as given; `page` is a
 * call forwarded from a page (browser-mode bridge, Electron window), which may name files only by picked tokens.
 */
export type Caller = 'process' | 'page';

export function createDispatcher(ledger: LedgerDb, handlers: Handlers, options: DispatchOptions = {}) {
  const actor = options.actor ?? '本机用户';
  // Local calendar date: in China a UTC date would still be yesterday until 08:00.
  const today = options.today ?? (() => todayIso());
  const now = options.now ?? (() => Date.now());
  const grants = options.grants ?? new FileGrants();
  const processSession = newSession(false);

  /**
   * `session` is who is signed in for this caller: a page's own (bridge cookie, Electron window), or the process's.
   * Every operation but the `open` ones (signing in) needs an account whose role reaches the operation's; the
   * in-process library on a ledger without accounts runs as `actor`, as before accounts existed.
   */
  return async function dispatch<K extends OpName>(
    name: K,
    rawInput: unknown,
    caller: Caller = 'process',
    session: Session = processSession,
  ): Promise<CallResult<OpResult<K>>> {
    const def = API[name] as (typeof API)[OpName] | undefined;
    if (!def || !Object.hasOwn(API, name)) {
      return { ok: false, error: { code: 'validation', message: `未知的操作：${String(name)}` } };
    }
    const staged: StagedFile[] = [];
    try {
      const who = def.open
        ? (session.account?.user ?? actor)
        : await authorize(ledger.db, session, def.role, now(), caller === 'process' ? actor : null);
      const input = def.input.parse(rawInput ?? {}) as OpParsed<K>;
      const handler = handlers[name] as Handler<K>;
      const access = { trusted: caller === 'process', grants };
      const ctx: Ctx = {
        db: ledger.db,
        raw: ledger.raw,
        file: ledger.file,
        actor: who,
        session,
        today,
        now,
        audited: 0,
        access,
        staged,
        demoAccounts: options.demoAccounts ?? null,
      };
      await options.prepare?.[name]?.(ctx, input);
      let value: OpResult<K>;
      if (def.dryRun) {
        // Writes inside a transaction that is always rolled back: it takes the write lock like a write.
        const trx = await ledger.db.startTransaction().execute();
        try {
          value = await handler({ ...ctx, db: trx }, input);
        } finally {
          await trx.rollback().execute();
        }
      } else if (!def.write || def.ownTransaction) {
        value = await handler(ctx, input);
      } else {
        // BEGIN IMMEDIATE (db/lock.ts): the write lock is taken first, waiting for another program's write to end.
        let kept: KeptRefusal | null = null;
        value = await ledger.db.transaction().execute(async (trx) => {
          const inTrx: Ctx = { ...ctx, db: trx };
          let result: OpResult<K>;
          try {
            result = await handler(inTrx, input);
          } catch (e) {
            // A refusal that records itself (a failed sign-in): commit what it recorded, then refuse.
            if (!(e instanceof KeptRefusal) || inTrx.audited === 0) throw e;
            kept = e;
            return undefined as OpResult<K>;
          }
          if (inTrx.audited === 0) throw new Error(`write operation ${name} recorded no audit entry`);
          return result;
        });
        if (kept) throw kept as KeptRefusal;
      }
      // Files the operation wrote go to their names only now that what records them has committed (files.ts).
      publishStaged(staged);
      return { ok: true, value };
    } catch (e) {
      discardStaged(staged);
      return { ok: false, error: toErrorShape(e, name) };
    }
  };
}

export function toErrorShape(e: unknown, op: string): LedgerErrorShape {
  if (e instanceof LedgerError) return e.toShape();
  // Another program held the write lock longer than the busy timeout (db/lock.ts).
  if (isBusy(e)) return busyError().toShape();
  if (e instanceof z.ZodError) {
    const issues = e.issues.map((i) => ({
      field: i.path.map(String).join('.'),
      message: `「${fieldLabel(i.path)}」${i.message}`,
    }));
    return { code: 'validation', message: issues[0]!.message, field: issues[0]!.field, details: issues };
  }
  const sqliteCode = (e as { code?: unknown }).code;
  if (typeof sqliteCode === 'string' && sqliteCode.startsWith('SQLITE_CONSTRAINT')) {
    return constraintError(sqliteCode, (e as Error).message);
  }
  // Only the operation name and error class are logged: never input values (personal data).
  console.error(
    `[core] ${op} failed: ${(e as Error)?.name ?? 'Error'} ${typeof sqliteCode === 'string' ? sqliteCode : ''}`,
  );
  return { code: 'internal', message: '内部错误：操作未完成，数据未作改动。请重试或联系技术支持。' };
}

const UNIQUE_MESSAGES: Record<string, [string, string]> = {
  'person.id_number': ['idNumber', '该身份证号已登记在其他人员名下'],
  'household.hh_no': ['hhNo', '该户编号已存在'],
  'village.code': ['code', '该村代码已存在'],
  'village.name': ['name', '该村名称已存在'],
  'village_group.village_id, village_group.name': ['name', '该村已有同名村民小组'],
  'relocated_household.household_id': ['householdId', '该户已关联到安置点'],
  'relocation_site.name': ['name', '已有同名安置点'],
  'placement.person_id': ['personId', '该人员已在其他公益性岗位在岗（一人一岗）'],
  'monitoring_case.household_id': ['householdId', '该户已有未结束的监测记录'],
  'case_risk.case_id, case_risk.risk_type': ['risks', '风险类型不能重复'],
  'attendance.placement_id, attendance.month': ['month', '该月考勤已存在'],
};

function constraintError(code: string, message: string): LedgerErrorShape {
  if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    const cols = message.replace(/^UNIQUE constraint failed: /, '');
    const known = UNIQUE_MESSAGES[cols];
    if (known) return { code: 'conflict', message: known[1], field: known[0] };
    return { code: 'conflict', message: '记录重复：已存在相同的记录' };
  }
  if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY') {
    return { code: 'validation', message: '引用的记录不存在（可能已被删除）' };
  }
  if (code === 'SQLITE_CONSTRAINT_CHECK') {
    const col = /CHECK constraint failed: (\w+)/.exec(message)?.[1];
    const camel = col?.replace(/_(\w)/g, (_, c: string) => c.toUpperCase());
    const label = camel && FIELD_LABELS[camel] ? `「${FIELD_LABELS[camel]}」` : '';
    return { code: 'validation', message: `${label}数值不符合要求`, ...(camel ? { field: camel } : {}) };
  }
  if (code === 'SQLITE_CONSTRAINT_NOTNULL') {
    return { code: 'validation', message: '必填项为空' };
  }
  return { code: 'validation', message: '数据不符合约束条件' };
}
