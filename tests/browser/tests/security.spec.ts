import { expect, test, type Page } from '@playwright/test';
import { DEMO_GRIEVANCES } from './api';
import { signUpAndSignIn } from './helpers';
import { freshEmail } from './mail';

/** A 1×1 PNG, answered for every map tile: the tests have no internet. */
const TILE = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
  'base64',
);

/**
 * Collect what goes wrong in the page: Content-Security-Policy violations (the
 * `securitypolicyviolation` event, reported before any script of the app runs), console
 * errors (Chromium reports blocked scripts, styles and images there too) and uncaught errors.
 */
async function watchForProblems(page: Page): Promise<string[]> {
  const problems: string[] = [];
  await page.exposeFunction('reportViolation', (text: string) => problems.push(text));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      const report = (window as unknown as { reportViolation: (text: string) => void }).reportViolation;
      report(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || 'inline'} (${event.sourceFile}:${event.lineNumber})`);
    });
  });
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  // Map tiles of the configured host are allowed by the policy; answer them here.
  await page.route(/^https:\/\/tile\.openstreetmap\.org\//, (route) =>
    route.fulfill({ status: 200, contentType: 'image/png', body: TILE }),
  );
  return problems;
}

test('the app works under its Content-Security-Policy, and a reload stays signed in by the cookie', async ({ page }) => {
  const problems = await watchForProblems(page);

  const home = await page.goto('/');
  const policy = home?.headers()['content-security-policy'] ?? '';
  expect(policy).toContain("script-src 'self'");
  expect(policy).toContain('img-src \'self\' data: https://tile.openstreetmap.org');
  expect(policy).not.toContain('unsafe');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Buurten');

  await page.getByRole('link', { name: 'Transvaal', exact: true }).click();
  await expect(page).toHaveURL(/\/buurt\/transvaal$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Transvaal');

  // The grievance list with the map, tiles and pins.
  await page.goto('/buurt/transvaal/meldingen?theme=housing&theme=traffic&view=map');
  const map = page.getByRole('region', { name: 'Kaart met meldingen' });
  await expect(map).toHaveClass(/leaflet-container/);
  await expect(map.locator('.map-pin')).toHaveCount(2);
  await expect(map.locator('img.leaflet-tile-loaded').first()).toBeVisible();
  // A pin's popup (Leaflet positions it with style properties).
  await map.getByRole('button', { name: DEMO_GRIEVANCES.mould }).focus();
  await page.keyboard.press('Enter');
  await map.locator('.leaflet-popup').getByRole('link', { name: DEMO_GRIEVANCES.mould }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(DEMO_GRIEVANCES.mould);

  // Sign in by the link from the e-mail, then reload: still signed in, through the cookie.
  await signUpAndSignIn(page, { email: freshEmail('csp'), displayName: 'Veilig' });
  const stored = await page.evaluate(() => ({ ...localStorage }));
  expect(Object.keys(stored)).not.toContain('buurtkracht.refreshToken');
  expect(Object.values(stored).some((value) => value.includes('bk_refresh') || value.startsWith('eyJ'))).toBe(false);
  const cookie = (await page.context().cookies()).find((c) => c.name === 'bk_refresh');
  expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/auth' });
  expect(await page.evaluate(() => document.cookie)).not.toContain('bk_refresh');

  const refreshes: string[] = [];
  page.on('request', (request) => {
    if (request.url().endsWith('/auth/refresh')) refreshes.push(request.headers()['x-buurtkracht-csrf'] ?? '');
  });
  await page.reload();
  await expect(page.getByRole('banner').getByRole('link', { name: 'Veilig', exact: true })).toBeVisible();
  expect(refreshes).toEqual(['1']);
  const rotated = (await page.context().cookies()).find((c) => c.name === 'bk_refresh');
  expect(rotated?.value).not.toBe(cookie?.value);

  expect(problems).toEqual([]);
});

test('an old refresh token in localStorage moves into the cookie', async ({ page }) => {
  const problems = await watchForProblems(page);
  // As an earlier version of the app left it: the token in the body, kept in localStorage.
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Buurten');
  const signIn = await page.request.post('/graphql', {
    data: {
      query:
        'mutation ($input: SignInWithPasswordInput!) { signInWithPassword(input: $input) { refreshToken } }',
      variables: { input: { email: 'fatima.elamrani@demo.buurtkracht.nl', password: 'demo-buurtkracht-2026' } },
    },
  });
  const body = (await signIn.json()) as { data: { signInWithPassword: { refreshToken: string } } };
  const legacy = body.data.signInWithPassword.refreshToken;
  expect(legacy).toMatch(/^bk_refresh_/);
  await page.evaluate((token) => localStorage.setItem('buurtkracht.refreshToken', token), legacy);

  await page.reload();
  await expect(page.getByRole('banner').getByRole('link', { name: 'Fatima el Amrani', exact: true })).toBeVisible();
  expect(await page.evaluate(() => localStorage.getItem('buurtkracht.refreshToken'))).toBeNull();
  expect((await page.context().cookies()).some((c) => c.name === 'bk_refresh' && c.httpOnly)).toBe(true);
  expect(problems).toEqual([]);
});

test('GraphiQL is served by the server itself and runs a query', async ({ page }) => {
  const problems = await watchForProblems(page);
  const outside: string[] = [];
  page.on('request', (request) => {
    if (!request.url().startsWith('http://127.0.0.1')) outside.push(request.url());
  });
  const response = await page.goto('/graphiql');
  expect(response?.status()).toBe(200);
  const policy = response?.headers()['content-security-policy'] ?? '';
  expect(policy).toContain("script-src 'self'");
  expect(policy).not.toContain('unsafe-eval');

  await expect(page.locator('.graphiql-container')).toBeVisible();
  // The first neighbourhood (the editor only draws the lines in view). A click while GraphiQL
  // is still setting up its editors does nothing, so click until the query runs.
  await expect(async () => {
    await page.locator('.graphiql-execute-button').click();
    await expect(page.locator('.graphiql-response')).toContainText('"name": "Indische Buurt"', { timeout: 2000 });
  }).toPass({ timeout: 15000 });
  // Typing brings up the completion list; the documentation explorer and the settings dialog open.
  await page.locator('.graphiql-query-editor .CodeMirror').click();
  await page.keyboard.press('Control+End');
  await page.keyboard.type('\nquery Themes { th');
  await expect(page.locator('.CodeMirror-hints')).toBeVisible();
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: /documentation explorer/i }).click();
  await expect(page.locator('.graphiql-doc-explorer')).toContainText('Query');
  await page.getByRole('button', { name: /settings/i }).click();
  await expect(page.getByRole('dialog')).toBeVisible();
  await page.keyboard.press('Escape');
  expect(outside).toEqual([]);
  expect(problems).toEqual([]);
});
