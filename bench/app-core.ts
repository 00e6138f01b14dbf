/**
 * The auth core as the app builds it (`createAuthCore`, the same factory `startApp` calls), on a
 * user-data folder laid out as the headless platform lays it out: the AES-256-GCM key file standing
 * in for the OS keychain, and the `conf` store file holding the encrypted vault.
 */
import path from 'node:path';
import { createAesGcmCipher, loadOrCreateKeyFile } from '../electron/auth/aes-gcm-cipher.js';
import { createAuthCore, type AuthCore } from '../electron/auth/auth-core.js';
import type { AuthConfig } from '../electron/auth/config.js';
import { createConfStore } from '../electron/auth/conf-store.js';
import { silentLogger } from '../electron/auth/logger.js';
import type { Cipher } from '../electron/auth/ports.js';
import type { SessionSnapshot } from '../electron/contract.js';
import type { BrowserStandIn } from '../tests/support/browser-stand-in.js';

/** The headless platform's names: `vault.key` and the `session` conf store. */
export const KEY_FILE = 'vault.key';
export const STORE_NAME = 'session';

export async function loadCipher(userDataDir: string): Promise<Cipher> {
  return createAesGcmCipher(await loadOrCreateKeyFile(path.join(userDataDir, KEY_FILE)));
}

export function openCore(options: {
  userDataDir: string;
  config: AuthConfig;
  cipher: Cipher;
  openExternal: (url: string) => Promise<void>;
  now?: () => number;
}): AuthCore {
  return createAuthCore({
    config: options.config,
    cipher: options.cipher,
    store: createConfStore({ cwd: options.userDataDir, configName: STORE_NAME }),
    openExternal: options.openExternal,
    logger: silentLogger,
    ...(options.now ? { now: options.now } : {}),
  });
}

export interface TimedSignIn {
  readonly snapshot: SessionSnapshot;
  /** From handing the callback URL to `handleIncomingUrl` to the `signIn` promise resolving. */
  readonly ms: number;
}

/**
 * A real sign-in through the core: `session.signIn` opens the "browser" (the stand-in captures the
 * URL), the stand-in follows the provider's redirects to the callback (not timed), then the callback
 * goes in through `handleIncomingUrl` exactly as a deep link would, and the clock runs until the
 * sign-in resolves with a signed-in snapshot.
 */
export async function signInThroughCore(core: AuthCore, browser: BrowserStandIn, options: { providerId: string; remember: boolean }): Promise<TimedSignIn> {
  const opened = browser.nextOpenedUrl();
  const signIn = core.session.signIn(options.providerId, { remember: options.remember });
  // If the attempt fails before the browser opens, report that error rather than a timeout.
  signIn.catch(() => undefined);
  const authUrl = await Promise.race([opened, signIn.then(() => Promise.reject(new Error('sign-in ended before the browser opened')))]);
  const callback = await browser.callbackFor(authUrl);
  const t0 = performance.now();
  core.session.handleIncomingUrl(callback.href);
  const snapshot = await signIn;
  const ms = performance.now() - t0;
  if (snapshot.status !== 'signed-in') throw new Error(`sign-in ended ${snapshot.status}`);
  return { snapshot, ms };
}
