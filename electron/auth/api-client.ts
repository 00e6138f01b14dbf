/**
 * Authenticated calls to the signed-in provider's API from the main process: the desktop form of
 * Authlib's `oauth.github.get('user')`. Bearer token, one retry after a refresh on 401, a response
 * size cap and a timeout; `unauthenticated` when nobody is signed in.
 */
import { AuthError } from './errors.js';
import type { Logger } from './logger.js';
import { createProviderFetch, type FetchLike } from './provider-fetch.js';
import { joinApiUrl } from './provider-client.js';
import type { SessionManager } from './session-manager.js';

export interface ApiResponse {
  readonly status: number;
  readonly data: unknown;
}

export interface ApiClientOptions {
  readonly session: SessionManager;
  readonly logger: Logger;
  readonly timeoutMs: number;
  readonly maxResponseBytes?: number;
}

export class ApiClient {
  private readonly options: ApiClientOptions;
  private readonly fetch: FetchLike;

  constructor(options: ApiClientOptions) {
    this.options = options;
    this.fetch = createProviderFetch({ timeoutMs: options.timeoutMs, maxResponseBytes: options.maxResponseBytes ?? 1024 * 1024 });
  }

  get(path: string): Promise<ApiResponse> {
    return this.request('GET', path, undefined);
  }

  post(path: string, body: unknown): Promise<ApiResponse> {
    return this.request('POST', path, body);
  }

  private async request(method: 'GET' | 'POST', path: string, body: unknown): Promise<ApiResponse> {
    const client = this.options.session.provider;
    if (!client) throw new AuthError('unauthenticated', 'Sign in to call the API.');
    const base = client.provider.apiBaseUrl;
    if (!base) throw new AuthError('invalid_request', `${client.provider.label} has no API configured (apiBaseUrl).`);
    const url = joinApiUrl(base, path);

    const token = await this.options.session.getAccessToken();
    let response = await this.send(method, url, body, token);
    if (response.status === 401) {
      // The token may have been revoked or expired early: refresh once and try again. If another
      // call's refresh already replaced the token this one sent, retry with that instead of
      // refreshing again (a burst of 401s costs one refresh, joined while it is in flight).
      const current = await this.options.session.getAccessToken();
      let retryWith = current;
      if (current === token) {
        this.options.logger.info('API answered 401; refreshing once', { path });
        retryWith = (await this.options.session.refresh({ force: true })).tokens.accessToken;
      }
      response = await this.send(method, url, body, retryWith);
    }
    return { status: response.status, data: await readJson(response, client.provider.label) };
  }

  private send(method: string, url: string, body: unknown, token: string): Promise<Response> {
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    return this.fetch(url, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  }
}

async function readJson(response: Response, label: string): Promise<unknown> {
  const text = await response.text();
  if (text.length === 0) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new AuthError('api_error', `${label}'s API answered ${response.status} with something that is not JSON.`, { details: { status: response.status } });
  }
}
