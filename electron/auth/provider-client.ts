/**
 * One registered provider, spoken to through openid-client: discovery (once, cached), the
 * authorization URL, the code exchange with every check passed explicitly, the profile, refresh,
 * revocation and end-session. The equivalent of Authlib's `oauth.<name>` object.
 */
import * as oidc from 'openid-client';
import type { OAuthProviderConfig, ProviderConfig } from './config.js';
import { AuthError } from './errors.js';
import type { Logger } from './logger.js';
import { createProviderFetch, type RequestCounter } from './provider-fetch.js';
import { mapApiProfile, profileFromClaims, type ProviderProfile } from './profile.js';
import { toProtocolError, type ProtocolStep } from './protocol-errors.js';

export interface TokenSet {
  readonly accessToken: string;
  readonly refreshToken: string | null;
  readonly idToken: string | null;
  readonly tokenType: string;
  readonly scope: string | null;
  /** epoch ms; null when the provider did not say (GitHub OAuth apps). */
  readonly expiresAt: number | null;
}

export interface AuthorizationChecks {
  readonly state: string;
  readonly nonce: string | null;
  readonly codeVerifier: string;
  readonly redirectUri: string;
}

export interface SignInResult {
  readonly providerId: string;
  readonly profile: ProviderProfile;
  readonly tokens: TokenSet;
}

export interface ProviderClientOptions {
  readonly timeoutMs: number;
  readonly logger: Logger;
  readonly counter?: RequestCounter;
  readonly now?: () => number;
}

export class ProviderClient {
  readonly provider: ProviderConfig;
  private readonly options: ProviderClientOptions;
  private readonly fetch: oidc.CustomFetch;
  private configurationPromise: Promise<oidc.Configuration> | undefined;
  /** openid-client deep-copies the metadata on every `serverMetadata()` call: read it once. */
  private readonly metadataCache = new WeakMap<oidc.Configuration, oidc.ServerMetadata>();

  constructor(provider: ProviderConfig, options: ProviderClientOptions) {
    this.provider = provider;
    this.options = options;
    const providerFetch = createProviderFetch({ timeoutMs: options.timeoutMs, counter: options.counter });
    this.fetch = (url, init) => providerFetch(url, init as RequestInit);
  }

