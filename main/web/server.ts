/**
 * Browser mode: the same core behind a loopback-only HTTP bridge. The renderer is served from its built
 * folder; calls are `POST /api/<op>` with the per-run token. Refused: non-loopback peers, foreign Host
 * headers (DNS rebinding), cross-origin posts, missing or wrong tokens, oversized bodies, paths outside the
 * renderer folder.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs/promises';
import http from 'node:http';
import { contentTypeFor, findStaticFile, isHtmlFile } from '../core/static-files.ts';
import type { LedgerApi, OpName } from '../../shared/api.ts';
import { contentSecurityPolicy, NONCE_PLACEHOLDER } from '../../shared/host.ts';

const MAX_BODY_BYTES = 16 * 1024 * 1024;
const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);
export interface BridgeOptions {
  ledger: LedgerApi;
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

export function createBridge(options: BridgeOptions): Bridge {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const tokenBytes = Buffer.from(token);
  let port = 0;

  const send = (
    res: http.ServerResponse,
    status: number,
    body: string | Buffer,
    type = 'text/plain; charset=utf-8',
    extra: Record<string, string> = {},
  ) => {
    res.writeHead(status, {
      'content-type': type,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cross-origin-resource-policy': 'same-origin',
      ...extra,
    });
    res.end(body);
  };

  const hostAllowed = (host: string | undefined) => host === `127.0.0.1:${port}` || host === `localhost:${port}`;

  async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
    if (!LOOPBACK.has(req.socket.remoteAddress ?? '')) return send(res, 403, '仅允许本机访问');
    if (!hostAllowed(req.headers.host)) return send(res, 403, '请求的主机名不被允许');
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);

    if (url.pathname.startsWith('/api/')) {
      if (req.method !== 'POST') return send(res, 405, '仅支持 POST', undefined, { allow: 'POST' });
      const origin = req.headers.origin;
      if (origin !== undefined && !hostAllowed(origin.replace(/^http:\/\//, '')))
        return send(res, 403, '跨站请求被拒绝');
      const given = Buffer.from(String(req.headers['x-ledger-token'] ?? ''));
      if (given.length !== tokenBytes.length || !timingSafeEqual(given, tokenBytes))
        return send(res, 401, '缺少或错误的访问令牌');
      if (!String(req.headers['content-type'] ?? '').startsWith('application/json'))
        return send(res, 415, '请求体应为 JSON');
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of req as AsyncIterable<Buffer>) {
        size += chunk.length;
        if (size > MAX_BODY_BYTES) return send(res, 413, '请求过大');
        chunks.push(chunk);
      }
      let input: unknown;
      try {
        input = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {};
      } catch {
        return send(res, 400, '请求体不是有效的 JSON');
      }
      const op = decodeURIComponent(url.pathname.slice('/api/'.length)) as OpName;
      const result = await options.ledger.call(op, input as never);
      return send(res, 200, JSON.stringify(result), 'application/json; charset=utf-8');
    }

    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, '不支持的请求方法');
    // The shared guard (main/core/static-files.ts): `/` is index.html; traversal and symlinks out are 404.
    const file = await findStaticFile(options.rendererDir, url.pathname);
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

  const server = http.createServer((req, res) => {
    handle(req, res).catch(() => {
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
          port = (server.address() as { port: number }).port;
          resolve(`http://127.0.0.1:${port}/?token=${token}`);
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
