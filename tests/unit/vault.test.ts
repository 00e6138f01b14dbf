import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { appendFile, mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAesGcmCipher, loadOrCreateKeyFile } from '../../electron/auth/aes-gcm-cipher.js';
import { createConfStore } from '../../electron/auth/conf-store.js';
import { AuthError, isAuthError } from '../../electron/auth/errors.js';
import { withFileLock } from '../../electron/auth/file-lock.js';
import { createLogger, type LogRecord } from '../../electron/auth/logger.js';
import type { Cipher } from '../../electron/auth/ports.js';
import { SessionVault, type VaultProblem } from '../../electron/auth/vault.js';
import { APP_ID, CONFIG_NAME, openVault, samplePending, sampleSession, spawnSupport, stopChild, type Child } from '../support/vault-fixtures.js';

let dir: string;
const children: Child[] = [];

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'vault-'));
});
afterEach(async () => {
  await Promise.all(children.splice(0).map(stopChild));
  await rm(dir, { recursive: true, force: true });
});

const storeFile = (): string => path.join(dir, `${CONFIG_NAME}.json`);
const isStorageUnavailable = (e: unknown): boolean => isAuthError(e, 'storage_unavailable');

/** A pid that surely belongs to no running process: a child that has already exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(child.stdout.toString());
}

function flipBit(bytes: Uint8Array, bit: number): Uint8Array {
  const out = Uint8Array.from(bytes);
  out[bit >> 3]! ^= 1 << (bit & 7);
  return out;
}

interface Envelope {
  v: unknown;
  app: unknown;
  data: string;
}
const parseEnvelope = (raw: string): Envelope => JSON.parse(raw) as Envelope;

describe('SessionVault: round trip', () => {
  it('writes encrypted, reads back what it wrote, and counts revisions from the disk', async () => {
    const { vault } = await openVault(dir);
    expect(await vault.read()).toEqual({ kind: 'empty' });

    const first = await vault.write(sampleSession({ revision: 99 }));
    expect(first.revision).toBe(1);
    expect(await vault.read()).toEqual({ kind: 'ok', session: first });

    const second = await vault.write(sampleSession({ tokens: { ...sampleSession().tokens, accessToken: 'access-2' } }));
    expect(second.revision).toBe(2);
    expect(await vault.read()).toEqual({ kind: 'ok', session: second });

    const onDisk = await readFile(storeFile(), 'utf8');
    expect(onDisk).not.toContain('access-2');
    expect(onDisk).not.toContain('refresh-1');
    expect(onDisk).not.toContain('ada@example.com');
    expect(parseEnvelope(JSON.parse(onDisk).session as string)).toMatchObject({ v: 1, app: APP_ID });
    if (process.platform !== 'win32') expect((await stat(storeFile())).mode & 0o777).toBe(0o600);
  });

  it('lets a second instance (another process, in effect) see each write at once', async () => {
    const a = await openVault(dir);
    const b = await openVault(dir);
    await a.vault.write(sampleSession());
    const seen = await b.vault.read();
    expect(seen.kind === 'ok' && seen.session.revision).toBe(1);
    const next = await b.vault.write(sampleSession({ tokens: { ...sampleSession().tokens, refreshToken: 'refresh-2' } }));
    expect(next.revision).toBe(2);
    expect(await a.vault.read()).toEqual({ kind: 'ok', session: next });
  });

  it('drops unknown fields instead of storing them', async () => {
    const { vault } = await openVault(dir);
    const written = await vault.write({ ...sampleSession(), extra: 'not part of the record' } as ReturnType<typeof sampleSession>);
    expect(written).not.toHaveProperty('extra');
    expect(await vault.read()).toEqual({ kind: 'ok', session: written });
  });

  it('refuses to write a malformed session rather than store what it could not read back', async () => {
    const { vault } = await openVault(dir);
    await expect(vault.write(sampleSession({ tokens: { ...sampleSession().tokens, accessToken: '' } }))).rejects.toSatisfy((e) =>
      isAuthError(e, 'internal'),
    );
    expect(await vault.read()).toEqual({ kind: 'empty' });
  });

  it('removes the session, and removing nothing is fine', async () => {
    const { vault } = await openVault(dir);
    await vault.remove();
    await vault.write(sampleSession());
    await vault.remove();
    expect(await vault.read()).toEqual({ kind: 'empty' });
  });
});

describe('SessionVault: a bad record is moved aside and reported, never thrown', () => {
  /** Each case leaves a bad `session` value in the store and names the problem the vault must report. */
  const cases: { name: string; problem: VaultProblem; tamper: () => Promise<void> }[] = [
    {
      name: 'one flipped bit in the envelope data',
      problem: 'undecryptable',
      tamper: async () => {
        const { store } = await openVault(dir);
        const envelope = parseEnvelope(store.get('session')!);
        const flipped = flipBit(Buffer.from(envelope.data, 'base64'), 77);
        store.set('session', JSON.stringify({ ...envelope, data: Buffer.from(flipped).toString('base64') }));
      },
    },
    {
      name: 'one flipped bit in the envelope JSON text',
      problem: 'corrupt',
      tamper: async () => {
        const { store } = await openVault(dir);
        const raw = Buffer.from(store.get('session')!);
        store.set('session', Buffer.from(flipBit(raw, 0)).toString()); // "{" becomes "z"
      },
    },
    {
      name: 'a truncated record',
      problem: 'corrupt',
      tamper: async () => {
        const { store } = await openVault(dir);
        const raw = store.get('session')!;
        store.set('session', raw.slice(0, raw.length - 10));
      },
    },
    {
      name: 'bytes appended to the ciphertext',
      problem: 'undecryptable',
      tamper: async () => {
        const { store } = await openVault(dir);
        const envelope = parseEnvelope(store.get('session')!);
        const longer = Buffer.concat([Buffer.from(envelope.data, 'base64'), Buffer.from([1, 2, 3])]);
        store.set('session', JSON.stringify({ ...envelope, data: longer.toString('base64') }));
      },
    },
    {
      name: 'data that is not base64',
      problem: 'corrupt',
      tamper: async () => {
        const { store } = await openVault(dir);
        store.set('session', JSON.stringify({ ...parseEnvelope(store.get('session')!), data: 'not*base64!' }));
      },
    },
    {
      name: 'a record written with another key',
      problem: 'undecryptable',
      tamper: async () => {
        const { vault } = await openVault(dir, { keyFile: path.join(dir, 'other.key') });
        await vault.write(sampleSession());
      },
    },
    {
      name: 'an unknown version',
      problem: 'unknown_version',
      tamper: async () => {
        const { store } = await openVault(dir);
        store.set('session', JSON.stringify({ ...parseEnvelope(store.get('session')!), v: 2 }));
      },
    },
    {
      name: 'a record from another app',
      problem: 'other_app',
      tamper: async () => {
        const { vault } = await openVault(dir, { appId: 'com.other.app' });
        await vault.write(sampleSession());
      },
    },
    {
      name: "another app's record relabelled as ours (caught inside the ciphertext)",
      problem: 'other_app',
      tamper: async () => {
        const { vault, store } = await openVault(dir, { appId: 'com.other.app' });
        await vault.write(sampleSession());
        store.set('session', JSON.stringify({ ...parseEnvelope(store.get('session')!), app: APP_ID }));
      },
    },
    {
      name: 'a pending record moved into the session key',
      problem: 'corrupt',
      tamper: async () => {
        const { vault, store } = await openVault(dir);
        await vault.writePending(samplePending());
        store.set('session', store.get('pending')!);
      },
    },
    {
      name: 'an authentic record whose fields are wrong',
      problem: 'corrupt',
      tamper: async () => {
        const { store, keyFile } = await openVault(dir);
        const cipher = createAesGcmCipher(await loadOrCreateKeyFile(keyFile));
        const inner = JSON.stringify({ v: 1, app: APP_ID, kind: 'session', record: { providerId: 'dev' } });
        const data = Buffer.from(await cipher.encrypt(inner)).toString('base64');
        store.set('session', JSON.stringify({ v: 1, app: APP_ID, data }));
      },
    },
    {
      name: 'a value that is not a string',
      problem: 'corrupt',
      tamper: async () => {
        const text = JSON.parse(await readFile(storeFile(), 'utf8')) as Record<string, unknown>;
        await writeFile(storeFile(), JSON.stringify({ ...text, session: { v: 1 } }));
      },
    },
  ];

  for (const { name, problem, tamper } of cases) {
    it(`${name} -> ${problem}`, async () => {
      const logs: LogRecord[] = [];
      const { vault } = await openVault(dir, { logger: createLogger({ level: 'debug', sink: (r) => logs.push(r) }) });
      await vault.write(sampleSession());
      await vault.writePending(samplePending());
      await tamper();
      const rawBefore = (JSON.parse(await readFile(storeFile(), 'utf8')) as Record<string, unknown>)['session'];

      const result = await vault.read();
      expect(result).toMatchObject({ kind: 'bad', problem });
      if (result.kind !== 'bad') return;
      expect(path.dirname(result.movedTo)).toBe(dir);
      expect(path.basename(result.movedTo)).toMatch(new RegExp(`^session-quarantine-.+-${problem}\\.json$`));
      const kept = await readFile(result.movedTo, 'utf8');
      expect(kept).toBe(typeof rawBefore === 'string' ? rawBefore : JSON.stringify(rawBefore));

      expect(await vault.read()).toEqual({ kind: 'empty' });
      expect(await vault.takePending(2_000)).toEqual(samplePending()); // the other record is untouched
      expect(logs.some((r) => r.level === 'warn' && r['problem'] === problem && r['movedTo'] === result.movedTo)).toBe(true);
      expect(JSON.stringify(logs)).not.toMatch(/access-1|refresh-1/);
    });
  }

  it('a session record moved into the pending key is not used, and is moved aside', async () => {
    const { vault, store } = await openVault(dir);
    await vault.write(sampleSession());
    store.set('pending', store.get('session')!);
    expect(await vault.takePending(2_000)).toBeUndefined();
    const files = await readdir(dir);
    expect(files.some((f) => /^pending-quarantine-.+-corrupt\.json$/.test(f))).toBe(true);
    expect(store.get('pending')).toBeUndefined();
    expect((await vault.read()).kind).toBe('ok');
  });

  it('a bad record is moved aside before a write replaces it', async () => {
    const { vault, store } = await openVault(dir);
    store.set('session', 'garbage');
    const written = await vault.write(sampleSession());
    expect(written.revision).toBe(1);
    expect((await readdir(dir)).some((f) => /^session-quarantine-.+-corrupt\.json$/.test(f))).toBe(true);
  });
});