  get isOpenId(): boolean {
    return this.provider.kind === 'oidc';
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  private fail(error: unknown, step: ProtocolStep): AuthError {
    const mapped = toProtocolError(error, step, this.provider.label);
    this.options.logger.debug('provider request failed', { provider: this.provider.id, step, code: mapped.code, error });
    return mapped;
  }

  private get clientAuth(): oidc.ClientAuth {
    // A secret shipped in a desktop app is not a secret (RFC 8252 section 8.5); some providers still want it.
    return this.provider.clientSecret ? oidc.ClientSecretPost(this.provider.clientSecret) : oidc.None();
  }

  private allowsHttp(url: string): boolean {
    return new URL(url).protocol === 'http:';
  }

  /** Discovery is fetched once and cached in memory; a failure is not cached, so the next call retries. */
  configuration(): Promise<oidc.Configuration> {
    this.configurationPromise ??= this.createConfiguration().catch((error: unknown) => {
      this.configurationPromise = undefined;
      throw error;
    });
    return this.configurationPromise;
  }

  private metadata(config: oidc.Configuration): oidc.ServerMetadata {
    let metadata = this.metadataCache.get(config);
    if (!metadata) {
      metadata = config.serverMetadata();
      this.metadataCache.set(config, metadata);
    }
    return metadata;
  }

  private async createConfiguration(): Promise<oidc.Configuration> {
    const p = this.provider;
    let config: oidc.Configuration;
    if (p.kind === 'oidc') {
      try {
        config = await oidc.discovery(new URL(p.issuer), p.clientId, undefined, this.clientAuth, {
          [oidc.customFetch]: this.fetch,
          timeout: Math.ceil(this.options.timeoutMs / 1000),
          // Signature checks on ID tokens from the token endpoint are off by default in openid-client
          // (OIDC Core 3.1.3.7 trusts TLS); we want a forged token refused even over loopback http.
          execute: this.allowsHttp(p.issuer) ? [oidc.enableNonRepudiationChecks, oidc.allowInsecureRequests] : [oidc.enableNonRepudiationChecks],
        });
      } catch (error) {
        throw this.fail(error, 'discovery');
      }
      const methods = this.metadata(config).code_challenge_methods_supported;
      if (Array.isArray(methods) && !methods.includes('S256')) {
        throw new AuthError('provider_invalid_response', `${p.label} does not support PKCE with S256, which this app requires.`);
      }
    } else {
      config = new oidc.Configuration(oauthMetadata(p), p.clientId, undefined, this.clientAuth);
      if ([p.authorizationEndpoint, p.tokenEndpoint].some((u) => this.allowsHttp(u))) oidc.allowInsecureRequests(config);
    }
    config[oidc.customFetch] = this.fetch;
    config.timeout = Math.ceil(this.options.timeoutMs / 1000);
    return config;
  }

  async authorizationUrl(checks: AuthorizationChecks): Promise<URL> {
    const config = await this.configuration();
    const p = this.provider;
    const params: Record<string, string> = {
      ...p.authorizationParams,
      redirect_uri: checks.redirectUri,
      response_type: 'code',
      code_challenge: await oidc.calculatePKCECodeChallenge(checks.codeVerifier),
      code_challenge_method: 'S256',
      state: checks.state,
    };
    if (p.scopes.length > 0) params['scope'] = p.scopes.join(' ');
    if (checks.nonce !== null) params['nonce'] = checks.nonce;
    return oidc.buildAuthorizationUrl(config, params);
  }

  /**
   * The code exchange and ID-token validation, all by openid-client with explicit expectations.
   * openid-client sends the callback URL without its query as `redirect_uri`; the caller has
   * already checked that it is exactly `checks.redirectUri`.
   */
  async exchangeCode(callbackUrl: URL, checks: AuthorizationChecks): Promise<TokenSet & { claims: oidc.IDToken | undefined }> {
    const config = await this.configuration();
    try {
      const response = await oidc.authorizationCodeGrant(
        config,
        callbackUrl,
        {
          pkceCodeVerifier: checks.codeVerifier,
          expectedState: checks.state,
          ...(checks.nonce !== null ? { expectedNonce: checks.nonce } : {}),
          idTokenExpected: this.isOpenId,
        },
      );
      return { ...this.toTokenSet(response, null), claims: response.claims() };
    } catch (error) {
      throw this.fail(error, 'code-exchange');
    }
  }

  async fetchProfile(accessToken: string, claims: oidc.IDToken | undefined): Promise<ProviderProfile> {
    const config = await this.configuration();
    const p = this.provider;
    if (p.kind === 'oidc') {
      if (!claims) throw new AuthError('id_token_invalid', `${p.label} did not return an ID token.`);
      if (!this.metadata(config).userinfo_endpoint) return profileFromClaims(claims);
      try {
        // The subject check (userinfo `sub` equals the ID token's) is openid-client's, not ours.
        const userinfo = await oidc.fetchUserInfo(config, accessToken, claims.sub);
        return profileFromClaims({ ...claims, ...userinfo });
      } catch (error) {
        throw this.fail(error, 'userinfo');
      }
    }
    const url = p.userinfoEndpoint ?? joinApiUrl(p.apiBaseUrl ?? '', p.userPath ?? '');
    let body: unknown;
    try {
      const response = await oidc.fetchProtectedResource(config, accessToken, new URL(url), 'GET');
      if (!response.ok) throw new AuthError('provider_error', `${p.label} answered ${response.status} when asked for the profile.`);
      body = await response.json();
    } catch (error) {
      if (error instanceof SyntaxError) throw new AuthError('provider_invalid_response', `${p.label} sent a profile that is not JSON.`);
      throw this.fail(error, 'userinfo');
    }
    return mapApiProfile(body, p.profileMapping, p.label);
  }

  async signInResult(callbackUrl: URL, checks: AuthorizationChecks): Promise<SignInResult> {
    const { claims, ...tokens } = await this.exchangeCode(callbackUrl, checks);
    const profile = await this.fetchProfile(tokens.accessToken, claims);
    return { providerId: this.provider.id, profile, tokens };
  }

  async refresh(refreshToken: string, previous: TokenSet): Promise<TokenSet> {
    const config = await this.configuration();
    try {
      const response = await oidc.refreshTokenGrant(config, refreshToken);
      return this.toTokenSet(response, previous);
    } catch (error) {
      throw this.fail(error, 'refresh');
    }
  }

  get canRevoke(): boolean {
    return this.provider.kind === 'oauth2' ? Boolean(this.provider.revocationEndpoint) : true;
  }

  /** RFC 7009. Returns false when the provider has no revocation endpoint. */
  async revoke(token: string, hint: 'refresh_token' | 'access_token'): Promise<boolean> {
    const config = await this.configuration().catch((error: unknown) => {
      throw this.fail(error, 'revocation');
    });
    if (!this.metadata(config).revocation_endpoint) return false;
    try {
      await oidc.tokenRevocation(config, token, { token_type_hint: hint });
      return true;
    } catch (error) {
      throw this.fail(error, 'revocation');
    }
  }

  /** RP-initiated logout URL, or undefined when the provider has none. */
  async endSessionUrl(idToken: string | null, postLogoutRedirectUri: string): Promise<URL | undefined> {
    if (this.provider.kind !== 'oidc' || !this.provider.endSession) return undefined;
    const config = await this.configuration();
    if (!this.metadata(config).end_session_endpoint) return undefined;
    return oidc.buildEndSessionUrl(config, {
      post_logout_redirect_uri: postLogoutRedirectUri,
      client_id: this.provider.clientId,
      ...(idToken ? { id_token_hint: idToken } : {}),
    });
  }

  private toTokenSet(response: oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers, previous: TokenSet | null): TokenSet {
    const expiresIn = response.expiresIn();
    return {
      accessToken: response.access_token,
      // Without rotation the provider may omit it: keep the one we have.
      refreshToken: response.refresh_token ?? previous?.refreshToken ?? null,
      idToken: response.id_token ?? previous?.idToken ?? null,
      tokenType: response.token_type,
      scope: response.scope ?? previous?.scope ?? null,
      expiresAt: typeof expiresIn === 'number' ? this.now() + expiresIn * 1000 : null,
    };
  }
}

function oauthMetadata(p: OAuthProviderConfig): oidc.ServerMetadata {
  return {
    issuer: new URL(p.authorizationEndpoint).origin,
    authorization_endpoint: p.authorizationEndpoint,
    token_endpoint: p.tokenEndpoint,
    ...(p.revocationEndpoint ? { revocation_endpoint: p.revocationEndpoint } : {}),
    ...(p.userinfoEndpoint ? { userinfo_endpoint: p.userinfoEndpoint } : {}),
    code_challenge_methods_supported: ['S256'],
  };
}

/**
 * Resolves an API path against the base URL and refuses anything that escapes it
 * (`../`, an absolute URL, another host): the renderer chooses paths, and it is untrusted.
 */
export function joinApiUrl(base: string, path: string): string {
  // Encoded separators and dot segments would escape the base on servers that decode them.
  if (/%2f|%5c|\\/i.test(path) || path.split(/[?#]/)[0]?.split('/').some((s) => s === '..' || s === '.')) {
    throw new AuthError('invalid_request', "The API path must stay under the provider's API base URL.");
  }
  const root = new URL(base.endsWith('/') ? base : `${base}/`);
  const url = new URL(path.replace(/^\/+/, ''), root);
  if (url.origin !== root.origin || !url.pathname.startsWith(root.pathname)) {
    throw new AuthError('invalid_request', 'The API path must stay under the provider\'s API base URL.');
  }
  return url.href;
}
