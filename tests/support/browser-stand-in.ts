/**
 * The system browser, reduced to what the benchmarks and some tests need from it, against the dev IdP with
 * `autoLogin`: follow the authorization request's redirects with `fetch` and a cookie jar (the IdP's
 * interaction and session cookies) until the provider redirects to the app's scheme, and hand back
 * that callback URL instead of delivering it. No form, no Chromium, and the time it takes is never
 * part of a measured figure. Everything stays on 127.0.0.1.
 */

const MAX_HOPS = 12;
const HOP_TIMEOUT_MS = 10_000;

interface Cookie {
  readonly value: string;
}

export class BrowserStandIn {
  readonly #scheme: string;
  readonly #jar = new Map<string, Cookie>();
  readonly #opened: string[] = [];
  #waiter: ((url: string) => void) | undefined;

  constructor(scheme: string) {
    this.#scheme = scheme.toLowerCase();
  }

  /** Pass as the core's `openExternal`: the app "opens the system browser" here. */
  readonly openExternal = async (url: string): Promise<void> => {
    const waiter = this.#waiter;
    this.#waiter = undefined;
    if (waiter) waiter(url);
    else this.#opened.push(url);
  };

  /** The next URL the app asks the browser to open. */
  nextOpenedUrl(timeoutMs = 10_000): Promise<string> {
    const queued = this.#opened.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiter = undefined;
        reject(new Error(`the app opened no URL within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#waiter = (url) => {
        clearTimeout(timer);
        resolve(url);
      };
    });
  }

  #cookieHeader(): string {
    return [...this.#jar].map(([name, c]) => `${name}=${c.value}`).join('; ');
  }

  #remember(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some((a) => {
        const [k = '', v = ''] = a.split('=').map((s) => s.trim());
        if (k.toLowerCase() === 'max-age') return Number(v) <= 0;
        if (k.toLowerCase() === 'expires') return Date.parse(v) <= Date.now();
        return false;
      });
      if (expired || value === '') this.#jar.delete(name);
      else this.#jar.set(name, { value });
    }
  }

  /** Follows the authorization request to the redirect into the app; returns that callback URL. */
  async callbackFor(authUrl: string | URL): Promise<URL> {
    let url = new URL(authUrl);
    for (let hop = 0; hop < MAX_HOPS; hop++) {
      if (url.hostname !== '127.0.0.1') throw new Error(`refusing to leave 127.0.0.1 (${url.host})`);
      const cookie = this.#cookieHeader();
      const response = await fetch(url, {
        redirect: 'manual',
        headers: cookie ? { cookie } : {},
        signal: AbortSignal.timeout(HOP_TIMEOUT_MS),
      });
      this.#remember(response);
      const location = response.headers.get('location');
      await response.body?.cancel();
      if (response.status < 300 || response.status > 399 || location === null) {
        throw new Error(`${url.pathname} answered ${response.status} without a redirect`);
      }
      const next = new URL(location, url);
      if (next.protocol === `${this.#scheme}:`) return next;
      url = next;
    }
    throw new Error(`no redirect to ${this.#scheme}: within ${MAX_HOPS} hops`);
  }
}
