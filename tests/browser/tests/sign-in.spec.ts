import { expect, test } from '@playwright/test';
import { expectNoSeriousA11yViolations, signUpAndSignIn } from './helpers';
import { freshEmail, mailFilesTo, newestMailTo, signInLinkFor } from './mail';

const BASE_URL = `http://127.0.0.1:${process.env['BROWSER_TEST_PORT'] ?? '18080'}`;

test('sign up: the form, "check your mail", and the link in the e-mail signs you in', async ({ page }) => {
  const email = freshEmail('sanne');
  await page.goto('/');
  const header = page.getByRole('banner');
  await header.getByRole('link', { name: 'Inloggen' }).click();
  await page.getByRole('main').getByRole('link', { name: 'Account maken' }).click();
  await expect(page).toHaveURL(/\/sign-up$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Account maken');
  await expect(page.getByRole('radio', { name: 'Nederlands' })).toBeChecked();
  await expectNoSeriousA11yViolations(page);

  await page.getByLabel('E-mailadres').fill(email);
  await page.getByLabel('Je naam').fill('Sanne');
  await page.getByRole('button', { name: 'Account maken' }).click();

  await expect(page).toHaveURL(/\/check-your-mail$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Kijk in je mail');
  await expect(page.getByText(`We hebben een e-mail gestuurd naar ${email}.`)).toBeVisible();
  await expect(page.getByText('De link werkt 15 minuten. En je kunt hem maar één keer gebruiken.')).toBeVisible();
  await expectNoSeriousA11yViolations(page);

  const link = await signInLinkFor(email);
  expect(link.startsWith(`${BASE_URL}/sign-in?token=`)).toBe(true);
  await page.goto(link);
  // Never the profile page: a new resident without a page to go back to lands on the neighbourhoods.
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Buurten');
  await expect(header.getByRole('link', { name: 'Sanne' })).toBeVisible();
  await expect(header.getByRole('button', { name: 'Uitloggen' })).toBeVisible();
  await expect(header.getByRole('link', { name: 'Inloggen' })).toHaveCount(0);
});

test('sign up shows the server’s messages next to the fields', async ({ page }) => {
  await page.goto('/sign-up');
  await page.getByLabel('E-mailadres').fill('geen-adres');
  await page.getByRole('button', { name: 'Account maken' }).click();
  const alert = page.getByRole('alert');
  // A calm summary with a link to each field, not an alarm; it takes the focus.
  await expect(alert).toContainText('Kijk dit nog even na');
  await expect(alert).not.toContainText('Er ging iets mis');
  await expect(alert).toBeFocused();
  const emailInput = page.getByLabel('E-mailadres');
  await expect(emailInput).toHaveAttribute('aria-invalid', 'true');
  await alert.getByRole('link', { name: 'Het e-mailadres klopt niet.' }).click();
  await expect(emailInput).toBeFocused();
  // The message is tied to the input, so screen readers read it with the field.
  const describedBy = (await emailInput.getAttribute('aria-describedby')) ?? '';
  expect(describedBy).toContain('email-error');
  await expect(page.locator('#email-error')).not.toBeEmpty();
  await expect(page.getByLabel('Je naam')).toHaveAttribute('aria-invalid', 'true');
  await expectNoSeriousA11yViolations(page);
});

test('asking for a sign-in link; the session survives a reload; signing out', async ({ page }) => {
  const email = freshEmail('kees');
  await signUpAndSignIn(page, { email, displayName: 'Kees' });
  await page.getByRole('banner').getByRole('button', { name: 'Uitloggen' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Je bent uitgelogd.' })).toBeVisible();

  const before = mailFilesTo(email);
  await page.getByRole('banner').getByRole('link', { name: 'Inloggen' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Inloggen');
  await expectNoSeriousA11yViolations(page);
  await page.getByRole('region', { name: 'Inloggen met een link' }).getByLabel('E-mailadres').fill(email);
  await page.getByRole('button', { name: 'Stuur mij een link' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Kijk in je mail');

  await page.goto(await signInLinkFor(email, before));
  const header = page.getByRole('banner');
  await expect(header.getByRole('link', { name: 'Kees' })).toBeVisible();

  // The access token lives in memory only; the refresh token in an HttpOnly cookie for /auth,
  // localStorage only says that there is a session.
  const stored = await page.evaluate(() => ({ ...localStorage }));
  expect(stored['buurtkracht.signedIn']).toBe('1');
  expect(Object.values(stored).some((value) => value.startsWith('eyJ') || value.includes('bk_refresh'))).toBe(false);
  const cookie = (await page.context().cookies()).find((c) => c.name === 'bk_refresh');
  expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/auth' });

  await page.reload();
  await expect(header.getByRole('link', { name: 'Kees' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Buurten');

  await header.getByRole('button', { name: 'Uitloggen' }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(header.getByRole('link', { name: 'Inloggen' })).toBeVisible();
  expect(await page.evaluate(() => localStorage.getItem('buurtkracht.signedIn'))).toBeNull();
  expect((await page.context().cookies()).some((c) => c.name === 'bk_refresh')).toBe(false);
  await page.reload();
  await expect(header.getByRole('link', { name: 'Inloggen' })).toBeVisible();
});

test('a demo resident without a password signs in with a link', async ({ page }) => {
  const email = 'kees.vandijk@demo.buurtkracht.nl';
  const before = mailFilesTo(email);
  await page.goto('/sign-in');
  await page.getByRole('region', { name: 'Inloggen met een link' }).getByLabel('E-mailadres').fill(email);
  await page.getByRole('button', { name: 'Stuur mij een link' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Kijk in je mail');
  await page.goto(await signInLinkFor(email, before));
  // A resident of one neighbourhood lands there.
  await expect(page).toHaveURL(/\/buurt\/[a-z-]+$/);
  await page.goto('/profile');
  await expect(page.getByText(`Je e-mailadres is ${email}.`)).toBeVisible();
});

test('an unknown address gets the same "check your mail" page', async ({ page }) => {
  await page.goto('/sign-in');
  await page.getByRole('region', { name: 'Inloggen met een link' }).getByLabel('E-mailadres').fill(freshEmail('nobody'));
  await page.getByRole('button', { name: 'Stuur mij een link' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Kijk in je mail');
});

test('a used or broken link shows the server’s message and a way to ask for a new one', async ({ page }) => {
  const email = freshEmail('used');
  await signUpAndSignIn(page, { email, displayName: 'Used' });
  const link = await signInLinkFor(email);
  await page.evaluate(() => localStorage.clear());

  await page.goto(link);
  await expect(page.getByRole('heading', { level: 2 })).toHaveText('Inloggen met deze link lukt niet');
  await expect(page.getByRole('alert')).toHaveText('De link is al gebruikt. Vraag een nieuwe aan.');
  await expectNoSeriousA11yViolations(page);
  await page.getByRole('link', { name: 'Vraag een nieuwe link aan' }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await expect(page.getByRole('button', { name: 'Stuur mij een link' })).toBeVisible();

  await page.goto('/sign-in?token=abc');
  await expect(page.getByRole('alert')).toHaveText('De link klopt niet.');
  await page.getByRole('button', { name: 'English' }).click();
  await page.goto('/sign-in?token=abc');
  await expect(page.getByRole('heading', { level: 2 })).toHaveText('Signing in with this link does not work');
  await expect(page.getByRole('link', { name: 'Ask for a new link' })).toBeVisible();
  await expectNoSeriousA11yViolations(page);
});

test('too many links for one address: the server’s message says when to try again', async ({ page }) => {
  const email = freshEmail('many');
  await page.goto('/sign-in');
  const form = page.getByRole('region', { name: 'Inloggen met een link' });
  for (let attempt = 0; attempt < 5; attempt += 1) {
    await form.getByLabel('E-mailadres').fill(email);
    await page.getByRole('button', { name: 'Stuur mij een link' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Kijk in je mail');
    await page.getByRole('link', { name: 'Vraag een nieuwe link aan' }).click();
  }
  await form.getByLabel('E-mailadres').fill(email);
  await page.getByRole('button', { name: 'Stuur mij een link' }).click();
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('Je hebt dit te vaak achter elkaar gedaan.');
  // The server's own message, with when to try again.
  expect((await alert.locator('p').count())).toBeGreaterThan(2);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Inloggen');
  await expectNoSeriousA11yViolations(page);
});

test('an expired access token is renewed once, and the request is repeated', async ({ page }) => {
  await signUpAndSignIn(page, { email: freshEmail('renew'), displayName: 'Renew' });
  let refused = 0;
  let refreshes = 0;
  await page.route('**/auth/refresh', async (route) => {
    refreshes += 1;
    await route.continue();
  });
  await page.route('**/graphql', async (route) => {
    const request = route.request();
    if (request.headers()['authorization'] && refused === 0) {
      refused += 1;
      await route.fulfill({
        status: 401,
        contentType: 'application/json',
        body: JSON.stringify({ errors: [{ message: 'Log opnieuw in.', extensions: { code: 'UNAUTHENTICATED' } }] }),
      });
      return;
    }
    await route.continue();
  });
  // Move inside the app: a reload would start with a fresh session.
  await page.getByRole('banner').getByRole('link', { name: 'Buurten', exact: true }).click();
  await page.getByRole('link', { name: 'Transvaal', exact: true }).click();
  await page.getByRole('button', { name: 'Doe mee in deze buurt' }).click();
  await expect(page.getByText('Je doet mee in deze buurt.')).toBeVisible();
  expect(refused).toBe(1);
  expect(refreshes).toBe(1);
  await expect(page.getByRole('banner').getByRole('link', { name: 'Renew' })).toBeVisible();
});

test('when the session cannot be renewed, you are signed out in this browser', async ({ page }) => {
  await signUpAndSignIn(page, { email: freshEmail('gone'), displayName: 'Gone' });
  // The cookie is replaced by one the server does not know (as when the session ended elsewhere).
  const cookie = (await page.context().cookies()).find((c) => c.name === 'bk_refresh');
  expect(cookie).toBeDefined();
  if (cookie) await page.context().addCookies([{ ...cookie, value: 'bk_refresh_not-a-real-one' }]);
  await page.reload();
  await expect(page.getByRole('banner').getByRole('link', { name: 'Inloggen' })).toBeVisible();
  await expect(page.getByText('Log eerst in. Dan kun je deze pagina zien.')).toBeVisible();
  expect(await page.evaluate(() => localStorage.getItem('buurtkracht.signedIn'))).toBeNull();
  // The server removed the dead cookie.
  expect((await page.context().cookies()).some((c) => c.name === 'bk_refresh')).toBe(false);
});

test.describe('in English', () => {
  test.use({ locale: 'en-GB' });

  test('sign up, check your mail, and sign in', async ({ page }) => {
    const email = freshEmail('emma');
    await page.goto('/sign-up');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Create an account');
    await expect(page.getByRole('radio', { name: 'English' })).toBeChecked();
    await expectNoSeriousA11yViolations(page);
    await page.getByLabel('E-mail address').fill(email);
    await page.getByLabel('Your name').fill('Emma');
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Check your e-mail');
    await expect(page.getByText('The link works for 15 minutes. And you can use it only once.')).toBeVisible();
    await expectNoSeriousA11yViolations(page);
    expect((await newestMailTo(email)).subject).not.toBe('');

    await page.goto('/sign-in');
    await expect(page.getByRole('heading', { level: 2, name: 'Sign in with a password' })).toBeVisible();
    await expectNoSeriousA11yViolations(page);

    await page.goto(await signInLinkFor(email));
    // A new resident without a page to go back to lands on the neighbourhoods.
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Neighbourhoods');
    await expect(page.getByRole('banner').getByRole('button', { name: 'Sign out' })).toBeVisible();
  });
});
