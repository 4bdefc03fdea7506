/**
 * The core owns where files go (issue 12 §2, main/core/files.ts): a page (the browser-mode bridge, Electron's
 * window) may not name a path to write or read; the files the user picked in a native dialog are named by token;
 * reports and error lists go to 报表/ beside the database by default, readable by the user only, and reach their
 * name only after the transaction that records them has committed. Temporary files of killed writes are removed
 * on the next open.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDispatcher } from '../../main/core/dispatcher.ts';
import { newPickedToken, stageFile } from '../../main/core/files.ts';
import { openLedger } from '../../main/core/ledger.ts';
import { handlers } from '../../main/core/services/index.ts';
import { createBridge } from '../../main/web/server.ts';
import type { CallResult } from '../../shared/errors.ts';
import { familyOf, newLedger, signIn, tempDir, TEST_PASSWORD, TEST_USER } from '../helpers.ts';
import { personList } from '../processes.ts';

const WRITE_REFUSED =
  '不能写入调用方指定的位置：请在“保存”对话框中选择位置，或不指定位置（保存到数据库旁的“报表”文件夹）';
const READ_REFUSED = '不能按调用方给出的路径读取文件：请在“选择文件”对话框中选择，或上传文件';
const EXPIRED = '所选文件已失效，请重新选择';
const MONTH = '2026-10';

const refused = (message: string, field: string) => ({ ok: false, error: { code: 'validation', message, field } });
const modeOf = (file: string) => fs.statSync(file).mode & 0o777;

/** A small ledger with two households, and a person list to import (two households with an unknown village). */
async function setup() {
  const { ledger, file, villageId } = await newLedger();
  await familyOf(ledger, villageId, 1);
  await familyOf(ledger, villageId, 2);
  const dir = tempDir();
  const roster = path.join(dir, '名单.xlsx');
  await personList(roster, ['青山村', '不存在村'], 2);
  await signIn(ledger);
  return { ledger, db: file, dir, roster, reports: path.join(path.dirname(file), '报表') };
}

