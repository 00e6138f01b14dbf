/**
 * The one way the core talks HTTP to a provider: a deadline on every request, a cap on every
 * response body (a provider answering 10 MB of garbage must not fill memory), and a counter so
 * tools and tests can see exactly how many requests a restore or a refresh made.
 */
import { AuthError } from './errors.js';

export const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;

export interface RequestCounter {
  total: number;
  readonly byPath: Map<string, number>;
}

export function createRequestCounter(): RequestCounter {
  return { total: 0, byPath: new Map() };
}

export interface ProviderFetchOptions {
  readonly timeoutMs: number;
  readonly maxResponseBytes?: number;
  readonly counter?: RequestCounter;
}

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

/** The declared body length, when the response has a valid one. */
function declaredLength(response: Response): number | undefined {
  const header = response.headers.get('content-length');
  const length = header === null ? Number.NaN : Number(header);
  return Number.isSafeInteger(length) && length >= 0 ? length : undefined;
}

/** Reads a body up to `limit` bytes; more is an error, not a truncation. */
async function readCapped(response: Response, limit: number, url: URL): Promise<Uint8Array> {
  if (!response.body) return new Uint8Array();
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw tooLarge(url, limit);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

function tooLarge(url: URL, limit: number): AuthError {
  return new AuthError('response_too_large', `${url.host} sent a response larger than ${Math.round(limit / 1024)} KB.`, {
    details: { host: url.host, path: url.pathname, limit },
  });
}

export function unreachable(url: URL, cause: unknown, timeoutMs: number): AuthError {
  const timedOut = cause instanceof DOMException && (cause.name === 'TimeoutError' || cause.name === 'AbortError');
  const message = timedOut
    ? `${url.host} did not answer within ${Math.round(timeoutMs / 1000)} s.`
    : `Could not reach ${url.host}.`;
  return new AuthError('provider_unreachable', message, { cause, details: { host: url.host, path: url.pathname } });
}

/** A fetch with a deadline, a body cap and a counter; its failures are typed `AuthError`s. */
export function createProviderFetch(options: ProviderFetchOptions, base: FetchLike = fetch): FetchLike {
  const limit = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  return async (input, init) => {
    const url = new URL(input);
    if (options.counter) {
      options.counter.total += 1;
      options.counter.byPath.set(url.pathname, (options.counter.byPath.get(url.pathname) ?? 0) + 1);
    }
    // One controller and a cleared timer per request: AbortSignal.any/timeout keep timers and weak
    // references alive long after the request (nodejs/node#54614), which grows the heap per refresh.
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new DOMException('The request timed out.', 'TimeoutError')), options.timeoutMs);
    const forward = (): void => controller.abort(init.signal?.reason);
    if (init.signal?.aborted) forward();
    else init.signal?.addEventListener('abort', forward, { once: true });
    const signal = controller.signal;
    try {
      // Redirects are never followed: a token or userinfo endpoint that redirects is misbehaving.
      const response = await base(url.href, { ...init, signal, redirect: 'manual' });
      const declared = declaredLength(response);
      if (declared !== undefined && declared > limit) {
        await response.body?.cancel();
        throw tooLarge(url, limit);
      }
      // fetch reads no more than Content-Length, so an unencoded body of declared size is read in one
      // go; a compressed or chunked one is read chunk by chunk under the cap (a small gzip can inflate).
      const plain = declared !== undefined && (response.headers.get('content-encoding') ?? 'identity') === 'identity';
      const body = plain ? new Uint8Array(await response.arrayBuffer()) : await readCapped(response, limit, url);
      return new Response(response.status === 204 || response.status === 304 ? null : body, {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      });
    } catch (error) {
      if (error instanceof AuthError) throw error;
      throw unreachable(url, signal.aborted && signal.reason instanceof DOMException ? signal.reason : error, options.timeoutMs);
    } finally {
      clearTimeout(timer);
      init.signal?.removeEventListener('abort', forward);
    }
  };
}
