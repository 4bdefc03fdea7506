import { describe, expect, it } from 'vitest';
import { addMonths, ageOn, isValidIsoDate, monthEnd, monthsBetween } from '../../shared/dates.ts';
import { fenToYuan, fenToYuanText, proRataSubsidyFen, yuanToFen } from '../../shared/money.ts';

describe('dates', () => {
  it('validates real calendar dates only', () => {
    expect(isValidIsoDate('2024-02-29')).toBe(true);
    expect(isValidIsoDate('2023-02-29')).toBe(false);
    expect(isValidIsoDate('2023-2-1')).toBe(false);
  });
  it('knows month ends and month arithmetic', () => {
    expect(monthEnd('2024-02')).toBe('2024-02-29');
    expect(monthEnd('2026-11')).toBe('2026-11-30');
    expect(addMonths('2025-11', 3)).toBe('2026-02');
    expect(addMonths('2026-01', -1)).toBe('2025-12');
  });
  it('counts whole months and years', () => {
    expect(monthsBetween('2025-01-15', '2025-07-14')).toBe(5);
    expect(monthsBetween('2025-01-15', '2025-07-15')).toBe(6);
    expect(ageOn('2010-03-01', '2026-02-28')).toBe(15);
    expect(ageOn('2010-03-01', '2026-03-01')).toBe(16);
  });
});

describe('money in fen', () => {
  it('converts without floating-point drift', () => {
    expect(yuanToFen(0.1 + 0.2)).toBe(30);
    expect(fenToYuanText(123456)).toBe('1234.56');
    expect(fenToYuanText(-5)).toBe('-0.05');
    expect(fenToYuan(123456)).toBe(1234.56);
    expect(yuanToFen(1234.56)).toBe(123456);
    expect(yuanToFen(Number('abc'))).toBeNaN(); // callers test the result (Excel import: 不是金额)
  });
  it('writes whole fen exactly as the hand-written (fen / 100).toFixed(2) it replaces', () => {
    for (let fen = -1000; fen <= 100_000; fen += 7)
      expect(fenToYuanText(fen), String(fen)).toBe((fen / 100).toFixed(2));
    expect(fenToYuanText(0)).toBe('0.00');
    expect(fenToYuanText(100)).toBe('1.00');
  });
  it('rounds a fraction of a fen (averages) to the nearest fen instead of printing it', () => {
    expect(fenToYuanText(150.4)).toBe('1.50');
    expect(fenToYuanText(150.5)).toBe('1.51');
    expect(fenToYuanText(99.6)).toBe('1.00');
    expect(fenToYuanText(-0.4)).toBe('0.00');
    expect(fenToYuanText(-150.6)).toBe('-1.51');
  });
  it('pays the pro-rata subsidy of domain.md §2.8, rounded half up, full attendance = the standard', () => {
    expect(proRataSubsidyFen(60_000, 30, 30)).toBe(60_000);
    expect(proRataSubsidyFen(60_000, 30, 28)).toBe(56_000);
    expect(proRataSubsidyFen(50_000, 30, 29)).toBe(48_333); // 483.333…
    expect(proRataSubsidyFen(80_000, 30, 1)).toBe(2_667); // 26.666… rounds up
    expect(proRataSubsidyFen(60_000, 22, 25)).toBe(60_000); // never above the standard
    expect(proRataSubsidyFen(60_000, 30, 0)).toBe(0);
  });
});
