/**
 * The embedded development identity provider: a real OpenID Provider (oidc-provider) on 127.0.0.1
 * with two demo accounts, so the app and its tests sign in through the same protocol a hosted
 * provider speaks, without the network.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Provider } from 'oidc-provider';
import { DEFAULT_SCHEME, schemeSchema } from '../auth/config.js';
import { AuthError } from '../auth/errors.js';
import { createLogger, logLevelFromEnv, type Logger } from '../auth/logger.js';
import { DEMO_ACCOUNTS, type DemoAccountId } from './accounts.js';
import { serveAvatar } from './avatars.js';
import { createInteractionHandler, matchInteractionRoute } from './interactions.js';
import { OfflineAccessRequests } from './offline-access.js';
import { DEV_CLIENT_NAME, providerConfiguration } from './provider-config.js';
import { observeProvider, type DevIdpRevocation } from './provider-events.js';
import { RequestLog, type DevIdpRequest } from './request-log.js';
import { generateCookieKeys, generateSigningKeys } from './signing-keys.js';

export { DEMO_ACCOUNTS, type DemoAccountId } from './accounts.js';
export type { DemoAccount } from './accounts.js';
export type { DevIdpRevocation } from './provider-events.js';
export type { DevIdpRequest } from './request-log.js';

export interface DevIdpOptions {
  /** 0 (the default) asks the OS for an ephemeral port. The IdP always binds 127.0.0.1 only. */
  port?: number;
  /** The app's private-use URI scheme (RFC 8252 section 7.1). */
  scheme?: string;
  clientId?: string;
  /** Sign this account in and consent without showing a form (for automation). */
  autoLogin?: DemoAccountId;
  accessTokenTtlSeconds?: number;
  refreshTokenTtlSeconds?: number;
  logger?: Logger;
}

export interface DevIdp {
  /** e.g. `http://127.0.0.1:54321`, no trailing slash. */
  readonly issuer: string;
  readonly clientId: string;
  readonly port: number;
  /** Every HTTP request received, in order; paths without their query. */
  readonly requests: readonly DevIdpRequest[];
  countRequests(pathPrefix?: string): number;
  resetRequests(): void;
  /** Tokens revoked through the RFC 7009 endpoint. */
  readonly revocations: readonly DevIdpRevocation[];
  setAutoLogin(account: DemoAccountId | undefined): void;
  close(): Promise<void>;
}

export const DEFAULT_DEV_CLIENT_ID = 'desktop-dev';

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function checkOptions(options: DevIdpOptions): void {
  const problems: string[] = [];
  const { port, scheme } = options;
  if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port <= 65535)) problems.push('port must be an integer from 0 to 65535');
  if (scheme !== undefined) {
    const parsed = schemeSchema.safeParse(scheme);
    if (!parsed.success) problems.push(`scheme ${parsed.error.issues.map((i) => i.message).join(', ')}`);
  }
  for (const key of ['accessTokenTtlSeconds', 'refreshTokenTtlSeconds'] as const) {
    const ttl = options[key];
    if (ttl !== undefined && !(Number.isInteger(ttl) && ttl > 0)) problems.push(`${key} must be a positive integer`);
  }
  if (options.clientId !== undefined && !/^[\x21-\x7e]+$/.test(options.clientId)) problems.push('clientId must be printable ASCII');
  if (problems.length > 0) {
    throw new AuthError('config_invalid', `The development identity provider options are invalid: ${problems.join('; ')}`, { details: { problems } });
  }
}

export async function startDevIdp(options: DevIdpOptions = {}): Promise<DevIdp> {
  checkOptions(options);
  const logger = (options.logger ?? createLogger({ level: logLevelFromEnv() })).child({ component: 'dev-idp' });
  const clientId = options.clientId ?? DEFAULT_DEV_CLIENT_ID;
  let autoLogin = options.autoLogin;
  const log = new RequestLog();
  const revocations: DevIdpRevocation[] = [];
  const offlineAccess = new OfflineAccessRequests();

  // The issuer contains the port, so the provider can only be built once the socket is bound;
  // until then (a few milliseconds) a request gets a 503 instead of hanging.
  const ready: { dispatch?: (req: IncomingMessage, res: ServerResponse) => void } = {};
  const server = createServer((req, res) => {
    log.record(req);
    if (ready.dispatch) ready.dispatch(req, res);
    else res.writeHead(503, { 'retry-after': '1' }).end();
  });

  let port: number;
  try {
    port = await listen(server, options.port ?? 0);
  } catch (cause) {
    throw new AuthError('internal', `The development identity provider cannot listen on 127.0.0.1:${options.port ?? 0}.`, {
      cause,
      details: { code: (cause as NodeJS.ErrnoException).code },
    });
  }
  const issuer = `http://127.0.0.1:${port}`;

  let provider: Provider;
  try {
    provider = new Provider(
      issuer,
      providerConfiguration({
        issuer,
        scheme: options.scheme ?? DEFAULT_SCHEME,
        clientId,
        accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? 600,
        refreshTokenTtlSeconds: options.refreshTokenTtlSeconds ?? 14 * 24 * 60 * 60,
        jwks: await generateSigningKeys(),
        cookieKeys: generateCookieKeys(),
        confirmLogoutAutomatically: () => autoLogin !== undefined,
        offlineAccess,
      }),
    );
  } catch (error) {
    server.close();
    throw error;
  }
  observeProvider(provider, { logger, revocations, offlineAccess });

  const providerCallback = provider.callback();
  const interactions = createInteractionHandler({ provider, clientName: DEV_CLIENT_NAME, autoLogin: () => autoLogin, offlineAccess, logger });

  ready.dispatch = (req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const interaction = matchInteractionRoute(path);
    let handled: Promise<void>;
    if (interaction) handled = interactions(req, res, interaction);
    else if (serveAvatar(req, res, path, DEMO_ACCOUNTS)) return;
    else handled = providerCallback(req, res);
    handled.catch((error: unknown) => {
      logger.error('dev IdP: request failed', { error, path });
      if (!res.headersSent) res.writeHead(500).end();
    });
  };

  logger.info('dev IdP started', { issuer, clientId });

  return {
    issuer,
    clientId,
    port,
    get requests() {
      return log.requests;
    },
    countRequests: (pathPrefix) => log.count(pathPrefix),
    resetRequests: () => log.reset(),
    revocations,
    setAutoLogin: (account) => {
      autoLogin = account;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // A browser keeps idle keep-alive sockets open; without this close() waits for them.
        server.closeAllConnections();
      }),
  };
}
