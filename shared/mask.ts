/**
 * The account-number mask (personal data rule): only the last four characters show, as `****1234`. Used for
 * audit snapshots (main/core/context.ts) and for placement lists (bankAccountMasked); ID numbers have their
 * own mask, `maskIdNumber` in idnumber.ts.
 */
export function maskAccountNumber(account: string): string {
  return `****${account.slice(-4)}`;
}
