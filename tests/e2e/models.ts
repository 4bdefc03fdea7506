/** Page models: how a user reaches things on screen, so the tests read as the month's work. */
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';

export class Shell {
  readonly page: Page;
  constructor(page: Page) {
    this.page = page;
  }
  async go(
    label:
      | '工作台'
      | '农户与人口'
      | '监测对象'
      | '公益岗位'
      | '易地搬迁'
      | '数据校验'
      | '报表'
      | '导入'
      | '设置'
      | '操作日志',
  ) {
    await this.page.getByRole('navigation', { name: '主菜单' }).getByRole('link', { name: label }).click();
    await expect.poll(() => this.page.locator('.page-head h1').innerText()).toBe(label);
  }
  button(name: string | RegExp): Locator {
    return this.page.getByRole('button', { name });
  }
  dialog(): DialogModel {
    return new DialogModel(this.page.getByRole('dialog'));
  }
  grid(testId: string): GridModel {
    return new GridModel(this.page, this.page.getByTestId(testId));
  }
}

export class DialogModel {
  readonly root: Locator;
  constructor(root: Locator) {
    this.root = root;
  }
  field(key: string): Locator {
    return this.root.locator(`[name="${key}"]`);
  }
  async fill(values: Record<string, string>) {
    for (const [key, value] of Object.entries(values)) {
      const el = this.field(key).first();
      const tag = await el.evaluate((e) => e.tagName);
      if (tag === 'SELECT') await el.selectOption({ label: value });
      else await el.fill(value);
    }
  }
  async check(key: string, value?: string) {
    const el = value === undefined ? this.field(key) : this.root.locator(`[name="${key}"][value="${value}"]`);
    await el.check();
  }
  /** Search in a record picker and choose the option containing `text`. */
  async pick(key: string, search: string, text: string) {
    await this.field(`${key}-search`).fill(search);
    await this.root
      .getByRole('option', { name: new RegExp(text) })
      .first()
      .click();
    await expect.poll(() => this.root.locator('.picked').innerText()).toContain(text);
  }
  async submit(name: string | RegExp = /保存/) {
    await this.root.getByRole('button', { name }).click();
    await this.root.waitFor({ state: 'detached', timeout: 15_000 }).catch(async (e: unknown) => {
      const alert = await this.root
        .getByRole('alert')
        .innerText()
        .catch(() => '');
      throw new Error(`dialog did not close: ${alert || (e as Error).message}`);
    });
  }
  async submitExpectingError(name: string | RegExp = /保存/): Promise<string> {
    await this.root.getByRole('button', { name }).click();
    const alert = this.root.getByRole('alert');
    await alert.waitFor();
    return alert.innerText();
  }
}

export class GridModel {
  readonly page: Page;
  readonly root: Locator;
  constructor(page: Page, root: Locator) {
    this.page = page;
    this.root = root;
  }
  row(index: number): Locator {
    return this.root.locator(`.ag-grid-scrolling-rows .ag-row[row-index="${index}"]`).first();
  }
  cell(index: number, colId: string): Locator {
    return this.root.locator(`.ag-grid-scrolling-rows .ag-row[row-index="${index}"] [col-id="${colId}"]`).first();
  }
  async rowCount(): Promise<number> {
    return this.root.locator('.ag-grid-scrolling-rows .ag-row [col-id]:first-child').count();
  }
  /** Type into a cell as in Excel: select it, type, Enter. */
  async type(index: number, colId: string, text: string) {
    await this.cell(index, colId).click();
    await this.page.keyboard.type(text);
    await this.page.keyboard.press('Enter');
  }
  status(): Locator {
    return this.root.locator('.sheet-status');
  }
  async texts(colId: string): Promise<string[]> {
    return this.root.locator(`.ag-grid-scrolling-rows .ag-row [col-id="${colId}"]`).allInnerTexts();
  }
}
