/**
 * The fixture providers do what the tests that rely on them assume: a correct flow succeeds, and each
 * misbehaviour is one the real client library (openid-client 6) refuses.
 */
import { createRemoteJWKSet, jwtVerify } from 'jose';
import * as client from 'openid-client';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startGithubLikeProvider, GITHUB_REPOS, type GithubLikeProvider } from '../support/fixtures/github-like.js';
import { followAuthorizeRedirect } from '../support/fixtures/http-util.js';
import { MISBEHAVIOUR_MODES, OIDC_USER, startMisbehavingOidc, type MisbehavingOidc, type MisbehaviourMode } from '../support/fixtures/misbehaving-oidc.js';

const SCHEME_REDIRECT = 'com.example.desktop:/callback';
// Only ever a string in a redirect: nothing listens or dials it.
const LOOPBACK_REDIRECT = 'http://127.0.0.1:49152/callback';

async function oidc(mode: MisbehaviourMode, extra: { tokenDelayMs?: number } = {}): Promise<MisbehavingOidc> {
  const fx = await startMisbehavingOidc({ mode, ...extra });
  onTestFinished(() => fx.close());
  return fx;
}

async function github(options: Parameters<typeof startGithubLikeProvider>[0] = {}): Promise<GithubLikeProvider> {
  const gh = await startGithubLikeProvider(options);
  onTestFinished(() => gh.close());
  return gh;
}

/** Signature checks on token-endpoint ID tokens are opt-in in openid-client; the app turns them on. */
function discover(fx: MisbehavingOidc): Promise<client.Configuration> {
  return client.discovery(new URL(fx.issuer), fx.clientId, undefined, client.None(), {
    execute: [client.allowInsecureRequests, client.enableNonRepudiationChecks],
  });
}

interface Attempt {
  readonly url: URL;
  readonly verifier: string;
  readonly state: string;
  readonly nonce: string;
}

async function startAttempt(config: client.Configuration, redirectUri = SCHEME_REDIRECT): Promise<Attempt> {
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: 'openid profile email',
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
  });
  return { url, verifier, state, nonce };
}

async function signIn(config: client.Configuration): Promise<Awaited<ReturnType<typeof client.authorizationCodeGrant>>> {
  const attempt = await startAttempt(config);
  const callback = await followAuthorizeRedirect(attempt.url);
  return client.authorizationCodeGrant(config, callback, {
    pkceCodeVerifier: attempt.verifier,
    expectedState: attempt.state,
    expectedNonce: attempt.nonce,
    idTokenExpected: true,
  });
}

async function failure(promise: Promise<unknown>): Promise<Error & { code?: string }> {
  const outcome = await promise.then(
    () => null,
    (error: unknown) => error,
  );
  if (!(outcome instanceof Error)) throw new Error('expected a rejection, got success');
  return outcome;
}

/** The openid-client code and the reason underneath it, e.g. `OAUTH_INVALID_RESPONSE: JWT signature verification failed`. */
function explain(error: Error & { code?: string }): string {
  const cause = error.cause instanceof Error ? error.cause.message : '';
  return `${error.code ?? error.name}: ${error.message} / ${cause}`;
}

function postForm(url: string, form: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(form) });
}

