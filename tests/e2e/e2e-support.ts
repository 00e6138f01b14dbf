/**
 * What the whole-app e2e specs share: Playwright fixtures that start (and always stop) Chromium, the
 * dev IdP and headless apps; locators for the screens; screenshots; the axe check; and a browser
 * wrapper that lets a test watch the app window from before its first script runs.
 *
 * The app runs on the headless host (`startHeadlessApp`): the same composition root as Electron, with
 * Debian's Chromium as both the app window (dist/renderer under the strict CSP) and the system
 * browser, where a driver fills in the dev provider's real login form.
 */
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, test as base } from '@playwright/test';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import type { AuthConfig } from '../../electron/auth/config.js';
import { startDevIdp, type DevIdp } from '../../electron/dev-idp/index.js';
import { devIdpConfig } from '../../electron/main/resolve-config.js';
import { launchChromium } from '../support/chromium.js';
import { devSignIn } from '../support/drivers.js';
import { startHeadlessApp, tempUserData, type HeadlessApp } from '../support/headless-app.js';
import { PROJECT_ROOT, type BrowserDriver } from '../support/headless-platform.js';

export { expect };

export const SIGN_IN_BUTTON = 'Sign in with Development provider';
export const SCREENSHOT_DIR = path.join(PROJECT_ROOT, 'test-results', 'screenshots');

export interface StartOptions {
  /** What the person does on the provider's page; default: alice signs in and allows. */
  readonly driver?: BrowserDriver;
  /** Reuse a folder to restart "the same installation"; default: a fresh temp folder. */
  readonly userDataDir?: string;
  readonly config?: AuthConfig;
  /** Default: the worker's Chromium. */
  readonly browser?: Browser;
}

export interface Apps {
  /** Starts the app; the fixture stops it at the end of the test if the test did not. */
  start(options?: StartOptions): Promise<HeadlessApp>;
  /** Stops an app the test started (its user data stays for a restart). */
  stop(app: HeadlessApp): Promise<void>;
  /** A temp user-data folder, removed at the end of the test. */
  userDataDir(): Promise<string>;
  /** A dev IdP of the test's own, closed at the end of the test unless the test closed it. */
  startIdp(): Promise<DevIdp>;
  /** Closes a dev IdP from `startIdp` (the provider going away). */
  closeIdp(idp: DevIdp): Promise<void>;
}

interface WorkerFixtures {
  readonly chromium: Browser;
  readonly idp: DevIdp;
}

interface TestFixtures {
  readonly apps: Apps;
}

export const test = base.extend<TestFixtures, WorkerFixtures>({
  chromium: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const browser = await launchChromium();
      await use(browser);
      await browser.close();
    },
    { scope: 'worker' },
  ],
  idp: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const idp = await startDevIdp();
      await use(idp);
      await idp.close();
    },
    { scope: 'worker' },
  ],
  apps: async ({ chromium, idp }, use) => {
    const running = new Set<HeadlessApp>();
    const folders: string[] = [];
    const idps = new Set<DevIdp>();
    const apps: Apps = {
      start: async (options = {}) => {
        const userDataDir = options.userDataDir ?? (await apps.userDataDir());
        const app = await startHeadlessApp({
          browser: options.browser ?? chromium,
          config: options.config ?? devIdpConfig(idp.issuer, idp.clientId),
          driver: options.driver ?? devSignIn('alice'),
          userDataDir,
        });
        running.add(app);
        return app;
      },
      stop: async (app) => {
        running.delete(app);
        await app.stop();
      },
      userDataDir: async () => {
        const folder = await tempUserData('desktop-sign-in-e2e-');
        folders.push(folder);
        return folder;
      },
      startIdp: async () => {
        const own = await startDevIdp();
        idps.add(own);
        return own;
      },
      closeIdp: async (own) => {
        if (idps.delete(own)) await own.close();
      },
    };
    await use(apps);
    await Promise.allSettled([...running].map((app) => app.stop()));
    await Promise.allSettled([...idps].map((own) => own.close()));
    idps.clear();
    await Promise.allSettled(folders.map((folder) => rm(folder, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 })));
  },
});

/** The app window (the renderer), which the headless host opens while the app starts. */
export function windowOf(app: HeadlessApp): Page {
  const page = app.platform.window;
  if (!page) throw new Error('the headless app has no window');
  return page;
}

/** The screen's one <h1>. */
export const h1 = (page: Page): Locator => page.getByRole('heading', { level: 1 });

