/**
 * The records the vault keeps on disk, and the schemas that parse them back. What comes off the
 * disk crosses a trust boundary (another version of the app, another process, a user's editor), so
 * it is parsed here before anything trusts it.
 */
import { z } from 'zod';
import type { UserProfile } from '../contract.js';

/** Bump when the stored shape changes; an older app then reports `unknown_version` instead of guessing. */
export const RECORD_VERSION = 1;

export interface StoredTokens {
  accessToken: string;
  refreshToken: string | null;
  idToken: string | null;
  tokenType: string;
  scope: string | null;
}

export interface StoredSession {
  providerId: string;
  profile: UserProfile;
  tokens: StoredTokens;
  /** Epoch ms; null when the provider did not say. */
  accessTokenExpiresAt: number | null;
  issuedAt: number;
  signedInAt: number;
  lastRefreshAt: number | null;
  /** +1 on every write: lets a process that waited for the lock see another's refresh. */
  revision: number;
}

/** A sign-in started but not finished: survives a restart so a late callback can still complete. */
export interface PendingAttemptRecord {
  providerId: string;
  state: string;
  nonce: string | null;
  codeVerifier: string;
  redirectUri: string;
  remember: boolean;
  createdAt: number;
  expiresAt: number;
}

// Unknown fields are dropped, not refused: the record is authenticated by the cipher, and a field
// added by a newer build of the same record version must not cost the user their session.
const epochMs = z.number().int().nonnegative();
const nullableString = z.string().nullable();

const userProfileSchema = z
  .object({ sub: z.string().min(1), name: nullableString, email: nullableString, picture: nullableString });

const storedTokensSchema = z
  .object({
    accessToken: z.string().min(1),
    refreshToken: z.string().min(1).nullable(),
    idToken: z.string().min(1).nullable(),
    tokenType: z.string().min(1),
    scope: nullableString,
  });

export const storedSessionSchema: z.ZodType<StoredSession> = z
  .object({
    providerId: z.string().min(1),
    profile: userProfileSchema,
    tokens: storedTokensSchema,
    accessTokenExpiresAt: epochMs.nullable(),
    issuedAt: epochMs,
    signedInAt: epochMs,
    lastRefreshAt: epochMs.nullable(),
    revision: z.number().int().nonnegative(),
  });

export const pendingAttemptRecordSchema: z.ZodType<PendingAttemptRecord> = z
  .object({
    providerId: z.string().min(1),
    state: z.string().min(1),
    nonce: z.string().min(1).nullable(),
    codeVerifier: z.string().min(1),
    redirectUri: z.string().min(1),
    remember: z.boolean(),
    createdAt: epochMs,
    expiresAt: epochMs,
  });

/** Which store key a record belongs to; repeated inside the ciphertext so a swapped record is caught. */
export type RecordKind = 'session' | 'pending';
