import type { GrievanceFilter, GrievanceOrder, GrievanceStatus } from '../../generated/graphql';

/**
 * What the list of grievances shows: filters, order and list or map. It lives in the
 * query string (`?theme=housing&theme=traffic&status=open&order=newest&view=map`), so a
 * link shows the same list. Defaults are left out, so the plain address is the default list.
 * Kept free of browser APIs so it can be tested on its own.
 */
export interface ListState {
  /** Theme keys, sorted; empty means every theme. */
  readonly themes: readonly string[];
  /** One status, or null for the server's default (everything except merged). */
  readonly status: GrievanceStatus | null;
  readonly order: GrievanceOrder;
  readonly view: 'list' | 'map';
}

export const DEFAULT_LIST_STATE: ListState = { themes: [], status: null, order: 'TOP', view: 'list' };

/** The statuses a person can filter on; merged grievances live on in the one they were merged into. */
export const FILTER_STATUSES = ['OPEN', 'ACKNOWLEDGED', 'IN_CAMPAIGN', 'RESOLVED', 'CLOSED'] as const satisfies readonly GrievanceStatus[];

export const ORDERS = ['TOP', 'NEWEST', 'NEAREST'] as const satisfies readonly GrievanceOrder[];

const THEME_KEY = /^[a-z0-9][a-z0-9_-]{0,59}$/;

function isFilterStatus(value: string): value is (typeof FILTER_STATUSES)[number] {
  return (FILTER_STATUSES as readonly string[]).includes(value);
}

function isOrder(value: string): value is (typeof ORDERS)[number] {
  return (ORDERS as readonly string[]).includes(value);
}

/** Read the list state from a query string such as `?theme=housing&order=newest`; unknown values are ignored. */
export function parseListQuery(search: string): ListState {
  const params = new URLSearchParams(search);
  const themes = [
    ...new Set(
      params
        .getAll('theme')
        .flatMap((value) => value.split(','))
        .map((value) => value.trim().toLowerCase())
        .filter((value) => THEME_KEY.test(value)),
    ),
  ].sort();
  const status = (params.get('status') ?? '').trim().toUpperCase();
  const order = (params.get('order') ?? '').trim().toUpperCase();
  const view = (params.get('view') ?? '').trim().toLowerCase();
  return {
    themes,
    status: isFilterStatus(status) ? status : null,
    order: isOrder(order) ? order : DEFAULT_LIST_STATE.order,
    view: view === 'map' ? 'map' : 'list',
  };
}

/** The query string for a list state, with a leading `?`, or `''` for the default list. */
export function listQueryString(state: ListState): string {
  const params = new URLSearchParams();
  for (const theme of [...new Set(state.themes)].sort()) params.append('theme', theme);
  if (state.status !== null) params.set('status', state.status.toLowerCase());
  if (state.order !== DEFAULT_LIST_STATE.order) params.set('order', state.order.toLowerCase());
  if (state.view !== DEFAULT_LIST_STATE.view) params.set('view', state.view);
  const query = params.toString();
  return query === '' ? '' : `?${query}`;
}

/** Turn a theme on or off. */
export function toggleTheme(state: ListState, key: string, on: boolean): ListState {
  const themes = new Set(state.themes);
  if (on) themes.add(key);
  else themes.delete(key);
  return { ...state, themes: [...themes].sort() };
}

/** Only the theme keys the server knows, so an old link with a removed theme still works. */
export function knownThemes(state: ListState, keys: readonly string[]): ListState {
  const themes = state.themes.filter((theme) => keys.includes(theme));
  return themes.length === state.themes.length ? state : { ...state, themes };
}

export interface Point {
  readonly lat: number;
  readonly lon: number;
}

/** The filter for the `grievances` query; `near` is needed for NEAREST and only sent then. */
export function filterFor(state: ListState, near: Point | null): GrievanceFilter {
  const filter: GrievanceFilter = {};
  if (state.themes.length > 0) filter.themes = [...state.themes];
  if (state.status !== null) filter.statuses = [state.status];
  if (state.order === 'NEAREST' && near !== null) filter.near = { lat: near.lat, lon: near.lon };
  return filter;
}