describe('misbehaving OIDC fixture', () => {
  it("completes a real code + PKCE + nonce flow in mode 'ok', with userinfo, rotation and revocation", async () => {
    const fx = await oidc('ok');
    const config = await discover(fx);
    expect(config.serverMetadata()).toMatchObject({
      issuer: fx.issuer,
      code_challenge_methods_supported: ['S256'],
      id_token_signing_alg_values_supported: ['RS256'],
      end_session_endpoint: `${fx.issuer}/logout`,
    });

    const tokens = await signIn(config);
    const claims = tokens.claims();
    expect(claims).toMatchObject({ sub: 'user-1', iss: fx.issuer, aud: fx.clientId, name: OIDC_USER.name, email: OIDC_USER.email });
    expect(tokens.token_type).toBe('bearer');
    expect(await client.fetchUserInfo(config, tokens.access_token, 'user-1')).toMatchObject(OIDC_USER);

    const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token ?? '');
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
    const reused = await failure(client.refreshTokenGrant(config, tokens.refresh_token ?? ''));
    expect(reused).toMatchObject({ error: 'invalid_grant' });

    await client.tokenRevocation(config, refreshed.refresh_token ?? '');
    expect(fx.revokedTokens).toEqual([refreshed.refresh_token]);
    expect(fx.countRequests('/token')).toBe(3);
  });

  it('refuses a wrong verifier, a changed redirect_uri and a reused code; rejects a foreign redirect_uri', async () => {
    const fx = await oidc('ok');
    const config = await discover(fx);
    const exchange = async (change: Record<string, string> = {}): Promise<Response> => {
      const attempt = await startAttempt(config);
      const code = (await followAuthorizeRedirect(attempt.url)).searchParams.get('code') ?? '';
      const form = { grant_type: 'authorization_code', client_id: fx.clientId, code, code_verifier: attempt.verifier, redirect_uri: SCHEME_REDIRECT };
      const first = await postForm(`${fx.issuer}/token`, { ...form, ...change });
      if (first.status !== 200) return first;
      return postForm(`${fx.issuer}/token`, form);
    };
    const changes: Record<string, string>[] = [{ code_verifier: client.randomPKCECodeVerifier() }, { redirect_uri: 'com.example.other:/callback' }, {}];
    for (const change of changes) {
      const refused = await exchange(change);
      expect(refused.status).toBe(400);
      expect(await refused.json()).toMatchObject({ error: 'invalid_grant' });
    }

    const foreign = new URL((await startAttempt(config)).url);
    foreign.searchParams.set('redirect_uri', 'https://evil.example/callback');
    const page = await fetch(foreign, { redirect: 'manual' });
    expect(page.status).toBe(400);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
  });

  it('signs with a key the JWKS does not hold in bad-signature and jwks-missing-key', async () => {
    for (const mode of ['bad-signature', 'jwks-missing-key'] as const) {
      const fx = await oidc(mode);
      const config = await discover(fx);
      const attempt = await startAttempt(config);
      const callback = await followAuthorizeRedirect(attempt.url);
      const code = callback.searchParams.get('code') ?? '';
      const raw = await postForm(`${fx.issuer}/token`, {
        grant_type: 'authorization_code',
        client_id: fx.clientId,
        code,
        code_verifier: attempt.verifier,
        redirect_uri: SCHEME_REDIRECT,
      });
      const { id_token: idToken } = (await raw.json()) as { id_token: string };
      const jwks = createRemoteJWKSet(new URL(`${fx.issuer}/jwks`));
      await expect(jwtVerify(idToken, jwks, { issuer: fx.issuer, audience: fx.clientId })).rejects.toThrow();
    }
  });

  const rejectedAtCodeExchange: readonly (readonly [MisbehaviourMode, RegExp])[] = [
    ['bad-signature', /signature verification failed/],
    ['jwks-missing-key', /KEY_SELECTION_FAILED/],
    ['wrong-issuer', /CLAIM_COMPARISON.*"iss"/],
    ['wrong-audience', /CLAIM_COMPARISON.*"aud"/],
    ['wrong-nonce', /CLAIM_COMPARISON.*"nonce"/],
    ['expired-id-token', /TIMESTAMP.*"exp"/],
    ['alg-none', /unexpected JWT "alg"/],
    ['token-500-html', /NOT_CONFORM/],
    ['token-invalid-json', /PARSE/],
    ['token-redirect-loop', /NOT_CONFORM/],
  ];

  it.each(rejectedAtCodeExchange)("openid-client refuses the code exchange in mode '%s'", async (mode, code) => {
    const fx = await oidc(mode);
    const error = await failure(signIn(await discover(fx)));
    expect(explain(error)).toMatch(code);
    expect(fx.countRequests('/token')).toBeGreaterThanOrEqual(1);
  });

  const rejectedAtDiscovery: readonly (readonly [MisbehaviourMode, RegExp])[] = [
    ['discovery-issuer-mismatch', /ATTRIBUTE_COMPARISON/],
    ['discovery-500', /NOT_CONFORM/],
    ['discovery-garbage', /PARSE/],
  ];

  it.each(rejectedAtDiscovery)("openid-client refuses discovery in mode '%s'", async (mode, code) => {
    const fx = await oidc(mode);
    const error = await failure(discover(fx));
    expect(error.code).toMatch(code);
  });

  it("answers userinfo for another subject in 'userinfo-sub-mismatch'", async () => {
    const fx = await oidc('userinfo-sub-mismatch');
    const config = await discover(fx);
    const tokens = await signIn(config);
    expect(tokens.claims()?.sub).toBe('user-1');
    const error = await failure(client.fetchUserInfo(config, tokens.access_token, 'user-1'));
    expect(error.code).toMatch(/ATTRIBUTE_COMPARISON/);
  });

  it.each([
    ['refresh-invalid-grant', { error: 'invalid_grant', status: 400 }],
    ['refresh-500', { code: 'OAUTH_RESPONSE_IS_NOT_CONFORM' }],
    ['refresh-200-error', { code: 'OAUTH_INVALID_RESPONSE' }],
  ] as const)("lets sign-in succeed and fails the refresh grant in '%s'", async (mode, expected) => {
    const fx = await oidc('ok');
    const config = await discover(fx);
    const tokens = await signIn(config);
    fx.setMode(mode);
    const error = await failure(client.refreshTokenGrant(config, tokens.refresh_token ?? ''));
    expect(error).toMatchObject(expected);
  });

  it("sends a correct but 10 MB token response in 'token-huge'", async () => {
    const fx = await oidc('token-huge');
    const tokens = await signIn(await discover(fx));
    // openid-client has no size cap: the app must bring its own.
    expect(tokens.claims()?.sub).toBe('user-1');
    expect(JSON.stringify(tokens).length).toBeGreaterThan(10 * 1024 * 1024);
  });

  it("redirects the token endpoint to itself in 'token-redirect-loop'", async () => {
    const fx = await oidc('token-redirect-loop');
    await expect(postForm(`${fx.issuer}/token`, { grant_type: 'authorization_code' })).rejects.toThrow(/fetch failed/);
    expect(fx.countRequests('/token')).toBeGreaterThan(10);
  });

  it("holds the token response for tokenDelayMs in 'slow-token', then answers correctly", async () => {
    const fx = await oidc('slow-token', { tokenDelayMs: 150 });
    const config = await discover(fx);
    const started = Date.now();
    const tokens = await signIn(config);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(tokens.claims()?.sub).toBe('user-1');
  });

  it("trips a client timeout in 'slow-token' and stops waiting when closed", async () => {
    const fx = await startMisbehavingOidc({ mode: 'slow-token', tokenDelayMs: 60_000 });
    onTestFinished(() => fx.close());
    const config = await discover(fx);
    config.timeout = 0.3;
    const error = await failure(signIn(config));
    expect(error).toMatchObject({ code: 'OAUTH_TIMEOUT' });

    const arrived = fx.waitForRequest('/token');
    const pending = failure(postForm(`${fx.issuer}/token`, { grant_type: 'authorization_code', client_id: fx.clientId }));
    await arrived;
    const closing = Date.now();
    await fx.close();
    expect(Date.now() - closing).toBeLessThan(5_000);
    expect(await pending).toBeInstanceOf(Error);
  });

  it('has a test above for every misbehaviour mode', () => {
    const covered = new Set<MisbehaviourMode>([
      'ok',
      'userinfo-sub-mismatch',
      'refresh-invalid-grant',
      'refresh-500',
      'refresh-200-error',
      'token-huge',
      'slow-token',
      ...rejectedAtCodeExchange.map(([mode]) => mode),
      ...rejectedAtDiscovery.map(([mode]) => mode),
    ]);
    expect([...covered].sort()).toEqual([...MISBEHAVIOUR_MODES].sort());
  });
});

