import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { DEMO, DEMO_PASSWORD, apiSignIn, gql, grievancePath, neighbourhoodId, raiseGrievance, withoutTiles } from './api';
import { expectNoSeriousA11yViolations, openMenuIfFolded, signUpAndSignIn } from './helpers';
import { freshEmail, newestMailTo } from './mail';

/*
 * The newcomer's first journey on a phone (360 × 740, touch, Dutch): act first, confirm by
 * e-mail. The counts of screens, taps and typed fields are asserted, so they cannot creep back
 * up (before: 12 screens to co-sign, 11 screens and 17 taps to raise a first grievance).
 * Theme used here: green-public-space (see api.ts).
 */
test.use({ viewport: { width: 360, height: 740 }, hasTouch: true, isMobile: true, locale: 'nl-NL' });

/** Counts what a person does: the screens they see, the taps and the fields they type in. */
class Journey {
  readonly screens: string[] = [];
  taps = 0;
  typed = 0;

  constructor(readonly page: Page) {
    page.on('framenavigated', (frame) => {
      if (frame !== page.mainFrame()) return;
      const path = new URL(frame.url()).pathname;
      if (this.screens.at(-1) !== path) this.screens.push(path);
    });
  }

  async tap(target: Locator): Promise<void> {
    await target.tap();
    this.taps += 1;
  }

  async type(target: Locator, text: string): Promise<void> {
    await target.fill(text);
    this.typed += 1;
  }
}

function confirmLinkIn(body: string): string {
  const match = /https?:\/\/[^\s"<>]+\/bevestig\?token=[A-Za-z0-9_-]+/.exec(body);
  if (!match) throw new Error('no confirmation link in the e-mail');
  return match[0];
}

/** The number in "2 buren zeggen: ik ook" (0 for "Nog niemand …"). */
async function cosignCount(page: Page): Promise<number> {
  const text = (await page.locator('.cosign-total').textContent()) ?? '';
  return Number(/\d+/.exec(text)?.[0] ?? '0');
}

/** The test server's database (see playwright.config.ts), read and changed with sqlite3. */
function sql(statement: string): string {
  const dir = process.env['BROWSER_TEST_TMPDIR'] ?? '';
  return execFileSync('sqlite3', [join(dir, 'test.sqlite3'), statement], { encoding: 'utf8' }).trim();
}

test('a visitor co-signs in three screens and one e-mail link; the count goes up only after the link', async ({ page }) => {
  test.slow();
  await withoutTiles(page);
  const journey = new Journey(page);
  const email = freshEmail('ikook');
  await page.goto('/');
  await expectNoSeriousA11yViolations(page);
  await journey.tap(page.getByRole('link', { name: 'Transvaal', exact: true }));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Transvaal');
  await expectNoSeriousA11yViolations(page);
  // The grievance with the most support is on the neighbourhood page.
  const top = page.getByRole('region', { name: 'Meldingen', exact: true }).getByRole('listitem').first().getByRole('link');
  const title = (await top.textContent()) ?? '';
  await journey.tap(top);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
  const before = await cosignCount(page);

  await journey.tap(page.getByRole('button', { name: 'Ik ook', exact: true }));
  const who = page.getByRole('group', { name: 'Wie ben je?' });
  await journey.type(who.getByLabel('Je naam'), 'Yasmina');
  await journey.type(who.getByLabel('E-mailadres'), email);
  await expectNoSeriousA11yViolations(page);
  await journey.tap(page.getByRole('button', { name: 'Stuur mij de link' }));
  await expect(page.getByRole('status').filter({ hasText: 'Kijk in je mail' })).toBeFocused();
  await expect(page.getByText(`We hebben een e-mail gestuurd naar ${email}.`)).toBeVisible();
  await expectNoSeriousA11yViolations(page);

  // Three screens, four taps, two typed fields before the e-mail.
  expect(journey.screens).toEqual(['/', '/buurt/transvaal', expect.stringMatching(/^\/meldingen\/[^/]+$/)]);
  expect(journey.taps).toBe(4);
  expect(journey.typed).toBe(2);

  // Pending: not counted, for nobody.
  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
  expect(await cosignCount(page)).toBe(before);
  const grievanceUrl = page.url();

  const mail = await newestMailTo(email);
  expect(mail.body).toContain('Bevestig wat je deed op Buurtkracht');
  expect(mail.body).toContain('We maken dan ook je account');
  await page.goto(confirmLinkIn(mail.body));
  await expect(page).toHaveURL(grievanceUrl);
  await expect(page.getByRole('status').filter({ hasText: 'Gelukt! Je "ik ook" telt nu mee.' })).toBeVisible();
  expect(await cosignCount(page)).toBe(before + 1);
  await expect(page.getByText('Je zegt: ik ook. Dat telt mee.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Ik ook', exact: true })).toHaveAttribute('aria-pressed', 'true');
  // Signed in, and a member of Transvaal without a separate step.
  await page.getByRole('button', { name: 'Menu' }).tap();
  await expect(page.getByRole('link', { name: 'Yasmina' })).toBeVisible();
  await expectNoSeriousA11yViolations(page);
});

