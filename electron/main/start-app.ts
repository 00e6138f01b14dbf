/**
 * The composition root: the same code wires the app in Electron and in the headless test host.
 * Config, auth core, IPC handlers, deep links, power events and the window, in that order.
 */
import type { AppInfo, ProtectedData, ProviderSummary } from '../contract.js';
import { createAuthCore, type AuthCore } from '../auth/auth-core.js';
import type { AuthConfig, ProviderConfig } from '../auth/config.js';
import type { Logger } from '../auth/logger.js';
import type { RefreshPolicy } from '../auth/refresh-policy.js';
import { registerIpcHandlers, type Handlers } from './ipc-handlers.js';
import type { Platform } from './platform.js';

export interface StartAppOptions {
  readonly config: AuthConfig;
  readonly logger: Logger;
  /** Why there is no usable provider (a packaged build without a config file), for the sign-in screen. */
  readonly configProblem?: string | null;
  readonly now?: () => number;
  readonly refreshPolicy?: Partial<RefreshPolicy>;
}

export interface RunningApp {
  readonly core: AuthCore;
  readonly session: AuthCore['session'];
  handleDeepLink(url: string): void;
  stop(): Promise<void>;
}

export function providerSummary(p: ProviderConfig): ProviderSummary {
  return {
    id: p.id,
    label: p.label,
    kind: p.kind,
    hasApi: p.apiBaseUrl !== undefined,
    apiExamplePath: p.apiBaseUrl !== undefined ? (p.userPath ?? null) : null,
    canEndSession: p.kind === 'oidc' && p.endSession,
  };
}

/** Example app data behind the protected channel: what the seed's protected pages would render. */
function protectedData(name: string | null): ProtectedData {
  return {
    greeting: `Good to see you${name ? `, ${name}` : ''}.`,
    items: [
      { id: 'welcome', title: 'Your sign-in is kept encrypted by the operating system.' },
      { id: 'tokens', title: 'Tokens stay in the main process; this screen only sees your profile.' },
      { id: 'api', title: 'The API screen calls your provider through the main process.' },
    ],
  };
}

export async function startApp(platform: Platform, options: StartAppOptions): Promise<RunningApp> {
  const { config, logger } = options;
  const core = createAuthCore({
    config,
    cipher: platform.cipher,
    store: platform.createStore('session'),
    openExternal: platform.openExternal,
    logger,
    ...(options.now ? { now: options.now } : {}),
    ...(options.refreshPolicy ? { refreshPolicy: options.refreshPolicy } : {}),
  });
  const { session, api } = core;
  let protocolProblem: string | null = null;

  const appInfo = (): AppInfo => ({
    name: config.app.name,
    configSource: config.source,
    packaged: platform.isPackaged,
    configProblem: options.configProblem ?? (config.providers.length === 0 ? 'No sign-in provider is configured.' : null),
    protocolProblem,
  });

  const handlers: Handlers = {
    'auth:get-snapshot': async () => session.snapshot(),
    'auth:providers': async () => config.providers.map(providerSummary),
    'app:info': async () => appInfo(),
    'auth:sign-in': (request) => session.signIn(request.providerId, { remember: request.remember }),
    'auth:cancel-sign-in': async () => session.cancelSignIn(),
    'auth:reopen-browser': () => session.reopenBrowser(),
    'auth:sign-out': (request) => session.signOut({ atProvider: request.atProvider }),
    'api:get': (request) => api.get(request.path),
    'api:post': (request) => api.post(request.path, request.body),
    'app:protected-data': async () => protectedData(session.snapshot().user?.name ?? null),
  };
  registerIpcHandlers({ ipc: platform.ipc, rendererOrigin: platform.rendererOrigin, session, handlers, logger });

  const registration = await platform.registerProtocol(config.app.scheme);
  if (!registration.ok) {
    protocolProblem = registration.problem;
    logger.warn('the app scheme is not registered with the OS; sign-in callbacks may not arrive', { scheme: config.app.scheme, problem: registration.problem });
  }

  // The window first, so the renderer shows its splash while the session restores.
  await platform.showWindow();
  await session.restore();
  logger.info('app started', { platform: platform.name, config: config.source, status: session.snapshot().status });

  const handleDeepLink = (url: string): void => {
    platform.focusWindow();
    session.handleIncomingUrl(url);
  };
  // Links that arrived before now (cold start) were queued by the platform until this listener.
  platform.onDeepLink(handleDeepLink);
  platform.onResume(() => session.onResume());

  return {
    core,
    session,
    handleDeepLink,
    stop: async () => {
      await session.stop();
    },
  };
}
