/**
 * Sign-out against the real dev provider: local first (record gone, snapshot signed out), then the
 * refresh token revoked (RFC 7009), and on request the provider's end-session page opened in the
 * system browser. A provider that cannot be reached does not stop the local sign-out.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import type { AuthConfig } from '../../electron/auth/config.js';
import { startDevIdp, type DevIdp } from '../../electron/dev-idp/index.js';
import { devIdpConfig } from '../../electron/main/resolve-config.js';
import { startHeadlessApp, tempUserData, type HeadlessApp } from '../support/headless-app.js';
import { hasStoredRecord, readStored, startDevSuite, type DevSuite } from '../support/session-fixtures.js';

let browser: Browser;
let idp: DevIdp;
let config: AuthConfig;

let suite: DevSuite | undefined;
beforeAll(async () => {
  suite = await startDevSuite();
  ({ browser, idp, config: config } = suite);
});
afterAll(() => suite?.close());

/** A running app with Alice signed in and remembered; stopped and removed when the test ends. */
async function signedIn(appConfig: AuthConfig = config): Promise<HeadlessApp> {
  const dir = await tempUserData('sign-out-');
  const h = await startHeadlessApp({ browser, config: appConfig, window: false, userDataDir: dir });
  onTestFinished(() => h.stop({ removeUserData: true }));
  expect(await h.app.session.signIn('dev', { remember: true })).toMatchObject({ status: 'signed-in', remembered: true });
  expect(await hasStoredRecord(dir, appConfig)).toBe(true);
  return h;
}

function refreshWith(issuer: string, clientId: string, refreshToken: string): Promise<Response> {
  return fetch(`${issuer}/token`, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: clientId }),
  });
}

describe('sign-out', () => {
  it('removes the record, publishes signed-out, and revokes the refresh token at the provider', async () => {
    const h = await signedIn();
    const { refreshToken } = (await readStored(h.userDataDir, config)).tokens;
    const revocationsBefore = idp.revocations.length;
    const seen: string[] = [];
    h.app.session.subscribe((s) => seen.push(s.status));

    const result = await h.app.session.signOut({ atProvider: false });

    expect(result).toEqual({ revoked: true, revocationError: null, endSessionOpened: false });
    expect(idp.revocations.slice(revocationsBefore)).toEqual([expect.objectContaining({ tokenType: 'refresh_token' })]);
    expect(await hasStoredRecord(h.userDataDir, config)).toBe(false);
    expect(h.app.session.snapshot()).toMatchObject({ status: 'signed-out', user: null, remembered: false, signedOutReason: null, lastError: null });
    expect(seen).toContain('signed-out');
    expect(h.platform.openedUrls.some((u) => u.startsWith(`${idp.issuer}/session/end`))).toBe(false);
    await expect(h.app.session.getAccessToken()).rejects.toMatchObject({ code: 'unauthenticated' });

    // The provider really revoked it: the token no longer refreshes.
    const reuse = await refreshWith(idp.issuer, idp.clientId, refreshToken ?? '');
    expect(reuse.status).toBe(400);
    expect(await reuse.json()).toMatchObject({ error: 'invalid_grant' });

    // And the next start is signed out.
    await h.stop();
    const next = await startHeadlessApp({ browser, config, window: false, userDataDir: h.userDataDir });
    onTestFinished(() => next.stop());
    expect(next.app.session.snapshot()).toMatchObject({ status: 'signed-out', signedOutReason: null });
  });

  it('completes locally and reports the revocation error when the provider cannot be reached', async () => {
    const own = await startDevIdp({ autoLogin: 'alice' });
    let closed = false;
    onTestFinished(async () => {
      if (!closed) await own.close();
    });
    const ownConfig = devIdpConfig(own.issuer, own.clientId);
    const h = await signedIn(ownConfig);
    await own.close();
    closed = true;

    const result = await h.app.session.signOut({ atProvider: false });

    expect(result).toMatchObject({ revoked: false, revocationError: { code: 'provider_unreachable' }, endSessionOpened: false });
    expect(h.app.session.snapshot()).toMatchObject({ status: 'signed-out', user: null, lastError: { code: 'provider_unreachable' } });
    expect(await hasStoredRecord(h.userDataDir, ownConfig)).toBe(false);
  });

  it('opens the end-session page with id_token_hint and the signed-out redirect when asked to sign out at the provider', async () => {
    const h = await signedIn();
    const { idToken } = (await readStored(h.userDataDir, config)).tokens;
    const confirmsBefore = idp.countRequests('/session/end/confirm');
    // The person confirms on the provider's page. (With autoLogin the page submits itself before
    // its load event, and the headless platform's page.goto then waits its full 30 s timeout.)
    idp.setAutoLogin(undefined);
    onTestFinished(() => idp.setAutoLogin('alice'));
    h.platform.setDriver((page) => page.getByRole('button', { name: 'Yes, sign me out' }).click());

    const result = await h.app.session.signOut({ atProvider: true });

    expect(result).toMatchObject({ revoked: true, revocationError: null, endSessionOpened: true });
    const opened = h.platform.openedUrls.map((u) => new URL(u)).filter((u) => u.pathname === '/session/end');
    expect(opened).toHaveLength(1);
    const url = opened[0]!;
    expect(url.origin).toBe(idp.issuer);
    expect(url.searchParams.get('id_token_hint')).toBe(idToken);
    expect(url.searchParams.get('post_logout_redirect_uri')).toBe('com.example.desktop:/signed-out');
    expect(url.searchParams.get('client_id')).toBe(idp.clientId);
    expect(h.app.session.snapshot()).toMatchObject({ status: 'signed-out', signedOutReason: null });
    // The system browser really went there, and the provider ended its session.
    await expect.poll(() => idp.countRequests('/session/end/confirm')).toBe(confirmsBefore + 1);
  });
});
