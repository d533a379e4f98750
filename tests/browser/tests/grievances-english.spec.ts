import { expect, test } from '@playwright/test';
import { DEMO_GRIEVANCES, withoutTiles } from './api';
import { expectNoSeriousA11yViolations } from './helpers';

test('the grievance pages in English: list, map, a grievance and the form', async ({ page }) => {
  await withoutTiles(page);
  await page.goto('/buurt/transvaal');
  await page.getByRole('banner').getByRole('button', { name: 'English' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  const teaser = page.getByRole('region', { name: 'Concerns' });
  await expect(teaser.getByRole('link', { name: 'Report a concern' })).toBeVisible();
  await teaser.getByRole('link', { name: /See all \d+ concerns/ }).click();

  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Concerns in Transvaal');
  await expect(page).toHaveTitle('Concerns in Transvaal · Buurtkracht');
  // Theme names come from the server in English.
  await expect(page.getByRole('checkbox', { name: 'Housing' })).toBeVisible();
  await expect(page.getByLabel('Order')).toHaveValue('TOP');
  await expect(page.getByRole('option', { name: 'Most support' })).toBeAttached();
  const speeding = page.getByRole('listitem').filter({ has: page.getByRole('link', { name: DEMO_GRIEVANCES.speeding }) });
  await expect(speeding).toContainText('Reported by a resident of Transvaal on');
  await expect(speeding).toContainText('1 neighbour says: me too');
  await expect(speeding).toContainText('Traffic');
  await expect(speeding).toContainText('Open');
  await page.getByRole('button', { name: 'Map' }).click();
  await expect(page.getByRole('region', { name: 'Map of concerns' }).locator('.map-pin').first()).toBeVisible();
  await expect(page.getByRole('button', { name: 'Zoom in' })).toBeVisible();
  await expectNoSeriousA11yViolations(page);

  await page.getByRole('link', { name: DEMO_GRIEVANCES.mould }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(DEMO_GRIEVANCES.mould);
  await expect(page.getByText('2 neighbours say: me too')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Me too', exact: true })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Comments (2)' })).toBeVisible();
  await expect(page.locator('.tags')).toContainText('Housing');
  await expectNoSeriousA11yViolations(page);

  // Switching back loads the server's texts in Dutch again.
  await page.getByRole('button', { name: 'Nederlands' }).click();
  await expect(page.locator('.tags')).toContainText('Wonen');
  await expect(page.getByText('2 buren zeggen: ik ook')).toBeVisible();
  await page.getByRole('banner').getByRole('button', { name: 'English' }).click();
  await expect(page.locator('.tags')).toContainText('Housing');

  await page.getByRole('link', { name: 'All concerns in Transvaal' }).click();
  await page.getByRole('link', { name: 'Report a concern' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Report a concern');
  await expect(page.getByRole('main').getByRole('link', { name: 'Sign in' })).toBeVisible();
});
