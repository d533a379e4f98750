/**
 * Where a person goes back to after signing in: a page of this app, never another site.
 * The same rules as the server's `return_path::check` (which decides for links in e-mails).
 */
const SERVER_PATHS = ['/graphql', '/graphiql', '/api/', '/auth/', '/healthz', '/readyz', '/assets/'];

/** The path when it is a page of the app, else null. */
export function safeReturnPath(raw: string | null | undefined): string | null {
  if (raw === null || raw === undefined) return null;
  const path = raw.trim();
  if (path.length === 0 || path.length > 500) return null;
  if (!path.startsWith('/') || path.startsWith('//') || path.startsWith('/\\')) return null;
  if (/[\s\\\u0000-\u001f\u007f]/.test(path)) return null;
  const lower = path.toLowerCase();
  if (SERVER_PATHS.some((p) => lower === p.replace(/\/$/, '') || lower.startsWith(p) || lower.startsWith(`${p}?`))) return null;
  return path;
}

/** The query parameter that carries the return path on the sign-in and sign-up pages. */
export const RETURN_PARAM = 'terug';

/** `/sign-in?terug=…` for coming back to `here` (the current path and query). */
export function withReturn(path: string, here: string | null): string {
  const back = safeReturnPath(here);
  if (back === null || back === '/' || back.startsWith('/sign-in') || back.startsWith('/sign-up') || back.startsWith('/bevestig')) return path;
  return `${path}?${RETURN_PARAM}=${encodeURIComponent(back)}`;
}
