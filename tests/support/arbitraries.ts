/**
 * fast-check arbitraries for the adversarial suite: mutated callback URLs, hostile strings and
 * values, foreign IPC senders, and corruptions of a stored vault record.
 *
 * Every callback mutation is built to be *not* a callback for the attempt, and
 * `isActionableCallback` (a few lines over the WHATWG URL parser, independent of
 * electron/auth/callback-url.ts) filters out the rare one that normalises back to one: a tab or a
 * trailing control character the URL parser strips, a percent-encoded parameter name.
 */
import fc from 'fast-check';
import { MAX_CALLBACK_URL_LENGTH } from '../../electron/auth/callback-url.js';
import type { IpcSender } from '../../electron/main/platform.js';

// ---- callback URLs ----------------------------------------------------------------------------

/** The real callback, taken apart: `<scheme>:<path>?code=<code>&state=<state>`. */
export interface CallbackParts {
  readonly scheme: string;
  readonly path: string;
  readonly code: string;
  readonly state: string;
}

export function callbackParts(url: string | URL): CallbackParts {
  const u = new URL(url);
  const code = u.searchParams.get('code');
  const state = u.searchParams.get('state');
  if (code === null || state === null) throw new Error(`not a code callback: ${String(url)}`);
  return { scheme: u.protocol.slice(0, -1), path: u.pathname, code, state };
}

export function buildCallback(p: CallbackParts, query: string, options: { scheme?: string; path?: string } = {}): string {
  return `${options.scheme ?? p.scheme}:${options.path ?? p.path}${query === '' ? '' : `?${query}`}`;
}

/**
 * The test's own statement of when a URL is a callback for the attempt whose state is `p.state`:
 * our scheme, no host or credentials, our path, within the size limit, exactly one state equal to
 * the real one, and exactly one non-empty `code` or `error`. Extra parameters and a fragment do not
 * change what it carries. (A different code with the real state is the provider's business: the
 * state is the check, and the token endpoint refuses a code it did not issue.)
 */
export function isActionableCallback(raw: string, p: CallbackParts): boolean {
  if (raw.length > MAX_CALLBACK_URL_LENGTH) return false;
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return false;
  }
  const states = u.searchParams.getAll('state');
  const answers = [...u.searchParams.getAll('code'), ...u.searchParams.getAll('error')];
  return (
    u.protocol === `${p.scheme}:` &&
    u.host === '' &&
    u.username === '' &&
    u.password === '' &&
    u.pathname === p.path &&
    states.length === 1 &&
    states[0] === p.state &&
    answers.length === 1 &&
    answers[0] !== ''
  );
}

export interface Mutation {
  readonly kind: string;
  readonly url: string;
}

