/**
 * The development IdP against openid-client 6 and real Chromium, over real HTTP on 127.0.0.1.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import * as client from 'openid-client';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import AxeBuilder from '@axe-core/playwright';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, type LogRecord } from '../../electron/auth/logger.js';
import { DEMO_ACCOUNTS, startDevIdp, type DevIdp, type DevIdpOptions } from '../../electron/dev-idp/index.js';
import { launchChromium } from '../support/chromium.js';

const SCHEME = 'com.example.desktop';
const SCHEME_REDIRECT = `${SCHEME}:/callback`;
const SCOPE = 'openid profile email offline_access';

let browser: Browser;
const cleanups: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});
afterEach(async () => {
  // Last started, first stopped: a browser context before the IdP it talks to.
  while (cleanups.length > 0) await cleanups.pop()?.();
});

async function startIdp(options: DevIdpOptions = {}): Promise<DevIdp> {
  const idp = await startDevIdp({ scheme: SCHEME, logger: createLogger({ sink: () => undefined }), ...options });
  cleanups.push(() => idp.close());
  return idp;
}

async function newPage(): Promise<Page> {
  const context: BrowserContext = await browser.newContext();
  cleanups.push(() => context.close());
  return context.newPage();
}

function discover(idp: DevIdp): Promise<client.Configuration> {
  // The dev IdP speaks plain http on 127.0.0.1; openid-client refuses that unless told.
  return client.discovery(new URL(idp.issuer), idp.clientId, undefined, client.None(), { execute: [client.allowInsecureRequests] });
}

interface AuthorizationRequest {
  readonly url: URL;
  readonly checks: { pkceCodeVerifier: string; expectedState: string; expectedNonce: string };
}

async function authorizationRequest(config: client.Configuration, redirectUri: string, extra: Record<string, string> = {}): Promise<AuthorizationRequest> {
  const pkceCodeVerifier = client.randomPKCECodeVerifier();
  const expectedState = client.randomState();
  const expectedNonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: SCOPE,
    code_challenge: await client.calculatePKCECodeChallenge(pkceCodeVerifier),
    code_challenge_method: 'S256',
    state: expectedState,
    nonce: expectedNonce,
    ...extra,
  });
  return { url, checks: { pkceCodeVerifier, expectedState, expectedNonce } };
}

/**
 * Chromium cannot load `com.example.desktop:/callback?...` (it would hand it to the OS), so the
 * final redirect is captured where it is still plain HTTP: the IdP's 303 response, whose Location
 * header carries the code. Playwright reports redirect responses through `page.on('response')`
 * with their headers. This is the moment the OS would pass the URL to the app.
 */
function captureRedirect(page: Page, prefix: string): Promise<URL> {
  return new Promise((resolve) => {
    const onResponse = (response: { headers(): Record<string, string> }): void => {
      const location = response.headers()['location'];
      if (location?.startsWith(prefix)) {
        page.off('response', onResponse);
        resolve(new URL(location));
      }
    };
    page.on('response', onResponse);
  });
}

/** The page's h1; Playwright waits for it to exist, so this also waits for the navigation. */
async function heading(page: Page): Promise<string | undefined> {
  return (await page.getByRole('heading', { level: 1 }).textContent())?.trim();
}

