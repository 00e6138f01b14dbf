import { execFileSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  applicationsDir,
  desktopEntryContent,
  desktopFileName,
  desktopNameFromPackageJson,
  linuxLaunchCommand,
  registerLinuxSchemeHandler,
  runCommand,
} from '../../electron/main/linux-desktop-entry.js';

const scheme = 'com.example.desktop';
const entry = { name: 'Desktop Sign-In', exec: ['/opt/Desktop Sign-In/electron', '/work/app'], scheme, noDisplay: true };

function whichXdgMime(): string | undefined {
  try {
    return execFileSync('sh', ['-c', 'command -v xdg-mime'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}
const xdgMime = process.platform === 'linux' ? whichXdgMime() : undefined;

describe('desktopEntryContent', () => {
  it('declares the scheme handler and passes the URL as %u', () => {
    const text = desktopEntryContent(entry);
    expect(text.split('\n')).toEqual([
      '[Desktop Entry]',
      'Type=Application',
      'Name=Desktop Sign-In',
      'Exec="/opt/Desktop Sign-In/electron" /work/app %u',
      'Terminal=false',
      'MimeType=x-scheme-handler/com.example.desktop;',
      'NoDisplay=true',
      '',
    ]);
  });

  it('shows the entry when not in development', () => {
    expect(desktopEntryContent({ ...entry, noDisplay: false })).not.toContain('NoDisplay');
  });

  it('quotes and escapes Exec arguments as the Desktop Entry spec requires', () => {
    const exec = desktopEntryContent({ ...entry, exec: ['/a b/$x`y"z\\w', '100%', ''] }).split('\n')[3];
    // Inside quotes: \" \` \$ \\ ; then string escaping doubles every backslash; % becomes %%.
    expect(exec).toBe('Exec="/a b/\\\\$x\\\\`y\\\\"z\\\\\\\\w" 100%% "" %u');
  });

  it('refuses a line break that would inject another key', () => {
    expect(() => desktopEntryContent({ ...entry, exec: ['/bin/app\nExec=/bin/evil'] })).toThrow(/line break/);
    expect(desktopEntryContent({ ...entry, name: 'A\nExec=/bin/evil' })).toContain('Name=A Exec=/bin/evil\n');
  });
});

describe('linuxLaunchCommand', () => {
  const dev = { packaged: false, appImage: undefined, execPath: '/repo/node_modules/electron/dist/electron', cwd: '/repo' };

  it('runs electron with the absolute app folder in development, past any flags', () => {
    expect(linuxLaunchCommand({ ...dev, argv: ['electron', '--no-sandbox', '--inspect=0', '.'] })).toEqual([dev.execPath, '/repo']);
    expect(linuxLaunchCommand({ ...dev, argv: ['electron', 'dist/main/main.js'] })).toEqual([dev.execPath, '/repo/dist/main/main.js']);
  });

  it('runs the AppImage itself when packaged as one, and writes nothing for a .deb', () => {
    expect(linuxLaunchCommand({ ...dev, packaged: true, appImage: '/home/u/Apps/Desktop.AppImage', argv: ['x'] })).toEqual(['/home/u/Apps/Desktop.AppImage']);
    expect(linuxLaunchCommand({ ...dev, packaged: true, argv: ['/opt/Desktop Sign-In/desktop-sign-in'] })).toBeUndefined();
  });

  it('has nothing to run when development has no app folder', () => {
    expect(linuxLaunchCommand({ ...dev, argv: ['electron', '--flag'] })).toBeUndefined();
  });
});

describe('desktopNameFromPackageJson', () => {
  it('reads desktopName and falls back when it is missing, unsafe or unreadable', () => {
    expect(desktopNameFromPackageJson('{"desktopName":"my-app.desktop"}')).toBe('my-app.desktop');
    expect(desktopNameFromPackageJson('{"name":"x"}')).toBe('desktop-sign-in.desktop');
    expect(desktopNameFromPackageJson('{"desktopName":"../evil.desktop"}')).toBe('desktop-sign-in.desktop');
    expect(desktopNameFromPackageJson('{"desktopName":42}')).toBe('desktop-sign-in.desktop');
    expect(desktopNameFromPackageJson('not json')).toBe('desktop-sign-in.desktop');
    expect(desktopNameFromPackageJson(undefined)).toBe('desktop-sign-in.desktop');
  });
});

describe('desktopFileName and applicationsDir', () => {
  it('uses desktopName as the file name, adding .desktop when missing', () => {
    expect(desktopFileName('desktop-sign-in.desktop')).toBe('desktop-sign-in.desktop');
    expect(desktopFileName('desktop-sign-in')).toBe('desktop-sign-in.desktop');
    expect(desktopFileName('../../evil.desktop')).toBe('evil.desktop');
  });

  it('is $XDG_DATA_HOME/applications, else ~/.local/share/applications', () => {
    expect(applicationsDir({ XDG_DATA_HOME: '/x/data' }, '/home/u')).toBe(path.join('/x/data', 'applications'));
    expect(applicationsDir({}, '/home/u')).toBe(path.join('/home/u', '.local', 'share', 'applications'));
    expect(applicationsDir({ XDG_DATA_HOME: 'relative' }, '/home/u')).toBe(path.join('/home/u', '.local', 'share', 'applications'));
  });
});

// The desktop-file registration is Linux's; the stand-in xdg-mime below is a POSIX shell script.
describe.skipIf(process.platform === 'win32')('registerLinuxSchemeHandler', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'desktop-entry-'));
    env = { ...process.env, XDG_DATA_HOME: path.join(dir, 'data'), XDG_CONFIG_HOME: path.join(dir, 'config'), XDG_CURRENT_DESKTOP: '' };
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** A stand-in xdg-mime on PATH, for the answers a real desktop can give but this machine does not. */
  async function fakeXdgMime(script: string): Promise<NodeJS.ProcessEnv> {
    const bin = path.join(dir, 'bin');
    await mkdir(bin, { recursive: true });
    const file = path.join(bin, 'xdg-mime');
    await writeFile(file, `#!/bin/sh\n${script}\n`);
    await chmod(file, 0o755);
    return { ...env, PATH: bin };
  }

  it.skipIf(!xdgMime)('makes the app the default handler with the real xdg-mime, and the OS confirms it', async () => {
    const result = await registerLinuxSchemeHandler({ desktopName: 'desktop-sign-in.desktop', entry, env });
    expect(result).toEqual({ ok: true, problem: null });
    const written = await readFile(path.join(dir, 'data', 'applications', 'desktop-sign-in.desktop'), 'utf8');
    expect(written).toBe(desktopEntryContent(entry));
    const query = await runCommand('xdg-mime', ['query', 'default', `x-scheme-handler/${scheme}`], env);
    expect(query.stdout.trim()).toBe('desktop-sign-in.desktop');
  });

  it('says xdg-mime is missing when it is not installed', async () => {
    const result = await registerLinuxSchemeHandler({ desktopName: 'desktop-sign-in', entry, env: { ...env, PATH: path.join(dir, 'empty') } });
    expect(result.ok).toBe(false);
    expect(result.problem).toMatch(/^xdg-mime is not installed \(it comes with xdg-utils\), so com\.example\.desktop: links will not reach this app/);
  });

  it('reports a failing xdg-mime with its exit code and message', async () => {
    const result = await registerLinuxSchemeHandler({
      desktopName: 'desktop-sign-in',
      entry,
      env: await fakeXdgMime('echo "no mimeapps.list writable" >&2; exit 4'),
    });
    expect(result).toEqual({
      ok: false,
      problem: expect.stringMatching(/^xdg-mime default desktop-sign-in\.desktop x-scheme-handler\/com\.example\.desktop failed \(exit 4\): no mimeapps\.list writable, so /),
    });
  });

  it('reports when the desktop keeps another handler', async () => {
    const result = await registerLinuxSchemeHandler({
      desktopName: 'desktop-sign-in',
      entry,
      env: await fakeXdgMime('[ "$1" = query ] && echo other-app.desktop; exit 0'),
    });
    expect(result.problem).toMatch(/^The desktop still opens x-scheme-handler\/com\.example\.desktop with other-app\.desktop instead of desktop-sign-in\.desktop/);
  });

  it('reports when the applications folder cannot be written', async () => {
    await writeFile(path.join(dir, 'data'), 'a file where a folder should be');
    const result = await registerLinuxSchemeHandler({ desktopName: 'desktop-sign-in', entry, env });
    expect(result.ok).toBe(false);
    expect(result.problem).toMatch(/^Could not write desktop-sign-in\.desktop into .*applications \((ENOTDIR|EEXIST)\)/);
  });
});
