/** Shared pieces for the vault tests and their child processes: a real conf file, a real AES key. */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createAesGcmCipher, loadOrCreateKeyFile } from '../../electron/auth/aes-gcm-cipher.js';
import { createConfStore, type RecoveringStore } from '../../electron/auth/conf-store.js';
import { silentLogger, type Logger } from '../../electron/auth/logger.js';
import type { PendingAttemptRecord, StoredSession } from '../../electron/auth/session-record.js';
import { SessionVault } from '../../electron/auth/vault.js';

export const APP_ID = 'com.example.desktop';
export const CONFIG_NAME = 'session';
const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface VaultFixture {
  vault: SessionVault;
  store: RecoveringStore;
  keyFile: string;
}

export async function openVault(
  dir: string,
  options: { appId?: string; keyFile?: string; logger?: Logger; lockStaleMs?: number; lockTimeoutMs?: number } = {},
): Promise<VaultFixture> {
  const keyFile = options.keyFile ?? path.join(dir, 'session.key');
  const cipher = createAesGcmCipher(await loadOrCreateKeyFile(keyFile));
  const store = createConfStore({ cwd: dir, configName: CONFIG_NAME });
  const vault = new SessionVault({
    cipher,
    store,
    appId: options.appId ?? APP_ID,
    logger: options.logger ?? silentLogger,
    ...(options.lockStaleMs === undefined ? {} : { lockStaleMs: options.lockStaleMs }),
    ...(options.lockTimeoutMs === undefined ? {} : { lockTimeoutMs: options.lockTimeoutMs }),
  });
  return { vault, store, keyFile };
}

export function sampleSession(overrides: Partial<StoredSession> = {}): StoredSession {
  return {
    providerId: 'dev',
    profile: { sub: 'user-1', name: 'Ada Lovelace', email: 'ada@example.com', picture: null },
    tokens: { accessToken: 'access-1', refreshToken: 'refresh-1', idToken: 'id-1', tokenType: 'Bearer', scope: 'openid profile' },
    accessTokenExpiresAt: 1_700_000_600_000,
    issuedAt: 1_700_000_000_000,
    signedInAt: 1_700_000_000_000,
    lastRefreshAt: null,
    revision: 0,
    ...overrides,
  };
}

export function samplePending(overrides: Partial<PendingAttemptRecord> = {}): PendingAttemptRecord {
  return {
    providerId: 'dev',
    state: 'state-abc',
    nonce: 'nonce-abc',
    codeVerifier: 'verifier-abc',
    redirectUri: 'com.example.desktop:/callback',
    remember: true,
    createdAt: 1_000,
    expiresAt: 301_000,
    ...overrides,
  };
}

/** A child running a `tests/support/vault-*.ts` script under tsx, with its stdout as lines. */
export interface Child {
  process: ChildProcessWithoutNullStreams;
  /** Resolves with the next stdout line that satisfies `match` (rejects if the child exits first). */
  waitFor(match: (line: string) => boolean): Promise<string>;
  exited: Promise<number | null>;
}

export function spawnSupport(script: string, args: string[]): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'tests/support', script), ...args], {
    cwd: REPO_ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const waiters: { match: (line: string) => boolean; resolve: (line: string) => void }[] = [];
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  createInterface({ input: child.stdout }).on('line', (line) => {
    const index = waiters.findIndex((w) => w.match(line));
    if (index >= 0) waiters.splice(index, 1)[0]?.resolve(line);
    else lines.push(line);
  });
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  return {
    process: child,
    exited,
    waitFor: (match) => {
      const seen = lines.findIndex(match);
      if (seen >= 0) return Promise.resolve(lines.splice(seen, 1)[0] as string);
      return new Promise<string>((resolve, reject) => {
        waiters.push({ match, resolve });
        void exited.then((code) => reject(new Error(`${script} exited (${code}) before the expected line. stderr: ${stderr}`)));
      });
    },
  };
}

/** Kills a child that is still running and waits for it to be gone. */
export async function stopChild(child: Child): Promise<void> {
  if (child.process.exitCode === null && child.process.signalCode === null) child.process.kill('SIGKILL');
  await child.exited;
}
