import { describe, expect, it } from 'vitest';
import { audit } from '../../main/core/context.ts';
import { createDispatcher } from '../../main/core/dispatcher.ts';
import { handlers } from '../../main/core/services/index.ts';
import { newLedger } from '../helpers.ts';

describe('dispatcher', () => {
  it('rolls a write back completely when it fails half-way, and answers with a Chinese error', async () => {
    const { ledger } = await newLedger();
    const dispatch = createDispatcher(ledger.store, {
      ...handlers,
      async 'village.create'(ctx, input) {
        await ctx.db
          .insertInto('village')
          .values({ ...input, createdAt: 'x', updatedAt: 'x' })
          .execute();
        await audit(ctx, { action: '新增', entity: '行政村', entityId: null, summary: 'half' });
        throw new Error('disk unplugged');
      },
    });
    const before = await ledger.run('village.list', {});
    const audits = (await ledger.run('audit.list', {})).total;
    const r = await dispatch('village.create', { code: '529901101009', name: '半途村' });
    expect(r).toEqual({
      ok: false,
      error: { code: 'internal', message: '内部错误：操作未完成，数据未作改动。请重试或联系技术支持。' },
    });
    expect(await ledger.run('village.list', {})).toEqual(before);
    expect((await ledger.run('audit.list', {})).total).toBe(audits);
    await ledger.close();
  });

  it('refuses a write that records no audit entry', async () => {
    const { ledger } = await newLedger();
    const dispatch = createDispatcher(ledger.store, {
      ...handlers,
      async 'village.create'(ctx, input) {
        return ctx.db
          .insertInto('village')
          .values({ ...input, createdAt: 'x', updatedAt: 'x' })
          .returningAll()
          .executeTakeFirstOrThrow();
      },
    });
    const r = await dispatch('village.create', { code: '529901101009', name: '无痕村' });
    expect(r.ok).toBe(false);
    expect((await ledger.run('village.list', {})).map((v) => v.name)).toEqual(['青山村']);
    await ledger.close();
  });

  it('maps database constraints to typed errors naming the field', async () => {
    const { ledger } = await newLedger();
    const r = await ledger.call('village.create', { code: '529901101001', name: '另一个村' });
    expect(r).toEqual({ ok: false, error: { code: 'conflict', message: '该村代码已存在', field: 'code' } });
    const bad = await ledger.call('village.create', { code: '5299', name: '短码村' });
    expect(bad.ok ? null : bad.error).toMatchObject({
      code: 'validation',
      field: 'code',
      message: '「代码」村代码应为12位数字（统计用区划代码）',
    });
    await ledger.close();
  });
});
