/**
 * A township month, walked through the real UI in Chromium against a real ledger file: set up the township,
 * register a household, take a case from clue to county approval and on to risk elimination, run a post's
 * hiring, attendance and month lock, link a relocated household, and find it all in the audit log.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeId, tempDbPath } from '../helpers.ts';
import { startApp, type App } from './harness.ts';
import { Shell } from './models.ts';

let app: App;
let ui: Shell;
const HEAD = { name: '王建国', id: makeId('1970-05-06', '男', 7) };
const SPOUSE = { name: '李秀英', id: makeId('1972-08-09', '女', 7) };
const CHILD = { name: '王小明', id: makeId('2010-01-02', '男', 8) };

beforeAll(async () => {
  app = await startApp(tempDbPath('month.sqlite'));
  ui = new Shell(app.page);
  app.page.on('dialog', (d) => void d.accept());
});
afterAll(async () => {
  await app?.close();
});

const text = (selector: string) => app.page.locator(selector).first().innerText();

describe('a month in the township, through the UI', () => {
  it('sets up an empty database from the first-start screen', async () => {
    await app.page.getByRole('heading', { name: '欢迎使用乡镇振兴台账' }).waitFor();
    await app.shot('00-setup');
    await app.page.locator('[name="townshipName"]').fill('青山镇');
    await app.page.locator('[name="townshipCode"]').fill('529901101000');
    await app.page.locator('[name="county"]').fill('示例县');
    await app.page.locator('[name="province"]').fill('贵州省');
    await app.page.locator('[name="villages"]').fill('529901101001 青山村\n529901101002 石桥村');
    await ui.button('保存并开始使用').click();
    await expect.poll(() => text('.page-head h1')).toBe('工作台');
    expect(await text('.sidebar .brand')).toContain('青山镇');
    const villages = await app.ledger.run('village.list', {});
    expect(villages.map((v) => v.name)).toEqual(['青山村', '石桥村']);
  });

  it('creates a household with three members', async () => {
    await ui.go('农户与人口');
    await ui.button('新增农户').click();
    const d = ui.dialog();
    await d.fill({ villageId: '青山村', hhNo: '529901101001000001', phone: '13912345678', address: '青山村一组8号' });
    await d.submit();
    await app.page.getByRole('region', { name: '农户详情' }).waitFor();
    for (const [m, relation] of [
      [HEAD, '户主'],
      [SPOUSE, '配偶'],
      [CHILD, '之子'],
    ] as const) {
      await ui.button('添加成员').click();
      const md = ui.dialog();
      await md.fill({
        idNumber: m.id,
        name: m.name,
        relation,
        labourCapacity: relation === '之子' ? '无劳动力' : '普通劳动力',
        health: '健康',
      });
      await md.submit();
    }
    const members = ui.grid('members-grid');
    await expect
      .poll(() => members.texts('name'))
      .toEqual(expect.arrayContaining([HEAD.name, SPOUSE.name, CHILD.name]));
    expect(await text('[aria-label="农户详情"] h2')).toContain(`${HEAD.name}户`);

    // A wrong ID number is refused with the field named and nothing saved.
    await ui.button('添加成员').click();
    const bad = ui.dialog();
    await bad.fill({
      idNumber: HEAD.id.slice(0, 17) + (HEAD.id.endsWith('1') ? '2' : '1'),
      name: '错号',
      relation: '之女',
    });
    expect(await bad.submitExpectingError()).toContain('身份证号');
    await bad.root.getByRole('button', { name: '取消' }).click();
    expect((await app.ledger.run('person.list', { quick: '错号' })).total).toBe(0);
    await app.shot('01-household');
  });

  it('edits members in the grid like a spreadsheet: error at the cell, paste a block, undo', async () => {
    const members = ui.grid('members-grid');
    await members.type(0, 'phone', '12345');
    await expect.poll(() => members.status().innerText()).toContain('联系电话');
    expect(await members.status().getAttribute('class')).toContain('error');
    expect(await members.cell(0, 'phone').getAttribute('class')).toContain('cell-error');

    await members.cell(0, 'workMonths').click();
    await app.page.evaluate(() => {
      const data = new DataTransfer();
      data.setData('text/plain', '6\n7\n3\n');
      document.activeElement!.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true }));
    });
    await expect.poll(() => members.status().innerText()).toContain('已粘贴 3 个单元格');
    const months = async () =>
      (await app.ledger.run('household.get', { id: 1 })).members.map((m) => m.workMonths).sort();
    await expect.poll(months).toEqual([3, 6, 7]);
    await members.cell(0, 'workMonths').click();
    await app.page.keyboard.press('Control+z');
    await expect.poll(months).toEqual([null, null, null]);
    await app.page.keyboard.press('Control+y');
    await expect.poll(months).toEqual([3, 6, 7]);
  });

  it('takes a monitoring case from clue to county approval', async () => {
    await ui.button('登记监测线索').click();
    const d = ui.dialog();
    await d.fill({ category: '边缘易致贫户', channel: '基层干部排查', clueDate: '2026-01-05', actor: '村信息员' });
    await d.check('riskTypes', '因病');
    await d.submit();
    await expect.poll(() => text('[data-testid="case-status"]')).toBe('识别中');
    const steps: [string, Record<string, string>][] = [
      ['入户核实', { doneOn: '2026-01-06', actor: '村两委' }],
      ['信息比对', { doneOn: '2026-01-07' }],
      ['民主评议', { doneOn: '2026-01-08' }],
      ['村级公示', { doneOn: '2026-01-09', endOn: '2026-01-14' }],
      ['乡镇审核', { doneOn: '2026-01-15' }],
      ['县级审批', { doneOn: '2026-01-16', actor: '县乡村振兴局' }],
      ['结果公告', { doneOn: '2026-01-17' }],
      ['录入建档', { doneOn: '2026-01-18' }],
    ];
    for (const [stage, values] of steps) {
      await ui.button(new RegExp(`办理：${stage}`)).click();
      const s = ui.dialog();
      await s.fill(values);
      await s.submit();
      await app.page.locator('.timeline li', { hasText: stage }).first().waitFor();
      if (stage === '县级审批') await expect.poll(() => text('[data-testid="case-status"]')).toBe('监测中');
    }
    expect(await text('[aria-label="监测对象详情"] .timeline')).toContain('2026-01-09 至 2026-01-14');
    await app.shot('02-case-identified');
  });

  it('records income, a measure and a visit, then eliminates the risk', async () => {
    await ui.button('录入收入').click();
    let d = ui.dialog();
    await d.fill({ kind: '消除时', asOf: '2026-09-01', members: '3', wageFen: '36000', transferFen: '1200.50' });
    await d.submit();
    await expect.poll(() => text('[aria-label="收入核算"] tbody')).toContain('12400.17');

    await ui.button('添加措施').click();
    d = ui.dialog();
    await d.fill({ category: '健康帮扶', item: '慢病签约服务', startDate: '2026-01-20', amountFen: '800' });
    await d.submit();
    await ui.button('登记走访').click();
    d = ui.dialog();
    await d.fill({ visitedOn: '2026-08-20', method: '入户', findings: '务工收入稳定' });
    await d.submit();
    await expect.poll(() => text('[aria-label="走访记录"] tbody')).toContain('务工收入稳定');
    expect(await text('[aria-label="风险消除条件"]')).toContain('✔');

    const steps: [string, Record<string, string>][] = [
      ['消除入户核实', { doneOn: '2026-09-02', actor: '张三、李四', method: '帮扶消除' }],
      ['消除民主评议', { doneOn: '2026-09-03' }],
      ['消除公示', { doneOn: '2026-09-04', endOn: '2026-09-11' }],
      ['消除乡镇审核', { doneOn: '2026-09-12' }],
      ['消除县级审批', { doneOn: '2026-09-13' }],
      ['系统标注', { doneOn: '2026-09-14' }],
    ];
    for (const [stage, values] of steps) {
      await ui.button(new RegExp(`办理：${stage}`)).click();
      const s = ui.dialog();
      await s.fill(values);
      await s.submit();
      await app.page.locator('.timeline li', { hasText: stage }).first().waitFor();
    }
    await expect.poll(() => text('[data-testid="case-status"]')).toBe('已消除');
    const c = (await app.ledger.run('case.list', {})).rows[0]!;
    expect(c).toMatchObject({ status: '已消除', identifiedOn: '2026-01-16', eliminatedOn: '2026-09-13' });
    await app.shot('03-case-eliminated');
  });

  it('creates a post, hires, enters attendance with the subsidy computed, and locks the month', async () => {
    await ui.go('公益岗位');
    await ui.button('新增岗位').click();
    let d = ui.dialog();
    await d.fill({ name: '护林员', villageId: '青山村', monthlySubsidyFen: '600', requiredDays: '30' });
    await d.submit();
    await expect.poll(() => ui.grid('posts-grid').texts('name')).toContain('护林员');

    await app.page.getByRole('tab', { name: '在岗人员' }).click();
    await ui.button('聘用上岗').click();
    d = ui.dialog();
    await d.fill({ postId: '护林员（青山村，在岗 0/1）' });
    await d.pick('personId', SPOUSE.name, SPOUSE.name);
    await d.fill({
      hiredOn: '2026-10-01',
      agreementStart: '2026-10-01',
      agreementEnd: '2026-12-31',
      bankAccount: '6222020200112233445',
    });
    await expect.poll(() => d.root.getByRole('status', { name: '聘用条件' }).innerText()).toContain('符合聘用条件');
    // Each check shows its own result: passed ones ✔, none failed.
    const checks = d.root.getByRole('list', { name: '聘用条件明细' });
    expect(await checks.innerText()).toContain('✔');
    expect(await checks.innerText()).not.toContain('✘');
    await d.submit();
    await expect.poll(() => ui.grid('placements-grid').texts('personName')).toContain(SPOUSE.name);
    expect(await ui.grid('placements-grid').texts('bankAccountMasked')).toContain('****3445');

    // Hiring the same person again is refused with the reason on screen.
    await ui.button('聘用上岗').click();
    d = ui.dialog();
    await d.fill({ postId: '护林员（青山村，在岗 1/1）' });
    await d.pick('personId', SPOUSE.name, SPOUSE.name);
    await d.fill({ hiredOn: '2026-10-02', agreementStart: '2026-10-02', agreementEnd: '2026-12-31' });
    await expect.poll(() => d.root.getByRole('status', { name: '聘用条件' }).innerText()).toContain('✘');
    // Saved anyway, the core's refusal is shown in the dialog with the checks that decided it (no silent 保存).
    expect(await d.submitExpectingError()).toContain('不符合聘用条件');
    expect(await d.root.getByRole('list', { name: '检查结果' }).innerText()).toContain('✘');
    await d.root.getByRole('button', { name: '取消' }).click();

    await app.page.getByRole('tab', { name: '出勤与补贴' }).click();
    await app.page.getByLabel('月份').fill('2026-10');
    await ui.button('查看').click();
    await ui.button('生成本月考勤表').click();
    const sheet = ui.grid('attendance-grid');
    await expect.poll(() => sheet.texts('personName')).toContain(SPOUSE.name);
    await sheet.type(0, 'days', '22');
    await expect.poll(() => sheet.cell(0, 'subsidyFen').innerText()).toBe('440.00');
    await expect.poll(() => text('[data-testid="attendance-totals"]')).toContain('应发 440.00 元');
    await sheet.type(0, 'days', '40');
    await expect.poll(() => sheet.status().innerText()).toContain('未保存');
    expect(await sheet.cell(0, 'days').innerText()).toBe('22');
    await app.shot('04-attendance');
    await ui.button('锁定本月').click();
    await expect.poll(() => text('.locked')).toContain('已锁定');
    const stored = await app.ledger.run('attendance.sheet', { month: '2026-10' });
    expect(stored).toMatchObject({ locked: true, totals: { persons: 1, subsidyFen: 44_000 } });
    // Unlocking asks for the reason (refused without it, on screen), then relocks like before.
    await ui.button('解锁本月…').click();
    const u = ui.dialog();
    expect(await u.submitExpectingError(/解锁/)).toContain('解锁原因');
    await u.fill({ reason: '更正出勤天数' });
    await u.submit(/解锁/);
    await expect.poll(() => text('.toolbar')).toContain('已生成，未锁定');
    expect((await app.ledger.run('audit.list', { limit: 1 })).rows[0]!.summary).toContain('更正出勤天数');
    await ui.button('锁定本月').click();
    await expect.poll(() => text('.locked')).toContain('已锁定');
  });

  it('adds a relocation site and links the household', async () => {
    await ui.go('易地搬迁');
    await ui.button('新增安置点').click();
    let d = ui.dialog();
    await d.fill({
      name: '幸福家园安置点',
      villageId: '青山村',
      method: '集中安置',
      subtype: '城镇(县城/集镇)安置',
      reportedHouseholds: '1',
    });
    await d.check('facilities', '幼儿园');
    await d.submit();
    await ui.button('关联搬迁户').click();
    d = ui.dialog();
    await d.pick('householdId', HEAD.name, HEAD.name);
    await d.fill({ movedInOn: '2026-03-01', originAddress: '青山村三组（原址）', houseAreaM2: '75' });
    await d.submit();
    await expect.poll(() => ui.grid('relocated-grid').texts('headName')).toContain(HEAD.name);
    await expect.poll(() => ui.grid('sites-grid').cell(0, 'households').innerText()).toBe('1');
    await app.shot('05-relocation');
  });

  it('shows every write in the audit log and the month on the dashboard', async () => {
    await ui.go('操作日志');
    const log = ui.grid('audit-grid');
    await expect.poll(() => log.texts('action')).toEqual(expect.arrayContaining(['县级审批', '消除县级审批']));
    const summaries = (await log.texts('summary')).join('\n');
    expect(summaries).not.toContain(HEAD.id);
    // What changed reads in Chinese (「解锁」 has no snapshot; the stage writes name their fields), never raw JSON keys.
    const changes = (await log.texts('changes')).join('\n');
    expect(changes).toContain('→');
    expect(changes).not.toMatch(/"[a-zA-Z]+":/);
    const total = (await app.ledger.run('audit.list', { limit: 1 })).total;
    expect(await text('[data-testid="audit-grid"] .sheet-total')).toBe(`共 ${total} 条`);
    await app.shot('06-audit');

    await ui.go('工作台');
    await app.page.getByRole('region', { name: '待办事项' }).waitFor();
    await app.shot('07-dashboard');
    expect(app.problems).toEqual([]);
  });
});
