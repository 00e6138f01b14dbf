/**
 * The provider registry: a valid file parses with its defaults, and every invalid one is refused
 * with `config_invalid` and a message that names the field and the problem.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import {
  DEFAULT_REQUEST_TIMEOUT_SECONDS,
  DEFAULT_SCHEME,
  DEFAULT_SIGN_IN_TIMEOUT_SECONDS,
  loadAuthConfigFile,
  parseAuthConfig,
  parseAuthConfigText,
  schemeRedirectUri,
  type AuthConfig,
} from '../../electron/auth/config.js';
import { AuthError } from '../../electron/auth/errors.js';

const OIDC = { id: 'corp', label: 'Corp SSO', issuer: 'https://login.example.com', clientId: 'desktop' } as const;
const GITHUB = {
  id: 'github',
  label: 'GitHub',
  clientId: 'Iv1.abc',
  clientSecret: 'not-really-secret',
  authorizationEndpoint: 'https://github.com/login/oauth/authorize',
  tokenEndpoint: 'https://github.com/login/oauth/access_token',
  apiBaseUrl: 'https://api.github.com',
  userPath: 'user',
  profileMapping: { sub: 'id', name: 'name', email: 'email', picture: 'avatar_url' },
} as const;

/** The error a bad config throws: always `config_invalid`, with its problems listed. */
function configFailure(run: () => unknown): AuthError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(AuthError);
    const typed = error as AuthError;
    expect(typed.code).toBe('config_invalid');
    return typed;
  }
  throw new Error('the config was accepted');
}

function problemsOf(input: unknown): string[] {
  const error = configFailure(() => parseAuthConfig(input));
  const problems = error.details?.['problems'];
  expect(Array.isArray(problems)).toBe(true);
  const list = problems as string[];
  // The message a person reads carries every problem too.
  for (const problem of list) expect(error.message).toContain(problem);
  return list;
}

describe('parseAuthConfig: a valid file', () => {
  it('parses an OIDC and a GitHub-style provider and fills in the defaults', () => {
    const config: AuthConfig = parseAuthConfig({ providers: [OIDC, GITHUB] }, 'test.json');
    expect(config.source).toBe('test.json');
    expect(config.app).toEqual({
      name: 'Desktop Sign-In',
      scheme: DEFAULT_SCHEME,
      signInTimeoutSeconds: DEFAULT_SIGN_IN_TIMEOUT_SECONDS,
      requestTimeoutSeconds: DEFAULT_REQUEST_TIMEOUT_SECONDS,
      allowWeakStorage: false,
    });
    expect(schemeRedirectUri(config.app.scheme)).toBe('com.example.desktop:/callback');
    const [oidc, github] = config.providers;
    expect(oidc).toMatchObject({
      kind: 'oidc',
      issuer: 'https://login.example.com',
      endSession: true,
      redirect: { kind: 'scheme' },
      scopes: ['openid', 'profile', 'email', 'offline_access'],
      authorizationParams: {},
      clientSecret: undefined,
    });
    expect(github).toMatchObject({
      kind: 'oauth2',
      scopes: [],
      redirect: { kind: 'scheme' },
      revocationEndpoint: undefined,
      userinfoEndpoint: undefined,
      apiBaseUrl: 'https://api.github.com',
      userPath: 'user',
      clientSecret: 'not-really-secret',
      profileMapping: { sub: 'id', name: 'name', email: 'email', picture: 'avatar_url' },
    });
  });

  it('defaults a loopback redirect to an ephemeral port and a partial profile mapping to the OIDC names', () => {
    const config = parseAuthConfig({
      providers: [
        { ...OIDC, redirect: { kind: 'loopback' } },
        { ...GITHUB, id: 'gh2', userPath: undefined, apiBaseUrl: undefined, userinfoEndpoint: 'https://example.com/me', profileMapping: { sub: 'id' } },
      ],
    });
    expect(config.providers[0]?.redirect).toEqual({ kind: 'loopback', port: 0 });
    expect(config.providers[1]).toMatchObject({ profileMapping: { sub: 'id', name: 'name', email: 'email', picture: 'picture' } });
  });

  it('allows plain http only for a provider on this machine', () => {
    for (const issuer of ['http://127.0.0.1:4000', 'http://localhost:4000', 'http://[::1]:4000']) {
      expect(parseAuthConfig({ providers: [{ ...OIDC, issuer }] }).providers[0]).toMatchObject({ issuer });
    }
  });

  it('accepts reverse-DNS schemes', () => {
    for (const scheme of ['com.example.desktop', 'io.github.octo-app', 'org.example.app2']) {
      expect(parseAuthConfig({ app: { scheme }, providers: [OIDC] }).app.scheme).toBe(scheme);
    }
  });
});