test('a visitor raises a grievance in three screens and one e-mail link; it appears only after the link', async ({ page }) => {
  test.slow();
  await withoutTiles(page);
  const journey = new Journey(page);
  const email = freshEmail('melding');
  const title = `Geen bankjes bij de speeltuin ${Date.now().toString(36)}`;
  await page.goto('/');
  await journey.tap(page.getByRole('link', { name: 'Transvaal', exact: true }));
  await journey.tap(page.getByRole('region', { name: 'Meldingen', exact: true }).getByRole('link', { name: 'Doe een melding' }));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Doe een melding');
  await expectNoSeriousA11yViolations(page);

  await journey.type(page.getByLabel('Titel', { exact: true }), title);
  await journey.type(page.getByLabel('Tekst', { exact: true }), 'Ouderen kunnen nergens zitten als hun kleinkinderen spelen.');
  await journey.tap(page.getByRole('radio', { name: 'Groen en openbare ruimte' }));
  const who = page.getByRole('group', { name: 'Wie ben je?' });
  await journey.type(who.getByLabel('Je naam'), 'Bram');
  await journey.type(who.getByLabel('E-mailadres'), email);
  await journey.tap(page.getByRole('button', { name: 'Melding versturen' }));
  await expect(page.getByRole('status').filter({ hasText: 'Kijk in je mail' })).toBeVisible();
  await expect(page.getByText('Je melding komt online zodra je op de link in de e-mail drukt.')).toBeVisible();
  await expectNoSeriousA11yViolations(page);

  // Three screens, four taps, four typed fields before the e-mail (before: 11 screens, 17 taps).
  expect(journey.screens).toEqual(['/', '/buurt/transvaal', '/buurt/transvaal/meldingen/nieuw']);
  expect(journey.taps).toBe(4);
  expect(journey.typed).toBe(4);

  await page.goto('/buurt/transvaal/meldingen?order=newest');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Meldingen in Transvaal');
  await expect(page.getByRole('link', { name: title })).toHaveCount(0);

  await page.goto(confirmLinkIn((await newestMailTo(email)).body));
  await expect(page).toHaveURL(/\/meldingen\/[^/]+$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
  await expect(page.getByRole('status').filter({ hasText: 'Gelukt! Je melding staat online.' })).toBeVisible();
  await expect(page.getByText(/^Gemeld door Bram op /)).toBeVisible();
  await expect(page.getByText('Je hebt deze melding zelf gedaan.')).toBeVisible();
  await expectNoSeriousA11yViolations(page);
});

test('form messages help: a summary that links to the fields, missing is not wrong, a live counter that never cuts', async ({ page }) => {
  await withoutTiles(page);
  await page.goto('/buurt/transvaal/meldingen/nieuw');
  await page.getByRole('button', { name: 'Melding versturen' }).tap();
  const summary = page.locator('.error-summary');
  await expect(summary).toBeFocused();
  await expect(summary.getByRole('heading')).toHaveText('Kijk dit nog even na');
  await expect(page.getByText('Er ging iets mis')).toHaveCount(0);
  await expect(summary.getByRole('link', { name: 'Kies een onderwerp.' })).toBeVisible();
  await expect(summary.getByRole('link', { name: 'Schrijf een titel.' })).toBeVisible();
  await expect(summary.getByRole('link', { name: 'Vul je e-mailadres in.' })).toBeVisible();
  await summary.getByRole('link', { name: 'Schrijf een titel.' }).tap();
  const titleField = page.getByLabel('Titel', { exact: true });
  await expect(titleField).toBeFocused();
  await expectNoSeriousA11yViolations(page);

  // The counter: "Nog 120 tekens", and text over the limit stays, flagged.
  await expect(page.locator('#title-count')).toHaveText('Nog 120 tekens');
  await titleField.fill('x'.repeat(123));
  await expect(page.locator('#title-count')).toHaveText('3 tekens te veel');
  await expect(titleField).toHaveValue('x'.repeat(123));
  await expect(page.locator('#text-count')).toHaveText('Nog 5.000 tekens');
  await page.getByRole('radio', { name: 'Groen en openbare ruimte' }).tap();
  await page.getByLabel('Tekst', { exact: true }).fill('Te lang');
  await page.getByRole('button', { name: 'Melding versturen' }).tap();
  await expect(summary.getByRole('link', { name: 'De titel is te lang. Gebruik hoogstens 120 tekens.' })).toBeVisible();
  await expect(titleField).toHaveValue('x'.repeat(123));
});

test('a pending co-sign that is never confirmed is not counted and disappears after 48 hours', async ({ page }) => {
  await withoutTiles(page);
  const email = freshEmail('telaat');
  await page.goto('/buurt/transvaal');
  await page.getByRole('region', { name: 'Meldingen', exact: true }).getByRole('listitem').nth(1).getByRole('link').tap();
  await expect(page).toHaveURL(/\/meldingen\/[^/]+$/);
  const grievanceUrl = page.url();
  const before = await cosignCount(page);
  await page.getByRole('button', { name: 'Ik ook', exact: true }).tap();
  const who = page.getByRole('group', { name: 'Wie ben je?' });
  await who.getByLabel('Je naam').fill('Laat');
  await who.getByLabel('E-mailadres').fill(email);
  await page.getByRole('button', { name: 'Stuur mij de link' }).tap();
  const link = confirmLinkIn((await newestMailTo(email)).body);
  expect(sql(`SELECT count(*) FROM pending_actions WHERE email = '${email}'`)).toBe('1');

  // Move the clock: the action was made 49 hours ago.
  sql(`UPDATE pending_actions SET expires_at = datetime(expires_at, '-49 hours'), created_at = datetime(created_at, '-49 hours') WHERE email = '${email}'`);
  await page.reload();
  expect(await cosignCount(page)).toBe(before);
  await page.goto(link);
  await expect(page.getByRole('heading', { name: 'Bevestigen met deze link lukt niet' })).toBeVisible();
  await expect(page.getByText('De link is verlopen.', { exact: false })).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  expect(sql(`SELECT count(*) FROM pending_actions WHERE email = '${email}'`)).toBe('0');
  expect(sql(`SELECT count(*) FROM users WHERE email = '${email}'`)).toBe('0');
  await page.goto(grievanceUrl);
  await expect(page.locator('.cosign-total')).toBeVisible();
  expect(await cosignCount(page)).toBe(before);
});

test('asking a link for an unknown address sends a mail that makes the account, and comes back to the page', async ({ page }) => {
  const email = freshEmail('onbekend');
  await page.goto('/buurt/oude-westen');
  await page.getByRole('button', { name: 'Menu' }).tap();
  await page.getByRole('banner').getByRole('link', { name: 'Inloggen' }).tap();
  await expect(page).toHaveURL(/\/sign-in\?terug=%2Fbuurt%2Foude-westen$/);
  await page.getByRole('region', { name: 'Inloggen met een link' }).getByLabel('E-mailadres').fill(email);
  await page.getByRole('button', { name: 'Stuur mij een link' }).tap();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Kijk in je mail');
  const mail = await newestMailTo(email);
  expect(mail.subject).toContain('Je hebt nog geen account bij Buurtkracht');
  await page.goto(confirmLinkIn(mail.body));
  await expect(page.getByText('Welkom! Nog één ding: welke naam mogen andere mensen zien?')).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  await page.getByLabel('Je naam').fill('Nieuwe buur');
  await page.getByRole('button', { name: 'Account maken' }).tap();
  await expect(page).toHaveURL(/\/buurt\/oude-westen$/);
  await expect(page.getByRole('status').filter({ hasText: 'Gelukt! Je account is klaar.' })).toBeVisible();
});

test('every sign-in returns where the person was: password and link', async ({ page }) => {
  await withoutTiles(page);
  await page.goto('/buurt/transvaal');
  await page.getByRole('region', { name: 'Meldingen', exact: true }).getByRole('listitem').first().getByRole('link').tap();
  await expect(page).toHaveURL(/\/meldingen\/[^/]+$/);
  const grievanceUrl = page.url();
  await page.getByRole('main').getByRole('link', { name: 'Inloggen' }).tap();
  await expect(page).toHaveURL(/\/sign-in\?terug=/);
  const form = page.getByRole('region', { name: 'Inloggen met een wachtwoord' });
  await form.getByLabel('E-mailadres').fill(DEMO.priya.email);
  await form.getByLabel('Wachtwoord').fill(DEMO_PASSWORD);
  await form.getByRole('button', { name: 'Inloggen' }).tap();
  await expect(page).toHaveURL(grievanceUrl);

  // A link asked for on the sign-in page of another page brings the person back there.
  const context = page.context();
  await context.clearCookies();
  await page.evaluate(() => localStorage.clear());
  await page.goto('/sign-in?terug=%2Fbuurt%2Fkanaleneiland');
  await page.getByRole('region', { name: 'Inloggen met een link' }).getByLabel('E-mailadres').fill(DEMO.kees.email);
  await page.getByRole('button', { name: 'Stuur mij een link' }).tap();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Kijk in je mail');
  const mail = await newestMailTo(DEMO.kees.email);
  const link = /https?:\/\/[^\s"<>]+\/sign-in\?token=[A-Za-z0-9_-]+/.exec(mail.body)?.[0] ?? '';
  await page.goto(link);
  await expect(page).toHaveURL(/\/buurt\/kanaleneiland$/);

  // A return path to another site is ignored.
  await page.evaluate(() => localStorage.clear());
  await page.goto('/sign-in?terug=https%3A%2F%2Fevil.example%2F');
  const again = page.getByRole('region', { name: 'Inloggen met een wachtwoord' });
  await again.getByLabel('E-mailadres').fill(DEMO.priya.email);
  await again.getByLabel('Wachtwoord').fill(DEMO_PASSWORD);
  await again.getByRole('button', { name: 'Inloggen' }).tap();
  await expect(page).toHaveURL(/^http:\/\/127\.0\.0\.1:\d+\/(buurt\/[a-z-]+)?$/);
});

test("an organiser's first screen is what needs a response, oldest first, with acknowledge one tap away", async ({ page, request }) => {
  const token = await apiSignIn(request, DEMO.samira.email);
  const title = `Hondenpoep op het grasveld ${Date.now().toString(36)}`;
  await raiseGrievance(request, token, { neighbourhoodId: await neighbourhoodId(request, 'transvaal'), title, text: 'Overal.', theme: 'green-public-space' });
  await page.goto('/sign-in');
  const form = page.getByRole('region', { name: 'Inloggen met een wachtwoord' });
  await form.getByLabel('E-mailadres').fill(DEMO.fatima.email);
  await form.getByLabel('Wachtwoord').fill(DEMO_PASSWORD);
  await form.getByRole('button', { name: 'Inloggen' }).tap();
  await expect(page).toHaveURL(/\/reageren$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Wacht op een reactie');
  const items = page.locator('.needs-list > li');
  await expect(items.filter({ hasText: title })).toHaveCount(1);
  const titles = await items.locator('h2').allTextContents();
  expect(titles.at(-1)).toBe(title);
  await expectNoSeriousA11yViolations(page);
  const item = items.filter({ hasText: title });
  await expect(item.getByRole('link', { name: 'Samenvoegen met een andere melding' })).toBeVisible();
  await item.getByRole('button', { name: 'Erkennen: we hebben het gezien' }).tap();
  await item.getByLabel('Je reactie aan de bewoners').fill('We nemen contact op met de gemeente.');
  await item.getByRole('button', { name: 'Erkennen en reactie plaatsen' }).tap();
  await expect(page.getByRole('status').filter({ hasText: `"${title}" is erkend.` })).toBeFocused();
  await expect(page.locator('.needs-list h2').filter({ hasText: title })).toHaveCount(0);
  const id = (await gql<{ grievances: { edges: { node: { id: string; title: string; status: string } }[] } }>(
    request,
    'query ($n: ID!) { grievances(neighbourhoodId: $n, orderBy: NEWEST, first: 5) { edges { node { id title status } } } }',
    { n: await neighbourhoodId(request, 'transvaal') },
  )).grievances.edges.find((edge) => edge.node.title === title);
  expect(id?.node.status).toBe('ACKNOWLEDGED');
  expect(grievancePath(id?.node.id ?? '')).toMatch(/^\/meldingen\//);
});

test('when the map tiles fail, the map says so and its pins still work; the credit line stays small', async ({ page }) => {
  await withoutTiles(page);
  await page.goto('/buurt/transvaal/meldingen?view=map');
  await expect(page.getByText('De kaart kan nu niet laden. De pinnen werken nog wel, en alles staat ook in de lijst.')).toBeVisible();
  const map = page.getByRole('region', { name: 'Kaart met meldingen' });
  const pin = map.locator('.map-pin').first();
  await pin.tap();
  await expect(map.locator('.map-popup a')).toBeVisible();
  const credit = await map.locator('.leaflet-control-attribution').boundingBox();
  expect(credit?.height ?? 100).toBeLessThanOrEqual(20);
  await expect(map.locator('.leaflet-control-attribution')).not.toContainText('Leaflet');
  await expectNoSeriousA11yViolations(page);
});

test('switching the language while signed in offers to make it the language of e-mails too', async ({ page, request }) => {
  const email = freshEmail('taal');
  await signUpAndSignIn(page, { email, displayName: 'Taal' });
  await page.getByRole('banner').getByRole('button', { name: 'English' }).tap();
  await expect(page.getByRole('region', { name: 'Do you want our e-mails in this language too?' })).toBeFocused();
  await page.getByRole('button', { name: 'Yes, my e-mails too' }).tap();
  await expect(page.getByText('Do you want our e-mails in this language too?')).toHaveCount(0);
  // The account's language is English now: a new sign-in keeps the interface in English.
  await page.goto('/profile');
  await openMenuIfFolded(page);
  await expect(page.getByRole('radio', { name: 'English' })).toBeChecked();
  const data = await request.post('/graphql', { data: { query: '{ viewer { language } }' } });
  expect(data.ok()).toBe(true);
});

const PAGES = [
  '/',
  '/buurt/transvaal',
  '/buurt/transvaal/meldingen',
  '/buurt/transvaal/meldingen?view=map',
  '/buurt/transvaal/meldingen/nieuw',
  '/sign-in',
  '/sign-up',
  '/check-your-mail',
  '/bevestig?token=ongeldig',
  '/reageren',
  '/profile',
  '/bestaat-niet',
];

for (const locale of ['nl', 'en'] as const) {
  test(`no page scrolls sideways at 320 px, in ${locale === 'nl' ? 'Dutch' : 'English'}, and the header stays phone-sized`, async ({ browser }) => {
    test.slow();
    const context = await browser.newContext({ viewport: { width: 320, height: 640 }, hasTouch: true, isMobile: true, locale: locale === 'nl' ? 'nl-NL' : 'en-GB' });
    const page = await context.newPage();
    await withoutTiles(page);
    const grievance = await gql<{ grievances: { edges: { node: { id: string } }[] } }>(
      page.request,
      'query ($n: ID!) { grievances(neighbourhoodId: $n, first: 1) { edges { node { id } } } }',
      { n: await neighbourhoodId(page.request, 'transvaal') },
    );
    for (const path of [...PAGES, grievancePath(grievance.grievances.edges[0]?.node.id ?? '')]) {
      await page.goto(path);
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      await page.waitForTimeout(150);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(width, `${path} is ${width} px wide`).toBeLessThanOrEqual(320);
      const header = await page.getByRole('banner').boundingBox();
      expect(header?.height ?? 0, `header on ${path}`).toBeLessThanOrEqual(64);
    }
    // With the menu open, nothing sticks out either.
    await page.goto('/buurt/transvaal');
    await page.getByRole('button', { name: 'Menu' }).tap();
    await expect(page.getByRole('navigation')).toBeVisible();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
    await expectNoSeriousA11yViolations(page);
    await context.close();
  });
}
