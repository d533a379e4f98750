import { expect, test, type Page } from '@playwright/test';
import { apiSignIn, cosign, gql, grievancePath, neighbourhoodId, raiseGrievance, signInWithPassword, withoutTiles } from './api';
import { expectNoSeriousA11yViolations } from './helpers';

/*
 * Campaigns ("acties"). The tests here work in Indische Buurt, which has no demo grievances
 * (so the grievance lists the other specs expect stay as seeded), and read the demo campaigns
 * of Oude Westen and Kanaleneiland.
 */
const INDISCHE = {
  organiser: { email: 'sanne.visser@demo.buurtkracht.nl', displayName: 'Sanne Visser' },
  rachid: { email: 'rachid.amrani@demo.buurtkracht.nl', displayName: 'Rachid Amrani' },
  emma: { email: 'emma.devries@demo.buurtkracht.nl', displayName: 'Emma de Vries' },
} as const;

async function signOut(page: Page): Promise<void> {
  const menu = page.getByRole('button', { name: 'Menu' });
  if ((await menu.isVisible()) && (await menu.getAttribute('aria-expanded')) !== 'true') await menu.click();
  await page.getByRole('button', { name: 'Uitloggen' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Je bent uitgelogd.' })).toBeVisible();
}

test('a resident starts a campaign from a grievance, the core team completes phase 1 with a reflection, a neighbour joins and the organiser hands over', async ({
  page,
  request,
}) => {
  test.setTimeout(90_000);
  await withoutTiles(page);
  const suffix = Date.now().toString(36);
  const grievanceTitle = `Geen licht in de portiek aan de Balistraat ${suffix}`;
  const rachidToken = await apiSignIn(request, INDISCHE.rachid.email);
  const grievance = await raiseGrievance(request, rachidToken, {
    neighbourhoodId: await neighbourhoodId(request, 'indische-buurt'),
    title: grievanceTitle,
    text: 'Al weken is het donker in de portiek.',
    theme: 'safety',
  });
  await cosign(request, await apiSignIn(request, INDISCHE.emma.email), grievance);

  // A visitor sees no "start a campaign".
  await page.goto(grievancePath(grievance));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(grievanceTitle);
  await expect(page.getByRole('link', { name: 'Begin een actie' })).toHaveCount(0);

  // The author does, on the grievance page.
  await signInWithPassword(page, INDISCHE.rachid);
  await page.goto(grievancePath(grievance));
  const offer = page.getByRole('region', { name: 'Begin een actie' });
  await expect(offer).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  await offer.getByRole('link', { name: 'Begin een actie' }).click();
  await expect(page).toHaveURL(/\/meldingen\/[^/]+\/actie-starten$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Begin een actie');
  await expect(page.getByLabel('Naam van de actie')).toHaveValue(grievanceTitle);

  // Empty: the server's messages, next to the fields and in a summary that takes the focus.
  await page.getByRole('button', { name: 'Actie beginnen' }).click();
  await expect(page.locator('.error-summary')).toBeFocused();
  await expect(page.locator('#summary-error')).toBeVisible();
  await expect(page.getByLabel('Waar gaat het over?')).toHaveAttribute('aria-invalid', 'true');
  await expectNoSeriousA11yViolations(page);

  const campaignTitle = `Licht in de portieken ${suffix}`;
  await page.getByLabel('Naam van de actie').fill(campaignTitle);
  await page.getByLabel('Waar gaat het over?').fill('In veel portieken is het donker. Ouderen durven niet meer naar buiten.');
  await page.getByLabel('Doel 1', { exact: true }).fill('De verhuurder maakt het licht binnen een week');
  await page.getByRole('button', { name: 'Nog een doel' }).click();
  await expect(page.getByLabel('Doel 2', { exact: true })).toBeFocused();
  await page.getByLabel('Doel 2', { exact: true }).fill('Er is overal licht in de portieken');
  // The most important goal first.
  await page.getByRole('button', { name: 'Doel 2 omhoog' }).click();
  await expect(page.getByLabel('Doel 1', { exact: true })).toHaveValue('Er is overal licht in de portieken');
  await page.getByRole('button', { name: 'Actie beginnen' }).click();

  // The campaign page: change goals at the top, the default phases, the first one active.
  await expect(page).toHaveURL(/\/acties\/[^/]+$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(campaignTitle);
  await expect(page.getByRole('status').filter({ hasText: 'De actie is begonnen.' })).toBeVisible();
  const changeGoals = page.getByRole('region', { name: 'Wat moet er anders?' }).getByRole('listitem');
  await expect(changeGoals).toHaveText(['Er is overal licht in de portieken', 'De verhuurder maakt het licht binnen een week']);
  const phases = page.locator('.phase-list > li');
  await expect(phases).toHaveCount(4);
  await expect(phases.nth(0)).toHaveAttribute('aria-current', 'step');
  await expect(phases.nth(0).getByRole('heading')).toHaveText('Stap 1: Dialoog en eindbeeld');
  await expect(phases.nth(0)).toContainText('Nu bezig');
  await expect(phases.nth(1)).toContainText('Komt nog');
  // The linked grievance, and who runs it.
  const linked = page.getByRole('region', { name: 'Meldingen in deze actie' });
  await expect(linked.getByRole('link', { name: grievanceTitle })).toBeVisible();
  await expect(linked).toContainText('Er loopt een actie');
  await expect(linked).toContainText('1 buur zegt: ik ook');
  await expect(page.getByRole('region', { name: 'Wie voert deze actie?' })).toContainText(INDISCHE.rachid.displayName);
  await expectNoSeriousA11yViolations(page);

  // The grievance now links to its campaign.
  await page.goto(grievancePath(grievance));
  await expect(page.getByRole('region', { name: 'Acties', exact: true }).getByRole('link', { name: campaignTitle })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Begin een actie' })).toHaveCount(0);
  await page.getByRole('region', { name: 'Acties', exact: true }).getByRole('link', { name: campaignTitle }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(campaignTitle);
  const campaignUrl = page.url();

  // The core team adds two goals to phase 1: one with a number, one without.
  const first = phases.nth(0);
  await first.getByRole('button', { name: 'Doel toevoegen aan Dialoog en eindbeeld' }).click();
  await first.getByLabel('Wat wil je bereiken?').fill('Buren spreken');
  await first.getByLabel('Aantal (mag leeg blijven)').fill('veel');
  await first.getByRole('button', { name: 'Doel toevoegen', exact: true }).click();
  // Nonsense in the number field: the server says what is allowed, next to the field.
  await expect(first.getByLabel('Aantal (mag leeg blijven)')).toHaveAttribute('aria-invalid', 'true');
  await first.getByLabel('Aantal (mag leeg blijven)').fill('30');
  await first.getByLabel('Waarvan? (mag leeg blijven)').fill('buren');
  await first.getByRole('button', { name: 'Doel toevoegen', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Het doel is toegevoegd.' })).toBeVisible();
  await first.getByRole('button', { name: 'Doel toevoegen aan Dialoog en eindbeeld' }).click();
  await first.getByLabel('Wat wil je bereiken?').fill('Een eindbeeld tekenen');
  await first.getByRole('button', { name: 'Doel toevoegen', exact: true }).click();
  await expect(first.locator('.goal')).toHaveCount(2);

  // A new count, with a note: the bar follows.
  await first.getByRole('button', { name: 'Bijwerken: Buren spreken' }).click();
  await first.getByLabel('Nieuwe stand (buren)').fill('12');
  await first.getByLabel('Toelichting').fill('Op de markt met 12 buren gepraat.');
  await first.getByRole('button', { name: 'Opslaan' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Het doel is bijgewerkt.' })).toBeVisible();
  const bar = first.getByRole('progressbar', { name: 'Voortgang: Buren spreken' });
  await expect(bar).toHaveAttribute('aria-valuenow', '40');
  await expect(first).toContainText('12 van 30 buren');

  // Tick the other as met, with evidence.
  await first.getByRole('button', { name: 'Bijwerken: Een eindbeeld tekenen' }).click();
  await first.getByLabel('Bewijs', { exact: true }).fill('De tekening hangt in het buurthuis.');
  await first.getByRole('button', { name: 'Opslaan' }).click();
  await expect(first).toContainText('Bewijs: De tekening hangt in het buurthuis.');
  await expectNoSeriousA11yViolations(page);

  // Completing needs a reflection and a reason for the unmet goal.
  await first.getByRole('button', { name: 'Deze stap afronden' }).click();
  await expect(first.getByLabel('Waarom is "Buren spreken" niet gehaald?')).toBeVisible();
  await first.getByRole('button', { name: 'Stap afronden', exact: true }).click();
  await expect(page.locator('.error-summary')).toBeFocused();
  await expect(first.getByLabel('Terugblik')).toHaveAttribute('aria-invalid', 'true');
  await expectNoSeriousA11yViolations(page);
  await first.getByLabel('Terugblik').fill('Het ging goed op de markt. Avonden waren te laat. We leerden: kom naar de mensen toe.');
  await first.getByRole('button', { name: 'Stap afronden', exact: true }).click();
  // Without a reason for the unmet goal the server refuses.
  await expect(page.locator('.error-summary, .error').first()).toBeVisible();
  await first.getByLabel('Waarom is "Buren spreken" niet gehaald?').fill('Het werd te koud om buiten te staan.');
  await first.getByRole('button', { name: 'Stap afronden', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'De stap is afgerond.' })).toBeVisible();
  await expect(phases.nth(1)).toHaveAttribute('aria-current', 'step');
  await expect(phases.nth(0)).toContainText('Klaar');
  await expect(phases.nth(0)).toContainText('kom naar de mensen toe');
  await expect(phases.nth(0)).toContainText('Niet gehaald, want: Het werd te koud om buiten te staan.');
  await expectNoSeriousA11yViolations(page);
  await signOut(page);

  // A second resident joins, and can leave again; the count is exact.
  await signInWithPassword(page, INDISCHE.emma);
  await page.goto(campaignUrl);
  const join = page.getByRole('region', { name: 'Doe mee' });
  const before = Number(((await join.locator('.cosign-total').textContent()) ?? '').match(/\d+/)?.[0] ?? '0');
  await join.getByRole('button', { name: 'Ik doe mee' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Je doet mee.' })).toBeVisible();
  await expect(join.getByRole('button', { name: 'Ik doe niet meer mee' })).toHaveAttribute('aria-pressed', 'true');
  await expect(join).toContainText(`${before + 1} bure`);
  await expectNoSeriousA11yViolations(page);
  // Not in the core team: no editing.
  await expect(page.getByRole('button', { name: 'Deze stap afronden' })).toHaveCount(0);
  await signOut(page);

  // The organiser adds her to the core team, then hands the campaign over.
  await signInWithPassword(page, INDISCHE.organiser);
  await page.goto(campaignUrl);
  const moderate = page.getByRole('region', { name: 'Voor de opbouwwerker' });
  await moderate.getByRole('button', { name: 'Iemand aan de kerngroep toevoegen' }).click();
  await moderate.getByLabel('Wie?').selectOption({ label: INDISCHE.emma.displayName });
  await moderate.getByLabel('Waarom?').fill('Wil graag mee trekken.');
  await moderate.getByRole('button', { name: 'Toevoegen', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: `${INDISCHE.emma.displayName} zit nu in de kerngroep.` })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Wie voert deze actie?' })).toContainText(INDISCHE.emma.displayName);
  await expectNoSeriousA11yViolations(page);
  // The organiser is not in the core team, so there is nothing to hand over.
  await expect(moderate.getByRole('button', { name: 'Stokje overdragen aan de bewoners' })).toHaveCount(0);
  await signOut(page);

  // The campaign is in the neighbourhood's list.
  await page.goto('/buurt/indische-buurt');
  await page.getByRole('region', { name: 'Acties', exact: true }).getByRole('link', { name: 'Bekijk de acties' }).click();
  await expect(page).toHaveURL(/\/buurt\/indische-buurt\/acties$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Acties in Indische Buurt');
  await expect(page.getByRole('link', { name: campaignTitle })).toBeVisible();
  await expectNoSeriousA11yViolations(page);
});

test('an organiser who started a campaign steps back: the page says residents run it', async ({ page, request }) => {
  test.setTimeout(60_000);
  await withoutTiles(page);
  const suffix = Date.now().toString(36);
  const organiserToken = await apiSignIn(request, INDISCHE.organiser.email);
  const rachidToken = await apiSignIn(request, INDISCHE.rachid.email);
  const grievance = await raiseGrievance(request, rachidToken, {
    neighbourhoodId: await neighbourhoodId(request, 'indische-buurt'),
    title: `Vuilnis naast de containers ${suffix}`,
    text: 'Elke week ligt er vuilnis naast de containers.',
    theme: 'safety',
  });
  const started = await gql<{ startCampaign: { id: string } }>(
    request,
    'mutation ($input: StartCampaignInput!) { startCampaign(input: $input) { id } }',
    { input: { grievanceIds: [grievance], title: `Schone straat ${suffix}`, summary: 'Samen zorgen we voor een schone straat.', changeGoals: ['Geen vuilnis meer naast de containers'] } },
    organiserToken,
  );
  const campaignId = started.startCampaign.id;
  const me = await gql<{ viewer: { id: string } }>(request, '{ viewer { id } }', {}, rachidToken);
  await gql(
    request,
    'mutation ($c: ID!, $p: ID!, $r: String!) { addCoreTeamMember(campaignId: $c, personId: $p, reason: $r) { id } }',
    { c: campaignId, p: me.viewer.id, r: 'Trekt de actie' },
    organiserToken,
  );

  await signInWithPassword(page, INDISCHE.organiser);
  await page.goto(`/acties/${encodeURIComponent(campaignId)}`);
  const who = page.getByRole('region', { name: 'Wie voert deze actie?' });
  await expect(who).toContainText('Een opbouwwerker helpt de kerngroep.');
  const moderate = page.getByRole('region', { name: 'Voor de opbouwwerker' });
  await moderate.getByRole('button', { name: 'Stokje overdragen aan de bewoners' }).click();
  await moderate.getByRole('button', { name: 'Overdragen', exact: true }).click();
  // A reason is required.
  await expect(moderate.locator('[aria-invalid="true"]')).toBeVisible();
  await moderate.getByLabel('Waarom?').last().fill('De bewoners kunnen het zelf.');
  await moderate.getByRole('button', { name: 'Overdragen', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Je hebt het stokje overgedragen.' })).toBeVisible();
  await expect(who).toContainText('Bewoners voeren deze actie.');
  await expect(who).not.toContainText(INDISCHE.organiser.displayName);
  await expect(page.locator('.tags')).toContainText('Bewoners voeren deze actie');
  await expectNoSeriousA11yViolations(page);
});

test('the demo campaigns: a completed first phase with its reflection, progress bars, and an anonymous author who stays anonymous', async ({
  page,
}) => {
  await page.goto('/buurt/oude-westen/acties');
  await page.getByRole('link', { name: 'Houd de binnentuin groen' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Houd de binnentuin groen');
  const phases = page.locator('.phase-list > li');
  await expect(phases.nth(0)).toContainText('Klaar');
  await expect(phases.nth(0).getByRole('heading', { name: 'Terugblik' })).toBeVisible();
  await expect(phases.nth(1)).toHaveAttribute('aria-current', 'step');
  await expect(phases.nth(1).getByRole('progressbar', { name: 'Voortgang: Handtekeningen ophalen voor de petitie' })).toHaveAttribute(
    'aria-valuenow',
    '67',
  );
  await expect(phases.nth(1)).toContainText('134 van 200 handtekeningen');
  // A visitor may read but not edit or join.
  await expect(page.getByRole('button', { name: 'Bijwerken' })).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'Log in om mee te doen.' })).toBeVisible();
  await expectNoSeriousA11yViolations(page);

  await page.goto('/buurt/kanaleneiland/acties');
  await page.getByRole('link', { name: 'Betaalbare energie in de flats' }).click();
  const linked = page.getByRole('region', { name: 'Meldingen in deze actie' });
  await expect(linked).toContainText('Gemeld door een bewoner van Kanaleneiland');
  await expect(linked).not.toContainText('Lotte');
  await expectNoSeriousA11yViolations(page);
});

test('the core team completes the last phase with an outcome: the campaign closes and its grievance is resolved', async ({ page, request }) => {
  test.setTimeout(60_000);
  await withoutTiles(page);
  const suffix = Date.now().toString(36);
  const rachidToken = await apiSignIn(request, INDISCHE.rachid.email);
  const grievanceTitle = `Bankjes op het Javaplein weg ${suffix}`;
  const grievance = await raiseGrievance(request, rachidToken, {
    neighbourhoodId: await neighbourhoodId(request, 'indische-buurt'),
    title: grievanceTitle,
    text: 'De bankjes zijn weggehaald.',
    theme: 'safety',
  });
  type Phases = { phases: { id: string; status: string }[] };
  const started = await gql<{ startCampaign: { id: string } & Phases }>(
    request,
    'mutation ($input: StartCampaignInput!) { startCampaign(input: $input) { id phases { id status } } }',
    { input: { grievanceIds: [grievance], title: `Bankjes terug ${suffix}`, summary: 'We willen de bankjes terug.', changeGoals: ['Er staan weer bankjes'] } },
    rachidToken,
  );
  // The first three phases have no goals: each completes with a reflection alone.
  for (const phase of started.startCampaign.phases.slice(0, 3)) {
    await gql(
      request,
      'mutation ($input: CompletePhaseInput!) { completeCampaignPhase(input: $input) { id } }',
      { input: { phaseId: phase.id, reflection: 'Goed gegaan.' } },
      rachidToken,
    );
  }

  await signInWithPassword(page, INDISCHE.rachid);
  await page.goto(`/acties/${encodeURIComponent(started.startCampaign.id)}`);
  const last = page.locator('.phase-list > li').nth(3);
  await expect(last).toHaveAttribute('aria-current', 'step');
  await last.getByRole('button', { name: 'Deze stap afronden' }).click();
  await expect(last.getByText('Dit is de laatste stap. Is deze stap klaar? Dan is de actie afgelopen.')).toBeVisible();
  await last.getByLabel('Terugblik').fill('We hielden vol en kregen gelijk.');
  // Without an outcome the server asks for one, next to the choice.
  await last.getByRole('button', { name: 'Stap afronden', exact: true }).click();
  await expect(page.locator('.error-summary')).toBeFocused();
  await expectNoSeriousA11yViolations(page);
  await last.getByRole('radio', { name: 'Gewonnen', exact: true }).check();
  await last.getByLabel('Wat is er bereikt?').fill('De gemeente zet de bankjes terug.');
  await last.getByRole('button', { name: 'Stap afronden', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'De actie is afgelopen.' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Hoe is het afgelopen?' })).toContainText('Gewonnen');
  await expect(page.getByRole('region', { name: 'Doe mee' })).toContainText('Deze actie is afgelopen.');
  await expect(page.getByRole('button', { name: 'Deze stap afronden' })).toHaveCount(0);
  await expectNoSeriousA11yViolations(page);

  // The grievance shows the outcome as its reason.
  await page.goto(grievancePath(grievance));
  await expect(page.locator('.tags')).toContainText('Opgelost');
  await expect(page.getByText('De gemeente zet de bankjes terug.').first()).toBeVisible();
  await expect(page.getByRole('region', { name: 'Acties', exact: true })).toContainText('Gewonnen');
});
