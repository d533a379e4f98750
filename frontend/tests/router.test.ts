import { describe, expect, it } from 'vitest';
import { matchRoute, pathFor, shouldInterceptClick, type ClickInfo, type LinkInfo } from '../src/lib/router/routes';

describe('matchRoute', () => {
  it('finds the home page', () => {
    expect(matchRoute('/')).toEqual({ name: 'home' });
    expect(matchRoute('')).toEqual({ name: 'home' });
  });

  it('finds a neighbourhood by its slug, with or without a trailing slash', () => {
    expect(matchRoute('/buurt/transvaal')).toEqual({ name: 'neighbourhood', slug: 'transvaal' });
    expect(matchRoute('/buurt/oude-westen/')).toEqual({ name: 'neighbourhood', slug: 'oude-westen' });
  });

  it('decodes the slug', () => {
    expect(matchRoute('/buurt/caf%C3%A9')).toEqual({ name: 'neighbourhood', slug: 'café' });
  });

  it('sends everything else to the not-found page', () => {
    for (const path of ['/buurt', '/buurt/', '/buurt/a/b', '/onbekend', '/Buurt/transvaal', '/buurt/%E0%A4%A', '/buurt/%20']) {
      expect(matchRoute(path), path).toEqual({ name: 'notFound' });
    }
  });

  it('finds the account pages; /sign-in is where sign-in e-mails link to', () => {
    expect(matchRoute('/sign-in')).toEqual({ name: 'signIn' });
    expect(matchRoute('/sign-up/')).toEqual({ name: 'signUp' });
    expect(matchRoute('/check-your-mail')).toEqual({ name: 'checkMail' });
    expect(matchRoute('/profile')).toEqual({ name: 'profile' });
    expect(matchRoute('/profile/delete')).toEqual({ name: 'deleteAccount' });
    expect(matchRoute('/my-neighbourhoods')).toEqual({ name: 'myNeighbourhoods' });
    expect(matchRoute('/profile/other')).toEqual({ name: 'notFound' });
    for (const name of ['signIn', 'signUp', 'checkMail', 'profile', 'deleteAccount', 'myNeighbourhoods'] as const) {
      expect(matchRoute(pathFor({ name }))).toEqual({ name });
    }
  });

  it('finds the grievance pages', () => {
    expect(matchRoute('/buurt/transvaal/signalen')).toEqual({ name: 'grievances', slug: 'transvaal' });
    expect(matchRoute('/buurt/transvaal/signalen/')).toEqual({ name: 'grievances', slug: 'transvaal' });
    expect(matchRoute('/buurt/transvaal/signalen/nieuw')).toEqual({ name: 'raiseGrievance', slug: 'transvaal' });
    expect(matchRoute('/signalen/R3JpZXZhbmNlOjE%3D')).toEqual({ name: 'grievance', id: 'R3JpZXZhbmNlOjE=' });
    // "meldingen" is the word residents use; "signalen" stays for links in older e-mails.
    expect(matchRoute('/meldingen/R3JpZXZhbmNlOjE')).toEqual({ name: 'grievance', id: 'R3JpZXZhbmNlOjE' });
    expect(matchRoute('/buurt/transvaal/meldingen/nieuw')).toEqual({ name: 'raiseGrievance', slug: 'transvaal' });
    expect(matchRoute('/bevestig')).toEqual({ name: 'confirm' });
    expect(matchRoute('/reageren')).toEqual({ name: 'needsResponse' });
    for (const path of ['/signalen', '/signalen/a/b', '/buurt/transvaal/signalen/oud', '/buurt/transvaal/nieuw', '/signalen/%20']) {
      expect(matchRoute(path), path).toEqual({ name: 'notFound' });
    }
  });

  it('builds grievance paths that match again, with the opaque id encoded', () => {
    for (const id of ['R3JpZXZhbmNlOjE=', 'a/b+c', 'grievance:12']) {
      const path = pathFor({ name: 'grievance', id });
      expect(path.split('/')).toHaveLength(3);
      expect(matchRoute(path)).toEqual({ name: 'grievance', id });
    }
    expect(pathFor({ name: 'grievances', slug: 'transvaal' })).toBe('/buurt/transvaal/meldingen');
    expect(pathFor({ name: 'raiseGrievance', slug: 'transvaal' })).toBe('/buurt/transvaal/meldingen/nieuw');
  });

  it('builds paths that match again', () => {
    expect(pathFor({ name: 'home' })).toBe('/');
    for (const slug of ['transvaal', 'indische-buurt', 'café', 'a/b']) {
      const path = pathFor({ name: 'neighbourhood', slug });
      expect(matchRoute(path)).toEqual({ name: 'neighbourhood', slug });
    }
  });
});

