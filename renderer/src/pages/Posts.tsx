export function PostsPage(_p: { route?: unknown; onSettings?: unknown }) { return null; }
