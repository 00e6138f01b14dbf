/**
 * Mix-up defence (RFC 9700 §4.4, RFC 9207): the dev provider puts `iss` in its authorization
 * response; a callback whose `iss` names another issuer is refused even with the right state and a
 * real code, and the code is never sent to the token endpoint.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createAesGcmCipher, loadOrCreateKeyFile } from '../../electron/auth/aes-gcm-cipher.js';
import { createAuthCore, type AuthCore } from '../../electron/auth/auth-core.js';
import { createConfStore } from '../../electron/auth/conf-store.js';
import { silentLogger } from '../../electron/auth/logger.js';
import { startDevIdp, type DevIdp } from '../../electron/dev-idp/index.js';
import { devIdpConfig } from '../../electron/main/resolve-config.js';
import { BrowserStandIn } from '../support/browser-stand-in.js';

let idp: DevIdp;
let dir: string;

beforeAll(async () => {
  idp = await startDevIdp({ autoLogin: 'alice' });
  dir = await mkdtemp(path.join(os.tmpdir(), 'mix-up-'));
});
afterAll(async () => {
  await idp?.close();
  await rm(dir, { recursive: true, force: true });
});

async function core(browser: BrowserStandIn): Promise<AuthCore> {
  const cipher = createAesGcmCipher(await loadOrCreateKeyFile(path.join(dir, 'vault.key')));
  const config = devIdpConfig(idp.issuer, idp.clientId);
  return createAuthCore({ config, cipher, store: createConfStore({ cwd: dir, configName: 'session' }), openExternal: browser.openExternal, logger: silentLogger });
}

it('refuses a callback whose iss names another issuer, without exchanging the code', async () => {
  const browser = new BrowserStandIn('com.example.desktop');
  const c = await core(browser);
  await c.session.restore();
  const opened = browser.nextOpenedUrl();
  const signIn = c.session.signIn('dev', { remember: false }).catch((e: unknown) => e);
  const callback = await browser.callbackFor(await opened);
  expect(callback.searchParams.get('iss')).toBe(idp.issuer);

  const forged = new URL(callback);
  forged.searchParams.set('iss', 'https://attacker.example');
  const tokenRequests = idp.countRequests('/token');
  c.session.handleIncomingUrl(forged.href);
  expect(await signIn).toMatchObject({ code: 'provider_invalid_response', message: expect.stringMatching(/issuer/i) });
  expect(idp.countRequests('/token')).toBe(tokenRequests);
  expect(c.session.snapshot().status).toBe('signed-out');
  await c.session.stop();
});
