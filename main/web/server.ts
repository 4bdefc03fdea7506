/**
 * Browser mode: the same core behind a loopback-only HTTP bridge. The renderer is served from its built
 * folder; calls are `POST /api/<op>` with the per-run token. Refused: non-loopback peers, foreign Host
 * headers (DNS rebinding), cross-origin posts, missing or wrong tokens, oversized bodies, paths outside the
 * renderer folder. Calls reach the core's page face: a file path named in a call is refused (browser mode uploads
 * what it imports, and reports go to the 报表 folder beside the database).
 *
 * Each browser session has its own core session (who is signed in; core/auth/session.ts), named by an HttpOnly,
 * SameSite=Strict cookie the bridge sets on the first call that carries the token, and renewed when an account
 * signs in. Without a signed-in account the core refuses every call but signing in (auth.status/setup/login).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs/promises';
import http from 'node:http';
import { contentTypeFor, findStaticFile, isHtmlFile } from '../core/static-files.ts';
import type { PageLedger } from '../core/ledger.ts';
import type { LedgerApi, OpName } from '../../shared/api.ts';
import { contentSecurityPolicy, NONCE_PLACEHOLDER } from '../../shared/host.ts';

const MAX_BODY_BYTES = 16 * 1024 * 1024;
const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);
/** At most this many browser sessions are kept; the least recently used is dropped (signed out) beyond it. */
const MAX_SESSIONS = 64;

export interface BridgeOptions {
  /**
   * The core; the bridge forwards to page faces only (one per browser session), which refuse file paths a caller
   * names (files.ts) and need a signed-in account.
   */
  ledger: Pick<PageLedger, 'openSession'>;
  /** The built renderer (index.html + assets). */
  rendererDir: string;
  token?: string;
}

export interface Bridge {
  server: http.Server;
  token: string;
  /** Resolves once listening; gives the URL to open (with the token). */
  listen(port?: number, host?: string): Promise<string>;
  close(): Promise<void>;
}

/** The bridge's running state: `port` is 0 until listening, then the bound port the Host checks compare with. */
interface BridgeState {
  ledger: Pick<PageLedger, 'openSession'>;
  /** Browser sessions by cookie value, least recently used first. */
  sessions: Map<string, LedgerApi>;
  rendererDir: string;
  tokenBytes: Buffer;
  port: number;
}

/** A refusal: status, message, extra headers. */
type Refusal = [status: number, message: string, extra?: Record<string, string>];

