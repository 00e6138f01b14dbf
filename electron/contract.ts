/**
 * The one typed map of IPC: channel names, request schemas, response types and events.
 * Main registers handlers from it, the preload exposes from it, the renderer imports its types only.
 * Channel names never appear as string literals anywhere else.
 */
import { z } from 'zod';
import type { ErrorCode, ErrorValue } from './auth/errors.js';
import type { Result } from './auth/result.js';
import type { Events } from './contract-events.js';

export type { ErrorCode, ErrorValue, Result };

export interface UserProfile {
  readonly sub: string;
  readonly name: string | null;
  readonly email: string | null;
  readonly picture: string | null;
}

export type SessionStatus = 'restoring' | 'signed-out' | 'signing-in' | 'signed-in';

/** Why a session is not kept on disk. */
export type NotRememberedReason = 'not-requested' | 'storage-unprotected' | 'storage-unavailable';

export interface StorageProtection {
  /** The session can be kept on disk (encrypted by the OS, or weak storage was allowed explicitly). */
  readonly canRemember: boolean;
  /** The cipher backend, e.g. `keychain`, `dpapi`, `gnome_libsecret`, `basic_text`, `aes-256-gcm`. */
  readonly backend: string;
  /** Why it cannot remember, in words for the screen; null when it can. */
  readonly reason: string | null;
}

export interface PendingSignIn {
  readonly providerId: string;
  readonly startedAt: number;
  readonly expiresAt: number;
}

/**
 * What the renderer sees of the session: an immutable value published on every change.
 * It never carries a token, code or verifier.
 */
export interface SessionSnapshot {
  readonly status: SessionStatus;
  readonly providerId: string | null;
  readonly providerLabel: string | null;
  readonly user: UserProfile | null;
  readonly signedInAt: number | null;
  readonly accessTokenExpiresAt: number | null;
  readonly lastRefreshAt: number | null;
  readonly remembered: boolean;
  readonly notRememberedReason: NotRememberedReason | null;
  /** Signed in from the cached profile while the provider cannot be reached. */
  readonly offline: boolean;
  readonly refreshing: boolean;
  readonly pending: PendingSignIn | null;
  readonly storage: StorageProtection;
  readonly lastError: ErrorValue | null;
  /** Set when the session is `signed-out` and that was not the user's choice. */
  readonly signedOutReason: ErrorCode | null;
}

export interface ProviderSummary {
  readonly id: string;
  readonly label: string;
  readonly kind: 'oidc' | 'oauth2';
  readonly hasApi: boolean;
  /** A path under the provider's API to try on the API screen (`user` for GitHub), if any. */
  readonly apiExamplePath: string | null;
  readonly canEndSession: boolean;
}

export interface AppInfo {
  readonly name: string;
  /** `dev-idp` when the embedded development provider stands in for a config file. */
  readonly configSource: string;
  readonly packaged: boolean;
  /** A packaged build with no config file has no provider: the sign-in screen says so. */
  readonly configProblem: string | null;
  /** The OS did not take the app's URI scheme registration: sign-in callbacks may not arrive. */
  readonly protocolProblem: string | null;
}

export interface SignOutResult {
  /** The refresh token was revoked at the provider (false offline or without a revocation endpoint). */
  readonly revoked: boolean;
  readonly revocationError: ErrorValue | null;
  readonly endSessionOpened: boolean;
}

export interface ProtectedData {
  readonly greeting: string;
  readonly items: readonly { readonly id: string; readonly title: string }[];
}

const MAX_PATH = 2048;
const providerId = z.string().min(1).max(40);
const apiPath = z
  .string()
  .min(1)
  .max(MAX_PATH)
  .refine((p) => !/^[a-z][a-z0-9+.-]*:/i.test(p) && !p.startsWith('//'), 'must be a path relative to the API base URL');
const jsonBody = z.unknown().refine((v) => {
  try {
    return JSON.stringify(v ?? null).length <= 64 * 1024;
  } catch {
    return false;
  }
}, 'must be JSON of at most 64 KB');

const none = z.undefined().or(z.null()).transform(() => undefined);

/** Request schemas per channel (the renderer is untrusted: every payload is parsed in main). */
export const requestSchemas = {
  'auth:get-snapshot': none,
  'auth:providers': none,
  'app:info': none,
  'auth:sign-in': z.object({ providerId, remember: z.boolean() }).strict(),
  'auth:cancel-sign-in': none,
  'auth:reopen-browser': none,
  'auth:sign-out': z.object({ atProvider: z.boolean() }).strict(),
  'api:get': z.object({ path: apiPath }).strict(),
  'api:post': z.object({ path: apiPath, body: jsonBody }).strict(),
  'app:protected-data': none,
} as const;

export type Channel = keyof typeof requestSchemas;
export type Request<C extends Channel> = z.input<(typeof requestSchemas)[C]>;
export type ParsedRequest<C extends Channel> = z.output<(typeof requestSchemas)[C]>;

export interface Responses {
  'auth:get-snapshot': SessionSnapshot;
  'auth:providers': readonly ProviderSummary[];
  'app:info': AppInfo;
  'auth:sign-in': SessionSnapshot;
  'auth:cancel-sign-in': SessionSnapshot;
  'auth:reopen-browser': boolean;
  'auth:sign-out': SignOutResult;
  'api:get': unknown;
  'api:post': unknown;
  'app:protected-data': ProtectedData;
}

/** Channels that answer `unauthenticated` when signed out: the seed's `before_request` 401. */
export const protectedChannels: ReadonlySet<Channel> = new Set<Channel>(['api:get', 'api:post', 'app:protected-data']);

export const CHANNELS = Object.keys(requestSchemas) as Channel[];

export const isChannel = (name: unknown): name is Channel => typeof name === 'string' && Object.hasOwn(requestSchemas, name);

export { EVENTS, type Events } from './contract-events.js';

/** The API the preload exposes as `window.auth`. */
export interface AuthApi {
  getSnapshot(): Promise<Result<SessionSnapshot>>;
  providers(): Promise<Result<readonly ProviderSummary[]>>;
  appInfo(): Promise<Result<AppInfo>>;
  signIn(providerId: string, options: { remember: boolean }): Promise<Result<SessionSnapshot>>;
  cancelSignIn(): Promise<Result<SessionSnapshot>>;
  reopenBrowser(): Promise<Result<boolean>>;
  signOut(options: { atProvider: boolean }): Promise<Result<SignOutResult>>;
  protectedData(): Promise<Result<ProtectedData>>;
  onChange(listener: (snapshot: SessionSnapshot) => void): () => void;
  readonly api: {
    get(path: string): Promise<Result<unknown>>;
    post(path: string, body: unknown): Promise<Result<unknown>>;
  };
}

/** How the preload reaches main; Electron's ipcRenderer or the headless host's bindings. */
export interface RendererTransport {
  invoke(channel: Channel, payload: unknown): Promise<unknown>;
  subscribe(event: keyof Events, listener: (payload: unknown) => void): () => void;
}
