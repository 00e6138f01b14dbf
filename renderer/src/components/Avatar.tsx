import { useState } from 'react';
import type { UserProfile } from '../contract-types.js';
import { initials } from '../format/user.js';

/**
 * The user's picture, or their initials when there is none or it fails to load (offline, blocked).
 * Decorative by default (alt=""), since the name is always written beside it.
 */
export function Avatar({ user, size, alt = '' }: { user: UserProfile | null; size: 'small' | 'large'; alt?: string }) {
  const [failedSrc, setFailedSrc] = useState<string | null>(null);
  const picture = user?.picture ?? null;
  if (picture && picture !== failedSrc) {
    return (
      <img
        className={`avatar avatar-${size}`}
        src={picture}
        alt={alt}
        referrerPolicy="no-referrer"
        onError={() => setFailedSrc(picture)}
      />
    );
  }
  return (
    <span className={`avatar avatar-${size} avatar-initials`} role={alt ? 'img' : undefined} aria-label={alt || undefined} aria-hidden={alt ? undefined : true}>
      {initials(user)}
    </span>
  );
}
