/** Cleaning what is typed into cells and dialogs (Chinese input methods give full-width digits and dates). No DOM. */
export function toHalfWidth(s: string): string {
  return s.replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/\u3000/g, ' ');
}

/** Accepts 2021-03-05, 2021/3/5, 2021.3.5, 2021年3月5日 (and months likewise); anything else is returned as typed for the core to reject. */
export function normalizeDateText(raw: string, kind: 'date' | 'month'): string | null {
  const t = toHalfWidth(raw).trim();
  if (t === '') return null;
  const m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*(?:[-/.月]\s*(\d{1,2})\s*日?|月)?$/.exec(t);
  if (!m) return t;
  const mm = m[2]!.padStart(2, '0');
  if (kind === 'month') return `${m[1]}-${mm}`;
  return m[3] ? `${m[1]}-${mm}-${m[3].padStart(2, '0')}` : t;
}
