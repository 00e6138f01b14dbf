/**
 * The two demo people of the development provider. Their passwords are printed on the login page:
 * this provider exists only for development and tests.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

export type DemoAccountId = 'alice' | 'bob';

export interface DemoAccount {
  readonly id: DemoAccountId;
  readonly username: string;
  readonly password: string;
  readonly name: string;
  readonly email: string;
  /** A path on the IdP itself (`/avatars/alice.svg`); the `picture` claim is the absolute URL. */
  readonly picture: string | null;
}

export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
  { id: 'alice', username: 'alice', password: 'alice-password', name: 'Alice Example', email: 'alice@example.com', picture: '/avatars/alice.svg' },
  { id: 'bob', username: 'bob', password: 'bob-password', name: 'Bob Example', email: 'bob@example.com', picture: null },
];

export function findDemoAccount(id: string): DemoAccount | undefined {
  return DEMO_ACCOUNTS.find((account) => account.id === id);
}

// Hashing first gives equal-length inputs, so the comparison time does not reveal the password length.
function sameSecret(a: string, b: string): boolean {
  const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(a), digest(b));
}

/** The account whose username and password match, or undefined. */
export function authenticate(username: string, password: string): DemoAccount | undefined {
  const account = DEMO_ACCOUNTS.find((a) => a.username === username.trim().toLowerCase());
  return account && sameSecret(account.password, password) ? account : undefined;
}

/** The claims oidc-provider releases (it filters them by the granted scopes). */
export function accountClaims(account: DemoAccount, issuer: string): { sub: string; name: string; email: string; picture?: string } {
  return {
    sub: account.id,
    name: account.name,
    email: account.email,
    ...(account.picture ? { picture: new URL(account.picture, issuer).href } : {}),
  };
}
