/**
 * The remembered session and the pending sign-in, encrypted, versioned and safe to share between
 * copies of the app running at once.
 *
 * On disk each record is a JSON envelope `{ v, app, data: base64(ciphertext) }` under its key. The
 * plaintext repeats `v` and `app` and names its key (`kind`), so a record copied from another app or
 * moved to the other key fails the check even though it decrypts. A record that fails any check is
 * moved aside to a quarantine file next to the store, never silently dropped, and reported.
 *
 * Cross-process choice: with refresh-token rotation, two processes refreshing with the same refresh
 * token burn it (the provider sees the reuse and revokes the grant). So read-refresh-write runs
 * under a lock file (`withLock`), and every write bumps `revision`: a process that waited for the
 * lock reads the record again, sees a higher revision with the other's rotated token, and adopts it
 * instead of refreshing. Reads need no lock: the store replaces its file atomically.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { AuthError, isAuthError } from './errors.js';
import { withFileLock } from './file-lock.js';
import type { Logger } from './logger.js';
import type { Cipher, Store } from './ports.js';
import {
  pendingAttemptRecordSchema,
  RECORD_VERSION,
  storedSessionSchema,
  type PendingAttemptRecord,
  type RecordKind,
  type StoredSession,
} from './session-record.js';

export type VaultProblem = 'corrupt' | 'undecryptable' | 'unknown_version' | 'other_app';

export type VaultRead =
  | { kind: 'empty' }
  | { kind: 'ok'; session: StoredSession }
  | { kind: 'bad'; problem: VaultProblem; movedTo: string };

/** A store that may have moved a corrupt file aside on its own (conf-store does); the vault reports it. */
type MaybeRecoveringStore = Store & { takeRecovered?: () => string[] };

export interface VaultOptions {
  cipher: Cipher;
  store: MaybeRecoveringStore;
  /** Records written by another app (or another build sharing the folder) are refused. */
  appId: string;
  logger: Logger;
  /** Default: `<store file>.lock`. */
  lockPath?: string;
  /** How long to wait for another process's lock; default 15 s. */
  lockTimeoutMs?: number;
  /** When a held lock is presumed abandoned; default 60 s, above any refresh's request timeout. */
  lockStaleMs?: number;
}

const envelopeSchema = z.object({ v: z.unknown(), app: z.unknown(), data: z.unknown() });
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

const innerSchema = z.object({ v: z.unknown(), app: z.unknown(), kind: z.unknown(), record: z.unknown() });

interface Records {
  session: StoredSession;
  pending: PendingAttemptRecord;
}
const SCHEMAS: { [K in RecordKind]: z.ZodType<Records[K]> } = {
  session: storedSessionSchema,
  pending: pendingAttemptRecordSchema,
};

type Decoded<T> = { kind: 'ok'; value: T } | { kind: 'bad'; problem: VaultProblem };
type Checked<T> = { kind: 'empty' } | { kind: 'ok'; value: T } | { kind: 'bad'; problem: VaultProblem; movedTo: string };

export class SessionVault {
  readonly #cipher: Cipher;
  readonly #store: MaybeRecoveringStore;
  readonly #appId: string;
  readonly #logger: Logger;
  readonly #lockPath: string;
  readonly #lockTimeoutMs: number;
  readonly #lockStaleMs: number;
  /** Marks async work already inside this vault's lock, so vault calls made there do not wait on themselves. */
  readonly #insideLock = new AsyncLocalStorage<true>();
  /** The tail of this process's queue for the lock. */
  #queue: Promise<unknown> = Promise.resolve();
  /** Where the store put a whole unreadable file, until a session read reports it. */
  #lostToRecovery: string | undefined;

  constructor(options: VaultOptions) {
    this.#cipher = options.cipher;
    this.#store = options.store;
    this.#appId = options.appId;
    this.#logger = options.logger;
    this.#lockPath = options.lockPath ?? `${options.store.path}.lock`;
    this.#lockTimeoutMs = options.lockTimeoutMs ?? 15_000;
    this.#lockStaleMs = options.lockStaleMs ?? 60_000;
  }

