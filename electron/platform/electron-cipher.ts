/**
 * The session cipher over Electron's safeStorage: the OS keeps the key (Keychain, DPAPI, libsecret or
 * kwallet). On Linux without a keyring safeStorage falls back to `basic_text`, a key hard-coded in
 * Chromium, which is obfuscation rather than protection, so it is reported as unprotected.
 */
import { safeStorage } from 'electron';
import { AuthError } from '../auth/errors.js';
import type { Cipher, CipherProtection } from '../auth/ports.js';

const UNPROTECTED_LINUX_BACKENDS = new Set(['basic_text', 'unknown']);

function backendName(platform: NodeJS.Platform): string {
  if (platform === 'darwin') return 'keychain';
  if (platform === 'win32') return 'dpapi';
  if (platform === 'linux') return safeStorage.getSelectedStorageBackend();
  return 'unknown';
}

export function createSafeStorageCipher(platform: NodeJS.Platform = process.platform): Cipher {
  return {
    async protection(): Promise<CipherProtection> {
      const available = await safeStorage.isAsyncEncryptionAvailable();
      if (!available) return { protected: false, backend: 'unavailable' };
      const backend = backendName(platform);
      return { protected: !(platform === 'linux' && UNPROTECTED_LINUX_BACKENDS.has(backend)), backend };
    },
    async encrypt(plaintext: string): Promise<Uint8Array> {
      return new Uint8Array(await safeStorage.encryptStringAsync(plaintext));
    },
    async decrypt(ciphertext: Uint8Array): Promise<string> {
      try {
        const { result } = await safeStorage.decryptStringAsync(Buffer.from(ciphertext));
        return result;
      } catch (error) {
        // A keyring that is locked or gone right now is not bad data: keep the record, do not quarantine it.
        if (!(await safeStorage.isAsyncEncryptionAvailable().catch(() => false))) {
          throw new AuthError('storage_unavailable', 'The system keyring is not available right now.', { cause: error });
        }
        throw error;
      }
    },
  };
}
