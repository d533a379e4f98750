import { expect, test, type Page } from '@playwright/test';
import { DEMO_GRIEVANCES, withoutTiles } from './api';
import { expectNoSeriousA11yViolations } from './helpers';

/** The titles in the list, top to bottom. */
function titles(page: Page) {
  return page.locator('.grievance-list h3').allTextContents();
}

test('the list of a neighbourhood: filter by theme and status, change the order; the address keeps it', async ({ page }) => {
  await withoutTiles(page);
  await page.goto('/buurt/transvaal');
  await page.getByRole('link', { name: /Bekijk alle \d+ meldingen/ }).click();
  await expect(page).toHaveURL(/\/buurt\/transvaal\/meldingen$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Meldingen in Transvaal');
  await expect(page).toHaveTitle('Meldingen in Transvaal · Buurtkracht');

  // Every item: title, theme, status, "ik ook", comments, who and when.
  const mould = page.getByRole('listitem').filter({ has: page.getByRole('link', { name: DEMO_GRIEVANCES.mould }) });
  await expect(mould).toContainText('Wonen');
  await expect(mould).toContainText('Staat open');
  await expect(mould).toContainText('2 buren zeggen: ik ook');
  await expect(mould).toContainText('2 reacties');
  await expect(mould).toContainText(/Gemeld door Kees van Dijk op \d+ \w+ \d{4}/);
  const playground = page.getByRole('listitem').filter({ has: page.getByRole('link', { name: DEMO_GRIEVANCES.playground }) });
  await expect(playground).toContainText('Gezien door opbouwwerker');

  // Most support first (the default): the mould one (2) before the homework one (0).
  let order = await titles(page);
  expect(order.indexOf(DEMO_GRIEVANCES.mould)).toBeLessThan(order.indexOf(DEMO_GRIEVANCES.homework));

  // Themes as checkboxes; the address follows, and the focus stays.
  const traffic = page.getByRole('checkbox', { name: 'Verkeer' });
  await traffic.check();
  await expect(page).toHaveURL(/\?theme=traffic$/);
  await expect(traffic).toBeFocused();
  await expect(page.getByRole('link', { name: DEMO_GRIEVANCES.speeding })).toBeVisible();
  await expect(page.getByRole('link', { name: DEMO_GRIEVANCES.mould })).toHaveCount(0);
  for (const card of await page.locator('.grievance-card').all()) await expect(card).toContainText('Verkeer');
  await page.getByRole('checkbox', { name: 'Wonen' }).check();
  await expect(page).toHaveURL(/\?theme=housing&theme=traffic$/);
  await expect(page.getByRole('status').filter({ hasText: /^2 meldingen$/ })).toBeVisible();
  expect((await titles(page)).sort()).toEqual([DEMO_GRIEVANCES.speeding, DEMO_GRIEVANCES.mould].sort());

  // Status.
  await page.getByLabel('Hoe ver is het?').selectOption({ label: 'Gezien door opbouwwerker' });
  await expect(page).toHaveURL(/status=acknowledged/);
  await expect(page.getByText('Er zijn geen meldingen die hierbij passen.')).toBeVisible();
  await page.getByRole('button', { name: 'Laat alle meldingen zien' }).click();
  await expect(page).toHaveURL(/\/meldingen$/);
  await expect(page.getByRole('link', { name: DEMO_GRIEVANCES.playground })).toBeVisible();
  await expect(page.getByRole('checkbox', { name: 'Verkeer' })).not.toBeChecked();

  // Newest first: the homework one was raised after the mould one.
  await page.getByLabel('Volgorde').selectOption({ label: 'Nieuwste' });
  await expect(page).toHaveURL(/\?order=newest$/);
  await expect
    .poll(async () => {
      const current = await titles(page);
      return current.indexOf(DEMO_GRIEVANCES.homework) < current.indexOf(DEMO_GRIEVANCES.mould);
    })
    .toBe(true);

  // Nearby: without the browser's location, from the middle of the neighbourhood, with distances.
  await page.getByLabel('Volgorde').selectOption({ label: 'Dichtbij' });
  await expect(page).toHaveURL(/\?order=nearest$/);
  await expect(page.getByText('Wat dichtbij is, staat bovenaan. We meten vanaf het midden van Transvaal.')).toBeVisible();
  await expect(mould).toContainText(/\d+ m van hier/);
  await expectNoSeriousA11yViolations(page);

  // A shared link opens the same list.
  await page.goto('/buurt/transvaal/meldingen?theme=youth&order=newest');
  await expect(page.getByRole('checkbox', { name: 'Jongeren' })).toBeChecked();
  await expect(page.getByLabel('Volgorde')).toHaveValue('NEWEST');
  order = await titles(page);
  expect(order).toContain(DEMO_GRIEVANCES.homework);
  expect(order).not.toContain(DEMO_GRIEVANCES.mould);
});

test.describe('when the browser may tell where you are', () => {
  test.use({ geolocation: { latitude: 52.0702, longitude: 4.2931 }, permissions: ['geolocation'] });

  test('"Dichtbij" measures from there: the Kempstraat comes first', async ({ page }) => {
    await withoutTiles(page);
    await page.goto('/buurt/transvaal/meldingen?theme=housing&theme=traffic&order=nearest');
    await expect(page.getByText('Wat dichtbij is, staat bovenaan. We meten vanaf waar je nu bent.')).toBeVisible();
    await expect.poll(() => titles(page)).toEqual([DEMO_GRIEVANCES.speeding, DEMO_GRIEVANCES.mould]);
  });
});

test('the map shows a pin for every grievance with a place, without map tiles from the internet', async ({ page }) => {
  await withoutTiles(page);
  await page.goto('/buurt/transvaal/meldingen?theme=housing&theme=traffic');
  await expect(page.getByRole('status').filter({ hasText: /^2 meldingen$/ })).toBeVisible();
  await page.getByRole('button', { name: 'Kaart' }).click();
  await expect(page).toHaveURL(/view=map/);
  await expect(page.getByRole('button', { name: 'Kaart' })).toHaveAttribute('aria-pressed', 'true');
  const map = page.getByRole('region', { name: 'Kaart met meldingen' });
  await expect(map).toHaveClass(/leaflet-container/);
  await expect(map.locator('.map-pin')).toHaveCount(2);
  await expect(map.locator('img.leaflet-tile-loaded')).toHaveCount(0);
  // The same grievances are in the list under the map.
  await expect(page.locator('.grievance-card')).toHaveCount(2);

  // With the keyboard: a pin is a button named after its grievance; Enter opens its popup with a link.
  const pin = map.getByRole('button', { name: DEMO_GRIEVANCES.mould });
  await pin.focus();
  await page.keyboard.press('Enter');
  const popupLink = map.locator('.leaflet-popup').getByRole('link', { name: DEMO_GRIEVANCES.mould });
  await expect(popupLink).toBeFocused();
  await expect(map.locator('.leaflet-popup')).toContainText('2 buren zeggen: ik ook');
  await expectNoSeriousA11yViolations(page);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(DEMO_GRIEVANCES.mould);
  await page.goBack();
  await expect(page.getByRole('region', { name: 'Kaart met meldingen' }).locator('.map-pin')).toHaveCount(2);

  // A grievance without a place is only in the list.
  await page.getByRole('checkbox', { name: 'Jongeren' }).check();
  await expect(page.getByRole('status').filter({ hasText: /^3 meldingen$/ })).toBeVisible();
  await expect(map.locator('.map-pin')).toHaveCount(2);
  await expect(page.getByText('1 melding heeft geen plek op de kaart.')).toBeVisible();

  // Back to the list: no map.
  await page.getByRole('button', { name: 'Lijst' }).click();
  await expect(page.locator('.leaflet-container')).toHaveCount(0);
  await expect(page).not.toHaveURL(/view=map/);
});

test('grievance pages fit a 320 px wide screen', async ({ page }) => {
  await withoutTiles(page);
  await page.setViewportSize({ width: 320, height: 640 });
  const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  await page.goto('/buurt/transvaal/meldingen?view=map');
  await expect(page.locator('.map-pin').first()).toBeVisible();
  expect(await overflow()).toBeLessThanOrEqual(0);
  await page.getByRole('link', { name: DEMO_GRIEVANCES.mould }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(DEMO_GRIEVANCES.mould);
  await expect(page.locator('#grievance-location .map-pin')).toHaveCount(1);
  expect(await overflow()).toBeLessThanOrEqual(0);
  await expectNoSeriousA11yViolations(page);
});
