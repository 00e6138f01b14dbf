/**
 * A tiny hash router: the location is `#/path?query`, which works from a file:// page and needs no
 * server. `useHashLocation` re-renders on every change; `navigate` pushes or replaces an entry.
 */
import { useMemo, useSyncExternalStore } from 'react';

export interface HashLocation {
  /** Always starts with `/`. */
  readonly path: string;
  readonly query: URLSearchParams;
  /** Path plus `?query` when there is one: what `next=` carries. */
  readonly pathWithQuery: string;
}

export function parseHash(hash: string): HashLocation {
  const raw = hash.replace(/^#/, '');
  const at = raw.indexOf('?');
  const rawPath = at === -1 ? raw : raw.slice(0, at);
  const search = at === -1 ? '' : raw.slice(at + 1);
  const path = rawPath.startsWith('/') ? rawPath : `/${rawPath}`;
  return { path, query: new URLSearchParams(search), pathWithQuery: search ? `${path}?${search}` : path };
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

const currentHash = (): string => window.location.hash;

export function useHashLocation(): HashLocation {
  const hash = useSyncExternalStore(subscribe, currentHash);
  return useMemo(() => parseHash(hash), [hash]);
}

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (options.replace) {
    // replaceState fires no hashchange, so announce the change ourselves.
    window.history.replaceState(window.history.state, '', `#${to}`);
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  } else {
    window.location.hash = to;
  }
}

/** Only an in-app path may be a `next=` target: never another origin or scheme. */
export function safeNext(value: string | null): string {
  if (!value || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/sign-in')) return '/';
  return value;
}

/** `/sign-in?next=/profile`, keeping slashes readable in the hash. */
export function signInPath(next: string): string {
  return next === '/' ? '/sign-in' : `/sign-in?next=${encodeURIComponent(next).replaceAll('%2F', '/')}`;
}
