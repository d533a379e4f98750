import { expect, test } from '@playwright/test';

test('an unknown neighbourhood shows a friendly not-found page', async ({ page }) => {
  await page.goto('/buurt/bestaat-niet');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Deze buurt kennen we niet');
  await expect(page).toHaveTitle('Deze buurt kennen we niet · Buurtkracht');
  await page.getByRole('link', { name: 'Terug naar alle buurten' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Buurten');
});

test('an unknown address shows the not-found page, in the chosen language', async ({ page }) => {
  await page.goto('/dit/bestaat/niet');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Deze pagina bestaat niet');
  await expect(page).toHaveTitle('Deze pagina bestaat niet · Buurtkracht');
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('This page does not exist');
  await page.getByRole('link', { name: 'Go to the home page' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Neighbourhoods');
});
