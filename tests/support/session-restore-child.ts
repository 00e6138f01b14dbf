/**
 * Child process: a second copy of the app starting up on the same user data, in a real separate
 * process. It builds the same auth core as the app (the AES key file `vault.key` and the conf
 * store `session` the headless platform uses), restores the remembered session, and prints one JSON line with the outcome and
 * how many requests the core sent to the provider. Never prints a token.
 * Usage: session-restore-child.ts <userDataDir> <issuer> <clientId>
 */
import path from 'node:path';
import { createAesGcmCipher, loadOrCreateKeyFile } from '../../electron/auth/aes-gcm-cipher.js';
import { createAuthCore } from '../../electron/auth/auth-core.js';
import { createConfStore } from '../../electron/auth/conf-store.js';
import { silentLogger } from '../../electron/auth/logger.js';
import { devIdpConfig } from '../../electron/main/resolve-config.js';

const [userDataDir, issuer, clientId] = process.argv.slice(2);
if (!userDataDir || !issuer || !clientId) throw new Error('usage: session-restore-child.ts <userDataDir> <issuer> <clientId>');

const core = createAuthCore({
  config: devIdpConfig(issuer, clientId),
  cipher: createAesGcmCipher(await loadOrCreateKeyFile(path.join(userDataDir, 'vault.key'))),
  store: createConfStore({ cwd: userDataDir, configName: 'session' }),
  openExternal: async () => {
    throw new Error('restore must not open a browser');
  },
  logger: silentLogger,
});
await core.session.restore();
const snapshot = core.session.snapshot();
await core.session.stop();
process.stdout.write(
  `${JSON.stringify({ pid: process.pid, status: snapshot.status, remembered: snapshot.remembered, sub: snapshot.user?.sub ?? null, requests: core.requests.total })}\n`,
);
