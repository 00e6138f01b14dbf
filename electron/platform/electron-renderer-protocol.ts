/**
 * Serves the built renderer from `app://renderer/` instead of file://, so the app has a real origin
 * to check IPC senders and navigations against, and every page carries the Content-Security-Policy.
 */
import { readFile } from 'node:fs/promises';
import { protocol } from 'electron';
import type { Logger } from '../auth/logger.js';
import { CONTENT_SECURITY_POLICY, RENDERER_SCHEME, rendererFilePath, rendererResponseHeaders } from '../main/window-policy.js';

/** Must run before `ready`: a standard, secure scheme gets an origin, fetch and localStorage. */
export function registerRendererScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: RENDERER_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
  ]);
}

function refuse(status: number): Response {
  return new Response(null, { status, headers: { 'content-security-policy': CONTENT_SECURITY_POLICY } });
}

/** After `ready`: answer `app://renderer/...` from `rootDir`, never from outside it. */
export function serveRenderer(rootDir: string, logger: Logger): void {
  protocol.handle(RENDERER_SCHEME, async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return refuse(405);
    const file = rendererFilePath(rootDir, request.url);
    if (file === null) {
      logger.warn('Refused a renderer request outside the renderer folder', { url: request.url });
      return refuse(404);
    }
    try {
      const body = await readFile(file);
      return new Response(request.method === 'HEAD' ? null : body, { status: 200, headers: rendererResponseHeaders(file) });
    } catch {
      return refuse(404);
    }
  });
}
