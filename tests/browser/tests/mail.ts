import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from '@playwright/test';

/** Where the test server writes its e-mails (see playwright.config.ts). */
export function outboxDir(): string {
  const dir = process.env['BROWSER_TEST_TMPDIR'];
  if (!dir) throw new Error('BROWSER_TEST_TMPDIR is not set: run the tests with playwright.config.ts.');
  return join(dir, 'data/outbox');
}

/** Undo quoted-printable: soft line breaks (`=` at the end of a line) and `=XX` bytes. */
export function decodeQuotedPrintable(text: string): string {
  const joined = text.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < joined.length; i += 1) {
    const hex = joined.slice(i + 1, i + 3);
    if (joined[i] === '=' && /^[0-9A-F]{2}$/i.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(joined[i] ?? '', 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

interface Mail {
  readonly file: string;
  readonly to: string;
  readonly subject: string;
  readonly body: string;
}

function readMails(): Mail[] {
  let names: string[];
  try {
    names = readdirSync(outboxDir()).filter((name) => name.endsWith('.eml'));
  } catch {
    return [];
  }
  return names
    .map((name) => join(outboxDir(), name))
    .sort((a, b) => statSync(a).mtimeMs - statSync(b).mtimeMs || a.localeCompare(b))
    .map((file) => {
      const raw = readFileSync(file, 'utf8');
      const header = raw.split(/\r?\n\r?\n/, 1)[0] ?? '';
      return {
        file,
        to: /^To: *(.*)$/im.exec(header)?.[1]?.trim() ?? '',
        subject: /^Subject: *(.*)$/im.exec(header)?.[1]?.trim() ?? '',
        body: decodeQuotedPrintable(raw),
      };
    });
}

/** The newest e-mail to this address; waits for the server to write it. */
export async function newestMailTo(address: string, after: readonly string[] = []): Promise<Mail> {
  let found: Mail | undefined;
  await expect
    .poll(
      () => {
        found = readMails()
          .filter((mail) => mail.to.toLowerCase().includes(address.toLowerCase()) && !after.includes(mail.file))
          .at(-1);
        return found !== undefined;
      },
      { message: `an e-mail to ${address}`, timeout: 10_000 },
    )
    .toBe(true);
  return found as Mail;
}

/** The files of all e-mails to this address so far. */
export function mailFilesTo(address: string): string[] {
  return readMails()
    .filter((mail) => mail.to.toLowerCase().includes(address.toLowerCase()))
    .map((mail) => mail.file);
}

/** The sign-in link in the newest e-mail to this address. */
export async function signInLinkFor(address: string, after: readonly string[] = []): Promise<string> {
  const mail = await newestMailTo(address, after);
  const match = /https?:\/\/[^\s"<>]+\/sign-in\?token=[A-Za-z0-9_-]+/.exec(mail.body);
  if (!match) throw new Error(`no sign-in link in ${mail.file}`);
  return match[0];
}

let counter = 0;

/** A new address for each test: sign-in links are rate limited per address. */
export function freshEmail(label: string): string {
  counter += 1;
  return `${label}.${Date.now().toString(36)}${counter}@example.org`;
}
