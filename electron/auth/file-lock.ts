/**
 * Mutual exclusion between processes (and between callers in one process) through a lock file
 * created with O_EXCL. The file holds who took it and when, so a lock left by a crashed process
 * (its pid is gone) or a hung one (older than `staleMs`) can be taken over.
 *
 * Taking over is itself guarded by a short-lived second lock file: without it two waiters could
 * both judge the same lock stale, one replace it with its own, and the other delete that fresh lock.
 * Under the guard the lock is read again and removed only if it is still the stale one.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { mkdir, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { z } from 'zod';
import { AuthError } from './errors.js';

export interface FileLockOptions {
  /** Give up waiting after this long with `storage_unavailable`. */
  timeoutMs: number;
  /** A lock held longer than this is presumed abandoned; keep it above the longest work done under it. */
  staleMs: number;
}

const holderSchema = z.object({ pid: z.number().int(), host: z.string(), createdAt: z.number(), token: z.string() });
type Holder = z.infer<typeof holderSchema>;

/** A lock file still being written (open, then write) looks empty for an instant; allow it this long. */
const UNREADABLE_GRACE_MS = 1000;
const GUARD_STALE_MS = 2000;
const RETRY_MIN_MS = 5;
const RETRY_MAX_MS = 40;

export async function withFileLock<T>(lockPath: string, fn: () => Promise<T>, options: FileLockOptions): Promise<T> {
  const token = await acquire(lockPath, options);
  try {
    return await fn();
  } finally {
    await release(lockPath, token);
  }
}

async function acquire(lockPath: string, options: FileLockOptions): Promise<string> {
  const deadline = Date.now() + options.timeoutMs;
  const token = randomUUID();
  await mkdir(path.dirname(lockPath), { recursive: true });
  for (;;) {
    const holder: Holder = { pid: process.pid, host: hostname(), createdAt: Date.now(), token };
    if (await createExclusive(lockPath, JSON.stringify(holder))) return token;
    if (await removeIfStale(lockPath, options.staleMs)) continue;
    if (Date.now() >= deadline) {
      throw new AuthError('storage_unavailable', `Another copy of the app kept the storage lock ${lockPath} for over ${options.timeoutMs} ms.`);
    }
    // Randomized so waiters that retry together do not keep colliding.
    await delay(randomInt(RETRY_MIN_MS, RETRY_MAX_MS));
  }
}

/** Removes the lock only if it is still ours: after a takeover it belongs to someone else. */
async function release(lockPath: string, token: string): Promise<void> {
  const current = await readHolder(lockPath);
  if (current.kind === 'holder' && current.holder.token === token) await unlink(lockPath).catch(ignoreMissing);
}

/** true = created; false = it exists. Other failures are storage errors. */
async function createExclusive(file: string, content: string): Promise<boolean> {
  try {
    await writeFile(file, content, { flag: 'wx', mode: 0o600 });
    return true;
  } catch (error) {
    if (errorCode(error) === 'EEXIST') return false;
    throw new AuthError('storage_unavailable', `The app cannot create the lock file ${file} (${errorCode(error) ?? 'error'}).`, { cause: error });
  }
}

type LockState = { kind: 'missing' } | { kind: 'holder'; holder: Holder; raw: string } | { kind: 'unreadable'; raw: string; ageMs: number };

async function readHolder(file: string): Promise<LockState> {
  let raw: string;
  let ageMs: number;
  try {
    const [text, info] = await Promise.all([readFile(file, 'utf8'), stat(file)]);
    raw = text;
    ageMs = Date.now() - info.mtimeMs;
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return { kind: 'missing' };
    throw new AuthError('storage_unavailable', `The app cannot read the lock file ${file} (${errorCode(error) ?? 'error'}).`, { cause: error });
  }
  try {
    const holder = holderSchema.safeParse(JSON.parse(raw));
    if (holder.success) return { kind: 'holder', holder: holder.data, raw };
  } catch {
    // Not JSON: judged by its age below.
  }
  return { kind: 'unreadable', raw, ageMs };
}

function isStale(state: LockState, staleMs: number): boolean {
  if (state.kind === 'missing') return true;
  if (state.kind === 'unreadable') return state.ageMs > Math.min(staleMs, UNREADABLE_GRACE_MS);
  const { holder } = state;
  if (Date.now() - holder.createdAt > staleMs) return true;
  // A pid means something only on the machine that wrote it (home folders can be shared).
  return holder.host === hostname() && !isProcessAlive(holder.pid);
}

export function isProcessAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return errorCode(error) === 'EPERM';
  }
}

/** true when the lock is gone (or was removed here) and creating it is worth trying again now. */
async function removeIfStale(lockPath: string, staleMs: number): Promise<boolean> {
  const seen = await readHolder(lockPath);
  if (seen.kind === 'missing') return true;
  if (!isStale(seen, staleMs)) return false;

  const guardPath = `${lockPath}.takeover`;
  const guard: Holder = { pid: process.pid, host: hostname(), createdAt: Date.now(), token: randomUUID() };
  if (!(await createExclusive(guardPath, JSON.stringify(guard)))) {
    const other = await readHolder(guardPath);
    if (other.kind !== 'missing' && isStale(other, GUARD_STALE_MS)) await unlink(guardPath).catch(ignoreMissing);
    return false;
  }
  try {
    const now = await readHolder(lockPath);
    if (now.kind === 'missing') return true;
    if (now.raw !== seen.raw) return false;
    await unlink(lockPath).catch(ignoreMissing);
    return true;
  } finally {
    await unlink(guardPath).catch(ignoreMissing);
  }
}

function ignoreMissing(error: unknown): void {
  if (errorCode(error) !== 'ENOENT') throw error;
}

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}
