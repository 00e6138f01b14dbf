/**
 * Incoming callback URLs are untrusted: any app or web page can open `com.example.desktop:...`.
 * These functions only parse and compare; they never throw into their caller.
 */
export const MAX_CALLBACK_URL_LENGTH = 8 * 1024;

export type CallbackParse =
  | { readonly ok: true; readonly url: URL; readonly state: string }
  | { readonly ok: false; readonly reason: string };

function single(params: URLSearchParams, name: string): string | undefined | null {
  const values = params.getAll(name);
  if (values.length === 0) return undefined;
  return values.length === 1 ? (values[0] ?? null) : null; // null: duplicated, which is never legitimate
}

/**
 * Accepts a URL only if it is exactly `redirectUri` plus a query with one `state` and either one
 * `code` or one `error`. Anything else gets a reason for the debug log.
 */
export function parseCallback(raw: unknown, redirectUri: string): CallbackParse {
  if (typeof raw !== 'string') return { ok: false, reason: 'not a string' };
  if (raw.length > MAX_CALLBACK_URL_LENGTH) return { ok: false, reason: 'oversized' };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: 'not a URL' };
  }
  const expected = new URL(redirectUri);
  if (url.protocol !== expected.protocol || url.host !== expected.host || url.pathname !== expected.pathname) {
    return { ok: false, reason: 'another scheme, host or path' };
  }
  if (url.username || url.password) return { ok: false, reason: 'credentials in URL' };
  const params = url.searchParams;
  const state = single(params, 'state');
  if (!state) return { ok: false, reason: state === null ? 'duplicated state' : 'no state' };
  const code = single(params, 'code');
  const error = single(params, 'error');
  if (code === null || error === null) return { ok: false, reason: 'duplicated code or error' };
  if ((code === undefined) === (error === undefined)) return { ok: false, reason: 'needs exactly one of code or error' };
  if (code === '' || error === '') return { ok: false, reason: 'empty code or error' };
  return { ok: true, url, state };
}

/**
 * Windows and Linux deliver the callback as an argument of a new process (first instance, or
 * `second-instance`). Chromium may add flags and reorder arguments, so look for the one argument
 * that starts with our scheme.
 */
export function extractCallbackUrlFromArgv(argv: readonly string[], scheme: string): string | undefined {
  const prefix = `${scheme.toLowerCase()}:`;
  for (const arg of argv) {
    if (typeof arg !== 'string' || arg.length > MAX_CALLBACK_URL_LENGTH) continue;
    const candidate = arg.trim().replace(/^"(.*)"$/, '$1');
    if (candidate.toLowerCase().startsWith(prefix)) return candidate;
  }
  return undefined;
}
