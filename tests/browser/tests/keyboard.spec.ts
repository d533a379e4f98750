import { expect, test } from '@playwright/test';
import { neighbourhoodLinks } from './helpers';

test('the skip link is the first thing to tab to, and jumps to the content', async ({ page }) => {
  await page.goto('/');
  await expect(neighbourhoodLinks(page).first()).toBeVisible();

  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Naar de inhoud' });
  await expect(skip).toBeFocused();
  await expect(skip).toBeInViewport();

  await page.keyboard.press('Enter');
  await expect(page.locator('main#main')).toBeFocused();
  await expect(page).toHaveURL(/\/$/);

  // The next Tab goes to the first link inside the content, past the header.
  await page.keyboard.press('Tab');
  await expect(neighbourhoodLinks(page).first()).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/buurt\/[a-z0-9-]+$/);
  await expect(page.getByRole('heading', { name: 'Opbouwwerkers' })).toBeVisible();
});

test('the language switch works with the keyboard', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'English' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await page.keyboard.press('Shift+Tab');
  await expect(page.getByRole('button', { name: 'Nederlands' })).toBeFocused();
  await page.keyboard.press('Space');
  await expect(page.locator('html')).toHaveAttribute('lang', 'nl');
});
