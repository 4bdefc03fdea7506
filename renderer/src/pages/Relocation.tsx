export function RelocationPage(_p: { route?: unknown; onSettings?: unknown }) { return null; }
