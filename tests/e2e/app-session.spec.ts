/**
 * The session across app runs and its endings, through the whole app on the headless host: a
 * remembered session restored without the sign-in screen ever showing, sign-out (here and at the
 * provider), "Keep me signed in" off, and an offline start from the saved profile.
 */
import { devIdpConfig } from '../../electron/main/resolve-config.js';
import { devConfirmSignOut, idle } from '../support/drivers.js';
import { expireStoredAccessToken, hasStoredRecord } from '../support/session-fixtures.js';
import {
  expect,
  expectHomeForAlice,
  expectNoAxeViolations,
  expectSignInScreen,
  fact,
  h1,
  navLink,
  observedBrowser,
  screenshot,
  signInButton,
  test,
  windowHistory,
  windowOf,
} from './e2e-support.js';

test('a restart with the same user data lands on Home and never shows the sign-in screen', async ({ apps, chromium }) => {
  const userDataDir = await apps.userDataDir();
  const first = await apps.start({ userDataDir, browser: observedBrowser(chromium) });
  const firstPage = windowOf(first);
  await signInButton(firstPage).click();
  await expectHomeForAlice(firstPage);
  // The observer does see the sign-in screen when there is one: this run showed it.
  expect(await windowHistory(firstPage)).toMatchObject({ signInSeen: true, splashSeen: true });
  await apps.stop(first);

  // The observer is the window context's first init script, so it runs before the renderer's first
  // script, while main is still restoring the session.
  const second = await apps.start({ userDataDir, browser: observedBrowser(chromium), driver: idle });
  const page = windowOf(second);
  await expectHomeForAlice(page);
  await expect(page.getByText('Good to see you, Alice Example.')).toBeVisible();

  const history = await windowHistory(page);
  expect(history.signInSeen).toBe(false);
  // The window opened at index.html (no hash: Home) and never moved: no redirect through #/sign-in.
  expect(history.hashes).toEqual(['']);
  // It showed the neutral splash first, then Home.
  expect(history.splashSeen).toBe(true);
  expect(second.platform.openedUrls).toEqual([]);
});

test('Sign out returns to the sign-in screen and forgets the session on this device', async ({ apps, idp }) => {
  const h = await apps.start();
  const page = windowOf(h);
  await signInButton(page).click();
  await expectHomeForAlice(page);
  expect(await hasStoredRecord(h.userDataDir, devIdpConfig(idp.issuer, idp.clientId))).toBe(true);

  await page.getByRole('banner').getByRole('button', { name: 'Sign out' }).click();
  await expectSignInScreen(page);
  await expect(page).toHaveURL(/#\/sign-in$/);
  await expect(page.getByRole('status').filter({ hasText: 'You’re signed out.' })).toBeVisible();
  await expect(page.getByText('Your browser was opened to sign you out of the provider too.')).toHaveCount(0);
  await expect(page.getByTestId('error')).toHaveCount(0);
  await expect(h1(page)).toBeFocused();
  expect(h.platform.openedUrls).toHaveLength(1);
  expect(await hasStoredRecord(h.userDataDir, devIdpConfig(idp.issuer, idp.clientId))).toBe(false);

  // Protected screens are closed again.
  await page.goto(new URL('#/session', page.url()).href);
  await expect(page).toHaveURL(/#\/sign-in\?next=\/session$/);
});

test('“Sign out of the provider too” opens the provider’s end-session page in the system browser', async ({ apps, idp }) => {
  const h = await apps.start();
  const page = windowOf(h);
  await signInButton(page).click();
  await expectHomeForAlice(page);

  await navLink(page, 'Session').click();
  await expect(h1(page)).toHaveText('Session');
  const confirmsBefore = idp.requests.filter((r) => r.method === 'POST' && r.path.startsWith('/session/end/confirm')).length;
  h.platform.setDriver(devConfirmSignOut());
  await page.getByRole('button', { name: 'Sign out of the provider too' }).click();

  await expectSignInScreen(page);
  await expect(page.getByRole('status').filter({ hasText: 'You’re signed out. Your browser was opened to sign you out of the provider too.' })).toBeVisible();
  expect(h.platform.openedUrls).toHaveLength(2);
  const endSession = new URL(h.platform.openedUrls[1] ?? '');
  expect(`${endSession.origin}${endSession.pathname}`).toBe(`${idp.issuer}/session/end`);
  expect(endSession.searchParams.get('post_logout_redirect_uri')).toBe('com.example.desktop:/signed-out');
  expect(endSession.searchParams.get('client_id')).toBe(idp.clientId);
  expect(endSession.searchParams.get('id_token_hint')).toBeTruthy();
  // The person confirmed on the provider's page in the browser, so the provider's session ended too.
  await expect
    .poll(() => idp.requests.filter((r) => r.method === 'POST' && r.path.startsWith('/session/end/confirm')).length)
    .toBeGreaterThan(confirmsBefore);
  // The sign-in screen is calm after it: nothing the app did not expect came back.
  await expect(page.getByTestId('error')).toHaveCount(0);
});

test('with “Keep me signed in” unchecked, a restart shows the sign-in screen', async ({ apps }) => {
  const userDataDir = await apps.userDataDir();
  const first = await apps.start({ userDataDir });
  const firstPage = windowOf(first);
  await firstPage.getByLabel('Keep me signed in').uncheck();
  await signInButton(firstPage).click();
  await expectHomeForAlice(firstPage);
  await navLink(firstPage, 'Session').click();
  await expect(fact(firstPage, 'Remembered on this device')).toHaveText(
    'No. You chose not to stay signed in, so the session ends when the app closes.',
  );
  await apps.stop(first);

  const second = await apps.start({ userDataDir, driver: idle });
  const page = windowOf(second);
  await expectSignInScreen(page);
  // Not a session that ended on its own: no "you were signed out" notice, no error.
  await expect(page.getByTestId('signed-out-reason')).toHaveCount(0);
  await expect(page.getByTestId('error')).toHaveCount(0);
  await expect(page.getByTestId('nav-user')).toHaveCount(0);
});

test('offline start: the saved profile is shown with the offline banner while the provider is unreachable', async ({ apps }) => {
  const own = await apps.startIdp();
  const config = devIdpConfig(own.issuer, own.clientId);
  const userDataDir = await apps.userDataDir();
  const first = await apps.start({ userDataDir, config });
  await signInButton(windowOf(first)).click();
  await expectHomeForAlice(windowOf(first));
  await apps.stop(first);

  // The provider goes away, and the access token expires while the app is closed.
  await apps.closeIdp(own);
  await expireStoredAccessToken(userDataDir, config);

  const second = await apps.start({ userDataDir, config, driver: idle });
  const page = windowOf(second);
  await expectHomeForAlice(page);
  await expect(page.getByRole('status').filter({ hasText: 'You’re offline. Showing your saved profile.' })).toBeVisible();
  // The picture lives at the provider, which is gone: the initials stand in.
  await expect(page.locator('.greeting .avatar-initials')).toHaveText('AE');
  await screenshot(page, 'offline');
  await expectNoAxeViolations(page, 'offline');

  await navLink(page, 'Profile').click();
  await expect(fact(page, 'Email')).toHaveText('alice@example.com');
  await expect(fact(page, 'Subject (sub)')).toHaveText('alice');
  await expect(page.getByRole('status').filter({ hasText: 'You’re offline.' })).toBeVisible();
  await navLink(page, 'Session').click();
  await expect(fact(page, 'Status')).toHaveText(/^Signed in/);
  await expect(fact(page, 'Connection')).toHaveText('Offline: showing your saved profile');
  expect(second.platform.openedUrls).toEqual([]);
});