const PATH_SAFE = /^[A-Za-z0-9_~!$'()*,;=:@-]{1,20}$/;
const SCHEME_LIKE = /^[a-z][a-z0-9+.-]{0,30}$/;
/** Characters that break a value in a URL one way or another, and some that do not. */
const NASTY_CHAR = fc.oneof(
  fc.constantFrom('%', '+', '&', '#', ' ', '=', '?', '/', '\\', ';', '"', "'", '<', '>', '\u0000', '\u200b', '\ufeff', '\u202e', 'é', 'ß', '日', '🔑', '%41', '%2', '%zz', '%25'),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
);

/** The state value one character off: replaced, deleted, inserted, truncated, extended, case-flipped. */
export function offByOne(value: string): fc.Arbitrary<string> {
  const index = fc.nat({ max: Math.max(0, value.length - 1) });
  const letters = [...value].map((c, i) => ({ c, i })).filter(({ c }) => c.toLowerCase() !== c.toUpperCase());
  return fc
    .oneof(
      fc.tuple(index, NASTY_CHAR).map(([i, c]) => value.slice(0, i) + c + value.slice(i + 1)),
      index.map((i) => value.slice(0, i) + value.slice(i + 1)),
      fc.tuple(fc.nat({ max: value.length }), NASTY_CHAR).map(([i, c]) => value.slice(0, i) + c + value.slice(i)),
      fc.nat({ max: Math.max(0, value.length - 1) }).map((n) => value.slice(0, n)),
      NASTY_CHAR.map((c) => value + c),
      letters.length === 0
        ? fc.constant(`${value}x`)
        : fc.constantFrom(...letters).map(({ c, i }) => value.slice(0, i) + (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()) + value.slice(i + 1)),
    )
    .filter((s) => s !== value);
}

function pathMutation(p: CallbackParts): fc.Arbitrary<string> {
  const seg = fc.stringMatching(PATH_SAFE);
  const name = p.path.slice(1); // 'callback'
  return fc.oneof(
    seg.map((s) => `${p.path}${s}`),
    fc.oneof(seg, fc.constant('')).map((s) => `${p.path}/${s}`),
    seg.map((s) => `/${s}${p.path}`),
    fc
      .array(fc.boolean(), { minLength: name.length, maxLength: name.length })
      .map((up) => `/${[...name].map((c, i) => (up[i] ? c.toUpperCase() : c)).join('')}`),
    fc.tuple(fc.nat({ max: name.length - 1 }), fc.boolean()).map(([i, upper]) => {
      const hex = (name.charCodeAt(i) ?? 0).toString(16);
      return `/${name.slice(0, i)}%${upper ? hex.toUpperCase() : hex}${name.slice(i + 1)}`;
    }),
    fc.constantFrom(
      '',
      name,
      `%2F${name}`,
      `${p.path}%2F`,
      `${p.path}%3F`,
      `\\${name}`,
      `/\u0441allback`, // Cyrillic es
      `/callb\u0430ck`, // Cyrillic a
      `/\uff43allback`, // fullwidth c
      `${p.path}\u200b`,
      `${p.path}/..`,
      `/${name}.`,
      '/',
      '//',
    ),
  );
}

/**
 * Mutations of the real callback that must never complete (or end) the attempt. Each keeps the
 * rest of the URL real, so the one thing changed is the thing under test.
 */
export function callbackMutation(p: CallbackParts): fc.Arbitrary<Mutation> {
  const code = `code=${p.code}`;
  const state = `state=${p.state}`;
  const real = `${code}&${state}`;
  const off = offByOne(p.state);
  const benign = fc.array(
    fc.tuple(fc.constantFrom('iss', 'session_state', 'scope', 'foo', 'x', 'prompt', 'authuser'), fc.stringMatching(/^[\w.~-]{0,30}$/)).map(([k, v]) => `${k}=${v}`),
    { maxLength: 4 },
  );
  const shuffled = (parts: string[]): fc.Arbitrary<string> =>
    fc.shuffledSubarray(parts, { minLength: parts.length, maxLength: parts.length }).map((xs) => xs.join('&'));
  const kinds: fc.Arbitrary<Mutation>[] = [
    // another scheme (including ones that share a prefix with ours, and web schemes)
    fc
      .oneof(
        fc.constantFrom(`${p.scheme}x`, `${p.scheme}2`, `${p.scheme}.evil`, p.scheme.split('.').slice(0, -1).join('.'), [...p.scheme].reverse().join(''), 'http', 'https', 'file', 'javascript', 'app', 'data'),
        fc.stringMatching(SCHEME_LIKE),
      )
      .filter((s) => s.toLowerCase() !== p.scheme)
      .map((s) => ({ kind: 'wrong-scheme', url: buildCallback(p, real, { scheme: s }) })),
    // the host form `scheme://callback` and other authorities
    fc
      .oneof(fc.constant('callback'), fc.domain(), fc.constantFrom('localhost', '127.0.0.1', 'evil.example', 'user:pw@', 'user@callback'))
      .map((host) => ({ kind: 'host-form', url: `${p.scheme}://${host}${host === 'callback' ? '' : p.path}?${real}` })),
    pathMutation(p).map((path) => ({ kind: 'wrong-path', url: buildCallback(p, real, { path }) })),
    // missing parameters
    fc.constantFrom(state, code, '', `code=&${state}`, `${code}&state=`, `code&${state}`, `${code}&state`).map((q) => ({ kind: 'missing', url: buildCallback(p, q) })),
    // duplicated parameters, in any order, with benign extras mixed in
    fc
      .tuple(fc.constantFrom('code', 'state', 'both'), fc.boolean(), benign)
      .chain(([which, same, extra]) => {
        const parts = [code, state, ...extra];
        if (which !== 'state') parts.push(same ? code : `code=${p.code}x`);
        if (which !== 'code') parts.push(same ? state : `state=${p.state}x`);
        return shuffled(parts);
      })
      .map((q) => ({ kind: 'duplicated', url: buildCallback(p, q) })),
    // the state one character off, with benign extras in any order
    fc
      .tuple(off, benign)
      .chain(([s, extra]) => shuffled([code, `state=${s}`, ...extra]))
      .map((q) => ({ kind: 'state-off', url: buildCallback(p, q) })),
    // an error answer whose state is off must not end the attempt either
    fc
      .tuple(off, fc.constantFrom('access_denied', 'login_required', 'server_error', 'x'))
      .map(([s, e]) => ({ kind: 'error-state-off', url: buildCallback(p, `error=${e}&state=${s}`) })),
    // extra parameters that conflict: an error next to the code, or code/state under other names
    fc
      .tuple(fc.constantFrom('error=access_denied', 'error=', `error=${p.code}`), benign)
      .chain(([e, extra]) => shuffled([code, state, e, ...extra]))
      .map((q) => ({ kind: 'extra-conflicting', url: buildCallback(p, q) })),
    fc.constantFrom(`Code=${p.code}&${state}`, `${code}&State=${p.state}`, `code_=${p.code}&${state}`, `${code}&state_=${p.state}`, `${code}&oauth_state=${p.state}`, `${code};${state}`, `${code}%26${state}`, `${code}&state%3D${p.state}`, `state%3D${p.state}&${code}`).map((q) => ({ kind: 'renamed', url: buildCallback(p, q) })),
    // the parameters in a fragment instead of the query
    fc.constantFrom(`#${real}`, `?${code}#${state}`, `?${state}#${code}`, `#?${real}`, `?#${real}`).map((tail) => ({ kind: 'fragment', url: `${p.scheme}:${p.path}${tail}` })),
    fc.tuple(fc.nat({ max: real.length - 1 })).map(([i]) => ({ kind: 'fragment-split', url: buildCallback(p, `${real.slice(0, i)}#${real.slice(i)}`) })),
    // percent-encodings that change the value: double encoding, encoded separators
    fc.nat({ max: p.state.length - 1 }).map((i) => {
      const hex = (p.state.charCodeAt(i) ?? 0).toString(16).padStart(2, '0');
      return { kind: 'double-encoded', url: buildCallback(p, `${code}&state=${p.state.slice(0, i)}%25${hex}${p.state.slice(i + 1)}`) };
    }),
    // huge values
    fc.integer({ min: 1, max: 20_000 }).map((n) => ({ kind: 'huge-state', url: buildCallback(p, `${code}&state=${p.state}${'A'.repeat(n)}`) })),
    fc.integer({ min: MAX_CALLBACK_URL_LENGTH, max: 3 * MAX_CALLBACK_URL_LENGTH }).map((n) => ({ kind: 'huge-url', url: buildCallback(p, `${real}&pad=${'x'.repeat(n)}`) })),
    fc.integer({ min: 1, max: 6_000 }).map((n) => ({ kind: 'huge-code-state-off', url: buildCallback(p, `code=${'c'.repeat(n)}&state=${p.state.slice(1)}`) })),
    // unicode in the scheme, the path or the state
    fc
      .tuple(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 4 }).filter((s) => [...s].some((c) => (c.codePointAt(0) ?? 0) > 0x7f)), fc.constantFrom('scheme', 'path', 'state'))
      .map(([u, where]) => ({
        kind: `unicode-${where}`,
        url:
          where === 'scheme'
            ? buildCallback(p, real, { scheme: `${p.scheme}${u}` })
            : where === 'path'
              ? buildCallback(p, real, { path: `${p.path}${u}` })
              : buildCallback(p, `${code}&state=${p.state}${u}`),
      })),
    // junk around the whole URL
    fc
      .tuple(fc.constantFrom('x', 'https://evil.example/?', 'javascript:', '"', "'", '<', 'a '), fc.constantFrom('', '"', "'", '>'))
      .map(([before, after]) => ({ kind: 'wrapped', url: `${before}${buildCallback(p, real)}${after}` })),
  ];
  return fc.oneof(...kinds).filter((m) => !isActionableCallback(m.url, p));
}

