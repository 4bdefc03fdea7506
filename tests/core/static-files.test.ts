/** The one static-file guard and content-type table behind both hosts (Electron's app:// protocol and the bridge). */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { contentTypeFor, findStaticFile, isHtmlFile, resolveInside } from '../../main/core/static-files.ts';
import { tempDir } from '../helpers.ts';

let tmp: string;
let root: string;
beforeAll(() => {
  tmp = tempDir();
  root = path.join(tmp, 'renderer');
  fs.mkdirSync(path.join(root, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html>');
  fs.writeFileSync(path.join(root, 'assets', 'app.js'), 'console.log(1)');
  fs.writeFileSync(path.join(root, 'assets', 'a b.css'), 'body{}');
  fs.writeFileSync(path.join(tmp, 'secret.txt'), 'secret');
  fs.mkdirSync(path.join(tmp, 'outside'));
  fs.writeFileSync(path.join(tmp, 'outside', 'x.js'), 'x');
  // A link out of the root (file and directory), and one that stays inside.
  fs.symlinkSync(path.join(tmp, 'secret.txt'), path.join(root, 'assets', 'link.txt'));
  fs.symlinkSync(path.join(tmp, 'outside'), path.join(root, 'out'));
  fs.symlinkSync(path.join(root, 'assets', 'app.js'), path.join(root, 'inner.js'));
});

describe('resolveInside', () => {
  it('maps ordinary paths inside the root; `/` is index.html; absolute URL paths stay under the root', () => {
    expect(resolveInside(root, '/')).toBe(path.join(root, 'index.html'));
    expect(resolveInside(root, '/assets/app.js')).toBe(path.join(root, 'assets', 'app.js'));
    expect(resolveInside(root, '/assets/a%20b.css')).toBe(path.join(root, 'assets', 'a b.css'));
    expect(resolveInside(root, '/./assets//app.js')).toBe(path.join(root, 'assets', 'app.js'));
    expect(resolveInside(root, '//etc/passwd')).toBe(path.join(root, 'etc', 'passwd'));
  });

  it.each([
    '/../secret.txt',
    '/assets/../../secret.txt',
    '/assets/../index.html',
    '/%2e%2e/secret.txt',
    '/..%2fsecret.txt',
    '/..%2Fsecret.txt',
    '/assets%2fapp.js',
    '/..%5csecret.txt',
    '/..%5Csecret.txt',
    '/..\\secret.txt',
    '/C:/Windows/win.ini',
    '/c%3a/Windows/win.ini',
    '/index.html:stream',
    '/index.html%00.js',
    '/%00',
    '/index.html\0',
    '/%E0%A4%A',
    '/' + 'a/'.repeat(600),
  ])('refuses %j', (p) => {
    expect(resolveInside(root, p)).toBeNull();
  });
});

describe('findStaticFile', () => {
  it('finds regular files by their real path', async () => {
    const realRoot = fs.realpathSync(root);
    expect(await findStaticFile(root, '/')).toBe(path.join(realRoot, 'index.html'));
    expect(await findStaticFile(root, '/assets/app.js')).toBe(path.join(realRoot, 'assets', 'app.js'));
    expect(await findStaticFile(root, '/inner.js')).toBe(path.join(realRoot, 'assets', 'app.js'));
  });

  it('refuses traversal, encoded separators, `:`, NUL, directories, missing files and symlinks out of the root', async () => {
    for (const p of [
      '/../secret.txt',
      '/..%2fsecret.txt',
      '/..%2Fsecret.txt',
      '/c:/secret.txt',
      '/%00',
      '/assets',
      '/assets/missing.js',
      '/assets/link.txt',
      '/out/x.js',
    ]) {
      expect(await findStaticFile(root, p), p).toBeNull();
    }
    expect(await findStaticFile(path.join(tmp, 'no-such-root'), '/index.html')).toBeNull();
  });

  it('falls back to index.html for extensionless paths only when asked, never for refused ones or assets', async () => {
    const index = path.join(fs.realpathSync(root), 'index.html');
    expect(await findStaticFile(root, '/households')).toBeNull();
    expect(await findStaticFile(root, '/households', { fallbackToIndex: true })).toBe(index);
    expect(await findStaticFile(root, '/assets/missing.js', { fallbackToIndex: true })).toBeNull();
    expect(await findStaticFile(root, '/../secret', { fallbackToIndex: true })).toBeNull();
    expect(await findStaticFile(root, '/out/x', { fallbackToIndex: true })).toBe(index);
  });
});

describe('contentTypeFor', () => {
  it('one table for both hosts, case-insensitive, octet-stream for the unknown', () => {
    expect(contentTypeFor('/a/index.html')).toBe('text/html; charset=utf-8');
    expect(contentTypeFor('/a/INDEX.HTML')).toBe('text/html; charset=utf-8');
    expect(contentTypeFor('/a/app.js')).toBe('text/javascript; charset=utf-8');
    expect(contentTypeFor('/a/s.css')).toBe('text/css; charset=utf-8');
    expect(contentTypeFor('/a/f.woff2')).toBe('font/woff2');
    expect(contentTypeFor('/a/m.json')).toBe('application/json; charset=utf-8');
    expect(contentTypeFor('/a/x.exe')).toBe('application/octet-stream');
    expect(contentTypeFor('/a/noext')).toBe('application/octet-stream');
    expect(isHtmlFile('/a/B.Html')).toBe(true);
    expect(isHtmlFile('/a/b.htm')).toBe(false);
  });
});
