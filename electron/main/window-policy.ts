/**
 * What an app window may load, navigate to and open. The renderer is served from `app://renderer/`
 * only; it never navigates anywhere else, and the only thing it may open is an https page, which
 * goes to the system browser (never a new Electron window: RFC 8252 section 8.12).
 */
import path from 'node:path';

export const RENDERER_SCHEME = 'app';
export const RENDERER_HOST = 'renderer';
export const RENDERER_ORIGIN = `${RENDERER_SCHEME}://${RENDERER_HOST}`;
export const RENDERER_ENTRY_URL = `${RENDERER_ORIGIN}/index.html`;

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: https: http://127.0.0.1:*",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');

function parse(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

/**
 * `new URL('app://renderer/').origin` is 'null' for a non-special scheme, so the renderer is
 * recognised by protocol and host; credentials or a port would make it some other place.
 */
export function isRendererUrl(url: string): boolean {
  const parsed = parse(url);
  return (
    parsed !== undefined &&
    parsed.protocol === `${RENDERER_SCHEME}:` &&
    parsed.host === RENDERER_HOST &&
    parsed.username === '' &&
    parsed.password === ''
  );
}

/** `will-navigate`: only the app's own pages. */
export function isAllowedNavigation(url: string): boolean {
  return isRendererUrl(url);
}

/** `setWindowOpenHandler`: the https URL to hand to the system browser, or null to refuse it. */
export function externalOpenTarget(url: string): string | null {
  const parsed = parse(url);
  if (parsed === undefined || parsed.protocol !== 'https:' || parsed.username !== '' || parsed.password !== '') return null;
  return parsed.href;
}

/**
 * The file under `rootDir` that an `app://renderer/...` request names, or null when the request is
 * not for the renderer or would escape `rootDir`. A path without an extension is a client-side
 * route and gets `index.html`.
 */
export function rendererFilePath(rootDir: string, requestUrl: string): string | null {
  if (!isRendererUrl(requestUrl)) return null;
  const { pathname } = new URL(requestUrl);
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const root = path.resolve(rootDir);
  const relative = decoded === '/' || path.posix.extname(decoded) === '' ? 'index.html' : decoded.replace(/^\/+/, '');
  const file = path.resolve(root, relative);
  return file.startsWith(`${root}${path.sep}`) ? file : null;
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

/** Headers for a renderer file: its type (never sniffed) and the Content-Security-Policy. */
export function rendererResponseHeaders(file: string): Record<string, string> {
  return {
    'content-type': CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-cache',
  };
}
