import { expect, test } from '@playwright/test';
import { auditServer } from 'graphql-http';

/**
 * The GraphQL-over-HTTP conformance audit of the `graphql-http` package against the real
 * server: every MUST and SHOULD passes, no warnings. Notices (MAY) are reported.
 */
test('the API passes the graphql-http audit without warnings', async ({ baseURL }) => {
  const results = await auditServer({ url: `${baseURL}/graphql` });
  const count = (status: string) => results.filter((r) => r.status === status).length;
  console.log(
    `graphql-http audit: ${count('ok')} ok, ${count('warn')} warnings, ${count('notice')} notices, ${count('error')} errors`,
  );
  for (const r of results.filter((r) => r.status !== 'ok')) console.log(`  ${r.status}: ${r.name}: ${'reason' in r ? r.reason : ''}`);
  const failing = results.filter((r) => r.status === 'error' || r.status === 'warn').map((r) => `${r.status}: ${r.name}`);
  expect(failing).toEqual([]);
  expect(count('ok')).toBeGreaterThan(40);
});
