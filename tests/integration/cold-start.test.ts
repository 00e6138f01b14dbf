/**
 * Cold start: the callback is what launches the app after it was closed mid sign-in. The pending
 * attempt (state, verifier, nonce) was kept encrypted in the vault, so the new process completes
 * it within its time limit, once; an expired or used attempt is ignored.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAuthConfig, type AuthConfig } from '../../electron/auth/config.js';
import { createAesGcmCipher, loadOrCreateKeyFile } from '../../electron/auth/aes-gcm-cipher.js';
import { createConfStore } from '../../electron/auth/conf-store.js';
import { silentLogger, type LogRecord } from '../../electron/auth/logger.js';
import { SessionVault } from '../../electron/auth/vault.js';
import { followAuthorizeRedirect } from '../support/fixtures/http-util.js';
import { startMisbehavingOidc, type MisbehavingOidc } from '../support/fixtures/misbehaving-oidc.js';
import { startHeadlessApp, tempUserData } from '../support/headless-app.js';
import path from 'node:path';

let provider: MisbehavingOidc;
let config: AuthConfig;
const recordOnly = async (): Promise<void> => undefined;

beforeAll(async () => {
  provider = await startMisbehavingOidc({ mode: 'ok' });
  config = parseAuthConfig({ providers: [{ id: 'p', label: 'Provider', issuer: provider.issuer, clientId: provider.clientId }] });
});
afterAll(() => provider?.close());

/** Starts a sign-in, takes the callback the provider would send, and closes the app before it arrives. */
async function closedMidSignIn(userDataDir: string): Promise<URL> {
  const first = await startHeadlessApp({ config, userDataDir, window: false, openExternal: recordOnly });
  const attempt = first.app.session.signIn('p', { remember: true }).catch((e: unknown) => e);
  await expect.poll(() => first.platform.openedUrls.length).toBe(1);
  const callback = await followAuthorizeRedirect(first.platform.openedUrls[0] ?? '');
  await first.stop();
  expect(await attempt).toMatchObject({ code: 'cancelled' });
  return callback;
}

/** The app says (at debug level) each time it ignores a link: the observable end of handling one. */
const ignored = (logs: readonly LogRecord[]): number => logs.filter((r) => r.msg === 'callback ignored').length;

function vaultFor(userDataDir: string): Promise<SessionVault> {
  return loadOrCreateKeyFile(path.join(userDataDir, 'vault.key')).then(
    (key) => new SessionVault({ cipher: createAesGcmCipher(key), store: createConfStore({ cwd: userDataDir, configName: 'session' }), appId: config.app.scheme, logger: silentLogger }),
  );
}

describe('cold start from a callback', () => {
  it('completes the attempt of the closed app, once', async () => {
    const userDataDir = await tempUserData();
    const callback = await closedMidSignIn(userDataDir);
    const second = await startHeadlessApp({ config, userDataDir, window: false, openExternal: recordOnly });
    try {
      expect(second.app.session.snapshot().status).toBe('signed-out');
      const tokenRequests = provider.countRequests('/token');
      second.platform.deliverDeepLink(callback.href);
      await expect.poll(() => second.app.session.snapshot().status).toBe('signed-in');
      expect(second.app.session.snapshot()).toMatchObject({ user: { sub: 'user-1' }, remembered: true });
      expect(provider.countRequests('/token')).toBe(tokenRequests + 1);

      // The same link again (a replay) finds no attempt: nothing is exchanged twice.
      second.platform.deliverDeepLink(callback.href);
      await expect.poll(() => ignored(second.logs)).toBe(1);
      expect(await (await vaultFor(userDataDir)).takePending(0)).toBeUndefined();
      expect(provider.countRequests('/token')).toBe(tokenRequests + 1);
    } finally {
      await second.stop({ removeUserData: true });
    }
  });

  it('ignores a forged link without burning the real attempt, and refuses an expired one', async () => {
    const userDataDir = await tempUserData();
    const callback = await closedMidSignIn(userDataDir);
    const forged = new URL(callback);
    forged.searchParams.set('state', `${callback.searchParams.get('state') ?? ''}x`);

    const vault = await vaultFor(userDataDir);
    const second = await startHeadlessApp({ config, userDataDir, window: false, openExternal: recordOnly });
    try {
      second.platform.deliverDeepLink(forged.href);
      // Handled once it says so; the real attempt must then be back on disk.
      await expect.poll(() => ignored(second.logs)).toBe(1);
      const pending = await vault.takePending(0);
      expect(pending).toMatchObject({ state: callback.searchParams.get('state') });
      // Now age it past its limit: the real link must no longer complete it.
      await vault.writePending({ ...pending!, expiresAt: Date.now() - 1 });
      const tokenRequests = provider.countRequests('/token');
      second.platform.deliverDeepLink(callback.href);
      await expect.poll(() => ignored(second.logs)).toBe(2);
      expect(second.app.session.snapshot().status).toBe('signed-out');
      expect(provider.countRequests('/token')).toBe(tokenRequests);
    } finally {
      await second.stop({ removeUserData: true });
    }
  });
});
