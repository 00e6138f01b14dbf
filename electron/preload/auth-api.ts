/**
 * Builds `window.auth` from the contract over any transport: Electron's ipcRenderer in the preload,
 * Playwright bindings in the headless host. Purpose-named functions only, never the transport itself.
 */
import type { AuthApi, Channel, Result, RendererTransport, SessionSnapshot } from '../contract.js';
import { EVENTS } from '../contract-events.js';

function isResult(value: unknown): value is Result<unknown> {
  if (value === null || typeof value !== 'object') return false;
  const v = value as { ok?: unknown; error?: { code?: unknown; message?: unknown } };
  if (v.ok === true) return 'value' in v;
  return v.ok === false && typeof v.error?.code === 'string' && typeof v.error.message === 'string';
}

export function createAuthApi(transport: RendererTransport): AuthApi {
  const call = async <T>(channel: Channel, payload?: unknown): Promise<Result<T>> => {
    try {
      const answer = await transport.invoke(channel, payload ?? null);
      if (isResult(answer)) return answer as Result<T>;
      return { ok: false, error: { code: 'internal', message: 'The app answered in an unexpected shape.' } };
    } catch {
      return { ok: false, error: { code: 'internal', message: 'The app did not answer.' } };
    }
  };
  return Object.freeze({
    getSnapshot: () => call<SessionSnapshot>('auth:get-snapshot'),
    providers: () => call('auth:providers'),
    appInfo: () => call('app:info'),
    signIn: (providerId: string, options: { remember: boolean }) =>
      call<SessionSnapshot>('auth:sign-in', { providerId, remember: options.remember }),
    cancelSignIn: () => call<SessionSnapshot>('auth:cancel-sign-in'),
    reopenBrowser: () => call<boolean>('auth:reopen-browser'),
    signOut: (options: { atProvider: boolean }) => call('auth:sign-out', { atProvider: options.atProvider }),
    protectedData: () => call('app:protected-data'),
    onChange: (listener: (snapshot: SessionSnapshot) => void) =>
      transport.subscribe(EVENTS.sessionChanged, (payload) => listener(payload as SessionSnapshot)),
    api: Object.freeze({
      get: (path: string) => call('api:get', { path }),
      post: (path: string, body: unknown) => call('api:post', { path, body }),
    }),
  }) as AuthApi;
}
