/**
 * The browser-mode bridge refuses what it must: no token, wrong token, foreign Host, cross-origin, non-loopback peers,
 * traversal, and every call but signing in from a browser session without a signed-in account.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBridge, type Bridge } from '../../main/web/server.ts';
import { newLedger, tempDir, TEST_PASSWORD, TEST_USER } from '../helpers.ts';
import type { Ledger } from '../../main/core/ledger.ts';

function request(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: init.method ?? 'GET', headers: init.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
      );
    });
    req.on('error', reject);
    if (init.body) req.write(init.body);
    req.end();
  });
}

let ledger: Ledger;
let bridge: Bridge;
let base: string;
let token: string;
/** The cookie of a browser session signed in as the 管理员. */
let cookie: string;
const rendererDir = tempDir();

const sessionCookie = (headers: http.IncomingHttpHeaders) => {
  const set = headers['set-cookie']?.[0];
  return set === undefined ? undefined : set.split(';')[0]!;
};

beforeAll(async () => {
  ({ ledger } = await newLedger());
  await ledger.run('auth.setup', { user: TEST_USER, password: TEST_PASSWORD });
  fs.writeFileSync(
    path.join(rendererDir, 'index.html'),
    '<meta name="ledger-style-nonce" content="__LEDGER_NONCE__"><p>台账</p>',
  );
  fs.writeFileSync(path.join(path.dirname(rendererDir), 'secret.txt'), 'outside');
  fs.symlinkSync(path.join(path.dirname(rendererDir), 'secret.txt'), path.join(rendererDir, 'link.txt'));
  fs.writeFileSync(path.join(rendererDir, 'app.js'), 'console.log(1)');
  bridge = createBridge({ ledger, rendererDir });
  const url = new URL(await bridge.listen(0));
  base = url.origin;
  token = url.searchParams.get('token')!;
  const login = await request(`${base}/api/auth.login`, {
    method: 'POST',
    headers: json(token),
    body: JSON.stringify({ user: TEST_USER, password: TEST_PASSWORD }),
  });
  expect(JSON.parse(login.body)).toMatchObject({ ok: true });
  cookie = sessionCookie(login.headers)!;
});
afterAll(async () => {
  await bridge.close();
  await ledger.close();
});

const json = (t?: string, c?: string) => ({
  'content-type': 'application/json',
  ...(t === undefined ? {} : { 'x-ledger-token': t }),
  ...(c === undefined ? {} : { cookie: c }),
});

