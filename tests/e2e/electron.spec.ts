/**
 * The real Electron app, end to end: dist/main/main.js in the Electron binary, signing in against
 * the dev IdP. Chromium stands in for the system browser (shell.openExternal is the one seam taken
 * over: a test cannot drive the desktop's browser), and the callback comes back the way Windows and
 * Linux deliver it, as the argv of a second app process that hands it to the first and exits.
 *
 * Runs wherever the Electron binary exists; elsewhere it is skipped and says why.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron, expect, test, type ElectronApplication, type Page } from '@playwright/test';
import type { AuthApi, SessionSnapshot } from '../../electron/contract.js';
import { DEMO_ACCOUNTS, startDevIdp, type DevIdp } from '../../electron/dev-idp/index.js';
import { CONTENT_SECURITY_POLICY } from '../../electron/main/window-policy.js';
import { locateElectronBinary } from '../../scripts/electron-binary.js';
import { launchChromium } from '../support/chromium.js';

/** What the test reads in the renderer (this tsconfig has no DOM types; callbacks run in the page). */
interface Renderer {
  readonly auth: AuthApi;
  readonly location: { readonly href: string };
  open(url: string): unknown;
  fetch(url: string): Promise<{ headers: { get(name: string): string | null } }>;
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const SCHEME = 'com.example.desktop';
const binary = locateElectronBinary(path.join(root, 'node_modules', 'electron'));
const noDisplay = process.platform === 'linux' && !process.env['DISPLAY'] && !process.env['WAYLAND_DISPLAY'];

test.skip(!binary.present, `Electron binary not available: ${binary.problem ?? ''}`);
test.skip(binary.present && noDisplay, 'Electron needs a display on Linux: run the tests under xvfb-run');

/** The app's args: the project folder (package.json "main" is dist/main/main.js) and a private profile. */
function appArgs(userData: string, ...extra: string[]): string[] {
  return [root, `--user-data-dir=${userData}`, ...extra];
}

/** A second instance, as the OS starts it for a callback; it passes argv on and exits. */
function deliverAsSecondInstance(userData: string, url: string, env: Record<string, string>): Promise<number | null> {
  const sandbox = process.platform === 'linux' ? ['--no-sandbox'] : [];
  return new Promise((resolve, reject) => {
    const child = spawn(binary.executable, [...sandbox, ...appArgs(userData, url)], { env, stdio: 'ignore' });
    child.on('error', reject);
    child.on('exit', (code) => resolve(code));
  });
}

/** The browser part: follow the authorization request until the IdP redirects to the app's scheme. */
async function authorizeInChromium(authorizationUrl: string): Promise<string> {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    const callback = new Promise<string>((resolve) => {
      page.on('response', (response) => {
        const location = response.headers()['location'];
        if (location?.startsWith(`${SCHEME}:`)) resolve(location);
      });
    });
    await page.goto(authorizationUrl).catch(() => undefined); // the last hop is the app's scheme
    return await callback;
  } finally {
    await browser.close();
  }
}

async function snapshot(page: Page): Promise<SessionSnapshot> {
  const result = await page.evaluate(() => (globalThis as unknown as Renderer).auth.getSnapshot());
  if (!result.ok) throw new Error(`getSnapshot failed: ${result.error.code}`);
  return result.value;
}

test.describe('the Electron app', () => {
  let dir: string;
  let idp: DevIdp;
  let app: ElectronApplication | undefined;

  test.beforeEach(async () => {
    if (!existsSync(path.join(root, 'dist', 'main', 'main.js')) || !existsSync(path.join(root, 'dist', 'preload', 'preload.cjs'))) {
      throw new Error('dist/ is not built: run npm run build before the Electron test.');
    }
    dir = await mkdtemp(path.join(os.tmpdir(), 'electron-e2e-'));
    idp = await startDevIdp({ scheme: SCHEME, autoLogin: DEMO_ACCOUNTS[0]!.id });
  });

  test.afterEach(async () => {
    await app?.close();
    await idp.close();
    await rm(dir, { recursive: true, force: true });
  });

  test('signs in through the system browser and the OS callback, and the renderer never sees a token', async () => {
    const config = path.join(dir, 'auth.config.json');
    await writeFile(config, JSON.stringify({ providers: [{ id: 'dev', label: 'Dev IdP', issuer: idp.issuer, clientId: idp.clientId }] }));
    const userData = path.join(dir, 'user-data');
    const env: Record<string, string> = {
      ...(Object.fromEntries(Object.entries(process.env).filter(([, v]) => v !== undefined)) as Record<string, string>),
      AUTH_CONFIG: config,
      // The Linux scheme registration writes a .desktop file: keep it out of the real desktop.
      XDG_DATA_HOME: path.join(dir, 'xdg-data'),
      XDG_CONFIG_HOME: path.join(dir, 'xdg-config'),
    };
    delete env['ELECTRON_RUN_AS_NODE'];

    app = await _electron.launch({ executablePath: binary.executable, args: appArgs(userData), env, cwd: dir });
    await app.evaluate(({ shell }) => {
      const opened: string[] = [];
      (globalThis as { opened?: string[] }).opened = opened;
      shell.openExternal = async (url: string) => {
        opened.push(url);
      };
    });
    const opened = (): Promise<string[]> => app!.evaluate(() => [...((globalThis as { opened?: string[] }).opened ?? [])]);

    const page = await app.firstWindow();
    await page.waitForFunction(() => 'auth' in globalThis);
    expect(new URL(page.url()).protocol).toBe('app:');

    // The renderer is a sandboxed web page with one narrow API.
    const surface = await page.evaluate(async () => {
      const renderer = globalThis as unknown as Renderer;
      const response = await renderer.fetch(renderer.location.href);
      return {
        node: ['require', 'process', 'module', 'ipcRenderer'].filter((name) => name in globalThis),
        api: Object.keys(renderer.auth).sort(),
        csp: response.headers.get('content-security-policy'),
      };
    });
    expect(surface).toEqual({
      node: [],
      api: ['api', 'appInfo', 'cancelSignIn', 'getSnapshot', 'onChange', 'protectedData', 'providers', 'reopenBrowser', 'signIn', 'signOut'],
      csp: CONTENT_SECURITY_POLICY,
    });

    // window.open of an https page goes to the system browser, not a new Electron window.
    await page.evaluate(() => void (globalThis as unknown as Renderer).open('https://example.com/help'));
    await expect.poll(opened).toContain('https://example.com/help');
    expect(app.windows()).toHaveLength(1);

    const signingIn = page.evaluate(() => (globalThis as unknown as Renderer).auth.signIn('dev', { remember: false }));
    await expect.poll(async () => (await opened()).find((u) => u.startsWith(`${idp.issuer}/`))).toBeTruthy();
    const authorizationUrl = (await opened()).find((u) => u.startsWith(`${idp.issuer}/`))!;
    expect(new URL(authorizationUrl).searchParams.get('code_challenge_method')).toBe('S256');

    const callback = await authorizeInChromium(authorizationUrl);
    expect(await deliverAsSecondInstance(userData, callback, env)).toBe(0);
    await signingIn;

    await expect.poll(async () => (await snapshot(page)).status).toBe('signed-in');
    const signedIn = await snapshot(page);
    expect(signedIn.user?.name).toBe(DEMO_ACCOUNTS[0]!.name);
    expect(JSON.stringify(signedIn)).not.toMatch(/eyJ|access_token|refresh_token|id_token|code_verifier/i);
  });
});
