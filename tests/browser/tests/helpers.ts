import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';
import { signInLinkFor } from './mail';

/** The neighbourhoods that `buurtkracht seed-demo` creates. */
export const DEMO_NEIGHBOURHOODS = [
  { name: 'Transvaal', slug: 'transvaal' },
  { name: 'Oude Westen', slug: 'oude-westen' },
  { name: 'Kanaleneiland', slug: 'kanaleneiland' },
  { name: 'Indische Buurt', slug: 'indische-buurt' },
  { name: 'Schilderswijk', slug: 'schilderswijk' },
] as const;

/** Run axe-core for WCAG 2.2 A and AA and fail on serious or critical violations. */
export async function expectNoSeriousA11yViolations(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
    .analyze();
  const serious = results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => ({
      id: violation.id,
      impact: violation.impact,
      help: violation.help,
      targets: violation.nodes.map((node) => node.target.join(' ')),
    }));
  expect(serious, JSON.stringify(serious, null, 2)).toEqual([]);
}

/** The list of neighbourhoods on the home page, once it has loaded. */
export function neighbourhoodLinks(page: Page) {
  return page.getByRole('main').getByRole('listitem').getByRole('link');
}

/** Create an account through the API and sign in with the link from the e-mail, in the browser. */
export async function signUpAndSignIn(
  page: Page,
  person: { email: string; displayName: string; language?: 'NL' | 'EN' },
): Promise<void> {
  const response = await page.request.post('/graphql', {
    data: {
      query: 'mutation ($input: RegisterInput!) { register(input: $input) }',
      // The link brings the person back to the page asked for: their profile.
      variables: {
        input: { email: person.email, displayName: person.displayName, language: person.language ?? 'NL', returnPath: '/profile' },
      },
    },
  });
  expect(response.ok()).toBe(true);
  await page.goto(await signInLinkFor(person.email));
  await openMenuIfFolded(page);
  await expect(page.getByRole('banner').getByRole('link', { name: person.displayName, exact: true })).toBeVisible();
}

/** On a phone the header's pages, account and language are in a menu: open it. */
export async function openMenuIfFolded(page: Page): Promise<void> {
  await expect(page.getByRole('banner').getByRole('link', { name: 'Buurtkracht' })).toBeVisible();
  const menu = page.getByRole('button', { name: 'Menu' });
  if ((await menu.isVisible()) && (await menu.getAttribute('aria-expanded')) !== 'true') await menu.click();
}
