/**
 * Child process: writes the session in a tight loop and says `wrote <revision>` after each write,
 * until it is killed. The record is padded (64 KB) so a write is not over too quickly for
 * a kill to land inside it. Usage: vault-writer.ts <store dir>
 */
import { openVault, sampleSession } from './vault-fixtures.js';

const dir = process.argv[2];
if (!dir) throw new Error('usage: vault-writer.ts <store dir>');

const { vault } = await openVault(dir);
const padding = 'x'.repeat(64_000);
for (let i = 0; ; i++) {
  const tokens = { ...sampleSession().tokens, accessToken: `access-${process.pid}-${i}`, scope: padding };
  const written = await vault.write(sampleSession({ tokens }));
  process.stdout.write(`wrote ${written.revision}\n`);
}
