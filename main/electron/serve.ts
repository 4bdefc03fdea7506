/**
 * Serving the built renderer (`dist/renderer`) on `app://ledger/...`. Electron-free: main.ts wraps the result
 * in a `Response` inside `protocol.handle`; the tests call it directly. Every response, 404s included, carries
 * the Content-Security-Policy; index.html gets this run's style nonce in place of the placeholder.
 */
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { contentSecurityPolicy, NONCE_PLACEHOLDER } from '../../shared/host.ts';
import { contentTypeFor, isAppUrl, resolveInside } from './paths.ts';

export interface ServedResponse {
  status: number;
  headers: Record<string, string>;
  body: Uint8Array | string | null;
}

/** A fresh base64 nonce per run (CSP `style-src 'nonce-…'`). */
export function createNonce(): string {
  return crypto.randomBytes(16).toString('base64');
}

function securityHeaders(nonce: string): Record<string, string> {
  return {
    'content-security-policy': contentSecurityPolicy(nonce),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
  };
}

function plain(status: number, text: string, nonce: string): ServedResponse {
  return {
    status,
    headers: { ...securityHeaders(nonce), 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
    body: text,
  };
}

async function isFileInside(realRoot: string, file: string): Promise<string | null> {
  try {
    // Resolve symlinks too: a link inside dist/renderer must not lead outside it.
    const real = await fs.realpath(file);
    const rel = path.relative(realRoot, real);
    if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return null;
    const st = await fs.stat(real);
    return st.isFile() ? real : null;
  } catch {
    return null;
  }
}

export async function serveAppRequest(
  root: string,
  requestUrl: string,
  nonce: string,
  method = 'GET',
): Promise<ServedResponse> {
  if (!isAppUrl(requestUrl)) return plain(404, 'Not Found', nonce);
  if (method !== 'GET' && method !== 'HEAD') return plain(405, 'Method Not Allowed', nonce);
  const urlPath = new URL(requestUrl).pathname;
  const candidate = resolveInside(root, urlPath);
  if (candidate === null) return plain(404, 'Not Found', nonce);

  let realRoot: string;
  try {
    realRoot = await fs.realpath(root);
  } catch {
    return plain(404, 'Not Found', nonce);
  }
  let file = await isFileInside(realRoot, candidate);
  // Client-side routes (no file extension) get the app shell; missing assets stay 404.
  if (file === null && path.extname(candidate) === '') {
    file = await isFileInside(realRoot, path.join(realRoot, 'index.html'));
  }
  if (file === null) return plain(404, 'Not Found', nonce);

  const isHtml = path.extname(file).toLowerCase() === '.html';
  const headers = {
    ...securityHeaders(nonce),
    'content-type': contentTypeFor(file),
    'cache-control': isHtml ? 'no-store' : 'no-cache',
  };
  if (method === 'HEAD') return { status: 200, headers, body: null };
  if (isHtml) {
    const html = await fs.readFile(file, 'utf8');
    return { status: 200, headers, body: html.replaceAll(NONCE_PLACEHOLDER, nonce) };
  }
  return { status: 200, headers, body: new Uint8Array(await fs.readFile(file)) };
}
