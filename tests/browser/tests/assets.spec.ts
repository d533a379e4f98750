import { expect, test } from '@playwright/test';

/*
 * The web app reaches the browser in its smallest form: brotli, precompressed when the app was
 * built, whether the server reads the files from a folder or from its own binary
 * (BROWSER_TEST_WEB=embedded: the release binary, started where no web folder exists).
 */

const TEXT = /\.(js|css|html)$|\/$|\/buurt\//;

test('the first load is sent in brotli, with Vary, and its size is reported', async ({ page }) => {
  const seen: { url: string; encoding: string | undefined; vary: string | undefined; bytes: number }[] = [];
  page.on('requestfinished', async (request) => {
    const response = await request.response();
    if (!response || new URL(request.url()).pathname === '/graphql') return;
    const sizes = await request.sizes();
    const headers = await response.allHeaders();
    seen.push({
      url: new URL(request.url()).pathname,
      encoding: headers['content-encoding'],
      vary: headers['vary'],
      bytes: sizes.responseBodySize,
    });
  });
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Buurten');
  await page.waitForLoadState('networkidle');

  const text = seen.filter((s) => TEXT.test(s.url));
  expect(text.map((s) => s.url)).toEqual(expect.arrayContaining(['/']));
  expect(text.some((s) => /^\/assets\/main-.*\.js$/.test(s.url))).toBe(true);
  expect(text.some((s) => /^\/assets\/main-.*\.css$/.test(s.url))).toBe(true);
  for (const file of text) {
    expect(file.encoding, file.url).toBe('br');
    expect(file.vary, file.url).toBe('accept-encoding');
  }
  const total = seen.reduce((sum, s) => sum + s.bytes, 0);
  console.log(
    `first load of / (${process.env['BROWSER_TEST_WEB'] ?? 'folder'}): ${total} bytes of files over the wire, ` +
      seen.map((s) => `${s.url} ${s.bytes}${s.encoding ? ` ${s.encoding}` : ''}`).join(', '),
  );
  // The app's first load stays small: about 60 KB in brotli (the script alone was 77 KB in
  // fast gzip before it was precompressed).
  expect(total).toBeLessThan(90_000);
});

test('a browser that accepts only gzip gets gzip -9, and one that accepts nothing the files themselves', async ({
  request,
  baseURL,
}) => {
  const index = await (await request.get(`${baseURL}/`)).text();
  const script = /src="(\/assets\/main-[^"]+\.js)"/.exec(index)?.[1];
  expect(script).toBeTruthy();
  const gzip = await request.get(`${baseURL}${script}`, { headers: { 'accept-encoding': 'gzip' } });
  expect(gzip.headers()['content-encoding']).toBe('gzip');
  expect(gzip.headers()['cache-control']).toBe('public, max-age=31536000, immutable');
  const plain = await request.get(`${baseURL}${script}`, { headers: { 'accept-encoding': 'identity' } });
  expect(plain.headers()['content-encoding'] ?? 'identity').toBe('identity');
  // Playwright decodes gzip: both are the same script.
  expect(await gzip.text()).toBe(await plain.text());
  expect((await plain.body()).length).toBeGreaterThan(100_000);
});