describe('SessionVault: an unreadable store file', () => {
  for (const [name, damage] of [
    ['truncated', async () => writeFile(storeFile(), (await readFile(storeFile(), 'utf8')).slice(0, 40))],
    ['with bytes appended', async () => appendFile(storeFile(), '\u0000garbage')],
    ['all garbage', async () => writeFile(storeFile(), Buffer.from([0xff, 0x00, 0x13, 0x37]))],
    ['valid JSON but not an object', async () => writeFile(storeFile(), '["session"]')],
  ] as const) {
    it(`${name}: moved aside whole, reported once as corrupt, then empty and writable`, async () => {
      const { vault } = await openVault(dir);
      await vault.write(sampleSession());
      const before = await readFile(storeFile());
      await damage();
      const damaged = await readFile(storeFile());
      expect(damaged.equals(before)).toBe(false);

      const result = await vault.read();
      expect(result).toMatchObject({ kind: 'bad', problem: 'corrupt' });
      if (result.kind !== 'bad') return;
      expect(path.basename(result.movedTo)).toMatch(/^session\.json\.corrupt-\d+/);
      expect((await readFile(result.movedTo)).equals(damaged)).toBe(true);
      expect(await vault.read()).toEqual({ kind: 'empty' });
      expect((await vault.write(sampleSession())).revision).toBe(1);
    });
  }

  it('a garbage file found when the store opens is moved aside and reported', async () => {
    await writeFile(storeFile(), '{ not json');
    const recovered: string[] = [];
    const store = createConfStore({ cwd: dir, configName: CONFIG_NAME, onRecovered: (p) => recovered.push(p) });
    expect(recovered).toHaveLength(1);
    expect(await readFile(recovered[0]!, 'utf8')).toBe('{ not json');
    const vault = new SessionVault({
      cipher: createAesGcmCipher(await loadOrCreateKeyFile(path.join(dir, 'k.key'))),
      store,
      appId: APP_ID,
      logger: createLogger({ sink: () => undefined }),
    });
    expect(await vault.read()).toEqual({ kind: 'bad', problem: 'corrupt', movedTo: recovered[0] });
    expect(await vault.read()).toEqual({ kind: 'empty' });
    expect(store.takeRecovered()).toEqual([]);
  });
});

