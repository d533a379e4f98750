import { expect, test } from '@playwright/test';
import { DEMO_NEIGHBOURHOODS, neighbourhoodLinks } from './helpers';

test('the home page lists the neighbourhoods, in Dutch by default', async ({ page }) => {
  await page.goto('/');
  await expect(page.locator('html')).toHaveAttribute('lang', 'nl');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Buurten');
  await expect(page).toHaveTitle('Buurten · Buurtkracht');
  await expect(page.getByText('Er zijn 5 buurten.')).toBeVisible();
  for (const { name, slug } of DEMO_NEIGHBOURHOODS) {
    await expect(page.getByRole('link', { name, exact: true })).toHaveAttribute('href', `/buurt/${slug}`);
  }
  await expect(neighbourhoodLinks(page)).toHaveCount(DEMO_NEIGHBOURHOODS.length);
  // All five fit on the first page.
  await expect(page.getByRole('button', { name: 'Meer buurten laten zien' })).toHaveCount(0);
});

test('"show more" fetches the next page with the cursor and moves focus to it', async ({ page }) => {
  // Ask the real server for pages of two, so the five demo neighbourhoods need three pages.
  const afters: unknown[] = [];
  await page.route('**/graphql', async (route) => {
    // The app sends its operations as trusted documents: by id, with their name.
    const body = route.request().postDataJSON() as { operationName?: string; variables: Record<string, unknown> };
    if (body.operationName === 'Neighbourhoods') {
      afters.push(body.variables['after'] ?? null);
      await route.continue({ postData: JSON.stringify({ ...body, variables: { ...body.variables, first: 2 } }) });
    } else {
      await route.continue();
    }
  });
  await page.goto('/');
  await expect(neighbourhoodLinks(page)).toHaveCount(2);
  await expect(page.getByText('Er zijn 5 buurten.')).toBeVisible();

  const more = page.getByRole('button', { name: 'Meer buurten laten zien' });
  await more.click();
  await expect(neighbourhoodLinks(page)).toHaveCount(4);
  await expect(neighbourhoodLinks(page).nth(2)).toBeFocused();
  await more.click();
  await expect(neighbourhoodLinks(page)).toHaveCount(5);
  await expect(more).toHaveCount(0);

  expect(afters[0]).toBeNull();
  expect(typeof afters[1]).toBe('string');
  expect(typeof afters[2]).toBe('string');
  expect(afters[2]).not.toBe(afters[1]);
  const names = await neighbourhoodLinks(page).allTextContents();
  expect(new Set(names).size).toBe(5);
  expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b, 'nl')));
});

test('a network failure shows a translated message, and "try again" recovers', async ({ page }) => {
  await page.route('**/graphql', (route) => route.abort('internetdisconnected'));
  await page.goto('/');
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('We kunnen de server nu niet bereiken.');
  await page.unroute('**/graphql');
  await alert.getByRole('button', { name: 'Probeer het opnieuw' }).click();
  await expect(neighbourhoodLinks(page)).toHaveCount(5);
  await expect(page.getByRole('alert')).toHaveCount(0);
});

test('a VALIDATION error from the server is shown with its field message, in the chosen language', async ({ page }) => {
  // Spoil the cursor of "show more", so the real server rejects it.
  await page.route('**/graphql', async (route) => {
    const body = route.request().postDataJSON() as { query: string; variables: Record<string, unknown> };
    const variables: Record<string, unknown> = { ...body.variables, first: 2 };
    if (body.variables['after']) variables['after'] = 'not-a-cursor';
    await route.continue({ postData: JSON.stringify({ ...body, variables }) });
  });
  await page.goto('/');
  await page.getByRole('button', { name: 'Meer buurten laten zien' }).click();
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('Er klopt iets niet.');
  const dutchFieldMessage = (await alert.getByRole('listitem').first().textContent())?.trim();
  expect(dutchFieldMessage).toBeTruthy();
  // The list that was already there stays.
  await expect(neighbourhoodLinks(page)).toHaveCount(2);

  await page.getByRole('button', { name: 'English' }).click();
  await alert.getByRole('button', { name: 'Try again' }).click();
  await expect(alert).toContainText('Something is not right.');
  const englishFieldMessage = (await alert.getByRole('listitem').first().textContent())?.trim();
  expect(englishFieldMessage).toBeTruthy();
  expect(englishFieldMessage).not.toBe(dutchFieldMessage);
});
