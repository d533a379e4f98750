import { expect, test } from '@playwright/test';
import { neighbourhoodLinks } from './helpers';

test('clicking a neighbourhood opens its page with its name, members and organisers', async ({ page }) => {
  await page.goto('/');
  const link = page.getByRole('link', { name: 'Transvaal', exact: true });
  await link.click();

  await expect(page).toHaveURL(/\/buurt\/transvaal$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Transvaal');
  await expect(page).toHaveTitle('Transvaal · Buurtkracht');
  await expect(page.getByText(/\d+ (mensen doen|persoon doet) mee/)).toBeVisible();
  const organisers = page.getByRole('region', { name: 'Opbouwwerkers' });
  await expect(organisers.getByRole('heading', { level: 2 })).toHaveText('Opbouwwerkers');
  await expect(organisers.getByRole('listitem').first()).toBeVisible();
  expect((await organisers.getByRole('listitem').first().textContent())?.trim()).not.toBe('');
  // Focus moves to the new content, for keyboard and screen reader users.
  await expect(page.locator('main')).toBeFocused();

  // Back to the list with the link, and forward again with the browser history.
  await page.getByRole('link', { name: 'Terug naar alle buurten' }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(neighbourhoodLinks(page)).toHaveCount(5);
  await page.goBack();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Transvaal');
});

test('every neighbourhood in the list has a page with its name as heading', async ({ page }) => {
  await page.goto('/');
  const names = await neighbourhoodLinks(page).allTextContents();
  expect(names.length).toBeGreaterThan(0);
  for (const name of names) {
    await page.getByRole('link', { name, exact: true }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(name);
    await expect(page.getByRole('heading', { name: 'Opbouwwerkers' })).toBeVisible();
    await page.goBack();
  }
});

test('a neighbourhood page opens directly from its address (the server falls back to the app)', async ({ page }) => {
  await page.goto('/buurt/oude-westen');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Oude Westen');
});
