import { expect, test } from '@playwright/test';
import { expectNoSeriousA11yViolations, signUpAndSignIn } from './helpers';
import { freshEmail } from './mail';

test('visitors see how to take part on a neighbourhood page', async ({ page }) => {
  await page.goto('/buurt/transvaal');
  const panel = page.getByRole('region', { name: 'Meedoen' });
  // Sign-up is visible where people need it.
  await expect(panel.getByRole('link', { name: 'Account maken' })).toBeVisible();
  await expect(panel.getByRole('link', { name: 'Inloggen' })).toBeVisible();
  await expect(panel.getByRole('button')).toHaveCount(0);
});

test('join a neighbourhood, see it in my neighbourhoods, and leave it', async ({ page }) => {
  await signUpAndSignIn(page, { email: freshEmail('buur'), displayName: 'Buur' });
  const header = page.getByRole('banner');
  await header.getByRole('link', { name: 'Mijn buurten' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Mijn buurten');
  await expect(page.getByText('Je doet nog niet mee in een buurt.')).toBeVisible();

  await page.getByRole('link', { name: 'Kies een buurt' }).click();
  await page.getByRole('link', { name: 'Transvaal', exact: true }).click();
  const panel = page.getByRole('region', { name: 'Meedoen' });
  await expectNoSeriousA11yViolations(page);
  await panel.getByRole('button', { name: 'Doe mee in deze buurt' }).click();
  await expect(panel.getByText('Je doet mee in deze buurt.')).toBeVisible();
  await expect(panel.getByText('Een opbouwwerker moet nog bevestigen dat je hier woont.')).toBeVisible();
  await expect(panel.getByRole('button')).toHaveCount(0);
  await expectNoSeriousA11yViolations(page);

  await panel.getByRole('link', { name: 'Naar mijn buurten' }).click();
  const item = page.getByRole('main').getByRole('listitem').filter({ hasText: 'Transvaal' });
  await expect(item.getByRole('heading', { name: 'Transvaal' })).toBeVisible();
  await expect(item).toContainText('Je bent hier: bewoner');
  await expect(item).toContainText('Wacht op bevestiging');
  await expectNoSeriousA11yViolations(page);

  await page.getByRole('button', { name: 'English' }).click();
  await expect(item).toContainText('You are: resident');
  await expect(item).toContainText('Waiting for confirmation');
  await expectNoSeriousA11yViolations(page);

  await item.getByRole('button', { name: 'Leave Transvaal' }).click();
  await expect(page.getByRole('status')).toHaveText('You no longer take part in Transvaal.');
  await expect(page.getByRole('status')).toBeFocused();
  await expect(page.getByText('You do not take part in a neighbourhood yet.')).toBeVisible();

  await page.goto('/buurt/transvaal');
  await expect(page.getByRole('button', { name: 'Join this neighbourhood' })).toBeVisible();
});
