import { rmSync } from 'node:fs';

/** Remove the temporary directory with the test database (see playwright.config.ts). */
export default function globalTeardown(): void {
  const dir = process.env['BROWSER_TEST_TMPDIR'];
  if (dir && dir.includes('buurtkracht-browser-')) rmSync(dir, { recursive: true, force: true });
}
