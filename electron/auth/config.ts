/**
 * The provider registry: one JSON file validated by a schema, the desktop form of Authlib's
 * `oauth.register(name=..., ...)`. Every error names the field and the problem.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { AuthError } from './errors.js';

export const DEFAULT_SCHEME = 'com.example.desktop';
export const CALLBACK_PATH = '/callback';
export const DEFAULT_SIGN_IN_TIMEOUT_SECONDS = 300;
export const DEFAULT_REQUEST_TIMEOUT_SECONDS = 10;

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);

/** https everywhere; plain http only for a provider on this machine (the dev IdP, test fixtures). */
const providerUrl = z.string().superRefine((value, ctx) => {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    ctx.addIssue({ code: 'custom', message: 'must be an absolute URL' });
    return;
  }
  if (url.protocol === 'https:') return;
  if (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname)) return;
  ctx.addIssue({ code: 'custom', message: 'must be an https URL (http is allowed only for 127.0.0.1)' });
});

/** RFC 8252 section 7.1: a reverse domain name the app controls, e.g. com.example.desktop. */
export const schemeSchema = z
  .string()
  .regex(/^[a-z][a-z0-9+.-]*$/, 'must be lowercase letters, digits, "+", "-" or "." and start with a letter')
  .refine((s) => /^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(s), {
    message: 'must be a reverse domain name such as com.example.desktop (RFC 8252 section 7.1)',
  })
  .refine((s) => !['http', 'https', 'file', 'app', 'javascript', 'data'].includes(s), 'is reserved');

const redirectSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('scheme') }).strict(),
  z
    .object({
      kind: z.literal('loopback'),
      /** 0 (the default) asks the OS for an ephemeral port, as RFC 8252 section 7.3 expects. */
      port: z.number().int().min(0).max(65535).default(0),
    })
    .strict(),
]);

const idSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'must be 1-40 lowercase letters, digits, "-" or "_"');

const profileMappingSchema = z
  .object({
    sub: z.string().min(1).default('sub'),
    name: z.string().min(1).default('name'),
    email: z.string().min(1).default('email'),
    picture: z.string().min(1).default('picture'),
  })
  .strict();

const commonProviderFields = {
  id: idSchema,
  label: z.string().min(1).max(60),
  clientId: z.string().min(1),
  /** Shipped inside a desktop app it is not a secret; some providers (GitHub) still require it. */
  clientSecret: z.string().min(1).optional(),
  scopes: z.array(z.string().regex(/^[\x21\x23-\x5b\x5d-\x7e]+$/, 'must be a scope token')).optional(),
  redirect: redirectSchema.default({ kind: 'scheme' }),
  authorizationParams: z.record(z.string(), z.string()).default({}),
  apiBaseUrl: providerUrl.optional(),
  /** The user endpoint under `apiBaseUrl` (`user` for GitHub): the profile source of a plain OAuth 2.0 provider. */
  userPath: z.string().min(1).max(200).optional(),
};

const RESERVED_PARAMS = ['state', 'nonce', 'code_challenge', 'code_challenge_method', 'redirect_uri', 'response_type', 'client_id'];

const oidcProviderSchema = z
  .object({
    ...commonProviderFields,
    issuer: providerUrl,
    /** Open the provider's end-session page on "sign out of the provider too". */
    endSession: z.boolean().default(true),
  })
  .strict();

const oauthProviderSchema = z
  .object({
    ...commonProviderFields,
    authorizationEndpoint: providerUrl,
    tokenEndpoint: providerUrl,
    revocationEndpoint: providerUrl.optional(),
    userinfoEndpoint: providerUrl.optional(),
    profileMapping: profileMappingSchema.default({ sub: 'sub', name: 'name', email: 'email', picture: 'picture' }),
  })
  .strict();

