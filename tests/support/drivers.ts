/**
 * What a person does in the system browser, for each provider the tests use: the dev provider's
 * real pages, driven without racing them (wait for what comes next, the consent page or the
 * provider sending the browser back to the app, rather than asking once whether it is there).
 */
import type { Page, Response } from 'playwright-core';
import type { BrowserDriver } from './headless-platform.js';


/** Resolves when the page is redirected to a non-web scheme (the app's callback); never rejects. */
function redirectedToApp(page: Page): Promise<void> {
  return new Promise((resolve) => {
    const onResponse = (response: Response): void => {
      const location = response.headers()['location'] ?? '';
      if (/^[a-z][a-z0-9+.-]*:/i.test(location) && !/^https?:/i.test(location)) {
        page.off('response', onResponse);
        resolve();
      }
    };
    page.on('response', onResponse);
  });
}

/** Whichever comes first; the loser's later failure (timeout, page closed) is ignored. */
async function first<T>(...candidates: Promise<T>[]): Promise<T> {
  for (const candidate of candidates) candidate.catch(() => undefined);
  return Promise.race(candidates);
}

/**
 * Signs in on the dev provider's login form (when it shows one: an existing provider session skips
 * it), then allows or denies on its consent page (when it shows one: a remembered grant skips it).
 */
export function devSignIn(username = 'alice', options: { password?: string; consent?: 'allow' | 'deny' } = {}): BrowserDriver {
  return async (page: Page) => {
    // Already back at the app: the provider redirected straight away and no page was committed.
    if (!/^https?:/i.test(page.url())) return;
    const back = redirectedToApp(page);
    const username$ = page.getByLabel('Username');
    const consent = page.getByRole('button', { name: options.consent === 'deny' ? 'Deny' : 'Allow', exact: true });
    // `goto` waited for the load event, so the page shown now is complete.
    if (await username$.isVisible()) {
      await username$.fill(username);
      await page.getByLabel('Password').fill(options.password ?? `${username}-password`);
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      const next = await first(back.then(() => 'app' as const), consent.waitFor({ state: 'visible' }).then(() => 'consent' as const));
      if (next === 'app') return;
    }
    await consent.click();
  };
}

/** Confirms on the dev provider's "Sign out?" page (it then redirects to the app's `/signed-out`). */
export function devConfirmSignOut(): BrowserDriver {
  return async (page: Page) => {
    if (!/^https?:/i.test(page.url())) return;
    await page.getByRole('button', { name: 'Yes, sign me out' }).click();
  };
}

/** `devSignIn` with the password as a positional argument. */
export function devLogin(username = 'alice', password = `${username}-password`, options: { consent?: 'allow' | 'deny' } = {}): BrowserDriver {
  return devSignIn(username, { password, ...options });
}

/** Stays on the provider's page and does nothing: for cancel, timeout and supersede tests. */
export const idle: BrowserDriver = async () => undefined;
