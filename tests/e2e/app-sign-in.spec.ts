/**
 * The whole app through the headless host, from the sign-in screen: the dev provider's real login
 * form in Chromium, every screen after it (with axe and a screenshot of each), the keyboard path,
 * a deep link to a protected screen, cancelling the wait, and a denial at the consent page.
 */
import { devSignIn, idle } from '../support/drivers.js';
import {
  expect,
  expectHomeForAlice,
  expectNoAxeViolations,
  expectSignInScreen,
  fact,
  h1,
  loadedImageWidth,
  navLink,
  screenshot,
  signInButton,
  test,
  windowOf,
} from './e2e-support.js';

const WAITING_HEADING = 'Finish signing in in your browser';

test('signs in on the provider’s login form, then shows Home, Profile, Session, API and a not-found page', async ({ apps, idp }) => {
  const h = await apps.start({ driver: devSignIn('alice') });
  const page = windowOf(h);

  await expectSignInScreen(page);
  await expect(h1(page)).toHaveText('Desktop Sign-In');
  await expect(page.getByLabel('Keep me signed in')).toBeChecked();
  await screenshot(page, 'sign-in');
  await expectNoAxeViolations(page, 'sign-in');

  await signInButton(page).click();

  // Home: the greeting, the provider's picture (loaded, not the initials), and the protected data.
  await expectHomeForAlice(page);
  await expect(page).toHaveURL(/index\.html#\/$/);
  const avatar = page.locator('.greeting img.avatar');
  await expect(avatar).toHaveAttribute('src', `${idp.issuer}/avatars/alice.svg`);
  expect(await loadedImageWidth(avatar)).toBeGreaterThan(0);
  await expect(page.getByText('Good to see you, Alice Example.')).toBeVisible();
  await expect(page.getByRole('listitem').filter({ hasText: 'Tokens stay in the main process' })).toBeVisible();
  await screenshot(page, 'home');
  await expectNoAxeViolations(page, 'home');
  expect(h.platform.openedUrls).toHaveLength(1);

  // Profile: what the provider said about Alice.
  await navLink(page, 'Profile').click();
  await expect(page).toHaveURL(/#\/profile$/);
  await expect(h1(page)).toHaveText('Profile');
  await expect(h1(page)).toBeFocused();
  await expect(navLink(page, 'Profile')).toHaveAttribute('aria-current', 'page');
  await expect(fact(page, 'Name')).toHaveText('Alice Example');
  await expect(fact(page, 'Email')).toHaveText('alice@example.com');
  await expect(fact(page, 'Subject (sub)')).toHaveText('alice');
  await expect(fact(page, 'Signed in with')).toHaveText('Development provider');
  await expect(page.getByRole('img', { name: 'Your profile picture' })).toBeVisible();
  await screenshot(page, 'profile');
  await expectNoAxeViolations(page, 'profile');

  // Session: signed in, remembered, online.
  await navLink(page, 'Session').click();
  await expect(h1(page)).toHaveText('Session');
  await expect(h1(page)).toBeFocused();
  await expect(fact(page, 'Status')).toHaveText('Signed in');
  await expect(fact(page, 'Provider')).toHaveText('Development provider');
  await expect(fact(page, 'Remembered on this device')).toHaveText('Yes, kept encrypted on this device (aes-256-gcm).');
  await expect(fact(page, 'Connection')).toHaveText('Online');
  await expect(fact(page, 'Access token valid until').locator('time')).toHaveAttribute('datetime', /^\d{4}-\d\d-\d\dT/);
  await expect(page.getByRole('button', { name: 'Sign out of the provider too' })).toBeVisible();
  await screenshot(page, 'session');
  await expectNoAxeViolations(page, 'session');

  // API: the provider's example path (`me`, its userinfo), called by main with the access token.
  await navLink(page, 'API').click();
  await expect(h1(page)).toHaveText('API');
  await expect(page.getByLabel('API path')).toHaveValue('me');
  await page.getByRole('button', { name: 'Call the API' }).click();
  const answer = page.getByTestId('api-answer');
  await expect(answer).toContainText('"sub": "alice"');
  const json: unknown = JSON.parse((await answer.textContent()) ?? '');
  expect(json).toMatchObject({ status: 200, data: { sub: 'alice', name: 'Alice Example', email: 'alice@example.com' } });
  await screenshot(page, 'api');
  await expectNoAxeViolations(page, 'api');

  // Nothing on any screen looks like a token (JWTs start eyJ; the dev IdP's opaque ones are long).
  expect(await page.content()).not.toMatch(/eyJ[\w-]{10,}\./);

  // A route the app does not know, and the way back.
  await page.goto(new URL('#/nowhere', page.url()).href);
  await expect(h1(page)).toHaveText('Page not found');
  await expect(page.getByText('There is no page at /nowhere.')).toBeVisible();
  await expect(page).toHaveTitle('Page not found · Desktop Sign-In');
  await screenshot(page, 'not-found');
  await expectNoAxeViolations(page, 'not-found');
  await page.getByRole('link', { name: 'Go to the home screen' }).click();
  await expectHomeForAlice(page);
});

test('signs in with the keyboard alone, and focus lands on each new screen’s heading', async ({ apps }) => {
  const h = await apps.start({ driver: devSignIn('alice') });
  const page = windowOf(h);
  await expectSignInScreen(page);
  // The screen's heading holds focus at first, so one Tab reaches the sign-in button.
  await expect(h1(page)).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(signInButton(page)).toBeFocused();
  await page.keyboard.press('Enter');

  await expectHomeForAlice(page);
  await expect(h1(page)).toBeFocused();

  // Back into the nav by keyboard: Shift+Tab from the heading passes Sign out, API and Session.
  const profile = navLink(page, 'Profile');
  for (const _ of ['Sign out', 'API', 'Session', 'Profile']) await page.keyboard.press('Shift+Tab');
  await expect(profile).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(h1(page)).toHaveText('Profile');
  await expect(h1(page)).toBeFocused();
});

test('a protected screen opened while signed out asks to sign in, then arrives there', async ({ apps }) => {
  const h = await apps.start({ driver: devSignIn('alice') });
  const page = windowOf(h);
  await expectSignInScreen(page);

  await page.goto(new URL('#/profile', page.url()).href);
  await expect(page).toHaveURL(/#\/sign-in\?next=\/profile$/);
  await expect(signInButton(page)).toBeVisible();
  await expect(page.getByTestId('nav-user')).toHaveCount(0);

  await signInButton(page).click();
  await expect(page).toHaveURL(/#\/profile$/);
  await expect(h1(page)).toHaveText('Profile');
  await expect(h1(page)).toBeFocused();
  await expect(fact(page, 'Email')).toHaveText('alice@example.com');
});

test('waiting for the browser: open it again, then cancel back to the buttons without an alarm', async ({ apps }) => {
  const h = await apps.start({ driver: idle });
  const page = windowOf(h);
  await expectSignInScreen(page);
  await signInButton(page).click();

  const waiting = page.getByRole('heading', { level: 2, name: WAITING_HEADING });
  await expect(waiting).toBeVisible();
  await expect(waiting).toBeFocused();
  await expect(page.getByText('Development provider’s sign-in page is open in your browser.')).toBeVisible();
  await expect(page.getByText(/This request expires in \d+ minutes?\./)).toBeVisible();
  await expect(signInButton(page)).toHaveCount(0);
  expect(h.platform.openedUrls).toHaveLength(1);
  await screenshot(page, 'waiting');
  await expectNoAxeViolations(page, 'waiting');

  await page.getByRole('button', { name: 'Open the browser again' }).click();
  await expect(page.getByText('We opened the page again.')).toBeVisible();
  expect(h.platform.openedUrls).toHaveLength(2);
  expect(h.platform.openedUrls[1]).toBe(h.platform.openedUrls[0]);

  await page.getByRole('button', { name: 'Cancel' }).click();
  await expectSignInScreen(page);
  await expect(page.getByRole('status').filter({ hasText: 'Sign-in was cancelled.' })).toBeVisible();
  await expect(page.getByTestId('error')).toHaveCount(0);
  await expect(page.getByRole('alert')).toHaveCount(0);
  // The card changed wholesale: focus goes back to the screen's heading.
  await expect(h1(page)).toBeFocused();
  await expectNoAxeViolations(page, 'cancelled');
});

test('access denied at the consent page is said in plain words, with a Retry that starts again', async ({ apps }) => {
  const h = await apps.start({ driver: devSignIn('bob', { consent: 'deny' }) });
  const page = windowOf(h);
  await expectSignInScreen(page);
  await signInButton(page).click();

  const error = page.getByTestId('error');
  await expect(error).toBeVisible();
  await expect(error).toHaveAttribute('data-code', 'access_denied');
  await expect(error).toHaveAttribute('role', 'alert');
  await expect(error).toContainText('You are not signed in. Sign-in was declined. You can try again and allow access.');
  await expect(signInButton(page)).toBeVisible();
  await screenshot(page, 'error');
  await expectNoAxeViolations(page, 'error');

  // Retry starts a new attempt with the same provider: the browser opens again.
  h.platform.setDriver(idle);
  await error.getByRole('button', { name: 'Retry' }).click();
  await expect(page.getByRole('heading', { level: 2, name: WAITING_HEADING })).toBeVisible();
  expect(h.platform.openedUrls).toHaveLength(2);
  await expect(page.getByTestId('error')).toHaveCount(0);
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expectSignInScreen(page);
});