function githubConfig(gh: GithubLikeProvider): client.Configuration {
  const config = new client.Configuration(
    {
      issuer: gh.baseUrl,
      authorization_endpoint: gh.authorizationEndpoint,
      token_endpoint: gh.tokenEndpoint,
      revocation_endpoint: gh.revocationEndpoint,
    },
    gh.clientId,
    undefined,
    client.ClientSecretPost(gh.clientSecret),
  );
  client.allowInsecureRequests(config);
  return config;
}

async function githubSignIn(gh: GithubLikeProvider, redirectUri = LOOPBACK_REDIRECT): Promise<Awaited<ReturnType<typeof client.authorizationCodeGrant>>> {
  const config = githubConfig(gh);
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: 'read:user user:email',
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
  });
  const callback = await followAuthorizeRedirect(url);
  return client.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state });
}

function api(gh: GithubLikeProvider, path: string, accessToken: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${gh.apiBaseUrl}${path}`, { ...init, headers: { authorization: `Bearer ${accessToken}`, ...init.headers } });
}

describe('GitHub-like OAuth 2.0 fixture', () => {
  it('completes a loopback and a private-scheme flow and serves the user with a numeric id', async () => {
    const gh = await github({ accessTokenTtlSeconds: 120 });
    for (const redirectUri of [LOOPBACK_REDIRECT, SCHEME_REDIRECT]) {
      const tokens = await githubSignIn(gh, redirectUri);
      expect(tokens).toMatchObject({ token_type: 'bearer', scope: 'read:user user:email', expires_in: 120 });
      expect(tokens.id_token).toBeUndefined();
      const user = await api(gh, '/user', tokens.access_token);
      expect(await user.json()).toEqual({ id: 4242, login: 'octo', name: 'Octo Cat', email: 'octo@example.com', avatar_url: `${gh.baseUrl}/avatars/octo.png` });
    }
    expect(gh.countRequests('/login/oauth/access_token')).toBe(2);
  });

  it('redirects back with access_denied and the state when the user declines', async () => {
    const gh = await github();
    gh.setDecision('deny');
    const config = githubConfig(gh);
    const state = client.randomState();
    const url = client.buildAuthorizationUrl(config, { redirect_uri: SCHEME_REDIRECT, state, code_challenge: 'x'.repeat(43), code_challenge_method: 'S256' });
    const callback = await followAuthorizeRedirect(url);
    expect(`${callback.protocol}${callback.pathname}`).toBe(SCHEME_REDIRECT);
    expect(Object.fromEntries(callback.searchParams)).toMatchObject({ error: 'access_denied', state });
    expect(callback.searchParams.has('code')).toBe(false);
  });

  it('shows a 400 page for an unknown client or an unregistered redirect_uri', async () => {
    const gh = await github();
    for (const [clientId, redirectUri] of [
      ['someone-else', SCHEME_REDIRECT],
      [gh.clientId, 'https://evil.example/callback'],
      [gh.clientId, 'http://127.0.0.1:49152/elsewhere'],
      [gh.clientId, 'desktop:/callback'],
    ]) {
      const url = new URL(gh.authorizationEndpoint);
      url.search = new URLSearchParams({ client_id: clientId ?? '', redirect_uri: redirectUri ?? '', state: 's', code_challenge: 'x'.repeat(43), code_challenge_method: 'S256' }).toString();
      const response = await fetch(url, { redirect: 'manual' });
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toMatch(/text\/html/);
    }
  });

  it('refuses a wrong verifier, a changed redirect_uri, a reused code and a wrong secret', async () => {
    const gh = await github();
    const codeFor = async (challenge: string): Promise<string> => {
      const url = new URL(gh.authorizationEndpoint);
      url.search = new URLSearchParams({ client_id: gh.clientId, redirect_uri: SCHEME_REDIRECT, state: 's', code_challenge: challenge, code_challenge_method: 'S256' }).toString();
      return (await followAuthorizeRedirect(url)).searchParams.get('code') ?? '';
    };
    const verifier = client.randomPKCECodeVerifier();
    const challenge = await client.calculatePKCECodeChallenge(verifier);
    const exchange = (form: Record<string, string>): Promise<Response> =>
      postForm(gh.tokenEndpoint, { client_id: gh.clientId, redirect_uri: SCHEME_REDIRECT, code_verifier: verifier, ...form }, { accept: 'application/json' });

    expect(await (await exchange({ code: await codeFor(challenge), code_verifier: client.randomPKCECodeVerifier() })).json()).toEqual(
      expect.objectContaining({ error: 'invalid_grant' }),
    );
    expect((await exchange({ code: await codeFor(challenge), redirect_uri: 'com.example.other:/callback' })).status).toBe(400);
    expect((await exchange({ code: await codeFor(challenge), client_secret: 'wrong' })).status).toBe(401);

    const code = await codeFor(challenge);
    expect((await exchange({ code })).status).toBe(200);
    const reused = await exchange({ code });
    expect(reused.status).toBe(400);
    expect(await reused.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('rotates refresh tokens: the old one answers invalid_grant', async () => {
    const gh = await github();
    const config = githubConfig(gh);
    const tokens = await githubSignIn(gh);
    const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token ?? '');
    expect(refreshed.access_token).not.toBe(tokens.access_token);
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
    expect((await api(gh, '/user', refreshed.access_token)).status).toBe(200);
    expect(await failure(client.refreshTokenGrant(config, tokens.refresh_token ?? ''))).toMatchObject({ error: 'invalid_grant', status: 400 });
  });

  it('answers 401 with a Bearer challenge once access tokens expire, and a refresh recovers', async () => {
    const gh = await github();
    const tokens = await githubSignIn(gh);
    gh.expireAccessTokens();
    const expired = await api(gh, '/user', tokens.access_token);
    expect(expired.status).toBe(401);
    expect(expired.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
    expect((await api(gh, '/user', 'ghu_made_up')).status).toBe(401);
    expect((await fetch(`${gh.apiBaseUrl}/user`)).status).toBe(401);

    const refreshed = await client.refreshTokenGrant(githubConfig(gh), tokens.refresh_token ?? '');
    expect((await api(gh, '/user', refreshed.access_token)).status).toBe(200);
  });

  it('revokes: the token is recorded and it and its grant stop working', async () => {
    const gh = await github();
    const config = githubConfig(gh);
    const tokens = await githubSignIn(gh);
    await client.tokenRevocation(config, tokens.access_token);
    expect(gh.revokedTokens).toEqual([tokens.access_token]);
    expect((await api(gh, '/user', tokens.access_token)).status).toBe(401);
    expect(await failure(client.refreshTokenGrant(config, tokens.refresh_token ?? ''))).toMatchObject({ error: 'invalid_grant' });
  });

  it('serves repos, echoes JSON and has a ~2 MB endpoint', async () => {
    const gh = await github();
    const { access_token: token } = await githubSignIn(gh);
    expect(await (await api(gh, '/repos', token)).json()).toEqual(GITHUB_REPOS);

    const body = { hello: 'world', n: [1, 2, 3] };
    const echo = await api(gh, '/echo', token, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(await echo.json()).toEqual(body);

    const big = await api(gh, '/big', token);
    const text = await big.text();
    expect(text.length).toBeGreaterThan(2 * 1024 * 1024);
    expect(text.length).toBeLessThan(3 * 1024 * 1024);
    expect(Array.isArray(JSON.parse(text))).toBe(true);
  });
});
