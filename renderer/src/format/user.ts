import type { UserProfile } from '../contract-types.js';

/** The name to greet someone by: their name, else their email, else nothing. */
export function displayName(user: UserProfile | null): string | null {
  return user?.name?.trim() || user?.email?.trim() || null;
}

/** Up to two letters for the avatar placeholder. */
export function initials(user: UserProfile | null): string {
  const name = user?.name?.trim();
  if (name) {
    const words = name.split(/\s+/);
    const first = words[0]?.[0] ?? '';
    const last = words.length > 1 ? (words[words.length - 1]?.[0] ?? '') : '';
    return (first + last).toUpperCase();
  }
  return user?.email?.trim()[0]?.toUpperCase() ?? '?';
}
