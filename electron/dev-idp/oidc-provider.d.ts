/**
 * oidc-provider 9 ships no type declarations. These describe only the part the dev IdP uses,
 * checked against node_modules/oidc-provider/lib (provider.js, helpers/defaults.js, models/grant.js).
 */
declare module 'oidc-provider' {
  import type { EventEmitter } from 'node:events';
  import type { IncomingMessage, ServerResponse } from 'node:http';

  /** The Koa context as oidc-provider hands it to configuration functions. */
  export interface ProviderContext {
    readonly host: string;
    /** The raw query string parameters of the request. */
    readonly query: Readonly<Record<string, unknown>>;
    type: string;
    status: number;
    body: unknown;
    set(field: string, value: string): void;
    readonly oidc: OidcContext;
  }

  export interface OidcContext {
    /** The matched route name: `authorization`, `token`, `revocation`, `end_session`, ... */
    readonly route: string | undefined;
    readonly params: Readonly<Record<string, unknown>> | undefined;
    /** The raw form body of a POST request, once oidc-provider has parsed it. */
    readonly body: Readonly<Record<string, unknown>> | undefined;
    readonly entities: { readonly Interaction?: { readonly uid: string; readonly cid: string } };
    readonly client: { readonly clientId: string; readonly clientName?: string } | undefined;
  }

  export interface JsonWebKey {
    readonly kty: string;
    readonly [parameter: string]: unknown;
  }

  export type AdapterPayload = Record<string, unknown> & {
    readonly grantId?: string;
    readonly uid?: string;
    readonly userCode?: string;
    consumed?: number;
  };

  /** The storage contract (see lib/adapters/memory_adapter.js). `expiresIn` is in seconds. */
  export interface Adapter {
    upsert(id: string, payload: AdapterPayload, expiresIn: number | undefined): Promise<void>;
    find(id: string): Promise<AdapterPayload | undefined>;
    findByUid(uid: string): Promise<AdapterPayload | undefined>;
    findByUserCode(userCode: string): Promise<AdapterPayload | undefined>;
    consume(id: string): Promise<void>;
    destroy(id: string): Promise<void>;
    revokeByGrantId(grantId: string): Promise<void>;
  }

  export interface ClientMetadata {
    client_id: string;
    client_name?: string;
    application_type?: 'native' | 'web';
    token_endpoint_auth_method?: string;
    redirect_uris?: string[];
    post_logout_redirect_uris?: string[];
    grant_types?: string[];
    response_types?: string[];
  }

  export type AccountClaims = Record<string, unknown> & { sub: string };

  export interface Account {
    readonly accountId: string;
    claims(use: string, scope: string): AccountClaims | Promise<AccountClaims>;
  }

  /** A token or artifact model as passed to lifecycle events (`access_token.destroyed`, ...). */
  export interface TokenModel {
    readonly kind: string;
    readonly clientId?: string;
    readonly grantId?: string;
  }

  /** The authorization code or refresh token a grant's new tokens are minted from. */
  export interface GrantSource {
    readonly scopes: ReadonlySet<string>;
    readonly grantId?: string;
  }

  export interface RevocableToken {
    readonly clientId: string;
  }

  export type TtlValue = number | ((ctx: ProviderContext | undefined, token: unknown, client: unknown) => number);

  export interface Configuration {
    adapter?: (modelName: string) => Adapter;
    clients?: ClientMetadata[];
    jwks?: { keys: JsonWebKey[] };
    cookies?: { keys?: string[] };
    claims?: Record<string, string[] | null>;
    scopes?: string[];
    responseTypes?: string[];
    conformIdTokenClaims?: boolean;
    clientBasedCORS?: (ctx: ProviderContext, origin: string, client: unknown) => boolean;
    findAccount?: (ctx: ProviderContext, sub: string, token: unknown) => Promise<Account | undefined>;
    renderError?: (ctx: ProviderContext, out: Record<string, string>, error: Error) => Promise<void>;
    interactions?: { url?: (ctx: ProviderContext, interaction: Interaction) => Promise<string> | string };
    pkce?: { required?: (ctx: ProviderContext, client: unknown) => boolean };
    issueRefreshToken?: (ctx: ProviderContext, client: { grantTypeAllowed(type: string): boolean }, source: GrantSource) => Promise<boolean> | boolean;
    expiresWithSession?: (ctx: ProviderContext, source: GrantSource) => Promise<boolean> | boolean;
    rotateRefreshToken?: boolean | ((ctx: ProviderContext) => boolean | Promise<boolean>);
    ttl?: Partial<Record<'AccessToken' | 'AuthorizationCode' | 'IdToken' | 'RefreshToken' | 'Interaction' | 'Session' | 'Grant', TtlValue>>;
    features?: {
      devInteractions?: { enabled: boolean };
      userinfo?: { enabled: boolean };
      introspection?: { enabled: boolean };
      revocation?: {
        enabled: boolean;
        allowedPolicy?: (ctx: ProviderContext, client: { readonly clientId: string }, token: RevocableToken) => Promise<boolean>;
      };
      rpInitiatedLogout?: {
        enabled: boolean;
        logoutSource?: (ctx: ProviderContext, form: string) => Promise<void>;
        postLogoutSuccessSource?: (ctx: ProviderContext) => Promise<void>;
      };
    };
  }

  export interface Interaction {
    readonly uid: string;
    /** Shared by every interaction of one authorization request (login, then consent). */
    readonly cid: string;
    readonly returnTo: string;
    readonly grantId?: string;
    readonly prompt: {
      readonly name: string;
      readonly reasons: readonly string[];
      readonly details: Readonly<Record<string, unknown>>;
    };
    readonly params: Readonly<Record<string, unknown>>;
    readonly session?: { readonly accountId: string; readonly uid: string };
  }

  export interface InteractionResults {
    login?: { accountId: string; remember?: boolean };
    consent?: { grantId?: string };
    error?: string;
    error_description?: string;
  }

  export class Grant {
    constructor(properties: { accountId: string; clientId: string });
    readonly jti: string;
    readonly accountId: string;
    readonly clientId: string;
    addOIDCScope(scope: string): void;
    addOIDCClaims(claims: readonly string[]): void;
    addResourceScope(resource: string, scope: string): void;
    save(): Promise<string>;
    static find(id: string): Promise<Grant | undefined>;
  }

  export class Provider extends EventEmitter {
    constructor(issuer: string, configuration?: Configuration);
    readonly issuer: string;
    readonly Grant: typeof Grant;
    /** The provider is a Koa application; this is its Node request listener. */
    callback(): (req: IncomingMessage, res: ServerResponse) => Promise<void>;
    interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<Interaction>;
    interactionFinished(
      req: IncomingMessage,
      res: ServerResponse,
      result: InteractionResults,
      options?: { mergeWithLastSubmission?: boolean },
    ): Promise<void>;
    /** The context of the request being handled (AsyncLocalStorage), if any. */
    static readonly ctx: ProviderContext | undefined;
  }

  export const errors: {
    readonly SessionNotFound: new (message?: string) => Error;
  };

  export default Provider;
}