describe('parseAuthConfig: every error names the field and the problem', () => {
  it('refuses an http issuer on another host, naming the provider by index', () => {
    expect(problemsOf({ providers: [OIDC, { ...OIDC, id: 'other', issuer: 'http://login.example.com' }] })).toEqual([
      'providers[1].issuer: must be an https URL (http is allowed only for 127.0.0.1)',
    ]);
    expect(problemsOf({ providers: [{ ...OIDC, issuer: 'login.example.com' }] })).toEqual(['providers[0].issuer: must be an absolute URL']);
    expect(problemsOf({ providers: [{ ...GITHUB, tokenEndpoint: 'ftp://github.com/token' }] })).toEqual([
      'providers[0].tokenEndpoint: must be an https URL (http is allowed only for 127.0.0.1)',
    ]);
  });

  it('says which required field is missing', () => {
    expect(problemsOf({})).toEqual(['providers: is required']);
    expect(problemsOf({ providers: [] })).toEqual(['providers: must list at least one provider']);
    expect(problemsOf({ providers: [{ id: 'corp', label: 'Corp', issuer: 'https://login.example.com' }] })).toEqual(['providers[0].clientId: is required']);
    expect(problemsOf({ providers: [{ ...GITHUB, authorizationEndpoint: undefined }] })).toEqual(['providers[0].authorizationEndpoint: is required']);
  });

  it('tells a wrong type from a missing field', () => {
    expect(problemsOf({ app: { name: 5 }, providers: [OIDC] })).toEqual(['app.name: Invalid input: expected string, received number']);
    expect(problemsOf({ providers: [{ ...OIDC, label: 7 }] })).toEqual(['providers[0].label: Invalid input: expected string, received number']);
    expect(problemsOf([])).toEqual(['(root): Invalid input: expected object, received array']);
    expect(problemsOf({ providers: ['corp'] })).toEqual(['providers[0]: must be an object']);
  });

  it('names unknown fields wherever they are', () => {
    expect(problemsOf({ providers: [OIDC], extra: true })).toEqual(['(root): unknown field(s) "extra"']);
    expect(problemsOf({ app: { theme: 'dark' }, providers: [OIDC] })).toEqual(['app: unknown field(s) "theme"']);
    expect(problemsOf({ providers: [{ ...OIDC, colour: 'red' }] })).toEqual(['providers[0]: unknown field(s) "colour"']);
    // An OIDC provider's profile comes from its claims: a mapping belongs to plain OAuth 2.0 only.
    expect(problemsOf({ providers: [{ ...OIDC, profileMapping: { sub: 'id' } }] })).toEqual(['providers[0]: unknown field(s) "profileMapping"']);
    expect(problemsOf({ providers: [{ ...OIDC, redirect: { kind: 'scheme', port: 1 } }] })).toEqual(['providers[0].redirect: unknown field(s) "port"']);
  });

  it('wants exactly one of issuer or endpoints', () => {
    const both = problemsOf({ providers: [{ ...OIDC, authorizationEndpoint: GITHUB.authorizationEndpoint, tokenEndpoint: GITHUB.tokenEndpoint }] });
    const neither = problemsOf({ providers: [{ id: 'x', label: 'X', clientId: 'c' }] });
    for (const problems of [both, neither]) {
      expect(problems).toEqual(['providers[0]: give either "issuer" (OpenID discovery) or "authorizationEndpoint" and "tokenEndpoint" (plain OAuth 2.0)']);
    }
  });

  it('wants a reverse-DNS scheme (RFC 8252 section 7.1)', () => {
    expect(problemsOf({ app: { scheme: 'myapp' }, providers: [OIDC] })).toEqual([
      'app.scheme: must be a reverse domain name such as com.example.desktop (RFC 8252 section 7.1)',
    ]);
    expect(problemsOf({ app: { scheme: 'MyApp.Example' }, providers: [OIDC] })).toContain(
      'app.scheme: must be lowercase letters, digits, "+", "-" or "." and start with a letter',
    );
    const http = problemsOf({ app: { scheme: 'http' }, providers: [OIDC] });
    expect(http).toContain('app.scheme: is reserved');
    expect(http.every((p) => p.startsWith('app.scheme: '))).toBe(true);
  });

  it('refuses a provider id registered twice', () => {
    expect(problemsOf({ providers: [OIDC, { ...GITHUB, id: 'corp' }] })).toEqual(['providers[1].id: "corp" is registered twice']);
    expect(problemsOf({ providers: [{ ...OIDC, id: 'Corp SSO' }] })).toEqual(['providers[0].id: must be 1-40 lowercase letters, digits, "-" or "_"']);
  });

  it('refuses authorizationParams the app sets itself', () => {
    for (const key of ['state', 'nonce', 'redirect_uri', 'code_challenge', 'code_challenge_method', 'response_type', 'client_id']) {
      expect(problemsOf({ providers: [{ ...OIDC, authorizationParams: { prompt: 'login', [key]: 'attacker' } }] })).toEqual([
        `providers[0].authorizationParams.${key}: is set by the app and cannot be overridden`,
      ]);
    }
    expect(parseAuthConfig({ providers: [{ ...OIDC, authorizationParams: { prompt: 'login' } }] }).providers[0]?.authorizationParams).toEqual({ prompt: 'login' });
  });

  it('wants a profile source for a plain OAuth 2.0 provider', () => {
    const expected = ['providers[0]: a plain OAuth 2.0 provider needs "userinfoEndpoint", or "apiBaseUrl" with "userPath"'];
    expect(problemsOf({ providers: [{ ...GITHUB, apiBaseUrl: undefined, userPath: undefined }] })).toEqual(expected);
    expect(problemsOf({ providers: [{ ...GITHUB, userPath: undefined }] })).toEqual(expected);
  });

  it('checks the app settings ranges', () => {
    expect(problemsOf({ app: { requestTimeoutSeconds: 0 }, providers: [OIDC] })).toEqual(['app.requestTimeoutSeconds: Too small: expected number to be >=1']);
    expect(problemsOf({ app: { signInTimeoutSeconds: 1.5 }, providers: [OIDC] })[0]).toMatch(/^app\.signInTimeoutSeconds: /);
  });
});

