import { describe, expect, it } from 'vitest';
import { createDeepLinkQueue } from '../../electron/platform/electron-deep-links.js';

const scheme = 'com.example.desktop';
const callback = (n: number): string => `${scheme}:/callback?code=c${n}&state=s${n}`;

describe('createDeepLinkQueue', () => {
  it('holds links until both the scheme and a listener are known, then delivers them in order', () => {
    const queue = createDeepLinkQueue();
    const got: string[] = [];
    queue.pushArgv(['/usr/bin/electron', '--no-sandbox', '/app', callback(1)]);
    queue.pushUrl(callback(2));
    queue.setListener((url) => got.push(url));
    expect(got).toEqual([]);
    queue.setScheme(scheme);
    expect(got).toEqual([callback(1), callback(2)]);
    queue.pushArgv(['app.exe', '--allow-file-access-from-files', callback(3), '--original-process-start-time=1']);
    expect(got).toEqual([callback(1), callback(2), callback(3)]);
  });

  it('ignores command lines without a callback and delivers each link once', () => {
    const queue = createDeepLinkQueue();
    const got: string[] = [];
    queue.setScheme(scheme);
    queue.setListener((url) => got.push(url));
    queue.pushArgv(['/usr/bin/electron', '/app']);
    queue.pushArgv(['/usr/bin/electron', '/app', 'https://evil.example/com.example.desktop:/callback']);
    queue.pushUrl(callback(1));
    queue.setListener((url) => got.push(`again ${url}`));
    expect(got).toEqual([callback(1)]);
  });

  it('keeps only the most recent links when flooded before start-up finishes', () => {
    const queue = createDeepLinkQueue();
    for (let n = 0; n < 50; n++) queue.pushUrl(callback(n));
    const got: string[] = [];
    queue.setScheme(scheme);
    queue.setListener((url) => got.push(url));
    expect(got).toHaveLength(20);
    expect(got.at(-1)).toBe(callback(49));
    expect(got[0]).toBe(callback(30));
  });
});
