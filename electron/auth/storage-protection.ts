/**
 * Storage honesty: the session is kept on disk only where the OS really protects it, unless the
 * config explicitly allows weaker storage. The snapshot says why it is not remembered.
 */
import type { NotRememberedReason, StorageProtection } from '../contract.js';
import type { Cipher } from './ports.js';

export async function assessStorage(cipher: Cipher, allowWeakStorage: boolean): Promise<StorageProtection> {
  let protection: { protected: boolean; backend: string };
  try {
    protection = await cipher.protection();
  } catch {
    protection = { protected: false, backend: 'unavailable' };
  }
  const { backend } = protection;
  if (protection.protected) return { canRemember: true, backend, reason: null };
  if (backend === 'unavailable') {
    return { canRemember: false, backend, reason: 'This system offers no encryption for saved sessions, so the app cannot keep you signed in after it closes.' };
  }
  if (allowWeakStorage) return { canRemember: true, backend, reason: null };
  return {
    canRemember: false,
    backend,
    reason: `No system keyring protects saved sessions here (backend "${backend}"), so the app will not keep you signed in after it closes.`,
  };
}

export function notRememberedReasonFor(storage: StorageProtection): NotRememberedReason {
  return storage.backend === 'unavailable' ? 'storage-unavailable' : 'storage-unprotected';
}
