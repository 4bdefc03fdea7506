/**
 * 公民身份号码 (GB 11643-1999) rules — domain.md §5.5.
 * Pure functions: no Node, no DOM.
 */
import { DISABILITY_CATEGORIES, DISABILITY_GRADES } from './catalogs.ts';
import { ageOn } from './dates.ts';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = '10X98765432';

type DisabilityCategory = (typeof DISABILITY_CATEGORIES)[number];
type DisabilityGrade = (typeof DISABILITY_GRADES)[number];

export type Gender = '男' | '女';

export type IdNumberProblem =
  'empty' | 'length' | 'characters' | 'region' | 'birthDate' | 'futureBirth' | 'checksum' | 'placeholder';

export interface IdNumberInfo {
  birthDate: string;
  gender: Gender;
}

/** Chinese explanations, shown after the field's name (「身份证号」…) in UI messages and import error reports. */
export const ID_PROBLEM_TEXT: Record<IdNumberProblem, string> = {
  empty: '不能为空',
  length: '应为18位',
  characters: '只能由数字组成，最后一位可以是X',
  region: '前6位不是有效的地址码',
  birthDate: '第7–14位不是有效的出生日期',
  futureBirth: '出生日期晚于今天',
  checksum: '校验位不正确（可能有数字录错）',
  placeholder: '以999999开头，表示没有真实证件号码',
};

export function computeCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK_CHARS[sum % 11]!;
}

/** Already normal: digits and X only (nearly every cell of an import, where this runs 100,000 times). */
const NORMAL_ID = /^[0-9X]*$/;

/** Normalizes what a user typed or pasted: trims, removes inner spaces, full-width digits and x → X. */
export function normalizeIdNumber(raw: string): string {
  if (NORMAL_ID.test(raw)) return raw;
  return raw
    .replace(/[\uFF10-\uFF19]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[ｘＸx]/g, 'X')
    .replace(/[\s\u3000]/g, '');
}

/**
 * A 残疾人证 number as national files carry it in 证件号码: the holder's 18-character ID followed by the disability
 * category digit (1 视力 … 7 多重, GB/T 26341 order) and grade digit (1–4), sometimes with a reissue mark (B1).
 * Returns the ID and the category and grade it states, or null when the text is not such a number.
 */
export function splitDisabilityCertificate(
  text: string,
): { idNumber: string; category: DisabilityCategory; grade: DisabilityGrade } | null {
  // At least 20 characters: a plain 18-character ID (nearly every cell of an import) is not matched at all.
  const m = text.length < 20 ? null : /^(\d{17}[\dX])([1-7])([1-4])([A-Z]\d)?$/.exec(text);
  if (!m) return null;
  return {
    idNumber: m[1]!,
    category: DISABILITY_CATEGORIES[Number(m[2]) - 1]!,
    grade: DISABILITY_GRADES[Number(m[3]) - 1]!,
  };
}

/**
 * Validates an 18-character ID. Returns the problem, or null when valid.
 * `today` (YYYY-MM-DD) bounds the birth date; it is a parameter so results are reproducible.
 */
export function idNumberProblem(id: string, today: string): IdNumberProblem | null {
  if (id.length === 0) return 'empty';
  if (id.length !== 18) return 'length';
  if (!/^\d{17}[\dX]$/.test(id)) return 'characters';
  if (id.startsWith('999999')) return 'placeholder';
  const province = digits(id, 0, 2);
  if (province < 11 || province > 82) return 'region';
  if (!birthDateIsValid(id)) return 'birthDate';
  const birth = birthDateOf(id);
  if (birth > today) return 'futureBirth';
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (id.charCodeAt(i) - 48) * WEIGHTS[i]!;
  if (CHECK_CHARS[sum % 11] !== id[17]) return 'checksum';
  return null;
}

/**
 * The number written by `length` digits of an ID from `start` (the caller has checked they are digits). Plain
 * arithmetic: an import checks 100,000 IDs, and slicing and parsing each part cost more than the rest.
 */
function digits(id: string, start: number, length: number): number {
  let n = 0;
  for (let i = start; i < start + length; i++) n = n * 10 + id.charCodeAt(i) - 48;
  return n;
}

/** Digits 7–14 (all digits here) name a real day from 1900 on: plain arithmetic, no Date per ID. */
function birthDateIsValid(id: string): boolean {
  const year = digits(id, 6, 4);
  const month = digits(id, 10, 2);
  const day = digits(id, 12, 2);
  if (year < 1900 || month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (month === 2 ? (leap ? 29 : 28) : DAYS_IN_MONTH[month - 1]!);
}
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

function birthDateOf(id: string): string {
  return `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
}

/** Birth date and gender of an ID already known to be valid. */
export function idNumberInfo(id: string): IdNumberInfo {
  return { birthDate: birthDateOf(id), gender: Number(id[16]) % 2 === 1 ? '男' : '女' };
}

export function ageFromIdNumber(id: string, onDate: string): number {
  return ageOn(birthDateOf(id), onDate);
}

/** Display mask for documents meant for display or notices: first 6 + ******** + last 4 (domain.md T7). */
export function maskIdNumber(id: string): string {
  if (id.length < 10) return '*'.repeat(id.length);
  return `${id.slice(0, 6)}********${id.slice(-4)}`;
}
