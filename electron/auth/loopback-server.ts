/**
 * The loopback redirect (RFC 8252 section 7.3): 127.0.0.1 only, an ephemeral port, one exact
 * path, one use. It answers the browser with a small page and closes after the callback, on
 * cancel and on timeout (the owner calls `close`).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CALLBACK_PATH } from './config.js';
import type { Logger } from './logger.js';

export interface LoopbackListener {
  readonly redirectUri: string;
  close(): Promise<void>;
}

/** What the page tells the person, by outcome of handing the URL to the app. */
export type LoopbackOutcome = 'accepted' | 'ignored';

const page = (title: string, text: string): string =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title>` +
  `<meta name="viewport" content="width=device-width"></head>` +
  `<body><main><h1>${title}</h1><p>${text}</p></main></body></html>`;

const SECURITY_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'content-security-policy': "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
};

export async function startLoopbackListener(options: {
  port: number;
  logger: Logger;
  /** Receives the full callback URL; says whether it completed the attempt. */
  onCallback: (url: string) => LoopbackOutcome;
}): Promise<LoopbackListener> {
  let used = false;
  const server: Server = createServer((req, res) => {
    const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
    const path = (req.url ?? '').split('?')[0];
    if (req.method !== 'GET' || path !== CALLBACK_PATH || used) {
      options.logger.debug('loopback request ignored', { method: req.method, path });
      res.writeHead(404, SECURITY_HEADERS).end(page('Not found', 'There is nothing here.'));
      return;
    }
    const outcome = options.onCallback(`http://${host}${req.url ?? ''}`);
    if (outcome === 'accepted') {
      used = true;
      res.writeHead(200, { ...SECURITY_HEADERS, connection: 'close' }).end(
        page('You can return to the app', 'Signing you in. You can close this tab and go back to the app.'),
        () => void close(),
      );
    } else {
      res.writeHead(400, SECURITY_HEADERS).end(page('Sign-in link not recognised', 'Go back to the app and start signing in again.'));
    }
  });
  server.keepAliveTimeout = 1000;

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
    return closing;
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: options.port }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return { redirectUri: `http://127.0.0.1:${port}${CALLBACK_PATH}`, close };
}
