import { describe, expect, it } from 'vitest';
import { appPathArgument, protocolClientArgs } from '../../electron/main/protocol-client-args.js';

const base = { execPath: 'C:\\electron\\electron.exe', cwd: 'C:\\work\\app' };

describe('protocolClientArgs', () => {
  it('registers the scheme alone on Linux and macOS, packaged or not', () => {
    for (const platform of ['linux', 'darwin'] as const) {
      for (const defaultApp of [true, false]) {
        expect(protocolClientArgs('com.example.desktop', { ...base, platform, defaultApp, argv: ['electron', '.'] })).toEqual(['com.example.desktop']);
      }
    }
  });

  it('registers the scheme alone for a packaged Windows app', () => {
    expect(protocolClientArgs('com.example.desktop', { ...base, platform: 'win32', defaultApp: false, argv: ['app.exe'] })).toEqual([
      'com.example.desktop',
    ]);
  });

  it('tells electron.exe which app to run in Windows development, as an absolute path', () => {
    expect(protocolClientArgs('com.example.desktop', { ...base, platform: 'win32', defaultApp: true, argv: ['electron.exe', '.'] })).toEqual([
      'com.example.desktop',
      'C:\\electron\\electron.exe',
      ['C:\\work\\app'],
    ]);
  });

  it('skips Chromium and inspector flags placed before the app path', () => {
    const argv = ['electron.exe', '--no-sandbox', '--inspect=0', '--remote-debugging-port=0', 'dist\\main\\main.js'];
    expect(protocolClientArgs('com.example.desktop', { ...base, platform: 'win32', defaultApp: true, argv })).toEqual([
      'com.example.desktop',
      'C:\\electron\\electron.exe',
      ['C:\\work\\app\\dist\\main\\main.js'],
    ]);
  });

  it('gives nothing to register when a Windows development run has no app path', () => {
    expect(protocolClientArgs('com.example.desktop', { ...base, platform: 'win32', defaultApp: true, argv: ['electron.exe', '--flag'] })).toBeUndefined();
  });
});

describe('appPathArgument', () => {
  it('is the first non-flag argument after the executable', () => {
    expect(appPathArgument(['/usr/bin/electron', '--no-sandbox', '/work/app', 'com.example.desktop:/callback'])).toBe('/work/app');
    expect(appPathArgument(['/usr/bin/electron'])).toBeUndefined();
  });
});
