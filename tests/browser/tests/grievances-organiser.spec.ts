import { expect, test } from '@playwright/test';
import {
  DEMO,
  apiSignIn,
  comment,
  cosign,
  grievancePath,
  neighbourhoodId,
  raiseGrievance,
  signInWithPassword,
  withoutTiles,
} from './api';
import { expectNoSeriousA11yViolations } from './helpers';

test('an organiser acknowledges with a response, hides a comment with a reason and merges a duplicate', async ({
  page,
  request,
  browser,
  baseURL,
}) => {
  test.setTimeout(45_000);
  await withoutTiles(page);
  const suffix = Date.now().toString(36);
  const survivorTitle = `Losse stoeptegels in de Christiaan de Wetstraat ${suffix}`;
  const duplicateTitle = `Struikelen over stoeptegels bij de Christiaan de Wetstraat ${suffix}`;

  // Two grievances about the same thing, each with one "ik ook", and a rude comment.
  const transvaal = await neighbourhoodId(request, 'transvaal');
  const [kees, priya, samira, joost] = await Promise.all(
    [DEMO.kees, DEMO.priya, DEMO.samira, DEMO.joost].map((person) => apiSignIn(request, person.email)),
  );
  const survivor = await raiseGrievance(request, kees!, {
    neighbourhoodId: transvaal,
    title: survivorTitle,
    text: 'De tegels liggen al maanden los. Mijn moeder is er bijna gevallen.',
    theme: 'facilities',
  });
  const duplicate = await raiseGrievance(request, priya!, {
    neighbourhoodId: transvaal,
    title: duplicateTitle,
    text: 'Met de rollator kom je er niet langs.',
    theme: 'facilities',
  });
  await cosign(request, samira!, survivor);
  await cosign(request, joost!, duplicate);
  const rude = 'Die lui van de gemeente zijn allemaal zakkenwassers.';
  await comment(request, samira!, survivor, rude);

  await signInWithPassword(page, DEMO.fatima);
  await page.goto(grievancePath(survivor));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(survivorTitle);
  const panel = page.getByRole('region', { name: 'Voor opbouwwerkers' });
  await expect(panel).toBeVisible();
  await expect(page.getByText('1 buur zegt: ik ook')).toBeVisible();

  // Acknowledge, with a response that everybody sees.
  const response = 'Dank je. Ik ga woensdag met de wijkbeheerder kijken en laat hier weten wat eruit komt.';
  await panel.getByRole('button', { name: 'Erkennen: we hebben het gezien' }).click();
  await panel.getByLabel('Je reactie aan de bewoners').fill(response);
  await panel.getByRole('button', { name: 'Erkennen en reactie plaatsen' }).click();
  await expect(panel.getByRole('status')).toHaveText('De melding is erkend. Iedereen ziet je reactie.');
  await expect(page.locator('.tags')).toContainText('Gezien door opbouwwerker');
  await expect(page.getByText(response).first()).toBeVisible();
  await expect(panel.getByRole('button', { name: 'Erkennen: we hebben het gezien' })).toHaveCount(0);
  const history = page.getByRole('region', { name: 'Wat is er gebeurd?' });
  await expect(history).toContainText('Van "Staat open" naar "Gezien door opbouwwerker" door Fatima el Amrani');

  // Hide the rude comment, with a reason.
  const reason = 'Scheldwoorden horen hier niet. Je mag het wel netjes opnieuw zeggen.';
  const rudeComment = page.getByRole('region', { name: /^Reacties/ }).getByRole('listitem').filter({ hasText: rude });
  await rudeComment.getByRole('button', { name: 'Reactie verbergen' }).click();
  await rudeComment.getByLabel('Waarom verberg je deze reactie? Iedereen ziet deze reden.').fill(reason);
  await rudeComment.getByRole('button', { name: 'Verbergen', exact: true }).click();
  await expect(rudeComment.getByText(`Verborgen door een opbouwwerker: ${reason}`)).toBeVisible();
  // Organisers still see what was written.
  await expect(rudeComment.getByText('De verborgen tekst. Alleen opbouwwerkers zien dit:')).toBeVisible();
  await expectNoSeriousA11yViolations(page);

  // Merge the duplicate into this one: choose, give a reason, confirm.
  await panel.getByRole('button', { name: 'Andere meldingen hiermee samenvoegen' }).click();
  await panel.getByLabel('Zoek op woorden uit de titel').fill(`stoeptegels ${suffix}`);
  const choices = panel.getByRole('group', { name: 'Kies de meldingen' }).getByRole('checkbox');
  await expect(choices).toHaveCount(1);
  await panel.getByRole('checkbox', { name: duplicateTitle }).check();
  await panel.getByRole('button', { name: 'Verder' }).click();
  await expect(panel.getByText('Schrijf waarom je ze samenvoegt.')).toBeVisible();
  await panel.getByLabel('Waarom voeg je ze samen? Iedereen ziet deze reden.').fill('Deze twee gaan over dezelfde stoep.');
  await panel.getByRole('button', { name: 'Verder' }).click();
  await expect(panel.getByRole('heading', { name: 'Weet je het zeker?' })).toBeFocused();
  await expect(panel.getByRole('listitem').filter({ hasText: duplicateTitle })).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  await panel.getByRole('button', { name: 'Ja, samenvoegen' }).click();
  await expect(panel.getByRole('status')).toHaveText('1 melding is samengevoegd met deze melding.');
  // The co-signs are united: Samira's, Joost's, and Priya's, who raised the duplicate.
  await expect(page.getByText('3 buren zeggen: ik ook')).toBeVisible();
  await expect(page.getByRole('region', { name: 'Samengevoegde meldingen' })).toContainText(duplicateTitle);

  // The duplicate's address leads to the survivor, with a notice.
  await page.goto(grievancePath(duplicate));
  await expect(page).toHaveURL(new RegExp(`${grievancePath(survivor).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(survivorTitle);
  await expect(page.getByRole('status').filter({ hasText: 'Deze melding is samengevoegd met' })).toContainText(survivorTitle);

  // A visitor sees the response and the reason, but not the hidden text nor the organiser tools.
  const visitorContext = await browser.newContext({ baseURL, locale: 'nl-NL' });
  const visitor = await visitorContext.newPage();
  await withoutTiles(visitor);
  await visitor.goto(grievancePath(survivor));
  await expect(visitor.getByRole('heading', { level: 1 })).toHaveText(survivorTitle);
  await expect(visitor.getByText('Toelichting van de opbouwwerker')).toBeVisible();
  await expect(visitor.locator('.status-reason')).toContainText(response);
  await expect(visitor.getByText(`Verborgen door een opbouwwerker: ${reason}`)).toBeVisible();
  await expect(visitor.locator('body')).not.toContainText(rude);
  await expect(visitor.getByRole('region', { name: 'Voor opbouwwerkers' })).toHaveCount(0);
  await expect(visitor.getByText('3 buren zeggen: ik ook')).toBeVisible();
  await expectNoSeriousA11yViolations(visitor);
  await visitorContext.close();
});

test('residents and organisers of another neighbourhood get no organiser tools', async ({ page }) => {
  await withoutTiles(page);
  await signInWithPassword(page, DEMO.joost);
  await page.goto('/buurt/transvaal/meldingen');
  await page.getByRole('link', { name: 'Geen rustige plek om huiswerk te maken' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Geen rustige plek om huiswerk te maken');
  await expect(page.getByRole('button', { name: 'Ik ook', exact: true })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Voor opbouwwerkers' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Reactie verbergen' })).toHaveCount(0);
});
