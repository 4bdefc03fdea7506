export function AuditPage(_p: { route?: unknown; onSettings?: unknown }) { return null; }
