import { expect, test } from '@playwright/test';
import { neighbourhoodLinks } from './helpers';

test('the language switch changes the texts and html[lang], and the choice survives a reload', async ({ page }) => {
  await page.goto('/');
  await expect(neighbourhoodLinks(page).first()).toBeVisible();
  const dutch = page.getByRole('button', { name: 'Nederlands' });
  const english = page.getByRole('button', { name: 'English' });
  await expect(dutch).toHaveAttribute('aria-pressed', 'true');
  await expect(english).toHaveAttribute('aria-pressed', 'false');

  const request = page.waitForRequest((r) => r.url().endsWith('/graphql'));
  await english.click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Neighbourhoods');
  await expect(page).toHaveTitle('Neighbourhoods · Buurtkracht');
  await expect(page.getByText('There are 5 neighbourhoods.')).toBeVisible();
  await expect(english).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByRole('link', { name: 'Skip to content' })).toBeAttached();

  await page.reload();
  expect((await request).headers()['accept-language']).toBe('en');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Neighbourhoods');

  // The server hears the language too.
  await neighbourhoodLinks(page).first().click();
  await expect(page.getByRole('heading', { name: 'Community workers' })).toBeVisible();

  await page.getByRole('button', { name: 'Nederlands' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'nl');
  await expect(page.getByRole('heading', { name: 'Opbouwwerkers' })).toBeVisible();
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Opbouwwerkers' })).toBeVisible();
});

test.describe('with an English browser', () => {
  test.use({ locale: 'en-GB' });

  test('the first visit is in English', async ({ page }) => {
    await page.goto('/');
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Neighbourhoods');
  });
});

test.describe('with a Turkish browser', () => {
  test.use({ locale: 'tr-TR' });

  test('the first visit is in Dutch', async ({ page }) => {
    await page.goto('/');
    await expect(page.locator('html')).toHaveAttribute('lang', 'nl');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Buurten');
  });
});
