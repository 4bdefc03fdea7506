import { describe, expect, it } from 'vitest';
import {
  computeCheckChar,
  idNumberInfo,
  idNumberProblem,
  maskIdNumber,
  normalizeIdNumber,
  ageFromIdNumber,
} from '../../shared/idnumber.ts';

const TODAY = '2026-11-22';

describe('GB 11643 ID numbers', () => {
  it('computes the check character from the 17 digits (published example 11010519491231002X)', () => {
    expect(computeCheckChar('11010519491231002')).toBe('X');
    expect(idNumberProblem('11010519491231002X', TODAY)).toBeNull();
  });

  it('names each kind of problem', () => {
    expect(idNumberProblem('', TODAY)).toBe('empty');
    expect(idNumberProblem('1101051949123100', TODAY)).toBe('length');
    expect(idNumberProblem('11010519491231002A', TODAY)).toBe('characters');
    expect(idNumberProblem('110105194912310021', TODAY)).toBe('checksum');
    expect(idNumberProblem('999999194912310021', TODAY)).toBe('placeholder');
    expect(idNumberProblem('001051194912310021', TODAY)).toBe('region');
    const feb30 = '11010519490230002';
    expect(idNumberProblem(feb30 + computeCheckChar(feb30), TODAY)).toBe('birthDate');
    const future = '11010520270101002';
    expect(idNumberProblem(future + computeCheckChar(future), TODAY)).toBe('futureBirth');
  });

  it('derives birth date, gender (17th digit odd = male) and age', () => {
    expect(idNumberInfo('11010519491231002X')).toEqual({ birthDate: '1949-12-31', gender: '女' });
    const male = '52990119800101001';
    expect(idNumberInfo(male + computeCheckChar(male)).gender).toBe('男');
    expect(ageFromIdNumber('11010519491231002X', '2026-12-30')).toBe(76);
    expect(ageFromIdNumber('11010519491231002X', '2026-12-31')).toBe(77);
  });

  it('normalizes full-width digits, lower-case x and spaces', () => {
    expect(normalizeIdNumber(' １１０１０５ 19491231002x ')).toBe('11010519491231002X');
  });

  it('masks as first 6 + ******** + last 4', () => {
    expect(maskIdNumber('11010519491231002X')).toBe('110105********002X');
  });
});
