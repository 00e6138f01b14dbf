/**
 * The user's profile from either kind of provider: OpenID claims, or a plain OAuth 2.0 API's user
 * object read through the configured field mapping (GitHub's `id` and `avatar_url`, say).
 */
import { z } from 'zod';
import type { UserProfile } from '../contract.js';
import type { ProfileMapping } from './config.js';
import { AuthError } from './errors.js';

export type ProviderProfile = UserProfile;

const MAX_FIELD = 2048;

// `.optional()` first: in zod 4 an object key is only optional when its schema says so.
const optionalText = z
  .unknown()
  .optional()
  .transform((v) => (typeof v === 'string' && v.length > 0 ? v.slice(0, MAX_FIELD) : null));

/** Only http(s) and data:image pictures reach the renderer's <img>. */
const pictureUrl = z.unknown().optional().transform((v) => {
  if (typeof v !== 'string' || v.length > MAX_FIELD * 4) return null;
  if (/^data:image\/(png|jpeg|gif|webp|svg\+xml);/i.test(v)) return v;
  try {
    const url = new URL(v);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
  } catch {
    return null;
  }
});

const subject = z.union([z.string().min(1).max(255), z.number().int().safe()]).transform(String);

export function profileFromClaims(claims: Record<string, unknown>): ProviderProfile {
  const parsed = z
    .object({ sub: subject, name: optionalText, email: optionalText, picture: pictureUrl, preferred_username: optionalText })
    .safeParse(claims);
  if (!parsed.success) throw new AuthError('provider_invalid_response', 'The provider sent a profile without a usable subject.');
  const { sub, name, email, picture, preferred_username } = parsed.data;
  return { sub, name: name ?? preferred_username, email, picture };
}

function pick(source: Record<string, unknown>, path: string): unknown {
  // `a.b` reaches into nested objects, for APIs that wrap the user (`data.user.id`).
  return path.split('.').reduce<unknown>((value, key) => {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, key)) return undefined;
    return (value as Record<string, unknown>)[key];
  }, source);
}

export function mapApiProfile(body: unknown, mapping: ProfileMapping, providerLabel: string): ProviderProfile {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new AuthError('provider_invalid_response', `${providerLabel} sent a user that is not a JSON object.`);
  }
  const source = body as Record<string, unknown>;
  const sub = subject.safeParse(pick(source, mapping.sub));
  if (!sub.success) {
    throw new AuthError('provider_invalid_response', `${providerLabel}'s user has no usable "${mapping.sub}" field to identify them.`);
  }
  return {
    sub: sub.data,
    name: optionalText.parse(pick(source, mapping.name)) ?? optionalText.parse(source['login']),
    email: optionalText.parse(pick(source, mapping.email)),
    picture: pictureUrl.parse(pick(source, mapping.picture)),
  };
}