const providerSchema = z
  .unknown()
  .superRefine((value, ctx) => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      ctx.addIssue({ code: 'custom', message: 'must be an object' });
      return;
    }
    const hasIssuer = 'issuer' in value;
    const hasEndpoints = 'authorizationEndpoint' in value || 'tokenEndpoint' in value;
    if (hasIssuer === hasEndpoints) {
      ctx.addIssue({
        code: 'custom',
        message: 'give either "issuer" (OpenID discovery) or "authorizationEndpoint" and "tokenEndpoint" (plain OAuth 2.0)',
      });
    }
  })
  .pipe(z.union([oidcProviderSchema, oauthProviderSchema]));

const appSchema = z
  .object({
    name: z.string().min(1).max(60).default('Desktop Sign-In'),
    scheme: schemeSchema.default(DEFAULT_SCHEME),
    signInTimeoutSeconds: z.number().int().min(10).max(3600).default(DEFAULT_SIGN_IN_TIMEOUT_SECONDS),
    requestTimeoutSeconds: z.number().min(1).max(120).default(DEFAULT_REQUEST_TIMEOUT_SECONDS),
    /** Keep the session on disk even where the OS offers no real protection (Linux `basic_text`). */
    allowWeakStorage: z.boolean().default(false),
  })
  .strict();

const fileSchema = z
  .object({
    $schema: z.string().optional(),
    app: appSchema.default(appSchema.parse({})),
    providers: z.array(providerSchema).min(1, 'must list at least one provider'),
  })
  .strict();

export function defaultAppSettings(): AppSettings {
  return appSchema.parse({});
}

type RawOidc = z.infer<typeof oidcProviderSchema>;
type RawOAuth = z.infer<typeof oauthProviderSchema>;

export type RedirectConfig = z.infer<typeof redirectSchema>;
export type ProfileMapping = z.infer<typeof profileMappingSchema>;
export type AppSettings = z.infer<typeof appSchema>;

interface ProviderBase {
  readonly id: string;
  readonly label: string;
  readonly clientId: string;
  readonly clientSecret: string | undefined;
  readonly scopes: readonly string[];
  readonly redirect: RedirectConfig;
  readonly authorizationParams: Readonly<Record<string, string>>;
  readonly apiBaseUrl: string | undefined;
  readonly userPath: string | undefined;
}

export interface OidcProviderConfig extends ProviderBase {
  readonly kind: 'oidc';
  readonly issuer: string;
  readonly endSession: boolean;
}

export interface OAuthProviderConfig extends ProviderBase {
  readonly kind: 'oauth2';
  readonly authorizationEndpoint: string;
  readonly tokenEndpoint: string;
  readonly revocationEndpoint: string | undefined;
  readonly userinfoEndpoint: string | undefined;
  readonly profileMapping: ProfileMapping;
}

export type ProviderConfig = OidcProviderConfig | OAuthProviderConfig;

export interface AuthConfig {
  readonly app: AppSettings;
  readonly providers: readonly ProviderConfig[];
  /** Where it came from: a file path, or `dev-idp` when the embedded provider stands in. */
  readonly source: string;
}

export function formatIssuePath(issuePath: readonly PropertyKey[]): string {
  let out = '';
  for (const key of issuePath) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out === '' ? '(root)' : out;
}

function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => describeIssue(issue, []));
}

