import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from '@playwright/test';

/*
 * The browser tests drive the real backend: it is started here, in a fresh
 * temporary directory with a fresh SQLite database filled by `seed-demo`,
 * serving the built web app from frontend/dist.
 *
 *   BUURTKRACHT_BIN    the backend binary (default: <repo>/target/debug/buurtkracht)
 *   BROWSER_TEST_WEB   'folder' (default): serve frontend/dist through BUURTKRACHT_WEB_DIR;
 *                      'embedded': serve the web app embedded in a release binary, started in
 *                      the temporary directory with no web folder in sight (the single binary)
 *   BROWSER_TEST_PORT  the port to listen on (default: 18080)
 *   CHROMIUM_PATH      the browser (default: /usr/bin/chromium); Playwright never downloads one
 *
 * The server has no SMTP server: it writes every e-mail as an .eml file into
 * <BROWSER_TEST_TMPDIR>/data/outbox (see tests/mail.ts), with links to baseURL.
 */
const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const bin = resolve(process.env['BUURTKRACHT_BIN'] ?? join(repo, 'target/debug/buurtkracht'));
const webDir = join(repo, 'frontend/dist');
const embedded = process.env['BROWSER_TEST_WEB'] === 'embedded';
const port = Number(process.env['BROWSER_TEST_PORT'] ?? '18080');
const baseURL = `http://127.0.0.1:${port}`;

// The config is loaded again in each worker process; they inherit this variable,
// so there is one temporary directory per run. global-teardown.ts removes it.
process.env['BROWSER_TEST_TMPDIR'] ??= mkdtempSync(join(tmpdir(), 'buurtkracht-browser-'));
const workDir = process.env['BROWSER_TEST_TMPDIR'];

const quote = (value: string): string => `'${value.replaceAll("'", `'\\''`)}'`;

export default defineConfig({
  testDir: './tests',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env['CI'],
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['html', { open: 'never', outputFolder: 'playwright-report' }]],
  outputDir: 'test-results',
  globalTeardown: './global-teardown.ts',
  use: {
    baseURL,
    headless: true,
    locale: 'nl-NL',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  projects: [{ name: 'chromium' }],
  webServer: {
    command: [
      embedded
        ? 'true'
        : `test -f ${quote(join(webDir, 'index.html'))} || { echo 'No frontend/dist: run "npm run build" in frontend/ first.' >&2; exit 1; }`,
      `${quote(bin)} seed-demo && exec ${quote(bin)} serve`,
    ].join('; '),
    cwd: workDir,
    env: {
      DATABASE_URL: `sqlite://${workDir}/test.sqlite3`,
      BUURTKRACHT_LISTEN: `127.0.0.1:${port}`,
      ...(embedded ? {} : { BUURTKRACHT_WEB_DIR: webDir }),
      BUURTKRACHT_PUBLIC_URL: baseURL,
      BUURTKRACHT_OUTBOX_DIR: join(workDir, 'data/outbox'),
      // The whole suite comes from one address: more link mails than one person asks for.
      BUURTKRACHT_LINKS_PER_IP_HOUR: '500',
      // Every browser of the suite shares one address; the budget has tests of its own.
      BUURTKRACHT_COST_PER_MINUTE: '100000000',
      // Only warnings and errors of the server in the test output.
      BUURTKRACHT_LOG: process.env['BUURTKRACHT_LOG'] ?? 'warn',
    },
    url: `${baseURL}/readyz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'pipe',
    stderr: 'pipe',
  },
});
