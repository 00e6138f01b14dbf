/**
 * Builds the auth core from a config and the host's ports: one client per registered provider,
 * the vault, the session manager and the API client. The app, `auth:check` and the benchmarks all
 * build it here, so they run the same code.
 */
import { ApiClient } from './api-client.js';
import type { AuthConfig } from './config.js';
import type { Logger } from './logger.js';
import type { Cipher, OpenExternal, Store } from './ports.js';
import { ProviderClient } from './provider-client.js';
import { createRequestCounter, type RequestCounter } from './provider-fetch.js';
import type { RefreshPolicy } from './refresh-policy.js';
import { SessionManager } from './session-manager.js';
import { SessionVault } from './vault.js';

export interface AuthCoreOptions {
  readonly config: AuthConfig;
  readonly cipher: Cipher;
  readonly store: Store;
  readonly openExternal: OpenExternal;
  readonly logger: Logger;
  readonly now?: () => number;
  readonly refreshPolicy?: Partial<RefreshPolicy>;
}

export interface AuthCore {
  readonly config: AuthConfig;
  readonly clients: ReadonlyMap<string, ProviderClient>;
  readonly session: SessionManager;
  readonly api: ApiClient;
  readonly vault: SessionVault;
  /** Every request the core sent to any provider (not counting the API client). */
  readonly requests: RequestCounter;
}

export function createAuthCore(options: AuthCoreOptions): AuthCore {
  const { config, logger } = options;
  const timeoutMs = config.app.requestTimeoutSeconds * 1000;
  const requests = createRequestCounter();
  const clients = new Map(
    config.providers.map((p) => [p.id, new ProviderClient(p, { timeoutMs, logger: logger.child({ provider: p.id }), counter: requests, ...(options.now ? { now: options.now } : {}) })]),
  );
  // The scheme is the app's identity: a record written by another app (or a copy of it) is refused.
  // A lock is stale only well after the longest refresh could hold it (discovery + token request).
  const lockStaleMs = Math.max(60_000, 3 * timeoutMs + 10_000);
  const vault = new SessionVault({ cipher: options.cipher, store: options.store, appId: config.app.scheme, logger, lockStaleMs });
  const session = new SessionManager({
    config,
    clients,
    vault,
    cipher: options.cipher,
    openExternal: options.openExternal,
    logger,
    ...(options.now ? { now: options.now } : {}),
    ...(options.refreshPolicy ? { refreshPolicy: options.refreshPolicy } : {}),
  });
  const api = new ApiClient({ session, logger, timeoutMs });
  return { config, clients, session, api, vault, requests };
}
