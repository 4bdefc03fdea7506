/**
 * The core owns where files go (issue 12 §2). The database holds a township's personal data; the files made
 * from it (reports, error lists, comparison lists) hold the same data, so the core decides where they are
 * written and what it reads:
 *
 * - **Who may name a path.** The in-process library (`openLedger(...).call`: the CLI, tests, the bench) is the
 *   user at a terminal, who can read and write those paths anyway: paths are taken as given. Calls forwarded from
 *   a page (`ledger.page`: the browser-mode bridge and Electron's core host) may not name a path at all: a page
 *   that runs someone else's script must not make the core overwrite or read any file it likes. A page names a
 *   file only by a token that the desktop shell handed out for a file the user picked in a native dialog in this
 *   session (`grantFile`); without one, reports and error lists go to the reports folder beside the database
 *   (`报表/`) and imports read uploaded bytes. A read token serves the whole import of its file (detect, preview,
 *   run, compare, reconcile); a write token is spent by the one write it was picked for.
 * - **How a file is written.** Into a temporary file in the target's folder (created readable by the user
 *   only), fsynced, and renamed onto the target only after the operation's transaction has committed (its archive
 *   row and audit entry): a process killed on the way never leaves a file at a target name that the archive does
 *   not know. Each temporary file is noted beside the database (`<db>-writing/`) while it exists, so one left by
 *   a killed process is removed the next time the database is opened, wherever it was.
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { LedgerError } from './errors.ts';

export type FileAccessKind = 'read' | 'write';

/** A token for a file the user picked in a native dialog: `picked:` and 32 random characters. */
export const PICKED_PREFIX = 'picked:';
const TOKEN = /^picked:[A-Za-z0-9_-]{32}$/;

export const isPickedToken = (s: string) => TOKEN.test(s);

export function newPickedToken(): string {
  return `${PICKED_PREFIX}${randomBytes(24).toString('base64url')}`;
}

/** Files the user picked in a native dialog during this session, by the token the shell handed to the page. */
export class FileGrants {
  readonly #grants = new Map<string, { file: string; access: FileAccessKind }>();

  grant(token: string, file: string, access: FileAccessKind): void {
    if (!isPickedToken(token)) throw new Error('grantFile: malformed token');
    if (!path.isAbsolute(file)) throw new Error('grantFile: the picked path must be absolute');
    this.#grants.set(token, { file: path.normalize(file), access });
  }

  /** The picked path; a write token is spent by this use. */
  take(token: string, access: FileAccessKind): string | null {
    const g = this.#grants.get(token);
    if (!g || g.access !== access) return null;
    if (access === 'write') this.#grants.delete(token);
    return g.file;
  }
}

/** What a caller may do with files: `trusted` callers name paths; others only tokens from `grants`. */
export interface FileAccess {
  trusted: boolean;
  grants: FileGrants;
}

/** A temporary file written by an operation, put in place once the operation's transaction has ended well. */
export interface StagedFile {
  tmp: string;
  target: string;
  marker: string;
}

/** What the functions here need of the operation's context. */
interface FileCtx {
  file: string;
  access: FileAccess;
  staged: StagedFile[];
}

export const reportsDir = (dbFile: string) => path.join(path.dirname(path.resolve(dbFile)), '报表');

const READ_REFUSED = '不能按调用方给出的路径读取文件：请在“选择文件”对话框中选择，或上传文件';
const WRITE_REFUSED =
  '不能写入调用方指定的位置：请在“保存”对话框中选择位置，或不指定位置（保存到数据库旁的“报表”文件夹）';
const EXPIRED = '所选文件已失效，请重新选择';

/** The file an import reads: a path from a trusted caller, or the file the user picked under `token`. */
export function sourcePath(ctx: FileCtx, file: string, field = 'file'): string {
  if (isPickedToken(file)) {
    const picked = ctx.access.grants.take(file, 'read');
    if (!picked) throw new LedgerError('validation', EXPIRED, field);
    return picked;
  }
  if (!ctx.access.trusted) throw new LedgerError('validation', READ_REFUSED, field);
  return path.resolve(file);
}

/**
 * Where a file goes: `requested` (a trusted caller's path or a picked file's token), or `defaultName` in the
 * reports folder beside the database when nothing was requested.
 */
export function targetPath(
  ctx: FileCtx,
  requested: string | null | undefined,
  defaultName: string,
  field = 'file',
): string {
  if (requested === undefined || requested === null) return path.join(reportsDir(ctx.file), defaultName);
  if (isPickedToken(requested)) {
    const picked = ctx.access.grants.take(requested, 'write');
    if (!picked) throw new LedgerError('validation', EXPIRED, field);
    return picked;
  }
  if (!ctx.access.trusted) throw new LedgerError('validation', WRITE_REFUSED, field);
  return path.resolve(requested);
}

/** Refuses at once a path a page names (before an operation does any work), without spending a token. */
export function checkNamed(
  ctx: Pick<FileCtx, 'access'>,
  value: string | null | undefined,
  field: string,
  kind: FileAccessKind,
): void {
  if (typeof value !== 'string' || ctx.access.trusted || isPickedToken(value)) return;
  throw new LedgerError('validation', kind === 'read' ? READ_REFUSED : WRITE_REFUSED, field);
}

const markerDir = (dbFile: string) => `${path.resolve(dbFile)}-writing`;

const ioCode = (e: unknown) => (e as { code?: string } | null)?.code ?? '';
const lockedOrDenied = (e: unknown) => ['EBUSY', 'EPERM', 'EACCES'].includes(ioCode(e));