describe('shouldInterceptClick', () => {
  const current = new URL('https://buurtkracht.example/buurt/transvaal');
  const click: ClickInfo = { button: 0, defaultPrevented: false, metaKey: false, ctrlKey: false, shiftKey: false, altKey: false };

  function link(href: string, attributes: Record<string, string> = {}): LinkInfo {
    return {
      href: new URL(href, current).href,
      target: attributes['target'] ?? '',
      hasAttribute: (name) => name in attributes,
      getAttribute: (name) => attributes[name] ?? null,
    };
  }

  it('handles plain clicks on links inside the app', () => {
    expect(shouldInterceptClick(click, link('/'), current)).toBe(true);
    expect(shouldInterceptClick(click, link('/buurt/oude-westen'), current)).toBe(true);
    expect(shouldInterceptClick(click, link('/buurt/oude-westen', { target: '_self' }), current)).toBe(true);
  });

  it('leaves new tabs, other buttons and handled clicks to the browser', () => {
    for (const modifier of ['metaKey', 'ctrlKey', 'shiftKey', 'altKey'] as const) {
      expect(shouldInterceptClick({ ...click, [modifier]: true }, link('/'), current), modifier).toBe(false);
    }
    expect(shouldInterceptClick({ ...click, button: 1 }, link('/'), current)).toBe(false);
    expect(shouldInterceptClick({ ...click, defaultPrevented: true }, link('/'), current)).toBe(false);
    expect(shouldInterceptClick(click, link('/', { target: '_blank' }), current)).toBe(false);
  });

  it('leaves other sites, downloads and server pages to the browser', () => {
    expect(shouldInterceptClick(click, link('https://example.org/'), current)).toBe(false);
    expect(shouldInterceptClick(click, link('mailto:info@example.org'), current)).toBe(false);
    expect(shouldInterceptClick(click, link('/export.csv', { download: '' }), current)).toBe(false);
    expect(shouldInterceptClick(click, link('/over', { rel: 'noopener external' }), current)).toBe(false);
    expect(shouldInterceptClick(click, link('/graphiql'), current)).toBe(false);
    expect(shouldInterceptClick(click, link('/graphql'), current)).toBe(false);
  });

  it('leaves jumps within the page, such as the skip link, to the browser', () => {
    expect(shouldInterceptClick(click, link('#main'), current)).toBe(false);
    expect(shouldInterceptClick(click, link('/#main'), current)).toBe(true);
  });
});

describe('return paths', () => {
  it('keeps pages of the app and refuses other sites and server paths', async () => {
    const { safeReturnPath, withReturn } = await import('../src/lib/router/returnPath');
    for (const ok of ['/', '/buurt/transvaal', '/meldingen/abc?x=1']) expect(safeReturnPath(ok)).toBe(ok);
    for (const bad of ['https://evil.example/', '//evil.example', '/\\evil', 'javascript:alert(1)', '/graphql', '/api/x', '/auth/refresh', '/a b', '']) {
      expect(safeReturnPath(bad)).toBeNull();
    }
    expect(withReturn('/sign-in', '/buurt/transvaal')).toBe('/sign-in?terug=%2Fbuurt%2Ftransvaal');
    expect(withReturn('/sign-in', '/sign-in?token=x')).toBe('/sign-in');
    expect(withReturn('/sign-in', '//evil.example')).toBe('/sign-in');
    expect(withReturn('/sign-in', '/')).toBe('/sign-in');
  });
});