describe('file locations', () => {
  it('a page cannot make the core write or read a path it names; nothing is written or changed', async () => {
    const { ledger, dir, roster, reports } = await setup();
    const victim = path.join(dir, 'victim.txt');
    fs.writeFileSync(victim, 'keep me');
    const archive = await ledger.run('report.archive', {});
    const audits = (await ledger.run('audit.list', {})).total;

    const page = ledger.page;
    expect(await page.call('report.exportMonthly', { month: MONTH, file: victim, reason: '试' })).toEqual(
      refused(WRITE_REFUSED, 'file'),
    );
    expect(
      await page.call('report.exportNotice', { kind: 'subsidy', month: MONTH, file: path.join(dir, 'n.xlsx') }),
    ).toEqual(refused(WRITE_REFUSED, 'file'));
    const upload = { content: fs.readFileSync(roster).toString('base64'), fileName: '名单.xlsx' };
    expect(await page.call('import.preview', { kind: 'households', ...upload, errorsFile: victim })).toEqual(
      refused(WRITE_REFUSED, 'errorsFile'),
    );
    expect(await page.call('import.run', { kind: 'households', ...upload, errorsFile: victim })).toEqual(
      refused(WRITE_REFUSED, 'errorsFile'),
    );
    expect(await page.call('import.compare', { kind: 'households', ...upload, out: victim })).toEqual(
      refused(WRITE_REFUSED, 'out'),
    );
    for (const op of ['import.run', 'import.preview', 'import.compare', 'import.detect'] as const)
      expect(await page.call(op, { kind: 'households', file: roster })).toEqual(refused(READ_REFUSED, 'file'));
    expect(await page.call('import.run', { kind: 'households', file: '/etc/passwd' })).toEqual(
      refused(READ_REFUSED, 'file'),
    );

    expect(fs.readFileSync(victim, 'utf8')).toBe('keep me');
    expect(fs.readdirSync(dir).sort()).toEqual(['victim.txt', '名单.xlsx']);
    expect(fs.existsSync(reports)).toBe(false);
    expect(await ledger.run('report.archive', {})).toEqual(archive);
    expect((await ledger.run('audit.list', {})).total).toBe(audits);
    await ledger.close();
  });

  it('the bridge forwards to the page face: a path in a call is refused over HTTP too', async () => {
    const { ledger, dir } = await setup();
    const rendererDir = tempDir();
    fs.writeFileSync(path.join(rendererDir, 'index.html'), '<p>台账</p>');
    const bridge = createBridge({ ledger, rendererDir });
    const url = new URL(await bridge.listen(0));
    const target = path.join(dir, '外部.xlsx');
    const token = url.searchParams.get('token')!;
    const login = await fetch(`${url.origin}/api/auth.login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-ledger-token': token },
      body: JSON.stringify({ user: TEST_USER, password: TEST_PASSWORD }),
    });
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const r = await fetch(`${url.origin}/api/report.exportMonthly`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-ledger-token': token, cookie },
      body: JSON.stringify({ month: MONTH, file: target, reason: '试' }),
    });
    expect((await r.json()) as CallResult<unknown>).toEqual(refused(WRITE_REFUSED, 'file'));
    expect(fs.existsSync(target)).toBe(false);
    await bridge.close();
    await ledger.close();
  });

  it('without a file a page exports into 报表 beside the database, readable by the user only, as archived', async () => {
    const { ledger, roster, reports } = await setup();
    const r = await ledger.page.call('report.exportMonthly', { month: MONTH, reason: '试' });
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.file).toBe(path.join(reports, `${MONTH} 月报.xlsx`));
    expect(modeOf(r.value.file)).toBe(0o600);
    const [archived] = await ledger.run('report.archive', {});
    expect(archived).toMatchObject({ fileName: `${MONTH} 月报.xlsx`, sha256: r.value.sha256 });

    // Rejected rows of an upload go to 报表 too (the 不存在村 households).
    const upload = { content: fs.readFileSync(roster).toString('base64'), fileName: '名单.xlsx' };
    const imported = await ledger.page.call('import.run', { kind: 'households', ...upload });
    if (!imported.ok) throw new Error(imported.error.message);
    expect(imported.value.rejected).toBe(3);
    expect(path.dirname(imported.value.errorsFile!)).toBe(reports);
    expect(modeOf(imported.value.errorsFile!)).toBe(0o600);
    const compared = await ledger.page.call('import.compare', { kind: 'households', ...upload, exportList: true });
    if (!compared.ok) throw new Error(compared.error.message);
    expect(path.dirname(compared.value.file!)).toBe(reports);
    expect(modeOf(compared.value.file!)).toBe(0o600);
    // Nothing temporary is left, and no note of one beside the database.
    expect(fs.readdirSync(reports).filter((f) => f.endsWith('.writing'))).toEqual([]);
    expect(fs.existsSync(`${ledger.store.file}-writing`)).toBe(false);
    await ledger.close();
  });

  it('a file picked in a native dialog is named by its token: a write token once, a read token for the import', async () => {
    const { ledger, dir, roster } = await setup();
    const saveAs = path.join(dir, '选定', '十月月报.xlsx');
    const saveToken = newPickedToken();
    ledger.grantFile(saveToken, saveAs, 'write');
    const r = await ledger.page.call('report.exportMonthly', { month: MONTH, file: saveToken, reason: '试' });
    expect(r).toMatchObject({ ok: true, value: { file: saveAs } });
    expect(modeOf(saveAs)).toBe(0o600);
    // Spent: the same token cannot write again; nor can it read.
    expect(await ledger.page.call('report.exportMonthly', { month: MONTH, file: saveToken, reason: '试' })).toEqual(
      refused(EXPIRED, 'file'),
    );
    expect(await ledger.page.call('import.preview', { kind: 'households', file: saveToken })).toEqual(
      refused(EXPIRED, 'file'),
    );
    expect(await ledger.page.call('import.preview', { kind: 'households', file: newPickedToken() })).toEqual(
      refused(EXPIRED, 'file'),
    );

    const openToken = newPickedToken();
    ledger.grantFile(openToken, roster, 'read');
    // A read token serves the whole import of its file: detect, preview, run; it writes nothing.
    expect(await ledger.page.call('import.detect', { file: openToken })).toMatchObject({ ok: true });
    expect(await ledger.page.call('import.preview', { kind: 'households', file: openToken })).toMatchObject({
      ok: true,
      value: { inserted: 3, rejected: 3 },
    });
    const run = await ledger.page.call('import.run', { kind: 'households', file: openToken, errorsFile: null });
    expect(run).toMatchObject({ ok: true, value: { inserted: 3 } });
    const [entry] = (await ledger.run('audit.list', { filter: { entity: '农户' } })).rows;
    expect(entry!.summary).toContain('导入「名单.xlsx」');
    expect(await ledger.page.call('import.run', { kind: 'households', file: openToken, errorsFile: saveAs })).toEqual(
      refused(WRITE_REFUSED, 'errorsFile'),
    );
    await ledger.close();
  });

  it('the in-process library (the CLI) writes where it is told', async () => {
    const { ledger, dir, roster } = await setup();
    const errors = path.join(dir, 'cli', '错误.xlsx');
    const r = await ledger.run('import.run', { kind: 'households', file: roster, errorsFile: errors });
    expect(r.errorsFile).toBe(errors);
    expect(modeOf(errors)).toBe(0o600);
    await ledger.close();
  });

  it('a staged file reaches its name only when the operation commits; a failed one leaves nothing', async () => {
    const { ledger, dir } = await setup();
    const target = path.join(dir, '半途.xlsx');
    let seenBeforeCommit: string[] = [];
    const dispatch = createDispatcher(ledger.store, {
      ...handlers,
      async 'village.create'(ctx, input) {
        await stageFile(ctx, target, 'file', async (tmp) => fs.writeFileSync(tmp, 'x'));
        seenBeforeCommit = fs.readdirSync(dir);
        if (input.name === '失败村') throw new Error('disk unplugged');
        const v = await handlers['village.create'](ctx, input);
        return v;
      },
    });
    expect(await dispatch('auth.login', { user: TEST_USER, password: TEST_PASSWORD })).toMatchObject({ ok: true });
    expect(await dispatch('village.create', { code: '529901101009', name: '失败村' })).toMatchObject({ ok: false });
    expect(seenBeforeCommit.filter((f) => f.endsWith('.writing'))).toHaveLength(1);
    expect(seenBeforeCommit).not.toContain('半途.xlsx');
    expect(fs.readdirSync(dir).filter((f) => f.includes('半途'))).toEqual([]);
    expect(await dispatch('village.create', { code: '529901101009', name: '成功村' })).toMatchObject({ ok: true });
    expect(fs.readdirSync(dir).filter((f) => f.includes('半途'))).toEqual(['半途.xlsx']);
    expect(fs.existsSync(`${ledger.store.file}-writing`)).toBe(false);
    await ledger.close();
  });

  it('temporary files left by killed writes are removed on the next open, unless their writer still runs', async () => {
    const { ledger, db, dir, reports } = await setup();
    await ledger.close();
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    const notes = `${path.resolve(db)}-writing`;
    fs.mkdirSync(notes);
    fs.mkdirSync(reports);
    const elsewhere = path.join(dir, `导出.xlsx.${dead}-0123456789ab.writing`);
    const old = path.join(reports, '2026-10 月报.xlsx.writing');
    const running = path.join(dir, `进行中.xlsx.${process.ppid}-0123456789ab.writing`);
    for (const f of [elsewhere, old, running]) fs.writeFileSync(f, '110101199003071234 张三');
    fs.writeFileSync(path.join(notes, 'a.json'), JSON.stringify({ pid: dead, tmp: elsewhere }));
    fs.writeFileSync(path.join(notes, 'b.json'), JSON.stringify({ pid: process.ppid, tmp: running }));
    fs.writeFileSync(path.join(notes, 'c.json'), '{"pid": 1'); // cut short by a kill

    const again = await openLedger(db);
    expect(fs.existsSync(elsewhere)).toBe(false);
    expect(fs.existsSync(old)).toBe(false);
    expect(fs.existsSync(running)).toBe(true);
    expect(fs.readdirSync(notes)).toEqual(['b.json']);
    await again.close();
  });
});