/** Up to four random character edits anywhere in the real callback, minus those that normalise back. */
export function randomEdits(p: CallbackParts): fc.Arbitrary<Mutation> {
  const exact = buildCallback(p, `code=${p.code}&state=${p.state}`);
  const edit = fc.tuple(fc.constantFrom('insert', 'delete', 'replace'), fc.nat(), NASTY_CHAR);
  return fc
    .array(edit, { minLength: 1, maxLength: 4 })
    .map((edits) => {
      let url = exact;
      for (const [op, at, c] of edits) {
        const i = at % (url.length + 1);
        url = op === 'insert' ? url.slice(0, i) + c + url.slice(i) : op === 'delete' ? url.slice(0, i) + url.slice(i + 1) : url.slice(0, i) + c + url.slice(i + 1);
      }
      return { kind: 'random-edit', url };
    })
    .filter((m) => !isActionableCallback(m.url, p));
}

/** Strings of any kind: text in every unit, URLs, our scheme followed by garbage, huge ones. */
export function hostileString(scheme = 'com.example.desktop'): fc.Arbitrary<string> {
  return fc.oneof(
    fc.string(),
    fc.string({ unit: 'grapheme', maxLength: 200 }),
    fc.string({ unit: 'binary', maxLength: 200 }),
    fc.webUrl({ withQueryParameters: true, withFragments: true }),
    fc.string({ maxLength: 200 }).map((s) => `${scheme}:${s}`),
    fc.string({ maxLength: 200 }).map((s) => `${scheme}:/callback?${s}`),
    fc.string({ unit: 'binary', maxLength: 100 }).map((s) => `${scheme}:/callback?code=${s}&state=${s}`),
    fc.integer({ min: MAX_CALLBACK_URL_LENGTH - 10, max: 4 * MAX_CALLBACK_URL_LENGTH }).map((n) => `${scheme}:/callback?code=a&state=${'s'.repeat(n)}`),
  );
}