describe('browser-mode bridge', () => {
  it('answers a call with the token and returns the contract result', async () => {
    const r = await request(`${base}/api/settings.get`, { method: 'POST', headers: json(token, cookie), body: '{}' });
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toMatchObject({ ok: true, value: { townshipName: '测试镇' } });
  });

  it('refuses every call but signing in from a browser session without a signed-in account', async () => {
    const call = async (op: string, c?: string, body = '{}') => {
      const r = await request(`${base}/api/${op}`, { method: 'POST', headers: json(token, c), body });
      return { status: r.status, body: JSON.parse(r.body) as unknown, cookie: sessionCookie(r.headers) };
    };
    const unauthenticated = { ok: false, error: { code: 'unauthenticated', message: '请先登录' } };
    // No cookie: a new signed-out session, named by an HttpOnly SameSite=Strict cookie.
    const first = await request(`${base}/api/household.list`, { method: 'POST', headers: json(token), body: '{}' });
    expect(JSON.parse(first.body)).toEqual(unauthenticated);
    expect(first.headers['set-cookie']?.[0]).toMatch(
      /^ledger_session_\d+=[\w-]{32}; Path=\/api\/; HttpOnly; SameSite=Strict$/,
    );
    const anonymous = sessionCookie(first.headers)!;
    for (const op of ['settings.get', 'village.create', 'audit.list', 'account.list', 'report.exportNotice'])
      expect((await call(op, anonymous)).body, op).toEqual(unauthenticated);
    // A cookie the bridge never gave is a new signed-out session too.
    expect((await call('settings.get', `${anonymous.split('=')[0]}=forged`)).body).toEqual(unauthenticated);
    expect((await call('auth.status', anonymous)).body).toMatchObject({
      ok: true,
      value: { accounts: true, session: null },
    });
    // A wrong password is refused; the right one signs in under a new cookie, and the old value names nothing.
    const wrong = await call('auth.login', anonymous, JSON.stringify({ user: TEST_USER, password: 'not-it' }));
    expect(wrong.body).toMatchObject({ ok: false, error: { code: 'auth_failed', message: '账户名或密码不正确' } });
    const good = await call('auth.login', anonymous, JSON.stringify({ user: TEST_USER, password: TEST_PASSWORD }));
    expect(good.body).toMatchObject({ ok: true, value: { user: TEST_USER, role: '管理员' } });
    expect(good.cookie).toBeDefined();
    expect(good.cookie).not.toBe(anonymous);
    expect((await call('settings.get', good.cookie)).body).toMatchObject({ ok: true });
    expect((await call('settings.get', anonymous)).body).toEqual(unauthenticated);
    // Signing out ends it.
    expect((await call('auth.logout', good.cookie)).body).toEqual({ ok: true, value: null });
    expect((await call('settings.get', good.cookie)).body).toEqual(unauthenticated);
  });

  it('refuses calls without the token or with a wrong one', async () => {
    expect((await request(`${base}/api/settings.get`, { method: 'POST', headers: json(), body: '{}' })).status).toBe(
      401,
    );
    expect(
      (await request(`${base}/api/settings.get`, { method: 'POST', headers: json(token.slice(1) + 'x'), body: '{}' }))
        .status,
    ).toBe(401);
    expect((await request(`${base}/api/settings.get`, { method: 'GET', headers: json(token) })).status).toBe(405);
  });

  it('refuses a foreign Host header (DNS rebinding) and cross-origin posts', async () => {
    expect(
      (
        await request(`${base}/api/settings.get`, {
          method: 'POST',
          headers: { ...json(token), host: 'evil.example:80' },
          body: '{}',
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await request(`${base}/api/settings.get`, {
          method: 'POST',
          headers: { ...json(token), origin: 'http://evil.example' },
          body: '{}',
        })
      ).status,
    ).toBe(403);
  });

  it('validates input at the boundary and reports unknown operations in Chinese', async () => {
    const bad: unknown = JSON.parse(
      (
        await request(`${base}/api/village.create`, {
          method: 'POST',
          headers: json(token, cookie),
          body: '{"code":"12","name":"x"}',
        })
      ).body,
    );
    expect(bad).toMatchObject({ ok: false, error: { code: 'validation', field: 'code' } });
    const unknown = JSON.parse(
      (await request(`${base}/api/db.drop`, { method: 'POST', headers: json(token), body: '{}' })).body,
    ) as { error: { message: string } };
    expect(unknown.error.message).toContain('未知的操作');
    expect(
      (await request(`${base}/api/settings.get`, { method: 'POST', headers: json(token), body: '{not json' })).status,
    ).toBe(400);
  });

  it('serves the renderer with a per-response CSP nonce and never a file outside its folder', async () => {
    const page = await request(`${base}/`);
    expect(page.status).toBe(200);
    const nonce = /content="([^"]+)"/.exec(page.body)![1]!;
    expect(nonce).not.toBe('__LEDGER_NONCE__');
    expect(page.headers['content-security-policy']).toContain(`'nonce-${nonce}'`);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    const js = await request(`${base}/app.js`);
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    for (const p of [
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/..%2fsecret.txt',
      '/..%2Fsecret.txt',
      '/..%5csecret.txt',
      '/%00index.html',
      '/c:/secret.txt',
      '/index.html%3a',
      '/link.txt',
    ]) {
      const r = await request(`${base}${p}`);
      expect(r.status, p).toBe(404);
      expect(r.body, p).not.toContain('outside');
    }
  });

  const external = Object.values(os.networkInterfaces())
    .flat()
    .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;
  it.skipIf(!external)(
    `refuses peers that are not on loopback (via ${external ?? 'no external interface'})`,
    async () => {
      // Bound to every interface on purpose, to prove the peer check itself refuses a non-loopback address.
      const open = createBridge({ ledger, rendererDir, token: 't' });
      const url = new URL(await open.listen(0, '0.0.0.0'));
      try {
        const r = await request(`http://${external}:${url.port}/api/settings.get`, {
          method: 'POST',
          headers: { ...json('t'), host: `127.0.0.1:${url.port}` },
          body: '{}',
        });
        expect(r.status).toBe(403);
        expect(r.body).toContain('仅允许本机访问');
      } finally {
        await open.close();
      }
    },
  );
});
