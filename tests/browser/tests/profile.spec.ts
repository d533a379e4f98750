import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { expectNoSeriousA11yViolations, signUpAndSignIn } from './helpers';
import { freshEmail } from './mail';

test('visitors are asked to sign in first', async ({ page }) => {
  for (const path of ['/profile', '/my-neighbourhoods', '/profile/delete']) {
    await page.goto(path);
    await expect(page.getByText('Log eerst in. Dan kun je deze pagina zien.')).toBeVisible();
    await expect(page.getByRole('main').getByRole('link', { name: 'Inloggen' })).toBeVisible();
  }
  await expectNoSeriousA11yViolations(page);
});

test('profile: change the name, and the language changes the interface too', async ({ page }) => {
  await signUpAndSignIn(page, { email: freshEmail('lotte'), displayName: 'Lotte' });
  await page.goto('/profile');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Mijn profiel');
  await expectNoSeriousA11yViolations(page);

  const name = page.getByLabel('Je naam');
  await name.fill('');
  await page.getByRole('button', { name: 'Opslaan', exact: true }).click();
  await expect(name).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('#displayName-error')).toHaveText('Vul je naam in.');
  await expectNoSeriousA11yViolations(page);

  await name.fill('Lotte de Vries');
  await page.getByRole('radio', { name: 'English' }).check();
  await page.getByRole('button', { name: 'Opslaan', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Your name and language are saved.' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('My profile');
  await expect(page.getByRole('banner').getByRole('link', { name: 'Lotte de Vries' })).toBeVisible();
  await expect(page.getByLabel('Your name')).not.toHaveAttribute('aria-invalid', 'true');
  await expectNoSeriousA11yViolations(page);

  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('My profile');
  await expect(page.getByRole('radio', { name: 'English' })).toBeChecked();
});

test('password: set one, refused ones show why, then sign in with it', async ({ page }) => {
  const email = freshEmail('piet');
  await signUpAndSignIn(page, { email, displayName: 'Piet' });
  const passwordSection = page.getByRole('region', { name: 'Wachtwoord' });
  await expect(passwordSection.getByLabel('Je wachtwoord nu')).toHaveCount(0);
  const newPassword = passwordSection.getByLabel('Nieuw wachtwoord');
  const save = passwordSection.getByRole('button', { name: 'Wachtwoord opslaan' });

  await newPassword.fill('kort');
  await save.click();
  await expect(page.locator('#newPassword-error')).toContainText('minstens 10 tekens');
  // The summary takes the focus; its link leads to the field.
  await expect(passwordSection.locator('.error-summary')).toBeFocused();
  await passwordSection.locator('.error-summary a').first().click();
  await expect(newPassword).toBeFocused();

  await newPassword.fill('password123');
  await save.click();
  await expect(page.locator('#newPassword-error')).toContainText('te makkelijk te raden');
  await expectNoSeriousA11yViolations(page);

  const password = 'Vlinder-Kaasmarkt-42';
  await newPassword.fill(password);
  await save.click();
  await expect(passwordSection.getByRole('status')).toHaveText('Je wachtwoord is opgeslagen.');
  // Now a change needs the current password.
  await expect(passwordSection.getByLabel('Je wachtwoord nu')).toBeVisible();
  await passwordSection.getByLabel('Je wachtwoord nu').fill('niet-het-goede-1');
  await newPassword.fill('Vlinder-Kaasmarkt-43');
  await save.click();
  await expect(page.locator('#currentPassword-error')).toHaveText('Het huidige wachtwoord klopt niet.');

  await page.getByRole('banner').getByRole('button', { name: 'Uitloggen' }).click();
  await page.getByRole('banner').getByRole('link', { name: 'Inloggen' }).click();
  const form = page.getByRole('region', { name: 'Inloggen met een wachtwoord' });
  await form.getByLabel('E-mailadres').fill(email);
  await form.getByLabel('Wachtwoord').fill('fout-wachtwoord-9');
  await form.getByRole('button', { name: 'Inloggen' }).click();
  await expect(form.getByRole('alert')).toContainText('Het e-mailadres of het wachtwoord klopt niet.');
  await expectNoSeriousA11yViolations(page);

  await form.getByLabel('Wachtwoord').fill(password);
  await form.getByRole('button', { name: 'Inloggen' }).click();
  // Without a page to go back to, a new resident lands on the neighbourhoods.
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Buurten');
  await expect(page.getByRole('banner').getByRole('link', { name: 'Piet' })).toBeVisible();
});

test('my data: a download of everything stored about me, as JSON', async ({ page }) => {
  const email = freshEmail('data');
  await signUpAndSignIn(page, { email, displayName: 'Data' });
  const section = page.getByRole('region', { name: 'Mijn gegevens' });
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    section.getByRole('button', { name: 'Download mijn gegevens' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('buurtkracht-mijn-gegevens.json');
  const content = JSON.parse(readFileSync(await download.path(), 'utf8')) as unknown;
  expect(JSON.stringify(content)).toContain(email);
});

test('delete my account: the confirm step explains, then you are signed out', async ({ page }) => {
  const email = freshEmail('weg');
  await signUpAndSignIn(page, { email, displayName: 'Weg' });
  await page.getByRole('link', { name: 'Mijn account verwijderen' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Account verwijderen');
  await expect(page.getByText('"een oud-bewoner"')).toBeVisible();
  await expectNoSeriousA11yViolations(page);

  // "No" goes back without deleting.
  await page.getByRole('link', { name: 'Nee, terug naar mijn profiel' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Mijn profiel');
  await page.getByRole('link', { name: 'Mijn account verwijderen' }).click();

  await page.getByRole('button', { name: 'Ja, verwijder mijn account' }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole('status').filter({ hasText: 'Je account is verwijderd.' })).toBeVisible();
  await expect(page.getByRole('banner').getByRole('link', { name: 'Inloggen' })).toBeVisible();
  expect(await page.evaluate(() => localStorage.getItem('buurtkracht.signedIn'))).toBeNull();
  expect((await page.context().cookies()).some((c) => c.name === 'bk_refresh')).toBe(false);
});

test.describe('in English', () => {
  test.use({ locale: 'en-GB' });

  test('the profile and the delete step', async ({ page }) => {
    await signUpAndSignIn(page, { email: freshEmail('john'), displayName: 'John', language: 'EN' });
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('My profile');
    await expect(page.getByRole('region', { name: 'My data' })).toBeVisible();
    await expectNoSeriousA11yViolations(page);
    await page.getByRole('link', { name: 'Delete my account' }).click();
    await expect(page.getByText('"a former resident"')).toBeVisible();
    await expectNoSeriousA11yViolations(page);
  });
});
