/**
 * The adversarial suite, deep links: any app or web page can open `com.example.desktop:...`, so
 * the callback URL is attacker-controlled input. One app holds one real pending attempt against the
 * misbehaving-oidc fixture (mode 'ok'); its real callback is fetched from the authorize endpoint
 * (the fixture redirects without a form) instead of being delivered by a browser, and more than
 * 10,000 generated and mutated URLs are thrown at the app through `handleIncomingUrl` and the
 * platform's deep-link path. None may throw, change the snapshot, reach the token endpoint or end
 * the attempt; afterwards the exact URL still completes it.
 *
 * The app runs on the headless platform with one change: its `openExternal` only records the URL,
 * as a system browser that the person never touches would (a Chromium page would follow the
 * fixture's immediate redirect and deliver the callback itself).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractCallbackUrlFromArgv, MAX_CALLBACK_URL_LENGTH, parseCallback } from '../../electron/auth/callback-url.js';
import { createLogger, type LogRecord } from '../../electron/auth/logger.js';
import type { SessionSnapshot } from '../../electron/contract.js';
import type { Platform } from '../../electron/main/platform.js';
import { startApp, type RunningApp } from '../../electron/main/start-app.js';
import {
  buildCallback,
  callbackMutation,
  callbackParts,
  hostileString,
  hostileValue,
  isActionableCallback,
  randomEdits,
  type CallbackParts,
  type Mutation,
} from '../support/arbitraries.js';
import { followAuthorizeRedirect } from '../support/fixtures/http-util.js';
import { startMisbehavingOidc, type MisbehavingOidc } from '../support/fixtures/misbehaving-oidc.js';
import { tempUserData } from '../support/headless-app.js';
import { createHeadlessPlatform, type HeadlessPlatform } from '../support/headless-platform.js';
import { misbehavingConfig } from '../support/session-fixtures.js';
import { rm } from 'node:fs/promises';

const SCHEME = 'com.example.desktop';
const REDIRECT = `${SCHEME}:/callback`;
const LOOPBACK = 'http://127.0.0.1:49152/callback';

describe('parseCallback and extractCallbackUrlFromArgv on arbitrary input (pure)', () => {
  it('never throw, and accept only what carries one state and exactly one code or error on the exact redirect URI', () => {
    const anyInput = fc.oneof(hostileString(SCHEME), hostileValue);
    fc.assert(
      fc.property(anyInput, fc.constantFrom(REDIRECT, LOOPBACK), (raw, redirectUri) => {
        const parsed = parseCallback(raw, redirectUri);
        if (!parsed.ok) {
          expect(typeof parsed.reason).toBe('string');
          return;
        }
        // Whatever it accepts is a string within the limit, on the redirect URI, with one state.
        expect(typeof raw === 'string' && raw.length <= MAX_CALLBACK_URL_LENGTH).toBe(true);
        const expected = new URL(redirectUri);
        expect([parsed.url.protocol, parsed.url.host, parsed.url.pathname]).toEqual([expected.protocol, expected.host, expected.pathname]);
        expect(parsed.url.searchParams.getAll('state')).toEqual([parsed.state]);
        expect(parsed.state).not.toBe('');
        expect(parsed.url.searchParams.getAll('code').length + parsed.url.searchParams.getAll('error').length).toBe(1);
      }),
      { numRuns: 2_000 },
    );
  });

  it('accepts every real-shaped callback, whatever its code and state, with benign extras and in any order', () => {
    const value = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 200 });
    fc.assert(
      fc.property(value, value, fc.array(fc.tuple(fc.constantFrom('iss', 'session_state', 'scope'), fc.string()), { maxLength: 3 }), fc.boolean(), (code, state, extras, codeFirst) => {
        const q = new URLSearchParams(codeFirst ? [['code', code], ['state', state], ...extras] : [['state', state], ...extras, ['code', code]]);
        const url = `${REDIRECT}?${q.toString()}`;
        fc.pre(url.length <= MAX_CALLBACK_URL_LENGTH);
        const parsed = parseCallback(url, REDIRECT);
        expect(parsed).toMatchObject({ ok: true, state });
        if (parsed.ok) expect(parsed.url.searchParams.get('code')).toBe(code);
      }),
      { numRuns: 1_000 },
    );
  });

  it('agrees with the test\'s own statement of a callback on random edits of a real one, both ways', () => {
    const parts: CallbackParts = { scheme: SCHEME, path: '/callback', code: 'code_8fJ2-kq_ZxYb4', state: 'Ab3_x-YzQ9rT0uVw1sPq7LmN5kJh2GfD4eC6bA8' };
    const exact = buildCallback(parts, `code=${parts.code}&state=${parts.state}`);
    // Unfiltered edits: some still are a callback for the attempt (an edit in the code, a stripped tab).
    const edits = fc.array(fc.tuple(fc.constantFrom('insert', 'delete', 'replace'), fc.nat(), fc.string({ unit: 'binary', minLength: 1, maxLength: 2 })), { minLength: 1, maxLength: 3 });
    let actionable = 0;
    fc.assert(
      fc.property(edits, (ops) => {
        let url = exact;
        for (const [op, at, c] of ops) {
          const i = at % (url.length + 1);
          url = op === 'insert' ? url.slice(0, i) + c + url.slice(i) : op === 'delete' ? url.slice(0, i) + url.slice(i + 1) : url.slice(0, i) + c + url.slice(i + 1);
        }
        const parsed = parseCallback(url, REDIRECT);
        const expected = isActionableCallback(url, parts);
        if (expected) actionable++;
        expect(parsed.ok && parsed.state === parts.state, url).toBe(expected);
      }),
      { numRuns: 5_000 },
    );
    // Both sides of the equivalence were exercised.
    expect(actionable).toBeGreaterThan(100);
    expect(actionable).toBeLessThan(4_900);
  });

  it('refuses every generated mutation of a callback', () => {
    const parts: CallbackParts = { scheme: SCHEME, path: '/callback', code: 'code_8fJ2-kq_ZxYb4', state: 'Ab3_x-YzQ9rT0uVw1sPq7LmN5kJh2GfD4eC6bA8' };
    fc.assert(
      fc.property(fc.oneof(callbackMutation(parts), randomEdits(parts)), (m) => {
        const parsed = parseCallback(m.url, REDIRECT);
        expect(parsed.ok && parsed.state === parts.state, `${m.kind}: ${m.url.slice(0, 300)}`).toBe(false);
      }),
      { numRuns: 3_000 },
    );
  });

  it('extractCallbackUrlFromArgv never throws and returns only one of its own arguments with our scheme', () => {
    const arg = fc.oneof(
      hostileString(SCHEME),
      fc.string().map((s) => `"${SCHEME}:${s}"`),
      fc.string().map((s) => `  ${SCHEME.toUpperCase()}:${s}  `),
      fc.constantFrom('--flag', '--no-sandbox', 'C:\\app.exe', '/usr/bin/app', `--url=${REDIRECT}`, `${SCHEME}x:/callback`),
      hostileValue,
    );
    fc.assert(
      fc.property(fc.array(arg, { maxLength: 8 }), fc.oneof(fc.constant(SCHEME), fc.string()), (argv, scheme) => {
        // Electron hands over strings only; the function must still survive anything.
        const found = extractCallbackUrlFromArgv(argv as unknown as readonly string[], scheme);
        if (found === undefined) return;
        expect(found.toLowerCase().startsWith(`${scheme.toLowerCase()}:`)).toBe(true);
        expect(found.length).toBeLessThanOrEqual(MAX_CALLBACK_URL_LENGTH);
        expect(argv.some((a) => typeof a === 'string' && a.includes(found))).toBe(true);
        expect(() => parseCallback(found, REDIRECT)).not.toThrow();
      }),
      { numRuns: 1_500 },
    );
  });
});

describe('deep links against one real pending attempt', () => {
  let fx: MisbehavingOidc;
  let headless: HeadlessPlatform;
  let app: RunningApp;
  let userDataDir: string;
  const logs: LogRecord[] = [];
  const opened: string[] = [];
  let ignoredCount = 0;

  beforeAll(async () => {
    fx = await startMisbehavingOidc({ mode: 'ok' });
    userDataDir = await tempUserData('adversarial-links-');
    const logger = createLogger({
      level: 'debug',
      sink: (r) => {
        if (r.msg === 'callback ignored') ignoredCount++;
        logs.push(r);
      },
    });
    const config = misbehavingConfig(fx);
    headless = await createHeadlessPlatform({ userDataDir, scheme: config.app.scheme, logger, window: false });
    // A system browser that opens the page and then nobody does anything on it.
    const platform: Platform = {
      ...headless,
      openExternal: async (url) => {
        opened.push(url);
      },
    };
    app = await startApp(platform, { config, logger });
  });

  afterAll(async () => {
    await app?.stop();
    await headless?.close();
    await fx?.close();
    if (userDataDir) await rm(userDataDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
  });

  it('ignores >10,000 hostile callbacks without a trace, then completes with the exact one', async () => {
    const signIn = app.session.signIn('fixture', { remember: true });
    signIn.catch(() => undefined);
    await expect.poll(() => opened.length).toBe(1);
    const pending: SessionSnapshot = app.session.snapshot();
    expect(pending.status).toBe('signing-in');
    expect(pending.pending).not.toBeNull();

    const real = await followAuthorizeRedirect(opened[0] ?? '');
    const parts = callbackParts(real);
    expect(buildCallback(parts, `code=${parts.code}&state=${parts.state}`)).toBe(real.href);
    expect(isActionableCallback(real.href, parts)).toBe(true);
    const tokenRequestsBefore = fx.countRequests('/token');
    const eventsBefore = headless.ipcTraffic.length;
    const ignored = (): number => ignoredCount;
    let delivered = 0;

    const expectIgnored = (deliver: () => void, label: string): void => {
      const before = ignored();
      deliver();
      delivered++;
      // Exactly one "ignored" record per delivery: the coordinator looked at it and refused it.
      if (ignored() !== before + 1 || app.session.snapshot() !== pending) {
        throw new Error(`${label}: not ignored (${ignored() - before} refusals logged, status ${app.session.snapshot().status})`);
      }
    };
    const throwAt = (m: Mutation): void => {
      const label = `${m.kind}: ${m.url.slice(0, 300)}`;
      expectIgnored(() => app.session.handleIncomingUrl(m.url), label);
      expectIgnored(() => headless.deliverDeepLink(m.url), label);
    };

    fc.assert(fc.property(callbackMutation(parts), throwAt), { numRuns: 3_500 });
    fc.assert(fc.property(randomEdits(parts), throwAt), { numRuns: 1_000 });
    fc.assert(
      fc.property(hostileString(SCHEME), (url) => {
        fc.pre(!isActionableCallback(url, parts));
        throwAt({ kind: 'arbitrary-string', url });
      }),
      { numRuns: 500 },
    );
    // Non-strings cannot come from the OS, but the entry point takes `unknown` and must survive them.
    fc.assert(
      fc.property(hostileValue, (value) => expectIgnored(() => app.session.handleIncomingUrl(value), `non-string ${typeof value}`)),
      { numRuns: 500 },
    );

    expect(delivered).toBeGreaterThanOrEqual(10_000);
    expect(fx.countRequests('/token')).toBe(tokenRequestsBefore);
    expect(fx.countRequests('/token')).toBe(0);
    expect(app.session.snapshot()).toBe(pending);
    expect(app.session.snapshot()).toMatchObject({ status: 'signing-in', pending: pending.pending });
    // No snapshot was published while all of that was refused.
    expect(headless.ipcTraffic.length).toBe(eventsBefore);
    // The refusals are logged at debug with a reason, never with the URL itself.
    const refusals = logs.filter((r) => r.msg === 'callback ignored');
    expect(refusals.every((r) => typeof r['reason'] === 'string')).toBe(true);
    expect(JSON.stringify(refusals)).not.toContain(parts.state);

    // The exact URL, through the OS path, completes the attempt: one token request, signed in.
    headless.deliverDeepLink(real.href);
    const done = await signIn;
    expect(done).toMatchObject({ status: 'signed-in', pending: null, user: { sub: 'user-1' } });
    expect(fx.countRequests('/token')).toBe(1);
    // Once used, the same URL again is just another ignored link (checked against the stored
    // pending record, which is gone): no second exchange, no change.
    const signedIn = app.session.snapshot();
    const before = ignored();
    headless.deliverDeepLink(real.href);
    await expect.poll(ignored).toBe(before + 1);
    expect(fx.countRequests('/token')).toBe(1);
    expect(app.session.snapshot()).toBe(signedIn);
  });
});

describe('deep links at a cold start', () => {
  // Each link takes the stored attempt, compares its state and puts it back on a mismatch; links are
  // handled one at a time, so forged links around the real one cannot make it find nothing.
  it('a burst of forged links around the real one does not lose the stored attempt', async () => {
    const fx = await startMisbehavingOidc({ mode: 'ok' });
    const userDataDir = await tempUserData('adversarial-cold-');
    let ignoredCount = 0;
    const logger = createLogger({
      level: 'debug',
      sink: (r) => {
        if (r.msg === 'callback ignored') ignoredCount++;
      },
    });
    const config = misbehavingConfig(fx);
    const first = await createHeadlessPlatform({ userDataDir, scheme: config.app.scheme, logger, window: false });
    const opened: string[] = [];
    let second: HeadlessPlatform | undefined;
    let secondApp: RunningApp | undefined;
    try {
      // The first run starts an attempt and then dies (no stop: a crash or a quit keeps the record).
      const firstApp = await startApp({ ...first, openExternal: async (url) => void opened.push(url) }, { config, logger });
      void firstApp.session.signIn('fixture', { remember: true }).catch(() => undefined);
      await expect.poll(() => opened.length).toBe(1);
      const real = await followAuthorizeRedirect(opened[0] ?? '');
      const parts = callbackParts(real);
      await first.close();

      // The link launches a second run; forged links race it.
      second = await createHeadlessPlatform({ userDataDir, scheme: config.app.scheme, logger, window: false });
      secondApp = await startApp(second, { config, logger });
      expect(secondApp.session.snapshot().status).toBe('signed-out');
      ignoredCount = 0;
      const forged = fc.sample(callbackMutation(parts), { numRuns: 6, seed: 42 });
      for (const m of forged.slice(0, 3)) second.deliverDeepLink(m.url);
      second.deliverDeepLink(real.href);
      for (const m of forged.slice(3)) second.deliverDeepLink(m.url);
      const app = secondApp;
      // Settled: signed in, or every one of the seven links refused.
      await expect.poll(() => app.session.snapshot().status === 'signed-in' || ignoredCount >= 7, { timeout: 10_000 }).toBe(true);
      expect(app.session.snapshot().status).toBe('signed-in');
      expect(fx.countRequests('/token')).toBe(1);
    } finally {
      await secondApp?.session.stop();
      await second?.close();
      await fx.close();
      await rm(userDataDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
    }
  });
});
