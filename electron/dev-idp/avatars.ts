/** Avatars the IdP serves itself, so a `picture` claim points somewhere real without the network. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DemoAccount } from './accounts.js';

const AVATAR_PATH = /^\/avatars\/([a-z]+)\.svg$/;

function initialsSvg(initial: string, background: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="96" height="96" viewBox="0 0 96 96" role="img" aria-label="${initial}">
<rect width="96" height="96" rx="48" fill="${background}"/>
<text x="48" y="62" font-family="sans-serif" font-size="44" font-weight="600" text-anchor="middle" fill="#ffffff">${initial}</text>
</svg>
`;
}

/** The SVG for `path` if it is the picture of one of `accounts`, else undefined. */
export function avatarFor(path: string, accounts: readonly DemoAccount[]): string | undefined {
  const match = AVATAR_PATH.exec(path);
  if (!match) return undefined;
  const account = accounts.find((a) => a.picture === path);
  if (!account) return undefined;
  return initialsSvg(account.name.charAt(0).toUpperCase(), '#6a4c93');
}

/** Answers GET/HEAD for an avatar path; false when the request is not for an avatar. */
export function serveAvatar(req: IncomingMessage, res: ServerResponse, path: string, accounts: readonly DemoAccount[]): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  const svg = avatarFor(path, accounts);
  if (svg === undefined) return false;
  res.writeHead(200, {
    'content-type': 'image/svg+xml',
    'cache-control': 'public, max-age=3600',
    'x-content-type-options': 'nosniff',
    // An SVG opened on its own is a document: it may not run script or load anything.
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
    'cross-origin-resource-policy': 'cross-origin',
  });
  res.end(req.method === 'HEAD' ? undefined : svg);
  return true;
}
