/**
 * Where a sign-in attempt waits for a cold-start callback: encrypted in the vault, and only where
 * the session itself could be kept (the attempt holds the PKCE verifier).
 */
import type { PendingAttemptStore } from './sign-in.js';
import type { SessionVault } from './vault.js';

export function vaultPendingStore(vault: SessionVault, canRemember: () => boolean): PendingAttemptStore {
  return {
    save: async (attempt) => {
      if (canRemember()) await vault.writePending(attempt);
    },
    take: async (now, matches) => {
      if (!canRemember()) return undefined;
      return vault.withLock(async () => {
        const stored = await vault.takePending(now);
        if (stored === undefined || matches(stored)) return stored;
        await vault.writePending(stored);
        return undefined;
      });
    },
    clear: async (state) => {
      if (!canRemember()) return;
      // Only the attempt that ended: a newer one stored meanwhile stays.
      await vault.withLock(async () => {
        const stored = await vault.takePending(0);
        if (stored && stored.state !== state) await vault.writePending(stored);
      });
    },
  };
}