describe('SessionVault: pending sign-in', () => {
  it('is used once', async () => {
    const { vault } = await openVault(dir);
    expect(await vault.takePending(2_000)).toBeUndefined();
    await vault.writePending(samplePending());
    expect(await vault.takePending(2_000)).toEqual(samplePending());
    expect(await vault.takePending(2_000)).toBeUndefined();
  });

  it('is not returned once expired, and is removed', async () => {
    const { vault, store } = await openVault(dir);
    await vault.writePending(samplePending({ expiresAt: 5_000 }));
    expect(await vault.takePending(5_000)).toBeUndefined();
    expect(store.get('pending')).toBeUndefined();
  });

  it('is replaced by a newer attempt, cleared on request, and never touches the session', async () => {
    const { vault } = await openVault(dir);
    await vault.write(sampleSession());
    await vault.writePending(samplePending({ state: 'first' }));
    await vault.writePending(samplePending({ state: 'second' }));
    expect((await vault.takePending(2_000))?.state).toBe('second');
    await vault.writePending(samplePending());
    await vault.clearPending();
    expect(await vault.takePending(2_000)).toBeUndefined();
    expect((await vault.read()).kind).toBe('ok');
  });
});

describe('SessionVault: storage that cannot encrypt or decrypt', () => {
  /** A cipher standing in for an OS keyring that is missing or locked (safeStorage unavailable). */
  const unavailableCipher: Cipher = {
    protection: async () => ({ protected: false, backend: 'unavailable' }),
    encrypt: async () => {
      throw new Error('Encryption is not available.');
    },
    decrypt: async () => {
      throw new AuthError('storage_unavailable', 'The keyring is locked.');
    },
  };

  it('a write fails with storage_unavailable and stores nothing', async () => {
    const store = createConfStore({ cwd: dir, configName: CONFIG_NAME });
    const vault = new SessionVault({ cipher: unavailableCipher, store, appId: APP_ID, logger: createLogger({ sink: () => undefined }) });
    await expect(vault.write(sampleSession())).rejects.toSatisfy(isStorageUnavailable);
    await expect(vault.writePending(samplePending())).rejects.toSatisfy(isStorageUnavailable);
    expect(store.get('session')).toBeUndefined();
  });

  it('a read while the keyring is locked reports it and keeps the record', async () => {
    const { vault, store } = await openVault(dir);
    await vault.write(sampleSession());
    const locked = new SessionVault({ cipher: unavailableCipher, store, appId: APP_ID, logger: createLogger({ sink: () => undefined }) });
    await expect(locked.read()).rejects.toSatisfy(isStorageUnavailable);
    expect((await vault.read()).kind).toBe('ok');
  });
});