export const signInButton = (page: Page): Locator => page.getByRole('button', { name: SIGN_IN_BUTTON });

export const navLink = (page: Page, name: 'Home' | 'Profile' | 'Session' | 'API'): Locator =>
  page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true });

/** A row of a FactList (<dl>): the value next to a term. */
export const fact = (page: Page, term: string): Locator => page.locator('.fact').filter({ has: page.locator('dt', { hasText: term }) }).locator('dd');

/** The sign-in screen with its provider buttons (not the waiting state). */
export async function expectSignInScreen(page: Page): Promise<void> {
  await expect(page).toHaveURL(/#\/sign-in/);
  await expect(signInButton(page)).toBeVisible();
  await expect(page.getByText('Sign in to continue.')).toBeVisible();
}

/** Home, greeting Alice. */
export async function expectHomeForAlice(page: Page): Promise<void> {
  await expect(h1(page)).toHaveText('Welcome, Alice Example');
  await expect(page.getByTestId('nav-user')).toHaveText('Alice Example');
  await expect(page).toHaveTitle('Home · Desktop Sign-In');
}

/** Waits for the image to load, then answers its natural width (0 when it failed). */
export async function loadedImageWidth(image: Locator): Promise<number> {
  await expect(image).toHaveJSProperty('complete', true);
  return image.evaluate((element: unknown) => (element as { naturalWidth: number }).naturalWidth);
}

/** Saves a screenshot of the window as test-results/screenshots/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  // The caret and spinners would make every run's picture differ.
  await page.screenshot({ path: file, fullPage: true, animations: 'disabled', caret: 'hide' });
  return file;
}

/** axe-core on the whole page: zero violations, listed by rule and element when there are some. */
export async function expectNoAxeViolations(page: Page, screen: string): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const found = results.violations.map((v) => `${v.id} (${v.impact ?? 'unknown'}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(found, `axe violations on the ${screen} screen`).toEqual([]);
  // A run that checked nothing would pass too: make sure axe saw the screen.
  expect(results.passes.length, `axe checked the ${screen} screen`).toBeGreaterThan(0);
}

/**
 * What the window showed from its very first document on, recorded in the page: every distinct URL
 * hash in order, whether the sign-in screen (its provider buttons or its URL) was ever in the DOM, and
 * whether the splash was. A MutationObserver sees every React commit before the browser paints it, and
 * the hash listener sees every navigation (the router announces replaceState with a hashchange).
 */
export interface WindowHistory {
  readonly hashes: string[];
  readonly signInSeen: boolean;
  readonly splashSeen: boolean;
}

const HISTORY_KEY = '__e2eWindowHistory';

const observerScript = `(() => {
  if (window.top !== window) return;
  const history = { hashes: [], signInSeen: false, splashSeen: false };
  Object.defineProperty(window, ${JSON.stringify(HISTORY_KEY)}, { value: history });
  const check = () => {
    const hash = location.hash;
    if (history.hashes[history.hashes.length - 1] !== hash) history.hashes.push(hash);
    if (hash.startsWith('#/sign-in')) history.signInSeen = true;
    if (document.querySelector('.sign-in .provider-choice, .sign-in .pending')) history.signInSeen = true;
    for (const button of document.querySelectorAll('button')) {
      if ((button.textContent || '').startsWith('Sign in with')) history.signInSeen = true;
    }
    if (document.querySelector('.splash')) history.splashSeen = true;
  };
  check();
  window.addEventListener('hashchange', check);
  new MutationObserver(check).observe(document, { childList: true, subtree: true, characterData: true, attributes: true });
})();`;

/**
 * The real browser, except that every context it creates gets the history observer as its first
 * init script, before the headless host adds its bridge and opens the window. The host creates the
 * window's context itself while the app starts, so this is the one way to be in the page before its
 * first script without changing the host: a reload afterwards would miss the cold start, when the
 * session is still being restored.
 */
export function observedBrowser(browser: Browser): Browser {
  return new Proxy(browser, {
    get(target, property) {
      if (property === 'newContext') {
        return async (...args: Parameters<Browser['newContext']>): Promise<BrowserContext> => {
          const context = await target.newContext(...args);
          await context.addInitScript({ content: observerScript });
          return context;
        };
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

export async function windowHistory(page: Page): Promise<WindowHistory> {
  const history = await page.evaluate((key) => (globalThis as unknown as Record<string, WindowHistory | undefined>)[key], HISTORY_KEY);
  if (!history) throw new Error('the window history observer is not installed (start the app with observedBrowser)');
  return history;
}
