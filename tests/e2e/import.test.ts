/** 导入 through the UI in browser mode: upload a messy village sheet, preview with the rejected row, confirm. */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messyWorkbook } from '../excel/fixtures.ts';
import { newLedger, tempDir } from '../helpers.ts';
import { startApp, type App } from './harness.ts';
import { Shell } from './models.ts';

let app: App;
let ui: Shell;
let file: string;
beforeAll(async () => {
  const { ledger, file: db } = await newLedger();
  await ledger.run('village.create', { code: '529901101002', name: '石桥村' });
  await ledger.close();
  file = path.join(tempDir(), '青山村花名册.xlsx');
  await messyWorkbook(file);
  app = await startApp(db);
  ui = new Shell(app.page);
});
afterAll(async () => {
  await app?.close();
});

describe('导入 page', () => {
  it('previews without writing, lists the rejected row, then imports', async () => {
    await ui.go('导入');
    await app.page.getByLabel('选择要导入的文件').setInputFiles(file);
    const counts = app.page.getByTestId('import-counts');
    await expect.poll(() => counts.innerText()).toContain('读取 5 行');
    expect(await counts.innerText()).toContain('新增 4');
    expect(await counts.innerText()).toContain('拒收 1');
    expect((await app.ledger.run('person.list', {})).total).toBe(0);
    const errors = ui.grid('import-errors');
    expect(await errors.texts('message')).toEqual(['与第 5 行的身份证号重复']);
    const mapping = app.page.getByRole('table', { name: '列对应关系' });
    expect(await mapping.getByLabel('字段 姓名 的来源列').inputValue()).toBe('3');
    // Leaving 劳动能力 out re-runs the preview with the adjusted mapping.
    await mapping.getByLabel('字段 劳动技能 的来源列').selectOption({ label: '（不导入）' });
    await expect.poll(async () => mapping.getByLabel('字段 劳动技能 的来源列').inputValue()).toBe('-1');
    await expect.poll(() => counts.innerText()).toContain('新增 4');
    await app.shot('10-import-preview');
    await ui.button('确认导入').click();
    await app.page.getByRole('region', { name: '导入结果' }).waitFor();
    await expect.poll(async () => (await app.ledger.run('person.list', {})).total).toBe(4);
    expect((await app.ledger.run('person.list', { quick: '王建国' })).rows[0]!.labourCapacity).toBeNull();
    expect(await app.page.getByRole('region', { name: '导入结果' }).innerText()).toContain('拒收行清单已保存');
    expect(app.problems).toEqual([]);
  });

  it('keeps the chosen file when 导入内容 changes, and reads the same file again when it is chosen again', async () => {
    await app.page.reload();
    await ui.go('导入');
    const kind = app.page.getByLabel('导入内容');
    const counts = app.page.getByTestId('import-counts');
    await kind.selectOption('villages');
    await app.page.getByLabel('选择要导入的文件').setInputFiles(file);
    // The file says what it is: the page names its layout and picks the kind it feeds.
    await expect.poll(() => app.page.getByTestId('import-layout').innerText()).toContain('农户与家庭成员');
    await expect.poll(() => kind.inputValue()).toBe('households');
    // Chosen as a village list, the roster is refused with what is missing; the file stays chosen.
    await kind.selectOption('villages');
    await expect
      .poll(() => ui.grid('import-errors').texts('message'))
      .toEqual(['找不到表头：前15行中没有同时包含「行政村」和「区划代码」的行']);
    await kind.selectOption('households');
    // The first import left 劳动技能 out, and that choice is remembered for this layout: nothing would change.
    await expect.poll(() => counts.innerText()).toContain('未变 4');
    expect(await app.page.getByRole('region', { name: '导入预览' }).innerText()).toContain('已套用上次');
    // Mapped again by hand, 劳动技能 would update the four members.
    const labour = app.page.getByRole('table', { name: '列对应关系' }).getByLabel('字段 劳动技能 的来源列');
    const option = (await labour.locator('option').allInnerTexts()).find((t) => t.includes('劳动'))!;
    await labour.selectOption({ label: option });
    await expect.poll(() => counts.innerText()).toContain('更新 4');
    await ui.button('确认导入').click();
    await app.page.getByRole('region', { name: '导入结果' }).waitFor();
    // Fixed elsewhere (here: in the ledger) and chosen again, the same file is checked again.
    const wang = (await app.ledger.run('person.list', { quick: '王建国' })).rows[0]!;
    await app.ledger.run('person.update', { id: wang.id, name: '王建' });
    await app.page.getByLabel('选择要导入的文件').setInputFiles(file);
    await expect.poll(() => counts.innerText()).toContain('更新 1');
    expect(app.problems).toEqual([]);
  });
});
