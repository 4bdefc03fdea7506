import { describe, expect, it } from 'vitest';
import { thresholdFor } from '../../main/core/services/settings.ts';
import { DEFAULT_PARAMETERS } from '../../shared/parameters.ts';
import { newLedger } from '../helpers.ts';

describe('settings, parameters and thresholds', () => {
  it('ships parameter defaults from the domain brief and lets the township change them, validated', async () => {
    const { ledger } = await newLedger();
    expect(await ledger.run('parameters.get', {})).toEqual(DEFAULT_PARAMETERS);
    const updated = await ledger.run('parameters.update', { identificationDays: 20, postMaxAgeNewHire: 62 });
    expect(updated).toMatchObject({ identificationDays: 20, postMaxAgeNewHire: 62, eliminationNoticeDays: 7 });
    const bad = await ledger.call('parameters.update', { identificationDays: -1 });
    expect(bad.ok ? null : bad.error.field).toBe('identificationDays');
    expect((await ledger.run('audit.list', { filter: { entity: '参数' } })).total).toBe(1);
    await ledger.close();
  });

  it("uses the year's own threshold, else the latest earlier one", async () => {
    const { ledger } = await newLedger();
    expect((await ledger.run('thresholds.list', {})).map((t) => [t.year, t.amountFen])).toEqual([
      [2021, 600_000],
      [2023, 730_000],
    ]);
    expect(await thresholdFor(ledger.store.db, 2022)).toEqual({ year: 2021, amountFen: 600_000 });
    expect(await thresholdFor(ledger.store.db, 2026)).toEqual({ year: 2023, amountFen: 730_000 });
    await ledger.run('thresholds.set', { year: 2026, amountFen: 800_000, source: '县文件' });
    expect(await thresholdFor(ledger.store.db, 2026)).toEqual({ year: 2026, amountFen: 800_000 });
    expect(await thresholdFor(ledger.store.db, 2020)).toBeNull();
    await ledger.close();
  });

  it('validates the township settings', async () => {
    const { ledger } = await newLedger();
    const bad = await ledger.call('settings.update', {
      townshipName: '某镇',
      townshipCode: '123',
      county: '某县',
      province: '某省',
    });
    expect(bad.ok ? null : bad.error).toMatchObject({
      field: 'townshipCode',
      message: '「乡镇代码」乡镇代码应为12位数字（统计用区划代码）',
    });
    expect(await ledger.run('settings.get', {})).toMatchObject({ townshipName: '测试镇' });
    await ledger.close();
  });
});