// ---- hostile values ---------------------------------------------------------------------------

/** Objects whose own keys are the classic prototype-pollution names, made as JSON.parse makes them. */
export const pollutingObject: fc.Arbitrary<unknown> = fc
  .tuple(fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf'), fc.jsonValue({ maxDepth: 2 }), fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }))
  .map(([key, value, rest]) => JSON.parse(`{${JSON.stringify(key)}:${JSON.stringify({ polluted: value ?? null, prototype: { polluted: true } })},"providerId":"fixture","remember":true,"atProvider":false,"path":"me","body":${JSON.stringify(rest)}}`) as unknown);

/** A chain `{a:{a:...}}` (or arrays) deeper than any parser should recurse into. */
export const deepValue: fc.Arbitrary<unknown> = fc.tuple(fc.integer({ min: 100, max: 20_000 }), fc.boolean()).map(([depth, arrays]) => {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = arrays ? [value] : { a: value };
  return value;
});

/** A string from 64 KB to 4 MB. */
export const hugeString: fc.Arbitrary<string> = fc.tuple(fc.integer({ min: 64 * 1024, max: 4 * 1024 * 1024 }), fc.constantFrom('a', '/', '\u0000', '🔑')).map(([n, c]) => c.repeat(Math.ceil(n / c.length)));

/** Anything a renderer (or something pretending to be one) could send, and some it could not. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.anything({ maxDepth: 4, withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true, withSparseArray: true, withNullPrototype: true, withObjectString: true, withBoxedValues: true, withUnicodeString: true }) },
  { weight: 1, arbitrary: pollutingObject },
  { weight: 1, arbitrary: deepValue },
  { weight: 1, arbitrary: hugeString },
  { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 2_000 }), fc.jsonValue({ maxDepth: 1 }), { minKeys: 1, maxKeys: 2_000 }) },
);

/**
 * Payloads near the shape a channel wants: the right keys with wrong types or sizes, extra keys,
 * paths that try to leave the API base URL.
 */
export const nearMissPayload: fc.Arbitrary<unknown> = fc.oneof(
  fc.record({ providerId: fc.oneof(fc.constant(''), fc.string({ minLength: 41, maxLength: 10_000 }), fc.integer(), fc.constant(null)), remember: fc.boolean() }),
  fc.record({ providerId: fc.string({ minLength: 1, maxLength: 40 }), remember: fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.constant('true')) }),
  fc.record({ providerId: fc.constant('fixture'), remember: fc.boolean(), extra: fc.anything({ maxDepth: 1 }) }),
  fc.record({ atProvider: fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.constant('false')) }),
  fc.record({ atProvider: fc.boolean(), [`x`]: fc.anything({ maxDepth: 1 }) }),
  fc.record({
    path: fc.oneof(
      fc.constant(''),
      fc.string({ minLength: 2049, maxLength: 20_000 }),
      fc.webUrl(),
      fc.constantFrom('//evil.example/me', 'https://evil.example/', 'javascript:alert(1)', 'file:///etc/passwd', 'HTTP://x', 'data:,x', 'a:b'),
      fc.integer(),
      fc.constant(null),
    ),
  }),
  fc.record({ path: fc.constant('me'), body: fc.oneof(hugeString, deepValue, fc.bigInt()) }),
  fc.record({ path: fc.constant('me'), body: fc.jsonValue(), more: fc.jsonValue() }),
);

