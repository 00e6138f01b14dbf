/**
 * Child process: takes the vault's lock, says `locked`, holds it until stdin says `release`,
 * then says `released` and exits. Usage: vault-lock-holder.ts <store dir>
 */
import { createInterface } from 'node:readline';
import { openVault } from './vault-fixtures.js';

const dir = process.argv[2];
if (!dir) throw new Error('usage: vault-lock-holder.ts <store dir>');

const { vault } = await openVault(dir);
const input = createInterface({ input: process.stdin });
const released = new Promise<void>((resolve) => input.on('line', (line) => line === 'release' && resolve()));

await vault.withLock(async () => {
  process.stdout.write('locked\n');
  await released;
});
process.stdout.write('released\n');
input.close();
