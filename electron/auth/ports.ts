/**
 * The ports the auth core needs from its host. Electron and the headless test host implement them;
 * the core never knows which one it runs on.
 */

/** Opens a URL in the user's system browser (RFC 8252 section 4: never an embedded view). */
export type OpenExternal = (url: string) => Promise<void>;

export interface CipherProtection {
  /** The OS really protects the key (keychain, DPAPI, libsecret, kwallet) or the caller owns the key. */
  readonly protected: boolean;
  /** `basic_text`, `gnome_libsecret`, `keychain`, `dpapi`, `aes-256-gcm`, `unavailable`, ... */
  readonly backend: string;
}

/** Encrypts the serialized session. In Electron: safeStorage; in Node and tests: AES-256-GCM. */
export interface Cipher {
  protection(): Promise<CipherProtection>;
  encrypt(plaintext: string): Promise<Uint8Array>;
  /** Throws on a wrong key, tampering or garbage. */
  decrypt(ciphertext: Uint8Array): Promise<string>;
}

/**
 * A small key-value store of strings. In Electron: electron-store; in Node and tests: conf with the
 * same options. Writes must be atomic (both write a temp file and rename it).
 */
export interface Store {
  get(key: string): string | undefined;
  set(key: string, value: string): void;
  delete(key: string): void;
  /** The file backing it, for moving a bad record aside and for messages. */
  readonly path: string;
}
