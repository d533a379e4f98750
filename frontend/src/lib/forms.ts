import { tick } from 'svelte';
import { ApiError } from './graphql/client';
import { i18n } from './i18n/i18n.svelte';

/** The server's message about one input field, if the error has one. */
export function fieldMessage(error: unknown, field: string): string | undefined {
  if (!(error instanceof ApiError)) return undefined;
  return error.fields.find((problem) => problem.field === field)?.message;
}

/**
 * After a failed submit: put the focus on the error summary (it lists and links every problem),
 * or else on the first field with a problem, so it is read out.
 */
export async function focusFirstProblem(form: HTMLFormElement | undefined): Promise<void> {
  await tick();
  const summary = form?.querySelector<HTMLElement>('.error-summary');
  if (summary) {
    summary.focus();
    return;
  }
  const invalid = form?.querySelector<HTMLElement>('[aria-invalid="true"]');
  invalid?.focus();
}

/** The name and address a visitor gives next to an action (act first, confirm by e-mail). */
export interface ContactValues {
  displayName: string;
  email: string;
}

/** The API's `ContactInput` for these values, in the interface's language. */
export function contactInput(values: ContactValues): { displayName: string; email: string; language: 'NL' | 'EN' } {
  return { displayName: values.displayName.trim(), email: values.email.trim(), language: i18n.locale === 'en' ? 'EN' : 'NL' };
}