/** One problem as `path: what is wrong`; an issue inside a union branch keeps its full path. */
function describeIssue(issue: z.core.$ZodIssue, prefix: readonly PropertyKey[]): string {
  const at = [...prefix, ...issue.path];
  if (issue.code === 'invalid_union') {
    const best = bestUnionBranch(issue);
    if (best) return best.map((inner) => describeIssue(inner, at)).join('; ');
  }
  let message = issue.message;
  if (issue.code === 'unrecognized_keys') message = `unknown field(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  // `input` is present because the file is parsed with `reportInput`; without it every type error read "is required".
  else if (issue.code === 'invalid_type' && 'input' in issue && issue.input === undefined) message = 'is required';
  return `${formatIssuePath(at)}: ${message}`;
}

/** For an OIDC-or-OAuth union, the branch the author evidently meant: the one with the fewest problems. */
function bestUnionBranch(issue: z.core.$ZodIssueInvalidUnion): readonly z.core.$ZodIssue[] | undefined {
  const best = [...issue.errors].sort((a, b) => a.length - b.length)[0];
  return best && best.length > 0 ? best : undefined;
}

function normalizeProvider(raw: RawOidc | RawOAuth, index: number, source: string): ProviderConfig {
  const base = {
    id: raw.id,
    label: raw.label,
    clientId: raw.clientId,
    clientSecret: raw.clientSecret,
    redirect: raw.redirect,
    authorizationParams: raw.authorizationParams,
    apiBaseUrl: raw.apiBaseUrl,
    userPath: raw.userPath,
  };
  for (const key of Object.keys(raw.authorizationParams)) {
    if (RESERVED_PARAMS.includes(key)) {
      throw configError([`providers[${index}].authorizationParams.${key}: is set by the app and cannot be overridden`], source);
    }
  }
  if ('issuer' in raw) {
    return { ...base, kind: 'oidc', issuer: raw.issuer, endSession: raw.endSession, scopes: raw.scopes ?? ['openid', 'profile', 'email', 'offline_access'] };
  }
  if (!raw.userinfoEndpoint && !(raw.apiBaseUrl && raw.userPath)) {
    throw configError([`providers[${index}]: a plain OAuth 2.0 provider needs "userinfoEndpoint", or "apiBaseUrl" with "userPath"`], source);
  }
  return {
    ...base,
    kind: 'oauth2',
    scopes: raw.scopes ?? [],
    authorizationEndpoint: raw.authorizationEndpoint,
    tokenEndpoint: raw.tokenEndpoint,
    revocationEndpoint: raw.revocationEndpoint,
    userinfoEndpoint: raw.userinfoEndpoint,
    profileMapping: raw.profileMapping,
  };
}

function configError(problems: string[], source?: string): AuthError {
  const where = source ? ` in ${source}` : '';
  return new AuthError('config_invalid', `The configuration${where} is invalid: ${problems.join('; ')}`, {
    details: { problems },
  });
}

/** Parse an already-read JSON value. Throws `AuthError('config_invalid')` naming every bad field. */
export function parseAuthConfig(input: unknown, source = 'auth.config.json'): AuthConfig {
  const parsed = fileSchema.safeParse(input, { reportInput: true });
  if (!parsed.success) throw configError(describeIssues(parsed.error), source);
  const providers = parsed.data.providers.map((raw, index) => normalizeProvider(raw, index, source));
  const seen = new Set<string>();
  providers.forEach((p, i) => {
    if (seen.has(p.id)) throw configError([`providers[${i}].id: "${p.id}" is registered twice`], source);
    seen.add(p.id);
  });
  return { app: parsed.data.app, providers, source };
}

export function parseAuthConfigText(text: string, source = 'auth.config.json'): AuthConfig {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw configError([`(root): not valid JSON (${error instanceof Error ? error.message : 'parse error'})`], source);
  }
  return parseAuthConfig(json, source);
}

/** `AUTH_CONFIG`, else `auth.config.json` in `cwd`. */
export function configPath(cwd: string, env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(cwd, env['AUTH_CONFIG'] ?? 'auth.config.json');
}

/** Reads the config file. `undefined` means there is none (the dev provider then stands in). */
export async function loadAuthConfigFile(file: string, required: boolean): Promise<AuthConfig | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' && !required) return undefined;
    throw configError([`(root): cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`], file);
  }
  return parseAuthConfigText(text, file);
}

export function findProvider(config: AuthConfig, id: string): ProviderConfig {
  const provider = config.providers.find((p) => p.id === id);
  if (!provider) throw new AuthError('unknown_provider', `No provider is registered as "${id}".`);
  return provider;
}

/** The redirect URI for the private-use scheme: `com.example.desktop:/callback` (RFC 8252 section 7.1, one slash). */
export function schemeRedirectUri(scheme: string): string {
  return `${scheme}:${CALLBACK_PATH}`;
}