async function signInWithForm(page: Page, username: string, password: string): Promise<void> {
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** The whole browser part of a sign-in through the real forms; resolves with the callback URL. */
async function signInThroughBrowser(page: Page, request: AuthorizationRequest, account = DEMO_ACCOUNTS[0]!): Promise<URL> {
  const callback = captureRedirect(page, SCHEME_REDIRECT);
  await page.goto(request.url.href);
  expect(await heading(page)).toBe('Sign in');
  await signInWithForm(page, account.username, account.password);
  await page.getByRole('heading', { name: 'Allow access?' }).waitFor();
  // offline_access never reaches oidc-provider's own parameters (no prompt=consent), yet is asked for.
  expect(await page.getByRole('listitem').allTextContents()).toContainEqual(expect.stringContaining('Keep you signed in'));
  await page.getByRole('button', { name: 'Allow' }).click();
  return callback;
}

/** A sign-in with `autoLogin` set: no form, straight to the callback. */
async function autoSignIn(config: client.Configuration, extra: Record<string, string> = {}) {
  const page = await newPage();
  const request = await authorizationRequest(config, SCHEME_REDIRECT, extra);
  const callback = captureRedirect(page, SCHEME_REDIRECT);
  await page.goto(request.url.href).catch(() => undefined); // the navigation ends at the app's scheme
  return client.authorizationCodeGrant(config, await callback, request.checks);
}

async function expectOAuthError(promise: Promise<unknown>, error: string): Promise<void> {
  await expect(promise).rejects.toSatisfy((e: unknown) => (e instanceof client.ResponseBodyError || e instanceof client.AuthorizationResponseError) && e.error === error);
}

describe('dev IdP', () => {
  it('advertises code flow with PKCE S256 only and the endpoints the app uses', async () => {
    const idp = await startIdp();
    expect(idp.issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(idp.port).toBeGreaterThan(0);
    const metadata = (await discover(idp)).serverMetadata();
    expect(metadata.issuer).toBe(idp.issuer);
    expect(metadata.code_challenge_methods_supported).toEqual(['S256']);
    expect(metadata.response_types_supported).toEqual(['code']);
    expect(metadata.scopes_supported).toEqual(expect.arrayContaining(['openid', 'profile', 'email', 'offline_access']));
    expect(metadata.token_endpoint_auth_methods_supported).toContain('none');
    for (const endpoint of ['revocation_endpoint', 'userinfo_endpoint', 'end_session_endpoint'] as const) {
      expect(metadata[endpoint]).toMatch(new RegExp(`^${idp.issuer}/`));
    }
  });

  it('refuses an authorization request without a PKCE S256 challenge', async () => {
    const idp = await startIdp({ autoLogin: 'alice' });
    const config = await discover(idp);
    const errorFor = async (change: (params: URLSearchParams) => void): Promise<string | null> => {
      const { url } = await authorizationRequest(config, SCHEME_REDIRECT);
      change(url.searchParams);
      const response = await fetch(url, { redirect: 'manual' });
      return new URL(response.headers.get('location') ?? '', idp.issuer).searchParams.get('error_description');
    };
    expect(await errorFor((p) => (p.delete('code_challenge'), p.delete('code_challenge_method')))).toMatch(/PKCE/);
    expect(await errorFor((p) => p.set('code_challenge_method', 'plain'))).toMatch(/code_challenge_method/);
  });

  it('runs the code + PKCE flow through the real login and consent pages to the private-use scheme', async () => {
    const idp = await startIdp();
    const config = await discover(idp);
    const page = await newPage();
    const request = await authorizationRequest(config, SCHEME_REDIRECT);

    const callback = await signInThroughBrowser(page, request);
    expect(callback.protocol).toBe(`${SCHEME}:`);
    expect(callback.searchParams.get('iss')).toBe(idp.issuer);

    // openid-client checks state, iss, PKCE, and the ID token (signature, aud, nonce).
    const tokens = await client.authorizationCodeGrant(config, callback, request.checks);
    expect(tokens.token_type.toLowerCase()).toBe('bearer');
    expect(tokens.expires_in).toBe(600);
    expect(tokens.refresh_token).toEqual(expect.any(String));
    const claims = tokens.claims();
    expect(claims).toMatchObject({ sub: 'alice', name: 'Alice Example', email: 'alice@example.com', picture: `${idp.issuer}/avatars/alice.svg` });

    const userinfo = await client.fetchUserInfo(config, tokens.access_token, 'alice');
    expect(userinfo).toMatchObject({ sub: 'alice', name: 'Alice Example', email: 'alice@example.com', picture: `${idp.issuer}/avatars/alice.svg` });

    const avatar = await fetch(`${idp.issuer}/avatars/alice.svg`);
    expect(avatar.status).toBe(200);
    expect(avatar.headers.get('content-type')).toBe('image/svg+xml');
    expect(await avatar.text()).toContain('<svg');

    // The code is single use.
    await expectOAuthError(client.authorizationCodeGrant(config, callback, request.checks), 'invalid_grant');
  });

  it('accepts a loopback redirect on any port (RFC 8252 section 7.3) and only on the registered path', async () => {
    const idp = await startIdp();
    const config = await discover(idp);
    const loopback = await startCallbackServer();
    const page = await newPage();
    const request = await authorizationRequest(config, `${loopback.origin}/callback`);

    await page.goto(request.url.href);
    await signInWithForm(page, 'bob', 'bob-password');
    await page.getByRole('button', { name: 'Allow' }).click();
    const callback = await loopback.callback;
    expect(await heading(page)).toBe('Signed in');

    const tokens = await client.authorizationCodeGrant(config, callback, request.checks);
    const claims = tokens.claims();
    expect(claims).toMatchObject({ sub: 'bob', name: 'Bob Example', email: 'bob@example.com' });
    expect(claims).not.toHaveProperty('picture');

    // A different path on the same loopback port is not a registered redirect URI: the IdP shows
    // an error page itself and redirects nowhere.
    const wrongPath = await authorizationRequest(config, `${loopback.origin}/elsewhere`);
    const response = await fetch(wrongPath.url, { redirect: 'manual' });
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
    expect(await response.text()).toContain('redirect_uri');
  });

  it('shows the login form again with an error after a wrong password', async () => {
    const idp = await startIdp();
    const config = await discover(idp);
    const page = await newPage();
    const request = await authorizationRequest(config, SCHEME_REDIRECT);
    const callback = captureRedirect(page, SCHEME_REDIRECT);

    const shown = await page.goto(request.url.href);
    // The page runs no script and its forms may lead only to the IdP and to the app's redirect URI.
    const csp = (await shown?.allHeaders())?.['content-security-policy'];
    expect(csp).toContain("script-src 'none'");
    expect(csp).toContain(`form-action 'self' ${SCHEME}:`);
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    const rejected = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/login'));
    await signInWithForm(page, 'alice', 'not-the-password');
    expect((await rejected).status()).toBe(401);
    expect(await heading(page)).toBe('Sign in');
    expect((await new AxeBuilder({ page }).analyze()).violations).toEqual([]);
    expect(await page.getByRole('alert').textContent()).toBe('Wrong username or password.');
    expect(await page.getByLabel('Username').inputValue()).toBe('alice');
    expect(await page.getByLabel('Password').inputValue()).toBe('');

    await page.getByLabel('Password').fill('alice-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Allow access?' }).waitFor();
    expect((await new AxeBuilder({ page }).analyze()).violations).toEqual([]);
    await page.getByRole('button', { name: 'Allow' }).click();
    const tokens = await client.authorizationCodeGrant(config, await callback, request.checks);
    expect(tokens.claims()?.sub).toBe('alice');
  });

  for (const [step, button] of [
    ['login', 'Cancel'],
    ['consent', 'Deny'],
  ] as const) {
    it(`ends the request with access_denied when the user presses ${button} at ${step}`, async () => {
      const idp = await startIdp();
      const config = await discover(idp);
      const page = await newPage();
      const request = await authorizationRequest(config, SCHEME_REDIRECT);
      const callback = captureRedirect(page, SCHEME_REDIRECT);

      await page.goto(request.url.href);
      if (step === 'consent') await signInWithForm(page, 'alice', 'alice-password');
      await page.getByRole('button', { name: button }).click();

      const url = await callback;
      expect(url.searchParams.get('error')).toBe('access_denied');
      expect(url.searchParams.get('state')).toBe(request.checks.expectedState);
      expect(url.searchParams.has('code')).toBe(false);
      await expectOAuthError(client.authorizationCodeGrant(config, url, request.checks), 'access_denied');
    });
  }

  it('with autoLogin signs in and consents without showing a form', async () => {
    const idp = await startIdp({ autoLogin: 'bob' });
    const config = await discover(idp);
    idp.resetRequests();

    const tokens = await autoSignIn(config);
    expect(tokens.claims()?.sub).toBe('bob');
    expect(tokens.refresh_token).toEqual(expect.any(String));
    // Two interaction steps (login, consent) were visited, and nothing was ever posted to them.
    expect(idp.requests.filter((r) => r.path.startsWith('/interaction/')).map((r) => r.method)).toEqual(['GET', 'GET']);

    idp.setAutoLogin(undefined);
    const page = await newPage();
    await page.goto((await authorizationRequest(config, SCHEME_REDIRECT)).url.href);
    expect(await heading(page)).toBe('Sign in');
  });

  it('issues a refresh token only when offline_access is asked for, with or without prompt=consent', async () => {
    const idp = await startIdp({ autoLogin: 'alice' });
    const config = await discover(idp);
    expect((await autoSignIn(config, { scope: 'openid profile email' })).refresh_token).toBeUndefined();
    expect((await autoSignIn(config, { scope: SCOPE, prompt: 'consent' })).refresh_token).toEqual(expect.any(String));
    expect((await autoSignIn(config, { scope: SCOPE })).refresh_token).toEqual(expect.any(String));
  });

  it('rotates refresh tokens and rejects a used one with invalid_grant', async () => {
    const idp = await startIdp({ autoLogin: 'alice', accessTokenTtlSeconds: 120 });
    const config = await discover(idp);
    const first = await autoSignIn(config);
    expect(first.expires_in).toBe(120);
    const used = first.refresh_token!;

    const second = await client.refreshTokenGrant(config, used);
    expect(second.refresh_token).toEqual(expect.any(String));
    expect(second.refresh_token).not.toBe(used);
    expect(second.access_token).not.toBe(first.access_token);
    expect((await client.fetchUserInfo(config, second.access_token, 'alice')).email).toBe('alice@example.com');

    await expectOAuthError(client.refreshTokenGrant(config, used), 'invalid_grant');
  });

  it('revokes tokens through the RFC 7009 endpoint and records each revocation', async () => {
    const idp = await startIdp({ autoLogin: 'alice' });
    const config = await discover(idp);
    const tokens = await autoSignIn(config);
    expect(idp.revocations).toEqual([]);

    // A rotation destroys the old refresh token too, but that is no revocation.
    const rotated = await client.refreshTokenGrant(config, tokens.refresh_token!);
    expect(idp.revocations).toEqual([]);

    // Revoking the refresh token ends its grant: the access tokens minted from it die with it.
    await client.tokenRevocation(config, rotated.refresh_token!);
    await expectOAuthError(client.refreshTokenGrant(config, rotated.refresh_token!), 'invalid_grant');
    await expect(client.fetchUserInfo(config, rotated.access_token, 'alice')).rejects.toThrow();
    expect(idp.revocations.map((r) => r.tokenType)).toEqual(['refresh_token']);

    // An already dead token is answered with 200 (RFC 7009 section 2.2) and revokes nothing.
    await client.tokenRevocation(config, rotated.access_token);
    expect(idp.revocations).toHaveLength(1);

    const other = await autoSignIn(config);
    await client.tokenRevocation(config, other.access_token, { token_type_hint: 'access_token' });
    await expect(client.fetchUserInfo(config, other.access_token, 'alice')).rejects.toThrow();
    expect(idp.revocations.map((r) => r.tokenType)).toEqual(['refresh_token', 'access_token']);
    expect(idp.revocations.every((r) => r.at > 0)).toBe(true);
    expect(idp.countRequests('/token/revocation')).toBe(3);
  });

  it('counts requests by path prefix, logs paths without their query, and resets', async () => {
    const idp = await startIdp();
    await discover(idp);
    await discover(idp);
    expect(idp.countRequests('/.well-known/openid-configuration')).toBe(2);
    expect(idp.countRequests()).toBe(2);

    const config = await discover(idp);
    const request = await authorizationRequest(config, SCHEME_REDIRECT);
    await fetch(request.url, { redirect: 'manual' });
    const last = idp.requests.at(-1);
    expect(last).toMatchObject({ method: 'GET', path: '/auth' });
    expect(idp.requests.map((r) => r.at)).toEqual([...idp.requests.map((r) => r.at)].sort((a, b) => a - b));

    idp.resetRequests();
    expect(idp.requests).toEqual([]);
    expect(idp.countRequests()).toBe(0);
    await fetch(`${idp.issuer}/jwks`);
    expect(idp.requests).toEqual([{ method: 'GET', path: '/jwks', at: expect.any(Number) }]);
  });

  it('with autoLogin ends the session at the provider without a confirmation page', async () => {
    const idp = await startIdp({ autoLogin: 'alice' });
    const config = await discover(idp);
    const page = await newPage();
    const request = await authorizationRequest(config, SCHEME_REDIRECT);
    const signedIn = captureRedirect(page, SCHEME_REDIRECT);
    await page.goto(request.url.href).catch(() => undefined);
    const tokens = await client.authorizationCodeGrant(config, await signedIn, request.checks);

    const state = client.randomState();
    const endSession = client.buildEndSessionUrl(config, {
      id_token_hint: tokens.id_token!,
      post_logout_redirect_uri: `${SCHEME}:/signed-out`,
      state,
    });
    const logoutTab = await page.context().newPage();
    const signedOut = captureRedirect(logoutTab, `${SCHEME}:/signed-out`);
    // Only until the logout page commits: its script submits the form before `load`, and that
    // navigation ends at the app's scheme, so a `load` never comes.
    await logoutTab.goto(endSession.href, { waitUntil: 'commit' });
    expect((await signedOut).searchParams.get('state')).toBe(state);
    expect(idp.countRequests('/session/end/confirm')).toBe(1);

    // The provider's session is gone: the next sign-in asks for the password again.
    idp.setAutoLogin(undefined);
    await page.goto((await authorizationRequest(config, SCHEME_REDIRECT)).url.href);
    expect(await heading(page)).toBe('Sign in');
  });

  it('asks for confirmation before ending the session when no automation is set', async () => {
    const idp = await startIdp();
    const config = await discover(idp);
    const page = await newPage();
    const request = await authorizationRequest(config, SCHEME_REDIRECT);
    const tokens = await client.authorizationCodeGrant(config, await signInThroughBrowser(page, request), request.checks);

    // A new tab of the same browser (same IdP session), as a system browser would open; the old
    // tab's last navigation was handed off to the app's scheme and is best left alone.
    const logoutTab = await page.context().newPage();
    const signedOut = captureRedirect(logoutTab, `${SCHEME}:/signed-out`);
    await logoutTab.goto(client.buildEndSessionUrl(config, { id_token_hint: tokens.id_token!, post_logout_redirect_uri: `${SCHEME}:/signed-out` }).href);
    expect(await heading(logoutTab)).toBe('Sign out?');
    await logoutTab.getByRole('button', { name: 'Yes, sign me out' }).click();
    expect((await signedOut).pathname).toBe('/signed-out');
  });

  it('never writes a token, code or verifier to its log', async () => {
    const records: LogRecord[] = [];
    const idp = await startIdp({ autoLogin: 'alice', logger: createLogger({ level: 'debug', sink: (r) => records.push(r) }) });
    const config = await discover(idp);
    const page = await newPage();
    const request = await authorizationRequest(config, SCHEME_REDIRECT);
    const callback = captureRedirect(page, SCHEME_REDIRECT);
    await page.goto(request.url.href).catch(() => undefined);
    const url = await callback;
    const tokens = await client.authorizationCodeGrant(config, url, request.checks);
    await client.tokenRevocation(config, tokens.refresh_token!);

    const logged = JSON.stringify(records);
    expect(records.map((r) => r.msg)).toContain('dev IdP: token revoked');
    for (const secret of [url.searchParams.get('code')!, tokens.access_token, tokens.refresh_token!, tokens.id_token!, request.checks.pkceCodeVerifier]) {
      expect(logged).not.toContain(secret);
    }
  });

  it('rejects invalid options with config_invalid', async () => {
    await expect(startDevIdp({ scheme: 'https' })).rejects.toMatchObject({ code: 'config_invalid' });
    await expect(startDevIdp({ port: 70000 })).rejects.toMatchObject({ code: 'config_invalid' });
  });

  it('runs from the command line, prints one JSON line and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'electron/dev-idp/cli.ts', '--port', '0', '--scheme', SCHEME], {
      cwd: process.cwd(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = once(child, 'exit');
    cleanups.push(async () => {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
    });
    const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
    const started = JSON.parse(line) as { issuer: string; clientId: string };
    expect(started.clientId).toBe('desktop-dev');
    expect(started.issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const metadata = (await (await fetch(`${started.issuer}/.well-known/openid-configuration`)).json()) as { issuer: string };
    expect(metadata.issuer).toBe(started.issuer);

    child.kill('SIGTERM');
    expect(await exited).toEqual([0, null]);
  });
});

/** The app's side of a loopback redirect: a real server on 127.0.0.1 and an ephemeral port. */
async function startCallbackServer(): Promise<{ origin: string; callback: Promise<URL> }> {
  let received: (url: URL) => void = () => undefined;
  const callback = new Promise<URL>((resolve) => {
    received = resolve;
  });
  const server: Server = createServer((req, res) => {
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!DOCTYPE html><html lang="en"><title>Done</title><h1>Signed in</h1></html>');
    if (req.url?.startsWith('/callback')) received(new URL(req.url, origin));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  );
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, callback };
}