// ---- IPC senders ------------------------------------------------------------------------------

/** Frames that must never be answered: other origins, sub-frames of ours, lookalikes, files. */
export function foreignSender(rendererOrigin: string): fc.Arbitrary<IpcSender> {
  const origin = new URL(rendererOrigin);
  const page = fc.constantFrom('/index.html', '/', '/profile?x=1', '/#/api');
  const lookalikes = [
    `${origin.protocol}//${origin.host}.evil.example`,
    `${origin.protocol}//${origin.host}@evil.example`,
    `${origin.protocol}//user:pw@${origin.host}`,
    `${origin.protocol}//user@${origin.host}`,
    `${origin.protocol}//evil.example`,
    `${origin.protocol}//evil.example/${origin.host}`,
    `${origin.protocol === 'http:' ? 'https:' : 'http:'}//${origin.host}`,
    `file://${origin.host}`,
    'file://',
    'app://renderer.evil',
    'app://evil',
    'app://renderer@evil',
    'apps://renderer',
    'app:renderer',
    'app:///renderer',
    'http://evil.example',
    'https://evil.example',
    'http://localhost',
    'about:blank',
    'about:srcdoc',
    'data:text/html,<script>1</script>',
    'javascript:alert(1)',
    'chrome-extension://abcdefghijklmnop',
    'devtools://devtools',
    'blob:http://evil.example/uuid',
  ].filter((u) => {
    try {
      const parsed = new URL(u);
      return !(parsed.protocol === origin.protocol && parsed.host === origin.host && parsed.username === '' && parsed.password === '');
    } catch {
      return true;
    }
  });
  return fc.oneof(
    // the app's own page, but in a sub-frame
    page.map((p) => ({ url: `${rendererOrigin}${p}`, isMainFrame: false })),
    fc.tuple(fc.constantFrom(...lookalikes), page, fc.boolean()).map(([o, p, isMainFrame]) => ({ url: `${o}${p}`, isMainFrame })),
    fc
      .webUrl()
      .filter((u) => {
        const parsed = new URL(u);
        return parsed.host !== origin.host || parsed.protocol !== origin.protocol;
      })
      .map((url) => ({ url, isMainFrame: true })),
    fc.string().map((url) => ({ url, isMainFrame: true })),
  );
}

// ---- vault corruption -------------------------------------------------------------------------

export type ByteCorruption =
  | { readonly kind: 'bit-flips'; readonly flips: readonly { readonly at: number; readonly bit: number }[] }
  | { readonly kind: 'truncate'; readonly keep: number }
  | { readonly kind: 'append'; readonly bytes: Uint8Array };

export const byteCorruption: fc.Arbitrary<ByteCorruption> = fc.oneof(
  fc.array(fc.record({ at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }), { minLength: 1, maxLength: 8 }).map((flips) => ({ kind: 'bit-flips' as const, flips })),
  fc.nat().map((keep) => ({ kind: 'truncate' as const, keep })),
  fc.oneof(fc.uint8Array({ minLength: 1, maxLength: 64 }), fc.string({ minLength: 1, maxLength: 64 }).map((s) => new Uint8Array(Buffer.from(s)))).map((bytes) => ({ kind: 'append' as const, bytes })),
);

/** Applies a corruption; the result always differs from the input (flips at one place cancel out: skipped). */
export function corruptBytes(input: Uint8Array, c: ByteCorruption): Uint8Array {
  if (c.kind === 'truncate') return input.slice(0, c.keep % input.length);
  if (c.kind === 'append') return new Uint8Array(Buffer.concat([input, c.bytes]));
  const out = input.slice();
  for (const { at, bit } of c.flips) {
    const i = at % out.length;
    out[i] = (out[i] ?? 0) ^ (1 << bit);
  }
  if (Buffer.from(out).equals(Buffer.from(input))) out[0] = (out[0] ?? 0) ^ 1;
  return out;
}

/** Paths into the stored session record, and values of a type each one does not accept. */
export const SESSION_FIELDS = [
  'providerId',
  'profile',
  'profile.sub',
  'tokens',
  'tokens.accessToken',
  'tokens.tokenType',
  'accessTokenExpiresAt',
  'issuedAt',
  'signedInAt',
  'revision',
] as const;

/** Wrong-typed replacements: every field above refuses all of them. */
export const wrongValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(undefined),
  fc.constant(true),
  fc.constant(-1),
  fc.constant(1.5),
  fc.constant([]),
  fc.constant(''),
  fc.constant(Number.MAX_SAFE_INTEGER + 2),
  fc.dictionary(fc.constantFrom('x', 'y'), fc.integer(), { maxKeys: 2 }),
);

