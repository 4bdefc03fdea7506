/**
 * Serving the built renderer (`dist/renderer`) on `app://ledger/...`. Electron-free: main.ts wraps the result
 * in a `Response` inside `protocol.handle`; the tests call it directly. Every response, 404s included, carries
 * the Content-Security-Policy; index.html gets this run's style nonce in place of the placeholder.
 */
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import { contentTypeFor, findStaticFile, isHtmlFile } from '../core/static-files.ts';
import { contentSecurityPolicy, NONCE_PLACEHOLDER } from '../../shared/host.ts';
import { isAppUrl } from './paths.ts';

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

export async function serveAppRequest(
  root: string,
  requestUrl: string,
  nonce: string,
  method = 'GET',
): Promise<ServedResponse> {
  if (!isAppUrl(requestUrl)) return plain(404, 'Not Found', nonce);
  if (method !== 'GET' && method !== 'HEAD') return plain(405, 'Method Not Allowed', nonce);
  // The shared guard (main/core/static-files.ts); client-side routes (no file extension) get the app shell.
  const file = await findStaticFile(root, new URL(requestUrl).pathname, { fallbackToIndex: true });
  if (file === null) return plain(404, 'Not Found', nonce);

  const isHtml = isHtmlFile(file);
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
