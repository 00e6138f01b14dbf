/**
 * Helpers for the remembered-login tests: the app's own vault opened from outside (same key file,
 * same conf store, same app id) to read or rewrite the stored record between runs, a cipher that
 * models Linux's `basic_text` backend, an app started with a clock the test moves (a machine that
 * slept), and the configs of the fixture providers.
 */
import { randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { createAesGcmCipher, loadOrCreateKeyFile } from '../../electron/auth/aes-gcm-cipher.js';
import { createConfStore, type RecoveringStore } from '../../electron/auth/conf-store.js';
import { parseAuthConfig, type AuthConfig } from '../../electron/auth/config.js';
import { createLogger, silentLogger, type LogRecord } from '../../electron/auth/logger.js';
import type { Cipher } from '../../electron/auth/ports.js';
import type { RefreshPolicy } from '../../electron/auth/refresh-policy.js';
import type { StoredSession } from '../../electron/auth/session-record.js';
import { SessionVault } from '../../electron/auth/vault.js';
import { startDevIdp, type DevIdp } from '../../electron/dev-idp/index.js';
import { devIdpConfig } from '../../electron/main/resolve-config.js';
import { startApp } from '../../electron/main/start-app.js';
import { launchChromium } from './chromium.js';
import type { GithubLikeProvider } from './fixtures/github-like.js';
import type { MisbehavingOidc } from './fixtures/misbehaving-oidc.js';
import { tempUserData, type HeadlessApp } from './headless-app.js';
import { createHeadlessPlatform } from './headless-platform.js';

/** The conf store name and key file the headless platform uses in its userData folder. */
export const STORE_NAME = 'session';
export const KEY_FILE = 'vault.key';

export interface AppVault {
  readonly vault: SessionVault;
  readonly store: RecoveringStore;
}

/** The vault exactly as the app in `userDataDir` opens it: what another process would see. */
export async function openAppVault(userDataDir: string, config: AuthConfig): Promise<AppVault> {
  const cipher = createAesGcmCipher(await loadOrCreateKeyFile(path.join(userDataDir, KEY_FILE)));
  const store = createConfStore({ cwd: userDataDir, configName: STORE_NAME });
  return { vault: new SessionVault({ cipher, store, appId: config.app.scheme, logger: silentLogger }), store };
}

/** The stored session; fails the test when there is none or it is bad. */
export async function readStored(userDataDir: string, config: AuthConfig): Promise<StoredSession> {
  const read = await (await openAppVault(userDataDir, config)).vault.read();
  if (read.kind !== 'ok') throw new Error(`expected a stored session, found ${JSON.stringify(read)}`);
  return read.session;
}

/** Whether any session record is on disk (without moving a bad one aside). */
export async function hasStoredRecord(userDataDir: string, config: AuthConfig): Promise<boolean> {
  return (await openAppVault(userDataDir, config)).store.get('session') !== undefined;
}

/**
 * Rewrites the stored record, as a new process would find it, so that its access token expired a
 * while ago (issued 11 minutes ago, expired 1 minute ago). Run it only while no app uses the folder.
 */
export async function expireStoredAccessToken(userDataDir: string, config: AuthConfig, now = Date.now()): Promise<StoredSession> {
  const { vault } = await openAppVault(userDataDir, config);
  const read = await vault.read();
  if (read.kind !== 'ok') throw new Error(`expected a stored session to expire, found ${read.kind}`);
  return vault.write({ ...read.session, issuedAt: now - 11 * 60_000, accessTokenExpiresAt: now - 60_000 });
}

/** Every file under the folder, relative, sorted. */
export async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

/** True when no file under `dir` contains `secret` (a token must never be on disk in the clear). */
export async function noFileContains(dir: string, secret: string): Promise<boolean> {
  for (const file of await listFiles(dir)) {
    // A lock file may come and go between listing and reading.
    const content = await readFile(path.join(dir, file)).catch(() => Buffer.alloc(0));
    if (content.includes(secret)) return false;
  }
  return true;
}

/**
 * The real AES cipher, but reporting what Linux's safeStorage says without a keyring. The key is
 * the test's (in memory), so the cipher itself leaves nothing on disk; pass the same key to read
 * back across restarts.
 */
export function basicTextCipher(key: Uint8Array = randomBytes(32)): Cipher {
  const real = createAesGcmCipher(key);
  return { ...real, protection: async () => ({ protected: false, backend: 'basic_text' }) };
}

/** The real AES cipher whose encryption can be made to fail, as a locked keyring would. */
export interface FailingCipher extends Cipher {
  failEncrypt: boolean;
}

export async function failingCipher(userDataDir: string): Promise<FailingCipher> {
  const real = createAesGcmCipher(await loadOrCreateKeyFile(path.join(userDataDir, KEY_FILE)));
  const cipher: FailingCipher = {
    failEncrypt: false,
    protection: () => real.protection(),
    decrypt: (data) => real.decrypt(data),
    encrypt: async (plaintext) => {
      if (cipher.failEncrypt) throw new Error('the keyring is locked');
      return real.encrypt(plaintext);
    },
  };
  return cipher;
}

/** A clock the test can move forward, as a machine waking from sleep sees it while timers did not run. */
export interface TestClock {
  now(): number;
  advance(ms: number): void;
}

export function testClock(): TestClock {
  let offset = 0;
  return {
    now: () => Date.now() + offset,
    advance: (ms) => {
      offset += ms;
    },
  };
}

/**
 * `startHeadlessApp` with a `now` option: the same composition root on the headless platform, with
 * no window. (The shared helper does not pass a clock through, and this one only needs these options.)
 */
export async function startAppWithClock(options: {
  browser: Browser;
  config: AuthConfig;
  clock: TestClock;
  userDataDir?: string;
  refreshPolicy?: Partial<RefreshPolicy>;
}): Promise<HeadlessApp> {
  const userDataDir = options.userDataDir ?? (await tempUserData());
  const logs: LogRecord[] = [];
  const logger = createLogger({ level: 'debug', sink: (r) => logs.push(r) });
  const platform = await createHeadlessPlatform({ browser: options.browser, userDataDir, scheme: options.config.app.scheme, logger, window: false });
  const app = await startApp(platform, {
    config: options.config,
    logger,
    now: options.clock.now,
    ...(options.refreshPolicy ? { refreshPolicy: options.refreshPolicy } : {}),
  });
  return {
    app,
    platform,
    logs,
    userDataDir,
    stop: async () => {
      await app.stop();
      await platform.close();
    },
  };
}

/** The misbehaving OIDC fixture as the app's only provider. */
export function misbehavingConfig(fx: MisbehavingOidc): AuthConfig {
  return parseAuthConfig({ providers: [{ id: 'fixture', label: 'Fixture provider', issuer: fx.issuer, clientId: fx.clientId }] }, 'test');
}

/** The GitHub-like fixture registered by endpoints, with its API, as a GitHub App would be. */
export function githubConfig(gh: GithubLikeProvider, overrides: Record<string, unknown> = {}): AuthConfig {
  return parseAuthConfig(
    {
      providers: [
        {
          id: 'github',
          label: 'GitHub',
          clientId: gh.clientId,
          clientSecret: gh.clientSecret,
          authorizationEndpoint: gh.authorizationEndpoint,
          tokenEndpoint: gh.tokenEndpoint,
          revocationEndpoint: gh.revocationEndpoint,
          apiBaseUrl: gh.apiBaseUrl,
          userPath: 'user',
          scopes: ['read:user', 'user:email'],
          profileMapping: { sub: 'id', name: 'name', email: 'email', picture: 'avatar_url' },
          ...overrides,
        },
      ],
    },
    'test',
  );
}

/** The config with `app` settings changed. */
export function withApp(config: AuthConfig, app: Partial<AuthConfig['app']>): AuthConfig {
  return { ...config, app: { ...config.app, ...app } };
}

/** Chromium plus a dev IdP that signs Alice in without a form: what most session tests share. */
export interface DevSuite {
  readonly browser: Browser;
  readonly idp: DevIdp;
  readonly config: AuthConfig;
  close(): Promise<void>;
}

export async function startDevSuite(): Promise<DevSuite> {
  const [browser, idp] = await Promise.all([launchChromium(), startDevIdp({ autoLogin: 'alice' })]);
  return {
    browser,
    idp,
    config: devIdpConfig(idp.issuer, idp.clientId),
    close: async () => {
      await idp.close();
      await browser.close();
    },
  };
}
