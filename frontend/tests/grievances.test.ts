import { describe, expect, it } from 'vitest';
import { mergeComments } from '../src/features/grievances/comments';
import {
  DEFAULT_LIST_STATE,
  filterFor,
  knownThemes,
  listQueryString,
  parseListQuery,
  toggleTheme,
  type ListState,
} from '../src/features/grievances/listQuery';
import { foldForSearch, mergeCandidates } from '../src/features/grievances/merge';

describe('the list state in the address', () => {
  it('is the default list for an empty query string', () => {
    expect(parseListQuery('')).toEqual(DEFAULT_LIST_STATE);
    expect(parseListQuery('?')).toEqual(DEFAULT_LIST_STATE);
    expect(listQueryString(DEFAULT_LIST_STATE)).toBe('');
  });

  it('reads themes, status, order and view', () => {
    expect(parseListQuery('?theme=traffic&theme=housing&status=acknowledged&order=newest&view=map')).toEqual({
      themes: ['housing', 'traffic'],
      status: 'ACKNOWLEDGED',
      order: 'NEWEST',
      view: 'map',
    });
  });

  it('also takes themes separated by commas, without doubles', () => {
    expect(parseListQuery('?theme=youth,housing&theme=youth').themes).toEqual(['housing', 'youth']);
  });

  it('ignores values it does not know, and merged as a status', () => {
    expect(parseListQuery('?status=merged&order=random&view=satellite&theme=%3Cscript%3E')).toEqual(DEFAULT_LIST_STATE);
    expect(parseListQuery('?status=in_campaign').status).toBe('IN_CAMPAIGN');
    expect(parseListQuery('?order=NEAREST').order).toBe('NEAREST');
  });

  it('writes only what differs from the default, in a stable order', () => {
    const state: ListState = { themes: ['traffic', 'housing'], status: 'OPEN', order: 'TOP', view: 'list' };
    expect(listQueryString(state)).toBe('?theme=housing&theme=traffic&status=open');
    expect(listQueryString({ ...DEFAULT_LIST_STATE, order: 'NEAREST', view: 'map' })).toBe('?order=nearest&view=map');
  });

  it('reads back what it writes', () => {
    const states: ListState[] = [
      DEFAULT_LIST_STATE,
      { themes: ['green-public-space'], status: 'RESOLVED', order: 'NEWEST', view: 'map' },
      { themes: ['housing', 'youth'], status: null, order: 'NEAREST', view: 'list' },
    ];
    for (const state of states) expect(parseListQuery(listQueryString(state))).toEqual(state);
  });

  it('turns themes on and off', () => {
    const on = toggleTheme(DEFAULT_LIST_STATE, 'youth', true);
    expect(on.themes).toEqual(['youth']);
    expect(toggleTheme(toggleTheme(on, 'housing', true), 'youth', false).themes).toEqual(['housing']);
    expect(toggleTheme(on, 'youth', true).themes).toEqual(['youth']);
  });

  it('drops themes the server does not know', () => {
    const state = { ...DEFAULT_LIST_STATE, themes: ['housing', 'gone'] };
    expect(knownThemes(state, ['housing', 'traffic']).themes).toEqual(['housing']);
    expect(knownThemes(state, ['housing', 'gone'])).toBe(state);
  });
});

describe('the filter for the grievances query', () => {
  it('is empty for the default list', () => {
    expect(filterFor(DEFAULT_LIST_STATE, null)).toEqual({});
  });

  it('has themes and the one status', () => {
    expect(filterFor({ ...DEFAULT_LIST_STATE, themes: ['youth'], status: 'OPEN' }, null)).toEqual({
      themes: ['youth'],
      statuses: ['OPEN'],
    });
  });

  it('sends the point only when ordered by distance', () => {
    const point = { lat: 52.0665, lon: 4.2955 };
    expect(filterFor({ ...DEFAULT_LIST_STATE, order: 'NEAREST' }, point)).toEqual({ near: point });
    expect(filterFor({ ...DEFAULT_LIST_STATE, order: 'NEWEST' }, point)).toEqual({});
  });
});

describe('choosing grievances to merge', () => {
  const all = [
    { id: 'a', title: 'Schimmel en vocht in de portiekflats' },
    { id: 'b', title: 'Vocht in de flat aan de Kempstraat' },
    { id: 'c', title: 'Speeltuin kapot' },
    { id: 'd', title: 'Café te luid' },
  ];

  it('never offers the grievance itself', () => {
    expect(mergeCandidates(all, 'a', '').map((c) => c.id)).toEqual(['b', 'c', 'd']);
  });

  it('finds titles with all words, ignoring case and accents', () => {
    expect(mergeCandidates(all, 'c', 'VOCHT').map((c) => c.id)).toEqual(['a', 'b']);
    expect(mergeCandidates(all, 'c', 'vocht kemp').map((c) => c.id)).toEqual(['b']);
    expect(mergeCandidates(all, 'a', 'cafe').map((c) => c.id)).toEqual(['d']);
    expect(foldForSearch('  Café   LUID ')).toBe('cafe luid');
  });

  it('keeps the chosen ones visible while searching', () => {
    expect(mergeCandidates(all, 'a', 'speeltuin', ['d']).map((c) => c.id)).toEqual(['c', 'd']);
  });
});

describe('merging loaded comments', () => {
  const c = (id: string, createdAt: string, text = id) => ({ id, createdAt, text });

  it('replaces comments by their new version and keeps the order oldest first', () => {
    const shown = [c('1', '2026-05-01T10:00:00Z'), c('2', '2026-05-01T11:00:00Z')];
    const fresh = [c('2', '2026-05-01T11:00:00Z', 'edited'), c('3', '2026-05-01T12:00:00Z')];
    expect(mergeComments(fresh, shown)).toEqual([
      c('1', '2026-05-01T10:00:00Z'),
      c('2', '2026-05-01T11:00:00Z', 'edited'),
      c('3', '2026-05-01T12:00:00Z'),
    ]);
  });

  it('puts a new comment last, also when older pages come in later', () => {
    const added = mergeComments([c('9', '2026-05-03T09:00:00Z')], [c('1', '2026-05-01T10:00:00Z')]);
    const more = mergeComments([c('5', '2026-05-02T10:00:00Z')], added);
    expect(more.map((comment) => comment.id)).toEqual(['1', '5', '9']);
  });
});
