/**
 * Callback URLs are untrusted input: any app or page can open our scheme. parseCallback accepts only
 * the exact redirect URI with one state and exactly one of code or error; extractCallbackUrlFromArgv
 * finds the link among the arguments Windows and Linux hand a new process.
 */
import { describe, expect, it } from 'vitest';
import { extractCallbackUrlFromArgv, MAX_CALLBACK_URL_LENGTH, parseCallback } from '../../electron/auth/callback-url.js';

const SCHEME = 'com.example.desktop';
const REDIRECT = `${SCHEME}:/callback`;
const LOOPBACK = 'http://127.0.0.1:49152/callback';

function accepted(raw: unknown, redirectUri = REDIRECT): { url: URL; state: string } {
  const parsed = parseCallback(raw, redirectUri);
  if (!parsed.ok) throw new Error(`refused ${String(raw)}: ${parsed.reason}`);
  return parsed;
}

function refusal(raw: unknown, redirectUri = REDIRECT): string {
  const parsed = parseCallback(raw, redirectUri);
  if (parsed.ok) throw new Error(`accepted ${String(raw)}`);
  return parsed.reason;
}

describe('parseCallback', () => {
  it('accepts the exact redirect URI with one state and a code', () => {
    const { url, state } = accepted(`${REDIRECT}?code=abc&state=s1`);
    expect(state).toBe('s1');
    expect(url.searchParams.get('code')).toBe('abc');
  });

  it('accepts an error callback with the state, and the loopback form on its own port', () => {
    expect(accepted(`${REDIRECT}?error=access_denied&error_description=No&state=s1`).state).toBe('s1');
    expect(accepted(`${LOOPBACK}?code=abc&state=s2`, LOOPBACK).state).toBe('s2');
    // The OS may hand the scheme over in capitals; URL parsing lowercases the scheme.
    expect(accepted(`COM.EXAMPLE.DESKTOP:/callback?code=abc&state=s3`).state).toBe('s3');
  });

  it('refuses another scheme, the host form, another path, another port', () => {
    expect(refusal('com.example.other:/callback?code=a&state=s')).toBe('another scheme, host or path');
    expect(refusal('https://example.com/callback?code=a&state=s')).toBe('another scheme, host or path');
    // `scheme://callback` puts "callback" in the host: RFC 8252 section 7.1 wants `scheme:/path`.
    expect(refusal(`${SCHEME}://callback?code=a&state=s`)).toBe('another scheme, host or path');
    expect(refusal(`${SCHEME}:/callback/extra?code=a&state=s`)).toBe('another scheme, host or path');
    expect(refusal(`${SCHEME}:/signed-out?code=a&state=s`)).toBe('another scheme, host or path');
    expect(refusal(`${SCHEME}:callback?code=a&state=s`)).toBe('another scheme, host or path');
    expect(refusal('http://127.0.0.1:49153/callback?code=a&state=s', LOOPBACK)).toBe('another scheme, host or path');
    expect(refusal('http://localhost:49152/callback?code=a&state=s', LOOPBACK)).toBe('another scheme, host or path');
    expect(refusal('http://user:pw@127.0.0.1:49152/callback?code=a&state=s', LOOPBACK)).toBe('credentials in URL');
  });

  it('refuses a missing, empty or duplicated state', () => {
    expect(refusal(`${REDIRECT}?code=a`)).toBe('no state');
    expect(refusal(`${REDIRECT}?code=a&state=`)).toBe('no state');
    expect(refusal(`${REDIRECT}?code=a&state=s&state=t`)).toBe('duplicated state');
    expect(refusal(`${REDIRECT}?code=a&state=s&state=s`)).toBe('duplicated state');
  });

  it('wants exactly one code or one error, never both, never neither, never twice', () => {
    expect(refusal(`${REDIRECT}?state=s`)).toBe('needs exactly one of code or error');
    expect(refusal(`${REDIRECT}?code=a&error=access_denied&state=s`)).toBe('needs exactly one of code or error');
    expect(refusal(`${REDIRECT}?code=a&code=b&state=s`)).toBe('duplicated code or error');
    expect(refusal(`${REDIRECT}?error=a&error=b&state=s`)).toBe('duplicated code or error');
    expect(refusal(`${REDIRECT}?code=&state=s`)).toBe('empty code or error');
  });

  it('refuses oversized, non-string and garbled input without throwing', () => {
    const padding = 'x'.repeat(MAX_CALLBACK_URL_LENGTH);
    expect(MAX_CALLBACK_URL_LENGTH).toBe(8 * 1024);
    expect(refusal(`${REDIRECT}?code=a&state=s&pad=${padding}`)).toBe('oversized');
    // Just under the limit is still a callback.
    const fits = `${REDIRECT}?code=a&state=s&pad=`;
    expect(accepted(fits + 'x'.repeat(MAX_CALLBACK_URL_LENGTH - fits.length)).state).toBe('s');
    for (const raw of [undefined, null, 42, {}, ['x'], new URL(`${REDIRECT}?code=a&state=s`)]) expect(refusal(raw)).toBe('not a string');
    for (const raw of ['', 'not a url', '://callback?code=a', '%%%', `${REDIRECT.replace(':', '')}?code=a&state=s`]) {
      expect(refusal(raw)).toMatch(/^(not a URL|another scheme, host or path)$/);
    }
  });
});

