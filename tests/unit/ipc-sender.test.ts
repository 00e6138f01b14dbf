import { describe, expect, it } from 'vitest';
import { isTrustedSender } from '../../electron/main/ipc-sender.js';

const app = 'app://renderer';

describe('isTrustedSender', () => {
  it('trusts the app top frame on any of its pages', () => {
    expect(isTrustedSender({ url: 'app://renderer/index.html', isMainFrame: true }, app)).toBe(true);
    expect(isTrustedSender({ url: 'app://renderer/profile?x=1#y', isMainFrame: true }, app)).toBe(true);
  });

  it('refuses a sub-frame even on the app origin', () => {
    expect(isTrustedSender({ url: 'app://renderer/index.html', isMainFrame: false }, app)).toBe(false);
  });

  it('does not treat other non-special schemes as the same origin (URL.origin is "null" for all of them)', () => {
    expect(new URL('app://evil/').origin).toBe(new URL('app://renderer/').origin);
    expect(isTrustedSender({ url: 'app://evil/index.html', isMainFrame: true }, app)).toBe(false);
    expect(isTrustedSender({ url: 'other://renderer/index.html', isMainFrame: true }, app)).toBe(false);
    expect(isTrustedSender({ url: 'app://renderer.evil/index.html', isMainFrame: true }, app)).toBe(false);
  });

  it('refuses web pages, files, credentials, empty and malformed URLs', () => {
    for (const url of ['https://example.com/', 'file:///etc/passwd', 'app://user:pw@renderer/', '', 'not a url', 'about:blank', 'data:text/html,x']) {
      expect(isTrustedSender({ url, isMainFrame: true }, app), url).toBe(false);
    }
  });

  it('works for the headless host http origin, port included', () => {
    expect(isTrustedSender({ url: 'http://127.0.0.1:5173/index.html', isMainFrame: true }, 'http://127.0.0.1:5173')).toBe(true);
    expect(isTrustedSender({ url: 'http://127.0.0.1:5174/index.html', isMainFrame: true }, 'http://127.0.0.1:5173')).toBe(false);
  });

  it('refuses everything when the expected origin is not a usable URL', () => {
    expect(isTrustedSender({ url: 'app://renderer/', isMainFrame: true }, 'null')).toBe(false);
    expect(isTrustedSender({ url: 'app:renderer', isMainFrame: true }, 'app:renderer')).toBe(false);
  });
});