function fsync(file: string, flags = 'r+'): void {
  const fd = fs.openSync(file, flags);
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Writes a file for `target` through `write` (given the temporary path to write) and returns its SHA-256. The
 * file is put at `target` when the operation's transaction has committed (`publishStaged`), or removed if the
 * operation fails (`discardStaged`).
 */
export async function stageFile(
  ctx: FileCtx,
  target: string,
  field: string,
  write: (tmp: string) => Promise<void>,
): Promise<{ sha256: string }> {
  const dir = path.dirname(target);
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch {
    throw new LedgerError('io', `无法创建文件夹：${dir}`, field);
  }
  const existing = fs.statSync(target, { throwIfNoEntry: false });
  if (existing?.isDirectory()) throw new LedgerError('validation', `目标是一个文件夹：${target}`, field);
  if (existing) {
    // A workbook open in Excel (Windows) cannot be replaced: say so before anything is recorded.
    try {
      fs.closeSync(fs.openSync(target, 'r+'));
    } catch (e) {
      if (lockedOrDenied(e)) throw new LedgerError('io', `无法写入文件（可能已在Excel中打开）：${target}`, field);
      throw e;
    }
  }
  const id = `${process.pid}-${randomBytes(6).toString('hex')}`;
  const tmp = `${target}.${id}.writing`;
  const marker = path.join(markerDir(ctx.file), `${id}.json`);
  note(marker, tmp);
  const staged: StagedFile = { tmp, target, marker };
  try {
    try {
      fs.closeSync(fs.openSync(tmp, 'wx', 0o600));
    } catch (e) {
      if (lockedOrDenied(e)) throw new LedgerError('io', `无法写入文件夹：${dir}`, field);
      throw e;
    }
    await write(tmp);
    fsync(tmp);
    const sha256 = createHash('sha256').update(fs.readFileSync(tmp)).digest('hex');
    ctx.staged.push(staged);
    return { sha256 };
  } catch (e) {
    discard(staged);
    if (lockedOrDenied(e)) throw new LedgerError('io', `无法写入文件：${target}`, field);
    throw e;
  }
}

/** The marker naming a temporary file, written before the file is created. */
function note(marker: string, tmp: string): void {
  for (let attempt = 0; ; attempt++) {
    try {
      fs.mkdirSync(path.dirname(marker), { recursive: true, mode: 0o700 });
      fs.writeFileSync(marker, JSON.stringify({ pid: process.pid, tmp }), { mode: 0o600, flush: true });
      return;
    } catch (e) {
      // Another process opening the database removed the empty folder in between: once more.
      if (ioCode(e) !== 'ENOENT' || attempt > 2) throw e;
    }
  }
}

/** The marker of a finished write, and its folder once no other write is noted there. */
function unnote(marker: string): void {
  fs.rmSync(marker, { force: true });
  try {
    fs.rmdirSync(path.dirname(marker));
  } catch {
    // Another write (maybe another program's) is still noted.
  }
}

function discard(s: StagedFile): void {
  fs.rmSync(s.tmp, { force: true });
  unnote(s.marker);
}

/** After the operation's transaction has committed (or a read has ended): each staged file onto its target. */
export function publishStaged(staged: StagedFile[]): void {
  let failed: string | null = null;
  for (const s of staged.splice(0)) {
    try {
      fs.renameSync(s.tmp, s.target);
    } catch {
      failed ??= s.target;
      discard(s);
      continue;
    }
    try {
      fsync(path.dirname(s.target), 'r');
    } catch {
      // Windows cannot open a folder to flush it; the rename is already durable there.
    }
    unnote(s.marker);
  }
  if (failed)
    throw new LedgerError('io', `文件已生成，但无法放到目标位置（可能已在Excel中打开）：${failed}。请关闭后重新操作`);
}

/** The operation failed: its temporary files are removed. */
export function discardStaged(staged: StagedFile[]): void {
  for (const s of staged.splice(0)) discard(s);
}

function alive(pid: number): boolean {
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return ioCode(e) === 'EPERM';
  }
}

/**
 * On opening: temporary files that killed processes left (noted in `<db>-writing/`, wherever they were
 * written) and any `*.writing` file in the reports folder that no running process is writing are removed.
 */
export function removeLeftovers(dbFile: string): string[] {
  const removed: string[] = [];
  const dir = markerDir(dbFile);
  const live = new Set<string>();
  for (const name of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
    const marker = path.join(dir, name);
    let note: { pid?: unknown; tmp?: unknown } = {};
    try {
      note = JSON.parse(fs.readFileSync(marker, 'utf8')) as typeof note;
    } catch {
      // A marker cut short by a kill names nothing: removed below.
    }
    const tmp = typeof note.tmp === 'string' && note.tmp.endsWith('.writing') ? note.tmp : null;
    if (typeof note.pid === 'number' && alive(note.pid)) {
      if (tmp) live.add(tmp);
      continue;
    }
    if (tmp && fs.existsSync(tmp)) {
      fs.rmSync(tmp, { force: true });
      removed.push(tmp);
    }
    fs.rmSync(marker, { force: true });
  }
  try {
    fs.rmdirSync(dir);
  } catch {
    // Not empty (another process is writing) or absent.
  }
  const reports = reportsDir(dbFile);
  for (const name of fs.existsSync(reports) ? fs.readdirSync(reports) : []) {
    const file = path.join(reports, name);
    if (!name.endsWith('.writing') || live.has(file)) continue;
    // Named by stageFile after its process: one still running is writing it now.
    const pid = /\.(\d+)-[0-9a-f]{12}\.writing$/.exec(name)?.[1];
    if (pid && alive(Number(pid))) continue;
    fs.rmSync(file, { force: true });
    removed.push(file);
  }
  return removed;
}
