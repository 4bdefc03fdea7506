/**
 * What both hosts (Electron's custom protocol and the browser-mode HTTP bridge) agree on when serving the
 * renderer: the style nonce placeholder in index.html and the Content-Security-Policy. AG Grid injects its
 * styles at run time and needs the nonce (grid option `styleNonce`).
 */

/** index.html carries `<meta name="ledger-style-nonce" content="__LEDGER_NONCE__">`; hosts replace it per run. */
export const NONCE_PLACEHOLDER = '__LEDGER_NONCE__';
export const NONCE_META = 'ledger-style-nonce';

export function contentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    `style-src 'self' 'nonce-${nonce}'`,
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}

/** Native abilities the Electron preload adds beside the contract (absent in browser mode). */
export interface FileFilter {
  name: string;
  extensions: string[];
}
/**
 * A file the user picked in a native dialog: the page shows `path` and names the file to the core by `token`
 * (the core refuses paths a page names; a write token serves one write, a read token the session).
 */
export interface PickedFile {
  token: string;
  path: string;
}
export interface NativeApi {
  openFile(options: { title?: string; filters?: FileFilter[] }): Promise<PickedFile | null>;
  saveFile(options: { title?: string; defaultName?: string; filters?: FileFilter[] }): Promise<PickedFile | null>;
  showInFolder(path: string): Promise<void>;
}