describe('extractCallbackUrlFromArgv', () => {
  const link = `${SCHEME}:/callback?code=a&state=b`;

  it('finds the link in Windows argv, after Chromium flags', () => {
    expect(extractCallbackUrlFromArgv(['C:\\app.exe', '--allow-file-access-from-files', link], SCHEME)).toBe(link);
  });

  it('finds the link in Linux argv', () => {
    expect(extractCallbackUrlFromArgv(['/usr/bin/app', '--no-sandbox', link], SCHEME)).toBe(link);
  });

  it('unquotes it, wherever it sits, and does not care about the scheme case', () => {
    expect(extractCallbackUrlFromArgv(['C:\\app.exe', `"${link}"`], SCHEME)).toBe(link);
    expect(extractCallbackUrlFromArgv([link, 'C:\\app.exe', '--flag'], SCHEME)).toBe(link);
    expect(extractCallbackUrlFromArgv(['/usr/bin/app', `  ${link}  `], SCHEME)).toBe(link);
    const upper = `COM.EXAMPLE.DESKTOP:/callback?code=a&state=b`;
    expect(extractCallbackUrlFromArgv(['app', upper], SCHEME)).toBe(upper);
    // What it returns still goes through parseCallback, which accepts it.
    expect(accepted(extractCallbackUrlFromArgv(['app', upper], SCHEME)).state).toBe('b');
  });

  it('finds nothing when the link is absent or belongs to another app', () => {
    expect(extractCallbackUrlFromArgv(['C:\\app.exe', '--allow-file-access-from-files'], SCHEME)).toBeUndefined();
    expect(extractCallbackUrlFromArgv([], SCHEME)).toBeUndefined();
    expect(extractCallbackUrlFromArgv(['app', 'com.example.desktopx:/callback?code=a&state=b'], SCHEME)).toBeUndefined();
    expect(extractCallbackUrlFromArgv(['app', 'com.example:/callback?code=a&state=b'], SCHEME)).toBeUndefined();
    expect(extractCallbackUrlFromArgv(['app', `--url=${link}`], SCHEME)).toBeUndefined();
  });

  it('skips an oversized argument', () => {
    const huge = `${link}&pad=${'x'.repeat(MAX_CALLBACK_URL_LENGTH)}`;
    expect(extractCallbackUrlFromArgv(['app', huge], SCHEME)).toBeUndefined();
    expect(extractCallbackUrlFromArgv(['app', huge, link], SCHEME)).toBe(link);
  });
});
