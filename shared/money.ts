/** Money is integer fen (分) everywhere; yuan only at the edges (display, Excel). */

export function yuanToFen(yuan: number): number {
  return Math.round(yuan * 100);
}

/** "1234.50" — two decimals, no grouping (for inputs and Excel). A fraction of a fen rounds to the nearest fen. */
export function fenToYuanText(fen: number): string {
  const abs = Math.round(Math.abs(fen));
  const sign = fen < 0 && abs > 0 ? '-' : '';
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

export function fenToYuan(fen: number): number {
  return fen / 100;
}

/**
 * Pro-rata subsidy (domain.md §2.8, [C5]): 月补贴标准 ÷ 规定出勤天数 × 实际出勤天数, in fen,
 * rounded half up once at the end so that full attendance pays exactly the standard.
 */
export function proRataSubsidyFen(monthlyFen: number, requiredDays: number, actualDays: number): number {
  if (requiredDays <= 0) return 0;
  const days = Math.min(actualDays, requiredDays);
  return Math.floor((monthlyFen * days * 2 + requiredDays) / (requiredDays * 2));
}
