/**
 * A process killed in the middle of saving must never leave a session the next start cannot read:
 * a child writes the session in a tight loop and is SIGKILLed at a random write, several times.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { openVault, spawnSupport, stopChild, type Child } from '../support/vault-fixtures.js';

const ROUNDS = 8;
let dir: string;
let child: Child | undefined;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'vault-crash-'));
});
afterEach(async () => {
  if (child) await stopChild(child);
  child = undefined;
  await rm(dir, { recursive: true, force: true });
});

it('reads back a whole session after every SIGKILL during a write loop', async () => {
  let revision = 0;
  for (let round = 1; round <= ROUNDS; round++) {
    const writes = 1 + Math.floor(Math.random() * 60);
    const target = revision + writes;
    child = spawnSupport('vault-writer.ts', [dir]);
    // The child is killed while it is already busy with the writes after this one.
    await child.waitFor((line) => line === `wrote ${target}`);
    child.process.kill('SIGKILL');
    expect(await child.exited).toBeNull();
    expect(child.process.signalCode).toBe('SIGKILL');
    child = undefined;

    const read = await (await openVault(dir)).vault.read();
    expect(read.kind, `round ${round}, killed after write ${target}`).toBe('ok');
    if (read.kind !== 'ok') return;
    expect(read.session.revision).toBeGreaterThanOrEqual(target);
    expect(read.session.tokens.accessToken).toMatch(/^access-\d+-\d+$/);
    revision = read.session.revision;
  }
  const files = await readdir(dir);
  expect(files.filter((f) => f.includes('quarantine') || f.includes('.corrupt-'))).toEqual([]);
});
