/** What a person does in the system browser, for each provider the tests use. */
import type { Page } from 'playwright-core';
import type { BrowserDriver } from './headless-platform.js';

/** Signs in on the dev provider's real login form and allows access on its consent page. */
export function devLogin(username = 'alice', password = `${username}-password`, options: { consent?: 'allow' | 'deny' } = {}): BrowserDriver {
  return async (page: Page) => {
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const allow = page.getByRole('button', { name: options.consent === 'deny' ? /deny|cancel/i : 'Allow' });
    // The consent page appears only on a first grant; after that the provider redirects at once.
    if (await allow.first().isVisible({ timeout: 5_000 }).catch(() => false)) await allow.first().click();
  };
}

/** Stays on the provider's page and does nothing: for cancel, timeout and supersede tests. */
export const idle: BrowserDriver = async () => undefined;
