import { expect, type APIRequestContext, type Page } from '@playwright/test';

/**
 * Setting up data through the GraphQL API, so a test only clicks through what it is about.
 * Demo people sign in with their password: sign-in links are rate limited per IP address,
 * and the whole suite shares one.
 */

/** The password of every demo account of `buurtkracht seed-demo`. */
export const DEMO_PASSWORD = 'demo-buurtkracht-2026';

/** Demo people of `buurtkracht seed-demo`. */
export const DEMO = {
  fatima: { email: 'fatima.elamrani@demo.buurtkracht.nl', displayName: 'Fatima el Amrani' },
  kees: { email: 'kees.vandijk@demo.buurtkracht.nl', displayName: 'Kees van Dijk' },
  samira: { email: 'samira.bouzid@demo.buurtkracht.nl', displayName: 'Samira Bouzid' },
  priya: { email: 'priya.ramdin@demo.buurtkracht.nl', displayName: 'Priya Ramdin' },
  joost: { email: 'joost.degraaf@demo.buurtkracht.nl', displayName: 'Joost de Graaf' },
} as const;

/** The demo grievances in Transvaal. */
export const DEMO_GRIEVANCES = {
  mould: 'Schimmel en vocht in de portiekflats',
  speeding: "Auto's rijden veel te hard door de Kempstraat",
  playground: 'Speeltuin op het Hobbemaplein is al maanden kapot',
  homework: 'Geen rustige plek om huiswerk te maken',
} as const;

/** Run one GraphQL operation; fails the test on GraphQL errors. */
export async function gql<T>(
  request: APIRequestContext,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<T> {
  const response = await request.post('/graphql', {
    data: { query, variables },
    headers: token ? { Authorization: `Bearer ${token}` } : {},
  });
  expect(response.ok(), await response.text()).toBe(true);
  const body = (await response.json()) as { data?: T; errors?: unknown[] };
  expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
  return body.data as T;
}

/** An access token for a demo person. */
export async function apiSignIn(request: APIRequestContext, email: string): Promise<string> {
  const data = await gql<{ signInWithPassword: { accessToken: string } }>(
    request,
    'mutation ($input: SignInWithPasswordInput!) { signInWithPassword(input: $input) { accessToken } }',
    { input: { email, password: DEMO_PASSWORD } },
  );
  return data.signInWithPassword.accessToken;
}

export async function neighbourhoodId(request: APIRequestContext, slug: string): Promise<string> {
  const data = await gql<{ neighbourhood: { id: string } }>(request, 'query ($slug: String!) { neighbourhood(slug: $slug) { id } }', {
    slug,
  });
  return data.neighbourhood.id;
}

/** Raise a grievance as the person of `token`; returns its id. */
export async function raiseGrievance(
  request: APIRequestContext,
  token: string,
  input: { neighbourhoodId: string; title: string; text: string; theme: string; showName?: boolean; location?: { lat: number; lon: number } },
): Promise<string> {
  const data = await gql<{ raiseGrievance: { id: string } }>(
    request,
    'mutation ($input: RaiseGrievanceInput!) { raiseGrievance(input: $input) { id } }',
    { input: { showName: true, ...input } },
    token,
  );
  return data.raiseGrievance.id;
}

export async function cosign(request: APIRequestContext, token: string, grievanceId: string): Promise<void> {
  await gql(request, 'mutation ($id: ID!) { cosignGrievance(grievanceId: $id) { id } }', { id: grievanceId }, token);
}

export async function comment(request: APIRequestContext, token: string, grievanceId: string, text: string): Promise<void> {
  await gql(request, 'mutation ($id: ID!, $text: String!) { addComment(grievanceId: $id, text: $text) { id } }', { id: grievanceId, text }, token);
}

/** The path of a grievance's page in the app. */
export function grievancePath(id: string): string {
  return `/meldingen/${encodeURIComponent(id)}`;
}

/** Sign in in the browser with a demo person's password. */
export async function signInWithPassword(page: Page, person: { email: string; displayName: string }): Promise<void> {
  await page.goto('/sign-in');
  const form = page.getByRole('region', { name: 'Inloggen met een wachtwoord' });
  await form.getByLabel('E-mailadres').fill(person.email);
  await form.getByLabel('Wachtwoord').fill(DEMO_PASSWORD);
  await form.getByRole('button', { name: 'Inloggen' }).click();
  await expect(page.getByRole('banner').getByRole('link', { name: person.displayName, exact: true })).toBeVisible();
}

/** The map tiles come from the internet, which the tests do not have: refuse them at once. */
export async function withoutTiles(page: Page): Promise<void> {
  await page.route(/^https?:\/\/(?!127\.0\.0\.1|localhost)/, (route) => route.abort());
}

/*
 * Themes per spec file, so the lists the list tests expect stay as seeded:
 * housing, traffic, youth: only the demo data (grievances-list); safety: grievances-resident;
 * facilities: grievances-organiser; health-care: grievances-author; other: grievances-safety.
 */