describe('config text and files', () => {
  it('refuses text that is not JSON, naming the source', () => {
    const error = configFailure(() => parseAuthConfigText('{"providers": [', 'broken.json'));
    expect(error.message).toMatch(/^The configuration in broken\.json is invalid: \(root\): not valid JSON \(/);
  });

  it('reports a missing AUTH_CONFIG file as config_invalid, and a missing optional one as absent', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'config-test-'));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    const missing = path.join(dir, 'nope.json');
    await expect(loadAuthConfigFile(missing, true)).rejects.toMatchObject({
      code: 'config_invalid',
      message: expect.stringContaining(`(root): cannot read ${missing} (ENOENT)`),
    });
    await expect(loadAuthConfigFile(missing, false)).resolves.toBeUndefined();

    const file = path.join(dir, 'auth.config.json');
    await writeFile(file, JSON.stringify({ providers: [OIDC] }));
    await expect(loadAuthConfigFile(file, true)).resolves.toMatchObject({ source: file, providers: [{ id: 'corp' }] });
    await writeFile(file, JSON.stringify({ providers: [{ ...OIDC, issuer: 'http://evil.example' }] }));
    await expect(loadAuthConfigFile(file, false)).rejects.toMatchObject({
      code: 'config_invalid',
      message: `The configuration in ${file} is invalid: providers[0].issuer: must be an https URL (http is allowed only for 127.0.0.1)`,
    });
  });
});
