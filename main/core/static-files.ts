/**
 * Serving the built renderer from a folder: the one path guard and content-type table used by both hosts
 * (Electron's `app://ledger/...` protocol in main/electron/serve.ts and the browser-mode bridge in
 * main/web/server.ts). Node only, no electron: both hosts may import the core, neither may import the other.
 */
import fs from 'node:fs/promises';
import path from 'node:path';

const MAX_URL_PATH = 1024;

/**
 * Maps a URL path to a file inside `root`, or null when the request must be refused (404). Refuses rather
 * than repairs anything unusual: undecodable escapes, NUL, backslashes, encoded separators (`%2f`, `%5c`, in
 * any case), `:` (drive letters, streams), and any `..` segment — even one that would still land inside the
 * root. An absolute URL path is always taken relative to the root; `/` maps to `index.html`. Does not touch
 * the file system: see {@link findStaticFile} for the symlink check.
 */
export function resolveInside(root: string, urlPath: string): string | null {
  if (typeof urlPath !== 'string' || urlPath.length > MAX_URL_PATH) return null;
  // The raw path may contain only URL path characters; `\` is never part of our file names.
  if (urlPath.includes('\\') || urlPath.includes('\0')) return null;
  // Encoded separators would let one decoded segment span directories.
  if (/%(2f|5c|00)/i.test(urlPath)) return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\') || decoded.includes(':')) return null;
  const segments = decoded.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.some((s) => s === '..')) return null;
  const relative = segments.length === 0 ? 'index.html' : segments.join('/');
  const base = path.resolve(root);
  const resolved = path.resolve(base, relative);
  return isStrictlyInside(base, resolved) ? resolved : null;
}

function isStrictlyInside(base: string, target: string): boolean {
  const rel = path.relative(base, target);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

/** The real path of `file` when it is a regular file whose real location is inside `realRoot`, else null. */
async function realFileInside(realRoot: string, file: string): Promise<string | null> {
  try {
    // Resolve symlinks too: a link inside the root must not lead outside it.
    const real = await fs.realpath(file);
    if (!isStrictlyInside(realRoot, real)) return null;
    return (await fs.stat(real)).isFile() ? real : null;
  } catch {
    return null;
  }
}

export interface FindOptions {
  /** Paths without a file extension that match no file get `index.html` (the app shell); assets stay 404. */
  fallbackToIndex?: boolean;
}

/**
 * The file to serve for `urlPath`, by its real path, or null for a 404: {@link resolveInside} first, then
 * the file must exist, be a regular file and — after following symlinks — still lie inside the real root.
 */
export async function findStaticFile(root: string, urlPath: string, options: FindOptions = {}): Promise<string | null> {
  const candidate = resolveInside(root, urlPath);
  if (candidate === null) return null;
  let realRoot: string;
  try {
    realRoot = await fs.realpath(root);
  } catch {
    return null;
  }
  const file = await realFileInside(realRoot, candidate);
  if (file !== null || !options.fallbackToIndex || path.extname(candidate) !== '') return file;
  return realFileInside(realRoot, path.join(realRoot, 'index.html'));
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
};

/** The Content-Type for a served file, by extension (case-insensitive); unknown ones are octet-stream. */
export function contentTypeFor(file: string): string {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

export function isHtmlFile(file: string): boolean {
  return path.extname(file).toLowerCase() === '.html';
}
