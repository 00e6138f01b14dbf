/**
 * The adversarial suite, IPC: the renderer is untrusted, and so is any frame that is not the app's
 * own top frame. Every channel of the contract gets generated payloads of wrong types and sizes,
 * prototype-pollution keys and deep objects; foreign origins, sub-frames and `app://renderer`
 * lookalikes call it; unknown channels are asked for. Every answer must be a typed
 * `{ ok: false, error: { code, message } }` with the right code, the process must stay up, and the
 * session snapshot must not move.
 *
 * The expected answer comes from the test's own reading of each channel's request shape
 * (`expectedValidity`), written from the contract's documentation rather than from its zod schemas.
 */
import { rm } from 'node:fs/promises';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, type LogRecord, type Logger } from '../../electron/auth/logger.js';
import { CHANNELS, protectedChannels, type Channel, type ErrorCode, type SessionSnapshot } from '../../electron/contract.js';
import { dispatch, type Handlers, type IpcDeps } from '../../electron/main/ipc-handlers.js';
import type { IpcSender, Platform } from '../../electron/main/platform.js';
import { startApp, type RunningApp } from '../../electron/main/start-app.js';
import { foreignSender, hostileValue, nearMissPayload } from '../support/arbitraries.js';
import { followAuthorizeRedirect } from '../support/fixtures/http-util.js';
import { startMisbehavingOidc, type MisbehavingOidc } from '../support/fixtures/misbehaving-oidc.js';
import { tempUserData } from '../support/headless-app.js';
import { createHeadlessPlatform, type HeadlessPlatform } from '../support/headless-platform.js';
import { misbehavingConfig } from '../support/session-fixtures.js';

const MAX_MESSAGE = 500;
const PROVIDER = 'fixture';

type Answer = { ok: true; value: unknown } | { ok: false; error: { code: ErrorCode; message: string } };

