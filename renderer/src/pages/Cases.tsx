export function CasesPage(_p: { route?: unknown; onSettings?: unknown }) { return null; }
