import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CONTENT_SECURITY_POLICY,
  RENDERER_ENTRY_URL,
  externalOpenTarget,
  isAllowedNavigation,
  rendererFilePath,
  rendererResponseHeaders,
} from '../../electron/main/window-policy.js';

describe('navigation', () => {
  it('allows only the app pages', () => {
    expect(isAllowedNavigation(RENDERER_ENTRY_URL)).toBe(true);
    expect(isAllowedNavigation('app://renderer/profile')).toBe(true);
    for (const url of ['https://example.com/', 'http://127.0.0.1:3000/', 'file:///etc/passwd', 'app://other/', 'app://renderer:80/', 'app://a:b@renderer/', 'javascript:alert(1)', 'com.example.desktop:/callback?code=x', '']) {
      expect(isAllowedNavigation(url), url).toBe(false);
    }
  });
});

describe('window.open', () => {
  it('hands https pages to the system browser and refuses everything else', () => {
    expect(externalOpenTarget('https://example.com/help')).toBe('https://example.com/help');
    for (const url of ['http://example.com/', 'file:///etc/passwd', 'javascript:alert(1)', 'app://renderer/', 'smb://host/share', 'https://u:p@example.com/', 'nonsense']) {
      expect(externalOpenTarget(url), url).toBeNull();
    }
  });
});

describe('Content-Security-Policy', () => {
  it('is the agreed policy: no inline script, no plugins, no framing, no form posts', () => {
    expect(CONTENT_SECURITY_POLICY).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: https: http://127.0.0.1:*; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'",
    );
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-(inline|eval)/);
  });
});

describe('rendererFilePath', () => {
  const root = path.resolve('/srv/dist/renderer');

  it('maps app pages to files under the renderer folder', () => {
    expect(rendererFilePath(root, 'app://renderer/index.html')).toBe(path.join(root, 'index.html'));
    expect(rendererFilePath(root, 'app://renderer/assets/index-abc.js?v=1')).toBe(path.join(root, 'assets', 'index-abc.js'));
    expect(rendererFilePath(root, 'app://renderer/')).toBe(path.join(root, 'index.html'));
    expect(rendererFilePath(root, 'app://renderer/profile')).toBe(path.join(root, 'index.html'));
  });

  it('refuses encoded separators and traversal that would leave the renderer folder', () => {
    for (const url of [
      'app://renderer/..%2f..%2fsecret.txt',
      'app://renderer/assets/..%2F..%2F..%2Fpackage.json',
      'app://renderer/..%5c..%5csecret.txt',
      'app://renderer/a%00.js',
      'app://renderer/%E0%A4%A.js',
    ]) {
      expect(rendererFilePath(root, url), url).toBeNull();
    }
  });

  it('keeps dot segments the URL parser resolves inside the renderer folder', () => {
    expect(rendererFilePath(root, 'app://renderer/%2e%2e/%2e%2e/etc/passwd.txt')).toBe(path.join(root, 'etc', 'passwd.txt'));
    expect(rendererFilePath(root, 'app://renderer/../../package.json')).toBe(path.join(root, 'package.json'));
  });

  it('serves nothing for other hosts or schemes', () => {
    expect(rendererFilePath(root, 'app://other/index.html')).toBeNull();
    expect(rendererFilePath(root, 'file:///srv/dist/renderer/index.html')).toBeNull();
  });
});

describe('rendererResponseHeaders', () => {
  it('names the type, forbids sniffing and carries the CSP on every file', () => {
    expect(rendererResponseHeaders('/x/index.html')).toEqual({
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': CONTENT_SECURITY_POLICY,
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-cache',
    });
    expect(rendererResponseHeaders('/x/assets/app.JS')['content-type']).toBe('text/javascript; charset=utf-8');
    expect(rendererResponseHeaders('/x/unknown.bin')['content-type']).toBe('application/octet-stream');
  });
});