/** The answer has exactly the Result shape, and an error carries a code and a bounded message. */
function asAnswer(raw: unknown, label: string): Answer {
  expect(raw, label).toBeTypeOf('object');
  const r = raw as Record<string, unknown>;
  if (r['ok'] === true) {
    expect(Object.keys(r).sort(), label).toEqual(['ok', 'value']);
    return r as Answer;
  }
  expect(Object.keys(r).sort(), label).toEqual(['error', 'ok']);
  expect(r['ok'], label).toBe(false);
  const error = r['error'] as Record<string, unknown>;
  expect(Object.keys(error).sort(), label).toEqual(['code', 'message']);
  expect(error['code'], label).toBeTypeOf('string');
  expect(error['message'], label).toBeTypeOf('string');
  expect((error['message'] as string).length, `${label}: message length`).toBeLessThanOrEqual(MAX_MESSAGE);
  return r as Answer;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const hasExactly = (v: Record<string, unknown>, keys: string[]): boolean => {
  const own = Object.keys(v).sort();
  return own.length === keys.length && own.every((k, i) => k === [...keys].sort()[i]);
};
const isApiPath = (p: unknown): boolean => typeof p === 'string' && p.length >= 1 && p.length <= 2048 && !/^[a-z][a-z0-9+.-]*:/i.test(p) && !p.startsWith('//');
const jsonFits = (v: unknown): boolean => {
  try {
    return JSON.stringify(v ?? null).length <= 64 * 1024;
  } catch {
    return false;
  }
};

/** Whether the contract, as documented, accepts this payload for this channel. */
function expectedValidity(channel: Channel, payload: unknown): boolean {
  switch (channel) {
    case 'auth:sign-in':
      return isRecord(payload) && hasExactly(payload, ['providerId', 'remember']) && typeof payload['providerId'] === 'string' && payload['providerId'].length >= 1 && payload['providerId'].length <= 40 && typeof payload['remember'] === 'boolean';
    case 'auth:sign-out':
      return isRecord(payload) && hasExactly(payload, ['atProvider']) && typeof payload['atProvider'] === 'boolean';
    case 'api:get':
      return isRecord(payload) && hasExactly(payload, ['path']) && isApiPath(payload['path']);
    case 'api:post':
      return isRecord(payload) && hasExactly(payload, ['body', 'path']) && isApiPath(payload['path']) && jsonFits(payload['body']);
    default:
      return payload === undefined || payload === null;
  }
}

/** Valid requests that would change the session or reach the network: not what this suite sends as "garbage". */
function changesState(channel: Channel, payload: unknown): boolean {
  return expectedValidity(channel, payload) && ['auth:sign-in', 'auth:sign-out', 'api:get', 'api:post'].includes(channel);
}

function validPayload(channel: Channel): fc.Arbitrary<unknown> {
  switch (channel) {
    case 'auth:sign-in':
      return fc.record({ providerId: fc.constant(PROVIDER), remember: fc.boolean() });
    case 'auth:sign-out':
      return fc.record({ atProvider: fc.boolean() });
    case 'api:get':
      return fc.constant({ path: 'me' });
    case 'api:post':
      return fc.record({ path: fc.constant('me'), body: fc.jsonValue({ maxDepth: 2 }) });
    default:
      return fc.constantFrom(undefined, null);
  }
}

const anyPayload = fc.oneof({ weight: 3, arbitrary: hostileValue }, { weight: 2, arbitrary: nearMissPayload });

describe('IPC from a hostile renderer and foreign frames', () => {
  let fx: MisbehavingOidc;
  let headless: HeadlessPlatform;
  let app: RunningApp;
  let userDataDir: string;
  let logger: Logger;
  const logs: LogRecord[] = [];

  beforeAll(async () => {
    fx = await startMisbehavingOidc({ mode: 'ok' });
    userDataDir = await tempUserData('adversarial-ipc-');
    logger = createLogger({ level: 'debug', sink: (r) => logs.push(r) });
    const config = misbehavingConfig(fx);
    headless = await createHeadlessPlatform({ userDataDir, scheme: config.app.scheme, logger, window: false });
    // The system browser: the fixture redirects at once, and the OS hands the link to the app.
    const platform: Platform = {
      ...headless,
      openExternal: async (url) => headless.deliverDeepLink((await followAuthorizeRedirect(url)).href),
    };
    app = await startApp(platform, { config, logger });
  });

  afterAll(async () => {
    await app?.stop();
    await headless?.close();
    await fx?.close();
    if (userDataDir) await rm(userDataDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
  });

  const events = (): number => headless.ipcTraffic.filter((t) => isRecord(t) && 'event' in t).length;
  const stillUp = async (): Promise<void> => {
    const answer = asAnswer(await headless.invoke('auth:get-snapshot', undefined), 'get-snapshot');
    expect(answer).toEqual({ ok: true, value: app.session.snapshot() });
  };

  /** Sends generated garbage to every channel; returns how many calls were made. */
  const garbageToEveryChannel = async (numRuns: number): Promise<number> => {
    const before: SessionSnapshot = app.session.snapshot();
    const eventsBefore = events();
    const providerRequests = fx.countRequests();
    let calls = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...CHANNELS), anyPayload, fc.boolean(), async (channel, payload, explicitSender) => {
        fc.pre(!changesState(channel, payload));
        const label = `${channel} ${typeof payload}`;
        const sender: IpcSender | undefined = explicitSender ? { url: `${headless.rendererOrigin}/index.html#/api`, isMainFrame: true } : undefined;
        const answer = asAnswer(await headless.invoke(channel, payload, sender), label);
        calls++;
        const valid = expectedValidity(channel, payload);
        if (!valid) expect(answer, label).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
        else if (protectedChannels.has(channel) && before.status !== 'signed-in') expect(answer, label).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
        else expect(answer.ok, label).toBe(true);
        expect(app.session.snapshot(), label).toBe(before);
      }),
      { numRuns },
    );
    expect(events()).toBe(eventsBefore);
    expect(fx.countRequests()).toBe(providerRequests);
    return calls;
  };

  it('answers wrong types, sizes, deep objects and pollution keys on every channel with invalid_request (signed out)', async () => {
    expect(app.session.snapshot().status).toBe('signed-out');
    expect(await garbageToEveryChannel(1_200)).toBeGreaterThan(1_000);
    // Nothing reached a prototype through a `__proto__` or `constructor` key.
    expect(Object.prototype).not.toHaveProperty('polluted');
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    await stillUp();
  });

  it('refuses the protected channels with unauthenticated while signed out, without calling the provider', async () => {
    const requests = fx.countRequests();
    for (const channel of [...protectedChannels]) {
      const payload = fc.sample(validPayload(channel), 1)[0];
      expect(asAnswer(await headless.invoke(channel, payload), channel)).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    }
    expect(fx.countRequests()).toBe(requests);
  });

  it('refuses every channel from foreign origins, sub-frames and lookalikes before parsing, even a valid sign-in', async () => {
    const before = app.session.snapshot();
    const opened = fx.countRequests('/authorize');
    let refusals = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...CHANNELS).chain((channel) => fc.tuple(fc.constant(channel), fc.oneof(validPayload(channel), anyPayload))),
        foreignSender(headless.rendererOrigin),
        async ([channel, payload], sender) => {
          const label = `${channel} from ${JSON.stringify(sender).slice(0, 200)}`;
          const warned = logs.length;
          expect(asAnswer(await headless.invoke(channel, payload, sender), label), label).toMatchObject({ ok: false, error: { code: 'forbidden_sender' } });
          refusals++;
          expect(app.session.snapshot(), label).toBe(before);
          // The refusal is logged with the origin only: never the payload.
          const record = logs.slice(warned).find((r) => r.msg === 'IPC refused from an untrusted sender');
          expect(record, label).toBeDefined();
          expect(Object.keys(record ?? {}).sort(), label).toEqual(['channel', 'level', 'msg', 'origin', 'time']);
        },
      ),
      { numRuns: 800 },
    );
    expect(refusals).toBe(800);
    expect(fx.countRequests('/authorize')).toBe(opened);
    await stillUp();
  });

  it('judges senders against the Electron origin app://renderer in dispatch itself', async () => {
    let handled = 0;
    const refuse = async (): Promise<never> => {
      handled++;
      throw new Error('a refused request reached its handler');
    };
    const handlers: Handlers = {
      'auth:get-snapshot': async () => {
        handled++;
        return app.session.snapshot();
      },
      'auth:providers': refuse,
      'app:info': refuse,
      'auth:sign-in': refuse,
      'auth:cancel-sign-in': refuse,
      'auth:reopen-browser': refuse,
      'auth:sign-out': refuse,
      'api:get': refuse,
      'api:post': refuse,
      'app:protected-data': refuse,
    };
    const deps: IpcDeps = { ipc: { handle: () => undefined, broadcast: () => undefined }, rendererOrigin: 'app://renderer', session: app.session, handlers, logger };
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...CHANNELS), foreignSender('app://renderer'), anyPayload, async (channel, sender, payload) => {
        const answer = asAnswer(await dispatch(deps, channel, sender, payload), `${channel} from ${sender.url}`);
        expect(answer).toMatchObject({ ok: false, error: { code: 'forbidden_sender' } });
      }),
      { numRuns: 500 },
    );
    expect(handled).toBe(0);
    // The app's own top frame, on any of its pages, is answered.
    await fc.assert(
      fc.asyncProperty(fc.webPath(), fc.constantFrom('', '?x=1', '#/profile'), async (p, tail) => {
        const sender = { url: `app://renderer${p.startsWith('/') ? p : `/${p}`}${tail}`, isMainFrame: true };
        expect(await dispatch(deps, 'auth:get-snapshot', sender, undefined), sender.url).toEqual({ ok: true, value: app.session.snapshot() });
      }),
      { numRuns: 200 },
    );
    expect(handled).toBe(200);
  });

  it('answers unknown channels with unknown_channel, in the host and in dispatch', async () => {
    const trusted = { url: `${headless.rendererOrigin}/index.html`, isMainFrame: true };
    const deps: IpcDeps = {
      ipc: { handle: () => undefined, broadcast: () => undefined },
      rendererOrigin: headless.rendererOrigin,
      session: app.session,
      handlers: {} as Handlers,
      logger,
    };
    const names = fc.oneof(
      fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'auth:changed', 'auth:sign-in ', 'AUTH:SIGN-IN', 'auth:sign_in', 'auth:', 'api:delete', '', 'auth:get-snapshot\u0000'),
      fc.string(),
    );
    await fc.assert(
      fc.asyncProperty(names, anyPayload, async (name, payload) => {
        fc.pre(!(CHANNELS as string[]).includes(name));
        expect(asAnswer(await headless.invoke(name, payload), name)).toMatchObject({ ok: false, error: { code: 'unknown_channel' } });
        // A channel name is input too: dispatch must not look it up on an object's prototype.
        expect(asAnswer(await dispatch(deps, name as Channel, trusted, payload), name)).toMatchObject({ ok: false, error: { code: 'unknown_channel' } });
      }),
      { numRuns: 300 },
    );
    await stillUp();
  });

  it('keeps a signed-in session through the same barrage', async () => {
    const signedIn = await app.session.signIn(PROVIDER, { remember: true });
    expect(signedIn.status).toBe('signed-in');
    expect(await garbageToEveryChannel(600)).toBeGreaterThan(400);
    expect(asAnswer(await headless.invoke('app:protected-data', null), 'protected-data')).toMatchObject({ ok: true });
    expect(app.session.snapshot()).toBe(signedIn);
    await stillUp();
  });
});
