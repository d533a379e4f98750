import { tick } from 'svelte';
import { ApiError } from './graphql/client';

/** The server's message about one input field, if the error has one. */
export function fieldMessage(error: unknown, field: string): string | undefined {
  if (!(error instanceof ApiError)) return undefined;
  return error.fields.find((problem) => problem.field === field)?.message;
}

/** After a failed submit: put the focus on the first field with a problem, so it is read out. */
export async function focusFirstProblem(form: HTMLFormElement | undefined): Promise<void> {
  await tick();
  const invalid = form?.querySelector<HTMLElement>('[aria-invalid="true"]');
  invalid?.focus();
}
