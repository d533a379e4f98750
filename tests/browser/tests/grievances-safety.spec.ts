import { expect, test } from '@playwright/test';
import { DEMO, signInWithPassword, withoutTiles } from './api';
import { expectNoSeriousA11yViolations } from './helpers';

test('HTML and scripts typed into a grievance or comment show as plain text and never run', async ({ page }) => {
  await withoutTiles(page);
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  const suffix = Date.now().toString(36);
  const title = `<img src=x onerror="alert('titel')"><b>Vet</b> ${suffix}`;
  const text = `<script>alert("tekst")</script>\n<a href="javascript:alert(1)">klik</a> & <i>schuin</i>`;
  const commentText = `<svg onload=alert('reactie')></svg><iframe src="javascript:alert(2)"></iframe>`;

  await signInWithPassword(page, DEMO.kees);
  await page.goto('/buurt/transvaal/meldingen/nieuw');
  await page.getByLabel('Titel', { exact: true }).fill(title);
  await page.getByLabel('Tekst', { exact: true }).fill(text);
  await page.getByRole('radio', { name: 'Overig' }).check();
  await expect(page.locator('#raise-map')).toHaveClass(/leaflet-container/);
  await page.locator('#raise-map').click();
  await page.getByRole('button', { name: 'Melding versturen' }).click();

  const main = page.getByRole('main');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
  await expect(page).toHaveTitle(`${title} · Buurtkracht`);
  await expect(main.locator('.grievance-text')).toHaveText(text);
  await page.getByLabel('Schrijf een reactie').fill(commentText);
  await page.getByRole('button', { name: 'Reactie plaatsen' }).click();
  await expect(page.locator('.comment-text')).toHaveText(commentText);
  const injected = 'main img:not(.leaflet-tile), main script, main b, main i, main iframe, main a[href^="javascript"], main svg:not(.leaflet-attribution-flag):not(.leaflet-zoom-animated)';
  await expect(page.locator(injected)).toHaveCount(0);

  // In the list and in the popup on the map, too.
  await page.goto('/buurt/transvaal/meldingen?theme=other&order=newest&view=map');
  await expect(page.getByRole('link', { name: title })).toBeVisible();
  const map = page.getByRole('region', { name: 'Kaart met meldingen' });
  const pin = map.getByRole('button', { name: title });
  await pin.click();
  await expect(map.locator('.leaflet-popup').getByRole('link', { name: title })).toBeVisible();
  await expect(page.locator(injected)).toHaveCount(0);
  await expectNoSeriousA11yViolations(page);

  expect(dialogs).toEqual([]);
});
