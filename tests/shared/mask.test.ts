import { describe, expect, it } from 'vitest';
import { maskAccountNumber } from '../../shared/mask.ts';

describe('maskAccountNumber', () => {
  it('shows only the last four characters', () => {
    expect(maskAccountNumber('6217000012345678901')).toBe('****8901');
    expect(maskAccountNumber('62170000123X')).toBe('****123X');
  });

  it('keeps the fixed-width prefix for short values', () => {
    expect(maskAccountNumber('12345')).toBe('****2345');
    expect(maskAccountNumber('')).toBe('****');
  });
});
