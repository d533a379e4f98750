import { expect, test } from '@playwright/test';
import { expectNoSeriousA11yViolations, neighbourhoodLinks, signUpAndSignIn } from './helpers';
import { freshEmail } from './mail';

test.describe('axe-core finds no serious or critical WCAG 2.2 AA violations', () => {
  test('on the home page in Dutch', async ({ page }) => {
    await page.goto('/');
    await expect(neighbourhoodLinks(page).first()).toBeVisible();
    await expectNoSeriousA11yViolations(page);
  });

  test('on the home page in English', async ({ page }) => {
    await page.goto('/');
    await page.getByRole('button', { name: 'English' }).click();
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await expect(neighbourhoodLinks(page).first()).toBeVisible();
    await expectNoSeriousA11yViolations(page);
  });

  test('on a neighbourhood page', async ({ page }) => {
    await page.goto('/');
    await neighbourhoodLinks(page).first().click();
    await expect(page.getByRole('heading', { name: 'Opbouwwerkers' })).toBeVisible();
    await expectNoSeriousA11yViolations(page);
  });

  test('on the not-found pages', async ({ page }) => {
    await page.goto('/buurt/bestaat-niet');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Deze buurt kennen we niet');
    await expectNoSeriousA11yViolations(page);
    await page.goto('/niet/hier');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Deze pagina bestaat niet');
    await expectNoSeriousA11yViolations(page);
  });

  test('on a phone-sized screen', async ({ page }) => {
    await page.setViewportSize({ width: 320, height: 640 });
    await page.goto('/');
    await expect(neighbourhoodLinks(page).first()).toBeVisible();
    await expectNoSeriousA11yViolations(page);
    // Nothing sticks out sideways (WCAG 1.4.10 reflow).
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });

  test('on the account pages on a phone-sized screen', async ({ page }) => {
    await page.setViewportSize({ width: 320, height: 640 });
    const overflow = () =>
      page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    await page.goto('/sign-in');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Inloggen');
    expect(await overflow()).toBeLessThanOrEqual(0);
    await signUpAndSignIn(page, { email: freshEmail('phone'), displayName: 'Mohammed Boukhari-van der Linden' });
    await page.getByRole('banner').getByRole('link', { name: 'Mohammed Boukhari-van der Linden' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Mijn profiel');
    await expectNoSeriousA11yViolations(page);
    expect(await overflow()).toBeLessThanOrEqual(0);
  });
});
