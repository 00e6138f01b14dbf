/**
 * The adversarial suite, no secret leaks: one full run of the whole app (headless host, renderer in
 * a real Chromium window, the dev IdP's real login form in the "system browser") — sign in through
 * the UI, every channel called, the API called, a forced refresh, every screen shown, sign out at
 * the provider. The secrets are collected from where they really are: the access, refresh and ID
 * tokens from the vault record read directly (before and after the refresh), the authorization code
 * from the redirect the system browser received, and the PKCE verifier from the pending record on
 * disk (decrypted with the app's key while the attempt was open).
 *
 * None of them may appear in any IPC payload, answer or event, any log record (debug level), the
 * renderer's DOM at any step, its localStorage, sessionStorage or cookies, or any file in the
 * app's folder in plain text.
 */
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAesGcmCipher, loadOrCreateKeyFile } from '../../electron/auth/aes-gcm-cipher.js';
import { createConfStore } from '../../electron/auth/conf-store.js';
import { silentLogger } from '../../electron/auth/logger.js';
import type { AuthApi } from '../../electron/contract.js';
import { startDevIdp, type DevIdp } from '../../electron/dev-idp/index.js';
import { devIdpConfig } from '../../electron/main/resolve-config.js';
import { launchChromium } from '../support/chromium.js';
import { devLogin } from '../support/drivers.js';
import { startHeadlessApp, tempUserData, type HeadlessApp } from '../support/headless-app.js';
import type { BrowserDriver } from '../support/headless-platform.js';
import { KEY_FILE, listFiles, noFileContains, readStored, STORE_NAME } from '../support/session-fixtures.js';

let browser: Browser;
let idp: DevIdp;

beforeAll(async () => {
  [browser, idp] = await Promise.all([launchChromium(), startDevIdp({ logger: silentLogger })]);
});
afterAll(async () => {
  await idp?.close();
  await browser?.close();
});

/** The pending attempt as the app stored it (encrypted) for a cold start: read, not taken. */
async function readPendingRecord(userDataDir: string): Promise<Record<string, unknown>> {
  const cipher = createAesGcmCipher(await loadOrCreateKeyFile(path.join(userDataDir, KEY_FILE)));
  const raw = createConfStore({ cwd: userDataDir, configName: STORE_NAME }).get('pending');
  if (raw === undefined) throw new Error('no pending record on disk while the attempt is open');
  const envelope = JSON.parse(raw) as { data: string };
  const inner = JSON.parse(await cipher.decrypt(new Uint8Array(Buffer.from(envelope.data, 'base64')))) as { record: Record<string, unknown> };
  return inner.record;
}

/** Everything the renderer holds: its DOM, both storages and its cookies. */
async function rendererState(page: Page): Promise<string> {
  // A string, evaluated in the page: this file is type-checked without DOM types.
  const storage = await page.evaluate<string>('JSON.stringify({ local: { ...localStorage }, session: { ...sessionStorage }, cookie: document.cookie })');
  const cookies = await page.context().cookies();
  return `${await page.content()}\n${storage}\n${JSON.stringify(cookies)}`;
}

