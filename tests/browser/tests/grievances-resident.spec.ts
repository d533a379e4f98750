import { expect, test } from '@playwright/test';
import { withoutTiles } from './api';
import { expectNoSeriousA11yViolations, signUpAndSignIn } from './helpers';
import { freshEmail } from './mail';

test('a resident raises a grievance with a pin and without their name; another resident says "ik ook" and comments', async ({
  page,
  browser,
  baseURL,
}) => {
  test.setTimeout(45_000);
  await withoutTiles(page);
  const first = { email: freshEmail('melder'), displayName: 'Anouk Verbeek' };
  const title = `Kapotte lantaarnpalen in de Paul Krugerlaan ${Date.now().toString(36)}`;
  await signUpAndSignIn(page, first);

  // From the neighbourhood page to the form.
  await page.goto('/buurt/transvaal');
  const teaser = page.getByRole('region', { name: 'Meldingen', exact: true });
  await expect(teaser.getByRole('link', { name: /Bekijk alle \d+ meldingen/ })).toBeVisible();
  await teaser.getByRole('link', { name: 'Doe een melding' }).click();
  await expect(page).toHaveURL(/\/buurt\/transvaal\/meldingen\/nieuw$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Doe een melding');

  // Joining is implicit: the form is there at once, and raising makes the person a member.
  const titleField = page.getByLabel('Titel', { exact: true });
  await expect(titleField).toBeVisible();

  // The server's messages appear next to the fields.
  await page.getByRole('button', { name: 'Melding versturen' }).click();
  await expect(page.locator('#title-error')).toBeVisible();
  await expect(titleField).toHaveAttribute('aria-invalid', 'true');
  // The summary takes the focus and links to each field.
  await expect(page.locator('.error-summary')).toBeFocused();
  await page.locator('.error-summary').getByRole('link', { name: 'Schrijf een titel.' }).click();
  await expect(titleField).toBeFocused();

  await titleField.fill(title);
  await page.getByLabel('Tekst', { exact: true }).fill('Al drie weken is het donker op de stoep.\nMensen voelen zich niet veilig als ze \'s avonds thuiskomen.');
  await page.getByRole('radio', { name: 'Veiligheid' }).check();

  // A pin: tap on the map (its middle is the middle of Transvaal), then it can be removed and set again.
  const map = page.locator('#raise-map');
  await expect(map).toHaveClass(/leaflet-container/);
  await expect(page.getByText('Er staat nog geen pin op de kaart.')).toBeVisible();
  await map.click();
  await expect(map.locator('.map-pin')).toHaveCount(1);
  await expect(page.getByText('Er staat een pin op de kaart.')).toBeVisible();
  await page.getByRole('button', { name: 'Pin weghalen' }).click();
  await expect(map.locator('.map-pin')).toHaveCount(0);
  await page.getByRole('button', { name: 'Zet de pin in het midden van de kaart' }).click();
  await expect(map.locator('.map-pin')).toHaveCount(1);

  // Name hidden from the public; the explanation says who still sees it.
  const showName = page.getByRole('checkbox', { name: 'Toon mijn naam' });
  await expect(showName).toBeChecked();
  await expect(page.getByText('De opbouwwerkers van Transvaal zien wel wie je bent.')).toBeVisible();
  await showName.uncheck();
  await expectNoSeriousA11yViolations(page);
  await page.getByRole('button', { name: 'Melding versturen' }).click();

  // The new grievance's page.
  await expect(page).toHaveURL(/\/meldingen\/[^/]+$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
  await expect(page.getByText('Je melding staat online.')).toBeVisible();
  await expect(page.getByText(/^Gemeld door een bewoner van Transvaal op /)).toBeVisible();
  await expect(page.getByText('Je naam staat er niet bij. Iedereen ziet "een bewoner van Transvaal". Alleen de opbouwwerkers van Transvaal zien dat jij dit meldde.')).toBeVisible();
  await expect(page.getByText('Je hebt deze melding zelf gedaan.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Ik ook', exact: true })).toHaveCount(0);
  await expect(page.locator('#grievance-location .map-pin')).toHaveCount(1);
  await expectNoSeriousA11yViolations(page);
  const grievanceUrl = page.url();

  // A second resident, in another browser.
  const other = await browser.newContext({ baseURL, locale: 'nl-NL' });
  const page2 = await other.newPage();
  await withoutTiles(page2);
  await signUpAndSignIn(page2, { email: freshEmail('buur'), displayName: 'Bram Kok' });
  await page2.goto('/buurt/transvaal/meldingen?order=newest');
  const card = page2.getByRole('listitem').filter({ has: page2.getByRole('link', { name: title }) });
  await expect(card).toContainText('Gemeld door een bewoner van Transvaal');
  await expect(card).toContainText('Nog niemand zegt: ik ook');
  await expect(page2.locator('body')).not.toContainText(first.displayName);
  await card.getByRole('link', { name: title }).click();
  await expect(page2).toHaveURL(grievanceUrl);
  await expect(page2.getByText(/^Gemeld door een bewoner van Transvaal op /)).toBeVisible();
  await expect(page2.locator('body')).not.toContainText(first.displayName);
  await expect(page2.getByText('Je naam staat er niet bij.')).toHaveCount(0);

  // "Ik ook": 0 → 1, pressed; withdrawing and co-signing again works too.
  const cosign = page2.getByRole('button', { name: 'Ik ook', exact: true });
  await expect(page2.getByText('Nog niemand zegt: ik ook')).toBeVisible();
  await expect(cosign).toHaveAttribute('aria-pressed', 'false');
  await cosign.click();
  await expect(page2.getByText('1 buur zegt: ik ook')).toBeVisible();
  await expect(cosign).toHaveAttribute('aria-pressed', 'true');
  await expect(page2.getByText('Je zegt: ik ook. Dat telt mee.')).toBeVisible();
  await page2.getByRole('button', { name: 'Toch niet: haal mijn ik ook weg' }).click();
  await expect(page2.getByText('Nog niemand zegt: ik ook')).toBeVisible();
  await expect(cosign).toHaveAttribute('aria-pressed', 'false');
  await cosign.click();
  await expect(cosign).toHaveAttribute('aria-pressed', 'true');
  await expect(page2.getByText('1 buur zegt: ik ook')).toBeVisible();

  // A comment.
  const commentText = 'Bij ons in de straat ook. Ik heb het al twee keer gemeld bij de gemeente.';
  await page2.getByLabel('Schrijf een reactie').fill(commentText);
  await page2.getByRole('button', { name: 'Reactie plaatsen' }).click();
  await expect(page2.getByText('Je reactie is geplaatst.')).toBeVisible();
  const comments = page2.getByRole('region', { name: 'Reacties (1)' });
  await expect(comments.getByRole('listitem')).toHaveCount(1);
  await expect(comments.getByRole('listitem')).toContainText(commentText);
  await expect(comments.getByRole('listitem')).toContainText('Bram Kok');
  await expect(page2.getByLabel('Schrijf een reactie')).toHaveValue('');
  await expectNoSeriousA11yViolations(page2);
  await other.close();

  // The first resident sees the support and the comment.
  await page.reload();
  await expect(page.getByText('1 buur zegt: ik ook')).toBeVisible();
  const mine = page.getByRole('region', { name: 'Reacties (1)' });
  await expect(mine).toContainText(commentText);
  await expect(mine).toContainText('Bram Kok');
  await expectNoSeriousA11yViolations(page);
});

test('visitors act first: the raise form and "ik ook" ask only a name and an e-mail address; commenting needs an account', async ({ page }) => {
  await withoutTiles(page);
  await page.goto('/buurt/transvaal/meldingen/nieuw');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Doe een melding');
  await expect(page.getByLabel('Titel', { exact: true })).toBeVisible();
  await expect(page.getByRole('group', { name: 'Wie ben je?' }).getByLabel('E-mailadres')).toBeVisible();

  await page.goto('/buurt/transvaal/meldingen');
  await page.getByRole('link', { name: "Auto's rijden veel te hard door de Kempstraat" }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText("Auto's rijden veel te hard door de Kempstraat");
  await expect(page.getByRole('button', { name: 'Ik ook', exact: true })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Log in om te reageren' })).toBeVisible();
  await expect(page.getByRole('textbox')).toHaveCount(0);
  await expectNoSeriousA11yViolations(page);
});
