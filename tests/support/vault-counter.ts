/**
 * Child process: increments a counter file `times` times, each a read-modify-write under the file
 * lock with real I/O in between, so without the lock two of these would lose updates.
 * Usage: vault-counter.ts <lock path> <counter file> <times>
 */
import { readFile, writeFile } from 'node:fs/promises';
import { withFileLock } from '../../electron/auth/file-lock.js';

const [lockPath, counterFile, times] = process.argv.slice(2);
if (!lockPath || !counterFile || !times) throw new Error('usage: vault-counter.ts <lock path> <counter file> <times>');

for (let i = 0; i < Number(times); i++) {
  await withFileLock(
    lockPath,
    async () => {
      const value = Number(await readFile(counterFile, 'utf8'));
      await writeFile(counterFile, String(value + 1));
    },
    { timeoutMs: 20_000, staleMs: 60_000 },
  );
}
process.stdout.write('done\n');