describe('no secret leaks', () => {
  let h: HeadlessApp | undefined;
  afterAll(async () => {
    await h?.stop({ removeUserData: true });
  });

  it('keeps tokens, code and verifier out of IPC, logs, the renderer and plain files through a whole session', async () => {
    const config = devIdpConfig(idp.issuer, idp.clientId);
    const scheme = config.app.scheme;
    const secrets = new Map<string, string>();
    const redirects: string[] = [];
    const userDataDir = await tempUserData('no-secret-leaks-');

    // The person in the system browser; this driver also watches what the browser is sent back.
    const driver: BrowserDriver = async (page) => {
      page.on('response', (response) => {
        const location = response.headers()['location'];
        if (location?.toLowerCase().startsWith(`${scheme}:`)) redirects.push(location);
      });
      const pending = await readPendingRecord(userDataDir);
      secrets.set('PKCE verifier', String(pending['codeVerifier']));
      await devLogin('alice')(page);
    };

    h = await startHeadlessApp({ browser, config, driver, userDataDir });
    const page = h.platform.window;
    if (!page) throw new Error('the headless app has no window');
    const snapshots: string[] = [];
    const capture = async (): Promise<void> => {
      snapshots.push(await rendererState(page));
    };
    const auth = <T>(fn: (api: AuthApi) => Promise<T>): Promise<T> =>
      page.evaluate(`(${fn.toString()})(window.auth)`) as Promise<T>;

    // Signed out: every channel that answers without a session.
    await page.getByRole('button', { name: /Development provider/ }).waitFor();
    await capture();
    expect(await auth((a) => a.getSnapshot())).toMatchObject({ ok: true, value: { status: 'signed-out' } });
    expect(await auth((a) => a.providers())).toMatchObject({ ok: true });
    expect(await auth((a) => a.appInfo())).toMatchObject({ ok: true });
    expect(await auth((a) => a.protectedData())).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    expect(await auth((a) => a.api.get('me'))).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });

    // Sign in through the UI, as a person would.
    await page.getByRole('button', { name: /Development provider/ }).click();
    await page.getByTestId('nav-user').waitFor({ timeout: 20_000 });
    await capture();
    expect(h.app.session.snapshot()).toMatchObject({ status: 'signed-in', remembered: true });

    const code = redirects.map((r) => new URL(r).searchParams.get('code')).find((c) => c !== null);
    if (!code) throw new Error(`no authorization code seen in the redirects: ${redirects.length}`);
    secrets.set('authorization code', code);
    const first = await readStored(h.userDataDir, config);
    secrets.set('access token', first.tokens.accessToken);
    if (first.tokens.refreshToken) secrets.set('refresh token', first.tokens.refreshToken);
    if (first.tokens.idToken) secrets.set('ID token', first.tokens.idToken);
    expect(await noFileContainsAny(h.userDataDir, secrets)).toEqual([]);

    // Signed in: every channel, the provider's API, and each screen.
    expect(await auth((a) => a.getSnapshot())).toMatchObject({ ok: true, value: { status: 'signed-in' } });
    expect(await auth((a) => a.protectedData())).toMatchObject({ ok: true });
    expect(await auth((a) => a.api.get('me'))).toMatchObject({ ok: true, value: { status: 200, data: { sub: 'alice' } } });
    expect(await auth((a) => a.api.post('me', { hello: 'world' }))).toHaveProperty('ok');
    expect(await auth((a) => a.reopenBrowser())).toEqual({ ok: true, value: false });
    expect(await auth((a) => a.cancelSignIn())).toMatchObject({ ok: true, value: { status: 'signed-in' } });
    for (const route of ['#/', '#/profile', '#/session', '#/api']) {
      await page.evaluate(`window.location.hash = ${JSON.stringify(route)}`);
      await page.locator('main').first().waitFor();
      await capture();
    }

    // A forced refresh rotates the tokens: the new ones are secrets too.
    await h.app.session.refresh({ force: true });
    const second = await readStored(h.userDataDir, config);
    expect(second.tokens.accessToken).not.toBe(first.tokens.accessToken);
    secrets.set('refreshed access token', second.tokens.accessToken);
    if (second.tokens.refreshToken) secrets.set('rotated refresh token', second.tokens.refreshToken);
    if (second.tokens.idToken) secrets.set('refreshed ID token', second.tokens.idToken);
    await capture();
    expect(await noFileContainsAny(h.userDataDir, secrets)).toEqual([]);

    // Sign out at the provider (nobody acts on its page), then look at everything once more.
    h.platform.setDriver(undefined);
    expect(await auth((a) => a.signOut({ atProvider: true }))).toMatchObject({ ok: true, value: { revoked: true } });
    await page.getByRole('button', { name: /Development provider/ }).waitFor();
    await capture();

    expect(secrets.size).toBeGreaterThanOrEqual(7);
    for (const [name, value] of secrets) expect(value.length, name).toBeGreaterThanOrEqual(20);

    const ipc = JSON.stringify(h.platform.ipcTraffic);
    const logs = JSON.stringify(h.logs);
    const renderer = snapshots.join('\n');
    // The haystacks are the real thing: the profile crossed IPC and reached the screen, and the
    // log saw the whole flow at debug level.
    expect(ipc).toContain('Alice');
    expect(renderer).toContain('Alice');
    expect(h.logs.some((r) => r.level === 'debug')).toBe(true);
    expect(h.logs.some((r) => r.msg === 'sign-in completed')).toBe(true);

    const leaks: string[] = [];
    for (const [name, value] of secrets) {
      for (const needle of needles(value)) {
        if (ipc.includes(needle)) leaks.push(`${name} in IPC`);
        if (logs.includes(needle)) leaks.push(`${name} in the log`);
        if (renderer.includes(needle)) leaks.push(`${name} in the renderer`);
      }
    }
    expect([...new Set(leaks)]).toEqual([]);
    expect(await noFileContainsAny(h.userDataDir, secrets)).toEqual([]);
    // The folder holds the store and the key; nothing else was written in the clear.
    expect(await listFiles(h.userDataDir)).toEqual(expect.arrayContaining([`${STORE_NAME}.json`, KEY_FILE]));
  });
});

/** The secret itself and, for a JWT, its signature (the one part that is unique and not a claim). */
function needles(secret: string): string[] {
  const parts = secret.split('.');
  const signature = parts.length === 3 ? parts[2] : undefined;
  return signature && signature.length >= 20 ? [secret, signature] : [secret];
}

async function noFileContainsAny(dir: string, secrets: ReadonlyMap<string, string>): Promise<string[]> {
  const found: string[] = [];
  for (const [name, value] of secrets) if (!(await noFileContains(dir, value))) found.push(name);
  return found;
}