describe('SessionVault.withLock', () => {
  it('admits one holder at a time, across vault instances', async () => {
    const vaults = [(await openVault(dir)).vault, (await openVault(dir)).vault];
    let inside = 0;
    let most = 0;
    const probe = path.join(dir, 'probe');
    await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        vaults[i % 2]!.withLock(async () => {
          most = Math.max(most, ++inside);
          await writeFile(probe, String(i)); // real I/O: other holders would run here if admitted
          expect(await readFile(probe, 'utf8')).toBe(String(i));
          inside--;
        }),
      ),
    );
    expect(most).toBe(1);
    expect(existsSync(`${storeFile()}.lock`)).toBe(false);
  });

  it('is re-entrant: vault calls inside it do not wait for it', async () => {
    const { vault } = await openVault(dir, { lockTimeoutMs: 500 });
    const written = await vault.withLock(async () => {
      const current = await vault.read();
      expect(current.kind).toBe('empty');
      return vault.write(sampleSession());
    });
    expect(written.revision).toBe(1);
  });

  it('lets a waiter see the holder’s rotated token instead of refreshing with a burnt one', async () => {
    const a = (await openVault(dir)).vault;
    const b = (await openVault(dir)).vault;
    await a.write(sampleSession());
    const order: string[] = [];
    let enteredA!: () => void;
    const aInside = new Promise<void>((resolve) => (enteredA = resolve));
    const first = a.withLock(async () => {
      enteredA();
      const seen = await a.read();
      order.push('a-read');
      if (seen.kind !== 'ok') throw new Error('expected a session');
      for (let i = 0; i < 20; i++) await stat(storeFile()); // stands in for the refresh request's I/O
      await a.write({ ...seen.session, tokens: { ...seen.session.tokens, refreshToken: 'refresh-rotated' } });
      order.push('a-wrote');
    });
    await aInside;
    const second = b.withLock(async () => {
      order.push('b-entered');
      return b.read();
    });
    const [, seenByB] = await Promise.all([first, second]);
    expect(order).toEqual(['a-read', 'a-wrote', 'b-entered']);
    expect(seenByB).toMatchObject({ kind: 'ok', session: { revision: 2, tokens: { refreshToken: 'refresh-rotated' } } });
  });

  it('excludes another process holding it, and is taken as soon as that process lets go', async () => {
    const holder = spawnSupport('vault-lock-holder.ts', [dir]);
    children.push(holder);
    await holder.waitFor((l) => l === 'locked');

    // The patient waiter starts first, so it is kept out for as long as the impatient one waits.
    const patient = (await openVault(dir)).vault;
    let releaseSent = false;
    const entered = patient.withLock(async () => releaseSent);
    const impatient = (await openVault(dir, { lockTimeoutMs: 300 })).vault;
    await expect(impatient.withLock(async () => 'entered')).rejects.toSatisfy(isStorageUnavailable);

    releaseSent = true;
    holder.process.stdin.write('release\n');
    expect(await entered).toBe(true);
    expect(await holder.exited).toBe(0);
  });
});

