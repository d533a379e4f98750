import { untrack } from 'svelte';
import { GrievanceSetupDocument, type GrievanceSetupQuery } from '../../generated/graphql';
import { api } from '../../lib/graphql/api';
import { i18n } from '../../lib/i18n/i18n.svelte';

/** The neighbourhood, the themes and the map settings, as they load. */
export type SetupState =
  | { readonly status: 'loading' }
  | { readonly status: 'ready'; readonly data: GrievanceSetupQuery }
  | { readonly status: 'error'; readonly error: unknown };

/**
 * Load what the grievance pages of a neighbourhood need (`GrievanceSetup`) for `slug()`,
 * again when the slug or the interface's language changes (theme names come in that
 * language; the page keeps showing the old names while the new ones load). Call it while a
 * component is being set up.
 */
export function grievanceSetup(slug: () => string): { readonly state: SetupState; retry(): void } {
  let state = $state<SetupState>({ status: 'loading' });
  let attempt = $state(0);

  $effect(() => {
    const variables = { slug: slug() };
    void attempt;
    void i18n.locale;
    const ac = new AbortController();
    if (untrack(() => state.status !== 'ready')) state = { status: 'loading' };
    untrack(() => api.request(GrievanceSetupDocument, variables, { signal: ac.signal }))
      .then((data) => {
        state = { status: 'ready', data };
      })
      .catch((error: unknown) => {
        if (!ac.signal.aborted) state = { status: 'error', error };
      });
    return () => ac.abort();
  });

  return {
    get state() {
      return state;
    },
    retry() {
      attempt += 1;
    },
  };
}