/** Field pairs of different types, so swapping them can never yield a valid record. */
export const INCOMPATIBLE_SWAPS: readonly (readonly [string, string])[] = [
  ['profile', 'tokens'],
  ['providerId', 'revision'],
  ['providerId', 'profile'],
  ['tokens', 'issuedAt'],
  ['tokens.accessToken', 'issuedAt'],
  ['profile.sub', 'signedInAt'],
  ['tokens.tokenType', 'tokens'],
];

export type RecordMutation =
  | { readonly kind: 'replace'; readonly field: string; readonly value: unknown }
  | { readonly kind: 'swap'; readonly a: string; readonly b: string }
  | { readonly kind: 'wrap'; readonly as: 'kind' | 'app' | 'v'; readonly value: unknown };

export const recordMutation: fc.Arbitrary<RecordMutation> = fc.oneof(
  fc.tuple(fc.constantFrom(...SESSION_FIELDS), wrongValue).map(([field, value]) => ({ kind: 'replace' as const, field, value })),
  fc.constantFrom(...INCOMPATIBLE_SWAPS).map(([a, b]) => ({ kind: 'swap' as const, a, b })),
  fc.oneof(
    fc.tuple(fc.constant('kind' as const), fc.oneof(fc.constant<unknown>('pending'), fc.string().filter((s) => s !== 'session'), fc.integer())),
    fc.tuple(fc.constant('app' as const), fc.oneof(fc.constant<unknown>('com.example.other'), fc.string().filter((s) => s !== 'com.example.desktop'), fc.constant(null))),
    fc.tuple(fc.constant('v' as const), fc.oneof(fc.integer().filter((n) => n !== 1), fc.constant<unknown>('1'), fc.constant(null))),
  ).map(([as, value]) => ({ kind: 'wrap' as const, as, value })),
);

type Json = Record<string, unknown>;

function getAt(obj: Json, path: string): unknown {
  return path.split('.').reduce<unknown>((o, k) => (o !== null && typeof o === 'object' ? (o as Json)[k] : undefined), obj);
}

function setAt(obj: Json, path: string, value: unknown): void {
  const keys = path.split('.');
  const last = keys.pop() ?? '';
  const parent = keys.reduce<Json>((o, k) => o[k] as Json, obj);
  if (value === undefined) delete parent[last];
  else parent[last] = value;
}

/** Applies a mutation to the decrypted inner value `{ v, app, kind, record }` (a deep copy). */
export function mutateInner(inner: Json, m: RecordMutation): Json {
  const out = structuredClone(inner);
  const record = out['record'] as Json;
  if (m.kind === 'replace') setAt(record, m.field, m.value);
  else if (m.kind === 'swap') {
    const a = getAt(record, m.a);
    const b = getAt(record, m.b);
    setAt(record, m.a, b);
    setAt(record, m.b, a);
  } else if (m.value === undefined) delete out[m.as];
  else out[m.as] = m.value;
  return out;
}

export type EnvelopeMutation =
  | { readonly kind: 'field'; readonly field: 'v' | 'app' | 'data'; readonly value: unknown }
  | { readonly kind: 'swap' }
  | { readonly kind: 'ciphertext'; readonly corruption: ByteCorruption }
  | { readonly kind: 'reencode'; readonly as: 'base64url' | 'unpadded' | 'spaced' | 'hex' }
  | { readonly kind: 'not-json'; readonly text: string };

export const envelopeMutation: fc.Arbitrary<EnvelopeMutation> = fc.oneof(
  fc.tuple(fc.constantFrom('v' as const, 'app' as const, 'data' as const), fc.oneof(fc.constant(undefined), fc.jsonValue({ maxDepth: 2 }), fc.base64String({ minLength: 4, maxLength: 200 }))).map(([field, value]) => ({ kind: 'field' as const, field, value })),
  fc.constant({ kind: 'swap' as const }),
  byteCorruption.map((corruption) => ({ kind: 'ciphertext' as const, corruption })),
  fc.constantFrom('base64url' as const, 'unpadded' as const, 'spaced' as const, 'hex' as const).map((as) => ({ kind: 'reencode' as const, as })),
  fc.oneof(fc.string(), fc.constantFrom('', 'null', '[]', '{}', '"x"', '{"v":1}')).map((text) => ({ kind: 'not-json' as const, text })),
);