  /** Never throws for bad data: moves it aside and reports it. Throws only when storage is unusable. */
  async read(): Promise<VaultRead> {
    const result = await this.#readChecked('session');
    if (result.kind === 'ok') return { kind: 'ok', session: result.value };
    if (result.kind === 'empty' && this.#lostToRecovery !== undefined) {
      const movedTo = this.#lostToRecovery;
      this.#lostToRecovery = undefined;
      return { kind: 'bad', problem: 'corrupt', movedTo };
    }
    return result;
  }

  /** Writes with `revision` = the revision on disk + 1, and returns what it wrote. */
  async write(session: StoredSession): Promise<StoredSession> {
    return this.withLock(async () => {
      const current = await this.#readChecked('session');
      const revision = current.kind === 'ok' ? current.value.revision + 1 : 1;
      const written = await this.#put('session', { ...session, revision });
      this.#lostToRecovery = undefined;
      return written;
    });
  }

  async remove(): Promise<void> {
    // Nothing to remove is the common case (remember off): answer it without taking the lock.
    if (!this.#insideLock.getStore() && this.#get('session') === undefined) return;
    await this.withLock(async () => {
      this.#delete('session');
      this.#lostToRecovery = undefined;
    });
  }

  /**
   * Serialises read-refresh-write across processes. Re-entrant: vault calls made inside `fn` run in
   * its lock instead of waiting for it (work `fn` leaves running after it returns must not use it).
   */
  async withLock<T>(fn: () => Promise<T>): Promise<T> {
    if (this.#insideLock.getStore()) return fn();
    const locked = (): Promise<T> =>
      withFileLock(this.#lockPath, () => this.#insideLock.run(true, fn), {
        timeoutMs: this.#lockTimeoutMs,
        staleMs: this.#lockStaleMs,
      });
    // Callers in this process queue here instead of polling the lock file (which waits 5-40 ms per
    // try), with the same deadline a waiter for the file lock has: a holder that hangs (a keychain
    // prompt) fails its waiters with storage_unavailable instead of blocking them for ever.
    const result = this.#waitForTurn(this.#queue).then(locked);
    this.#queue = result.catch(() => undefined);
    return result;
  }

  #waitForTurn(previous: Promise<unknown>): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new AuthError('storage_unavailable', 'The saved session is busy in this app; try again.')),
        this.#lockTimeoutMs,
      );
    });
    return Promise.race([previous.then(() => undefined), deadline]).finally(() => clearTimeout(timer));
  }

  async writePending(pending: PendingAttemptRecord): Promise<void> {
    await this.withLock(async () => {
      // Replacing a bad record must not drop it silently: reading moves it aside first.
      await this.#readChecked('pending');
      await this.#put('pending', pending);
    });
  }

  /** One use: read and removed together. Undefined when absent, expired, or bad (moved aside). */
  async takePending(now: number): Promise<PendingAttemptRecord | undefined> {
    return this.withLock(async () => {
      const result = await this.#readChecked('pending');
      if (result.kind !== 'ok') return undefined;
      this.#delete('pending');
      return now < result.value.expiresAt ? result.value : undefined;
    });
  }

  async clearPending(): Promise<void> {
    await this.withLock(async () => this.#delete('pending'));
  }

  /**
   * Reads and checks a record. A bad one is moved aside under the lock, and only if it is still the
   * same value: another process may have replaced it with a good record meanwhile.
   */
  async #readChecked<K extends RecordKind>(kind: K): Promise<Checked<Records[K]>> {
    for (;;) {
      const raw = this.#get(kind);
      if (raw === undefined) return { kind: 'empty' };
      const decoded = await this.#decode(kind, raw);
      if (decoded.kind === 'ok') return decoded;
      const movedTo = await this.withLock(async () => {
        if (this.#get(kind) !== raw) return undefined;
        return this.#quarantine(kind, raw, decoded.problem);
      });
      if (movedTo !== undefined) return { kind: 'bad', problem: decoded.problem, movedTo };
    }
  }

  async #decode<K extends RecordKind>(kind: K, raw: string): Promise<Decoded<Records[K]>> {
    const bad = (problem: VaultProblem): Decoded<Records[K]> => ({ kind: 'bad', problem });
    const envelope = envelopeSchema.safeParse(parseJson(raw));
    if (!envelope.success) return bad('corrupt');
    const { v, app, data } = envelope.data;
    if (v !== RECORD_VERSION) return bad(typeof v === 'number' ? 'unknown_version' : 'corrupt');
    if (typeof app !== 'string' || typeof data !== 'string' || !BASE64.test(data)) return bad('corrupt');
    if (app !== this.#appId) return bad('other_app');

    let plaintext: string;
    try {
      plaintext = await this.#cipher.decrypt(new Uint8Array(Buffer.from(data, 'base64')));
    } catch (error) {
      // The OS keyring being locked is not bad data: keep the record and report the storage problem.
      if (isAuthError(error, 'storage_unavailable')) throw error;
      return bad('undecryptable');
    }

    const inner = innerSchema.safeParse(parseJson(plaintext));
    if (!inner.success || inner.data.v !== RECORD_VERSION) return bad('corrupt');
    if (inner.data.app !== this.#appId) return bad('other_app');
    if (inner.data.kind !== kind) return bad('corrupt');
    const record = (SCHEMAS[kind] as z.ZodType<Records[K]>).safeParse(inner.data.record);
    return record.success ? { kind: 'ok', value: record.data } : bad('corrupt');
  }

  async #put<K extends RecordKind>(kind: K, value: Records[K]): Promise<Records[K]> {
    // Checked on the way in too, so the vault never writes what it would refuse to read back.
    const record = (SCHEMAS[kind] as z.ZodType<Records[K]>).safeParse(value);
    if (!record.success) throw new AuthError('internal', `The ${kind} record to store is malformed.`, { details: { issues: record.error.issues.map((i) => i.path.join('.')) } });
    const plaintext = JSON.stringify({ v: RECORD_VERSION, app: this.#appId, kind, record: record.data });
    let ciphertext: Uint8Array;
    try {
      ciphertext = await this.#cipher.encrypt(plaintext);
    } catch (error) {
      throw new AuthError('storage_unavailable', 'The session cannot be encrypted on this system, so it was not saved.', { cause: error });
    }
    const envelope = JSON.stringify({ v: RECORD_VERSION, app: this.#appId, data: Buffer.from(ciphertext).toString('base64') });
    this.#storeCall(() => this.#store.set(kind, envelope));
    return record.data;
  }

  #get(kind: RecordKind): string | undefined {
    return this.#storeCall(() => this.#store.get(kind));
  }

  #delete(kind: RecordKind): void {
    // Rewriting the file (temp file, fsync, rename) for a key that is not there costs milliseconds.
    if (this.#get(kind) === undefined) return;
    this.#storeCall(() => this.#store.delete(kind));
  }

  #storeCall<T>(operation: () => T): T {
    try {
      return operation();
    } catch (error) {
      if (isAuthError(error)) throw error;
      throw new AuthError('storage_unavailable', `The app cannot use its storage file ${this.#store.path}.`, { cause: error });
    } finally {
      this.#noteStoreRecovery();
    }
  }

  /** The store moved its whole unreadable file aside: any session in it is lost, so the next read says so. */
  #noteStoreRecovery(): void {
    for (const movedTo of this.#store.takeRecovered?.() ?? []) {
      this.#logger.warn('vault: the storage file was unreadable and was moved aside', { movedTo });
      this.#lostToRecovery = movedTo;
    }
  }

  /** Writes the raw value to `<kind>-quarantine-<time>-<problem>.json` beside the store, then removes it. */
  async #quarantine(kind: RecordKind, raw: string, problem: VaultProblem): Promise<string> {
    const folder = path.dirname(this.#store.path);
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    for (let n = 1; ; n++) {
      const movedTo = path.join(folder, `${kind}-quarantine-${stamp}${n > 1 ? `-${n}` : ''}-${problem}.json`);
      try {
        await writeFile(movedTo, raw, { flag: 'wx', mode: 0o600 });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue;
        throw new AuthError('storage_unavailable', `The app cannot move a bad ${kind} record aside to ${movedTo}.`, { cause: error });
      }
      this.#delete(kind);
      this.#logger.warn('vault: a stored record failed its checks and was moved aside', { record: kind, problem, movedTo });
      return movedTo;
    }
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