describe('withFileLock', () => {
  const options = { timeoutMs: 5_000, staleMs: 60_000 };
  const lockPath = (): string => path.join(dir, 'test.lock');
  const holderText = (pid: number, createdAt: number): string =>
    JSON.stringify({ pid, host: hostname(), createdAt, token: 'someone-else' });

  it('keeps two processes from losing each other’s updates', async () => {
    const counter = path.join(dir, 'counter');
    await writeFile(counter, '0');
    const workers = [0, 1].map(() => spawnSupport('vault-counter.ts', [lockPath(), counter, '100']));
    children.push(...workers);
    await Promise.all(workers.map((w) => w.waitFor((l) => l === 'done')));
    expect(await readFile(counter, 'utf8')).toBe('200');
    expect(existsSync(lockPath())).toBe(false);
  });

  it('takes over a lock whose holder has died', async () => {
    await writeFile(lockPath(), holderText(deadPid(), Date.now()));
    expect(await withFileLock(lockPath(), async () => 'mine', { timeoutMs: 2_000, staleMs: 60_000 })).toBe('mine');
    expect(existsSync(lockPath())).toBe(false);
  });

  it('takes over a lock held longer than staleMs, even by a live process', async () => {
    await writeFile(lockPath(), holderText(process.pid, Date.now() - 120_000));
    expect(await withFileLock(lockPath(), async () => 'mine', { timeoutMs: 2_000, staleMs: 60_000 })).toBe('mine');
  });

  it('takes over an unreadable lock file once it is old, not while it may still be being written', async () => {
    await writeFile(lockPath(), '');
    await expect(withFileLock(lockPath(), async () => 'mine', { timeoutMs: 200, staleMs: 60_000 })).rejects.toSatisfy(isStorageUnavailable);
    const past = new Date(Date.now() - 10_000);
    await utimes(lockPath(), past, past);
    expect(await withFileLock(lockPath(), async () => 'mine', options)).toBe('mine');
  });

  it('waits for a fresh lock held by a live process, then gives up with storage_unavailable', async () => {
    await writeFile(lockPath(), holderText(process.pid, Date.now()));
    await expect(withFileLock(lockPath(), async () => 'mine', { timeoutMs: 200, staleMs: 60_000 })).rejects.toSatisfy(isStorageUnavailable);
    expect(JSON.parse(await readFile(lockPath(), 'utf8'))).toMatchObject({ token: 'someone-else' });
  });

  it('releases its lock when the work throws', async () => {
    await expect(withFileLock(lockPath(), async () => Promise.reject(new Error('boom')), options)).rejects.toThrow('boom');
    expect(existsSync(lockPath())).toBe(false);
  });

  it('records who holds it, and releases only its own lock', async () => {
    const foreign = holderText(process.pid, Date.now());
    await withFileLock(
      lockPath(),
      async () => {
        expect(JSON.parse(await readFile(lockPath(), 'utf8'))).toMatchObject({ pid: process.pid, host: hostname() });
        await writeFile(lockPath(), foreign); // as if another process had taken it over
      },
      options,
    );
    expect(await readFile(lockPath(), 'utf8')).toBe(foreign);
  });
});
