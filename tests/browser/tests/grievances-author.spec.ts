import { expect, test } from '@playwright/test';
import { DEMO, apiSignIn, comment, grievancePath, neighbourhoodId, raiseGrievance, signInWithPassword, withoutTiles } from './api';
import { expectNoSeriousA11yViolations } from './helpers';

test('the author changes a grievance until the first "ik ook", adds news, and edits a comment; others report it', async ({
  page,
  request,
}) => {
  await withoutTiles(page);
  const suffix = Date.now().toString(36);
  const transvaal = await neighbourhoodId(request, 'transvaal');
  const samira = await apiSignIn(request, DEMO.samira.email);
  const id = await raiseGrievance(request, samira, {
    neighbourhoodId: transvaal,
    title: `Buurthuis te vroeg dicht ${suffix}`,
    text: 'Het buurthuis gaat om vijf uur dicht.',
    theme: 'facilities',
  });

  await signInWithPassword(page, DEMO.samira);
  await page.goto(grievancePath(id));
  await page.getByRole('button', { name: 'Melding aanpassen' }).click();
  const titleField = page.getByLabel('Titel', { exact: true });
  await expect(titleField).toBeFocused();
  await titleField.fill(`Buurthuis gaat te vroeg dicht ${suffix}`);
  await page.getByRole('radio', { name: 'Gezondheid en zorg' }).check();
  await page.getByRole('button', { name: 'Wijzigingen opslaan' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Je melding is aangepast.' })).toBeFocused();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Buurthuis gaat te vroeg dicht ${suffix}`);
  await expect(page.locator('.tags')).toContainText('Gezondheid en zorg');

  // News from the author.
  const updates = page.getByRole('region', { name: 'Nieuws van wie het meldde' });
  await updates.getByRole('button', { name: 'Nieuws toevoegen' }).click();
  await updates.getByLabel('Wat is er nieuw?').fill('Ik heb 40 handtekeningen opgehaald bij de school.');
  await updates.getByRole('button', { name: 'Nieuws plaatsen' }).click();
  await expect(updates.getByRole('listitem')).toContainText('Ik heb 40 handtekeningen opgehaald bij de school.');

  // Her own comment can be changed for a while.
  await page.getByLabel('Schrijf een reactie').fill('Wie helpt mee met flyers?');
  await page.getByRole('button', { name: 'Reactie plaatsen' }).click();
  // Newest last: her comment is the last one.
  const own = page.locator('.comment').last();
  await expect(own).toContainText('Wie helpt mee met flyers?');
  await own.getByRole('button', { name: 'Reactie aanpassen' }).click();
  await own.getByLabel('Je reactie').fill('Wie helpt mee met flyers uitdelen?');
  await own.getByRole('button', { name: 'Reactie opslaan' }).click();
  await expect(own.locator('.comment-text')).toHaveText('Wie helpt mee met flyers uitdelen?');
  await expect(own).toContainText('(aangepast)');
  await expect(own.getByRole('button', { name: 'Reactie melden' })).toHaveCount(0);
  await expectNoSeriousA11yViolations(page);

  // Another resident's comment can be reported, once; after the first "ik ook" the grievance is fixed.
  const kees = await apiSignIn(request, DEMO.kees.email);
  await comment(request, kees, id, 'Dit is reclame voor mijn bedrijf: www.example.org');
  await request.post('/graphql', {
    data: { query: 'mutation ($id: ID!) { cosignGrievance(grievanceId: $id) { id } }', variables: { id } },
    headers: { Authorization: `Bearer ${kees}` },
  });
  await page.reload();
  await expect(page.getByText('1 buur zegt: ik ook')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Melding aanpassen' })).toHaveCount(0);
  const spam = page.locator('.comment').filter({ hasText: 'reclame' });
  await spam.getByRole('button', { name: 'Reactie melden' }).click();
  await spam.getByLabel('Waarom meld je deze reactie? Dit mag je leeg laten.').fill('Reclame');
  await spam.getByRole('button', { name: 'Melden', exact: true }).click();
  await expect(spam.getByText('Gemeld. Een opbouwwerker kijkt ernaar.')).toBeFocused();
  await expect(spam.getByRole('button', { name: 'Reactie melden' })).toHaveCount(0);
});
