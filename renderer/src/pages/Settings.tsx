export function SettingsPage(_p: { route?: unknown; onSettings?: unknown }) { return null; }
