/**
 * The loopback redirect listener (RFC 8252 §7.3, §8.3): 127.0.0.1 only, one exact path, one use,
 * a page that leaks nothing (no referrer, no scripts), closed after the callback.
 */
import { expect, it } from 'vitest';
import { silentLogger } from '../../electron/auth/logger.js';
import { startLoopbackListener, type LoopbackOutcome } from '../../electron/auth/loopback-server.js';

it('answers one callback on its exact path, with a page that sends no referrer, then closes', async () => {
  const received: string[] = [];
  const listener = await startLoopbackListener({
    port: 0,
    logger: silentLogger,
    onCallback: (url): LoopbackOutcome => {
      received.push(url);
      return new URL(url).searchParams.get('state') === 'good' ? 'accepted' : 'ignored';
    },
  });
  const base = new URL(listener.redirectUri);
  expect(base.hostname).toBe('127.0.0.1');
  expect(Number(base.port)).toBeGreaterThan(0);
  expect(base.pathname).toBe('/callback');

  expect((await fetch(new URL('/other?code=x&state=good', base))).status).toBe(404);
  expect((await fetch(new URL('/callback?code=x&state=bad', base))).status).toBe(400);

  const ok = await fetch(new URL('/callback?code=x&state=good', base));
  expect(ok.status).toBe(200);
  expect(ok.headers.get('referrer-policy')).toBe('no-referrer');
  expect(ok.headers.get('content-security-policy')).toContain("default-src 'none'");
  expect(ok.headers.get('cache-control')).toBe('no-store');
  const page = await ok.text();
  expect(page).toContain('return to the app');
  expect(page).not.toMatch(/<script|code=x/);
  expect(received).toHaveLength(2);

  // One use: a second callback finds the listener closed (or, in the instant before, refused).
  const again = await fetch(new URL('/callback?code=y&state=good', base)).then((r) => r.status, () => 'closed');
  expect(['closed', 404]).toContain(again);
  expect(received).toHaveLength(2);
  await listener.close();
});