export function createBridge(options: BridgeOptions): Bridge {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const state: BridgeState = {
    ledger: options.ledger,
    sessions: new Map(),
    rendererDir: options.rendererDir,
    tokenBytes: Buffer.from(token),
    port: 0,
  };

  const server = http.createServer((req, res) => {
    handle(state, req, res).catch(() => {
      if (!res.headersSent) send(res, 500, '内部错误');
      else res.destroy();
    });
  });

  return {
    server,
    token,
    listen(wanted = 0, host = '127.0.0.1') {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(wanted, host, () => {
          state.port = (server.address() as { port: number }).port;
          resolve(`http://127.0.0.1:${state.port}/?token=${token}`);
        });
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Every answer is uncached, unsniffed, sends no referrer and is readable by this origin only. */
function send(
  res: http.ServerResponse,
  status: number,
  body: string | Buffer,
  type = 'text/plain; charset=utf-8',
  extra: Record<string, string> = {},
) {
  res.writeHead(status, {
    'content-type': type,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cross-origin-resource-policy': 'same-origin',
    ...extra,
  });
  res.end(body);
}

/** DNS rebinding guard: the Host (or an Origin without its scheme) must name this bridge on loopback. */
function hostAllowed(host: string | undefined, port: number) {
  return host === `127.0.0.1:${port}` || host === `localhost:${port}`;
}

/** Guards every request (loopback peer, own Host), then answers an API call or serves a renderer file. */
async function handle(state: BridgeState, req: http.IncomingMessage, res: http.ServerResponse) {
  if (!LOOPBACK.has(req.socket.remoteAddress ?? '')) return send(res, 403, '仅允许本机访问');
  if (!hostAllowed(req.headers.host, state.port)) return send(res, 403, '请求的主机名不被允许');
  const url = new URL(req.url ?? '/', `http://127.0.0.1:${state.port}`);
  if (url.pathname.startsWith('/api/')) return handleApi(state, req, res, url);
  return serveStatic(state.rendererDir, req, res, url);
}

/** Why an API call is refused before its body is read — method, cross-origin, token, content type — or null. */
function apiRefusal(state: BridgeState, req: http.IncomingMessage): Refusal | null {
  if (req.method !== 'POST') return [405, '仅支持 POST', { allow: 'POST' }];
  const origin = req.headers.origin;
  if (origin !== undefined && !hostAllowed(origin.replace(/^http:\/\//, ''), state.port))
    return [403, '跨站请求被拒绝'];
  const given = Buffer.from(String(req.headers['x-ledger-token'] ?? ''));
  if (given.length !== state.tokenBytes.length || !timingSafeEqual(given, state.tokenBytes))
    return [401, '缺少或错误的访问令牌'];
  if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) return [415, '请求体应为 JSON'];
  return null;
}

/** The JSON body (`{}` when empty), or a refusal: too large (stops reading) or not JSON. */
async function readJsonBody(req: http.IncomingMessage): Promise<{ input: unknown } | Refusal> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return [413, '请求过大'];
    chunks.push(chunk);
  }
  try {
    return { input: chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {} };
  } catch {
    return [400, '请求体不是有效的 JSON'];
  }
}

async function handleApi(state: BridgeState, req: http.IncomingMessage, res: http.ServerResponse, url: URL) {
  const refusal = apiRefusal(state, req);
  if (refusal) return send(res, refusal[0], refusal[1], undefined, refusal[2]);
  const body = await readJsonBody(req);
  if (Array.isArray(body)) return send(res, body[0], body[1]);
  const op = decodeURIComponent(url.pathname.slice('/api/'.length)) as OpName;
  const session = sessionOf(state, req);
  const result = await session.api.call(op, body.input as never);
  // A new cookie for a new session, and again when an account signs in (the old value no longer names it).
  let id = session.fresh ? session.id : null;
  if (result.ok && (op === 'auth.login' || op === 'auth.setup')) {
    state.sessions.delete(session.id);
    id = newSessionId();
    state.sessions.set(id, session.api);
  }
  const cookie: Record<string, string> =
    id === null ? {} : { 'set-cookie': `${cookieName(state)}=${id}; Path=/api/; HttpOnly; SameSite=Strict` };
  return send(res, 200, JSON.stringify(result), 'application/json; charset=utf-8', cookie);
}

/** The cookie's name carries the port: browsers share cookies between ports of one host. */
const cookieName = (state: BridgeState) => `ledger_session_${state.port}`;
const newSessionId = () => randomBytes(24).toString('base64url');

/** The request's browser session, or a new one (signed out) when its cookie names none. */
function sessionOf(state: BridgeState, req: http.IncomingMessage): { id: string; api: LedgerApi; fresh: boolean } {
  const name = cookieName(state);
  const given = String(req.headers.cookie ?? '')
    .split(';')
    .map((c) => c.trim().split('='))
    .find(([k]) => k === name)?.[1];
  const known = given === undefined ? undefined : state.sessions.get(given);
  if (given !== undefined && known) {
    // Most recently used last.
    state.sessions.delete(given);
    state.sessions.set(given, known);
    return { id: given, api: known, fresh: false };
  }
  const id = newSessionId();
  const api = state.ledger.openSession();
  state.sessions.set(id, api);
  while (state.sessions.size > MAX_SESSIONS) state.sessions.delete(state.sessions.keys().next().value!);
  return { id, api, fresh: true };
}

/** GET/HEAD of a renderer file; HTML gets a fresh CSP nonce per response. */
async function serveStatic(rendererDir: string, req: http.IncomingMessage, res: http.ServerResponse, url: URL) {
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, '不支持的请求方法');
  // The shared guard (main/core/static-files.ts): `/` is index.html; traversal and symlinks out are 404.
  const file = await findStaticFile(rendererDir, url.pathname);
  if (file === null) return send(res, 404, '未找到');
  if (isHtmlFile(file)) {
    const nonce = randomBytes(16).toString('base64');
    const html = (await fs.readFile(file, 'utf8')).replaceAll(NONCE_PLACEHOLDER, nonce);
    return send(res, 200, html, contentTypeFor(file), {
      'content-security-policy': contentSecurityPolicy(nonce),
      'x-frame-options': 'DENY',
    });
  }
  return send(res, 200, await fs.readFile(file), contentTypeFor(file));
}
