/** The route switch's parts: a path table lookup, a redirect and an accessible link. */
import { useLayoutEffect, type AnchorHTMLAttributes, type ReactNode } from 'react';
import { navigate, useHashLocation } from './hash-location.js';

export interface RouteEntry<K extends string> {
  readonly path: string;
  readonly key: K;
}

export function matchRoute<K extends string>(routes: readonly RouteEntry<K>[], path: string): K | null {
  const normalized = path.length > 1 ? path.replace(/\/+$/, '') : path;
  return routes.find((route) => route.path === normalized)?.key ?? null;
}

/** Replaces the current entry before paint, so the page being left never flashes. */
export function Redirect({ to }: { to: string }): null {
  useLayoutEffect(() => navigate(to, { replace: true }), [to]);
  return null;
}

interface LinkProps extends Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href'> {
  readonly to: string;
  readonly children: ReactNode;
}

/** A plain anchor to `#/path` (keyboard and middle-click work as usual), marked current when it is. */
export function Link({ to, children, ...rest }: LinkProps) {
  const { path } = useHashLocation();
  return (
    <a href={`#${to}`} aria-current={path === to ? 'page' : undefined} {...rest}>
      {children}
    </a>
  );
}
