/** The pages of the app. Kept free of browser APIs so it can be tested on its own. */
export type Route =
  | { readonly name: 'home' }
  | { readonly name: 'neighbourhood'; readonly slug: string }
  | { readonly name: 'grievances'; readonly slug: string }
  | { readonly name: 'raiseGrievance'; readonly slug: string }
  | { readonly name: 'grievance'; readonly id: string }
  | { readonly name: 'campaigns'; readonly slug: string }
  | { readonly name: 'campaign'; readonly id: string }
  | { readonly name: 'startCampaign'; readonly grievanceId: string }
  | { readonly name: 'signUp' }
  | { readonly name: 'signIn' }
  | { readonly name: 'checkMail' }
  | { readonly name: 'profile' }
  | { readonly name: 'myNeighbourhoods' }
  | { readonly name: 'deleteAccount' }
  | { readonly name: 'confirm' }
  | { readonly name: 'needsResponse' }
  | { readonly name: 'notFound' };

/** Pages with a fixed path. `/sign-in` is also where the links in sign-in e-mails point. */
const FIXED_PATHS = {
  signUp: '/sign-up',
  signIn: '/sign-in',
  checkMail: '/check-your-mail',
  profile: '/profile',
  myNeighbourhoods: '/my-neighbourhoods',
  deleteAccount: '/profile/delete',
  /** Where the links in confirmation e-mails of pending actions point (`?token=…`). */
  confirm: '/bevestig',
  /** The organiser's first screen: new grievances that wait for a response. */
  needsResponse: '/reageren',
} as const;

type FixedRouteName = keyof typeof FIXED_PATHS;

/**
 * Find the page for a path such as `/buurt/transvaal`. Anything unknown is `notFound`.
 * Grievances ("meldingen"): `/buurt/<slug>/meldingen`, `/buurt/<slug>/meldingen/nieuw`, `/meldingen/<id>`.
 * The older `signalen` paths still work, so links in earlier e-mails keep working.
 * Campaigns ("acties"): `/buurt/<slug>/acties`, `/acties/<id>` (the link in invitation e-mails)
 * and `/meldingen/<id>/actie-starten` (start one from a grievance).
 */
export function matchRoute(pathname: string): Route {
  const segments = pathname.split('/').filter((segment) => segment !== '');
  const decoded: string[] = [];
  for (const segment of segments) {
    try {
      decoded.push(decodeURIComponent(segment));
    } catch {
      return { name: 'notFound' };
    }
  }
  if (decoded.length === 0) return { name: 'home' };
  const joined = `/${decoded.join('/')}`;
  for (const name of Object.keys(FIXED_PATHS) as FixedRouteName[]) {
    if (FIXED_PATHS[name] === joined) return { name };
  }
  const [first, second, third, fourth] = decoded;
  const hasSecond = second !== undefined && second.trim() !== '';
  const isGrievances = (segment: string | undefined): boolean => segment === 'meldingen' || segment === 'signalen';
  if (first === 'buurt' && hasSecond) {
    if (decoded.length === 2) return { name: 'neighbourhood', slug: second };
    if (decoded.length === 3 && isGrievances(third)) return { name: 'grievances', slug: second };
    if (decoded.length === 4 && isGrievances(third) && fourth === 'nieuw') return { name: 'raiseGrievance', slug: second };
    if (decoded.length === 3 && third === 'acties') return { name: 'campaigns', slug: second };
  }
  if (decoded.length === 2 && isGrievances(first) && hasSecond) {
    return { name: 'grievance', id: second };
  }
  if (decoded.length === 3 && isGrievances(first) && hasSecond && third === 'actie-starten') {
    return { name: 'startCampaign', grievanceId: second };
  }
  if (decoded.length === 2 && first === 'acties' && hasSecond) {
    return { name: 'campaign', id: second };
  }
  return { name: 'notFound' };
}

/** The path of a page; the inverse of `matchRoute`. */
export function pathFor(route: Exclude<Route, { name: 'notFound' }>): string {
  switch (route.name) {
    case 'home':
      return '/';
    case 'neighbourhood':
      return `/buurt/${encodeURIComponent(route.slug)}`;
    case 'grievances':
      return `/buurt/${encodeURIComponent(route.slug)}/meldingen`;
    case 'raiseGrievance':
      return `/buurt/${encodeURIComponent(route.slug)}/meldingen/nieuw`;
    case 'grievance':
      return `/meldingen/${encodeURIComponent(route.id)}`;
    case 'campaigns':
      return `/buurt/${encodeURIComponent(route.slug)}/acties`;
    case 'campaign':
      return `/acties/${encodeURIComponent(route.id)}`;
    case 'startCampaign':
      return `/meldingen/${encodeURIComponent(route.grievanceId)}/actie-starten`;
    default:
      return FIXED_PATHS[route.name];
  }
}

/** What `shouldInterceptClick` needs to know about a click; a subset of `MouseEvent`. */
export interface ClickInfo {
  readonly button: number;
  readonly defaultPrevented: boolean;
  readonly metaKey: boolean;
  readonly ctrlKey: boolean;
  readonly shiftKey: boolean;
  readonly altKey: boolean;
}

/** What `shouldInterceptClick` needs to know about a link; a subset of `HTMLAnchorElement`. */
export interface LinkInfo {
  readonly href: string;
  readonly target: string;
  hasAttribute(name: string): boolean;
  getAttribute(name: string): string | null;
}

/**
 * Whether a click on a link should be handled by the router instead of the
 * browser: only plain left clicks on links to this app. New tabs, downloads,
 * other sites and jumps within the page (such as the skip link) stay with the browser.
 */
export function shouldInterceptClick(click: ClickInfo, link: LinkInfo, current: URL): boolean {
  if (click.defaultPrevented || click.button !== 0) return false;
  if (click.metaKey || click.ctrlKey || click.shiftKey || click.altKey) return false;
  if (link.target !== '' && link.target !== '_self') return false;
  if (link.hasAttribute('download')) return false;
  if ((link.getAttribute('rel') ?? '').split(/\s+/).includes('external')) return false;
  let url: URL;
  try {
    url = new URL(link.href, current);
  } catch {
    return false;
  }
  if (url.origin !== current.origin) return false;
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  // Server-side pages that are not part of the app.
  if (/^\/(graphql|graphiql|healthz|readyz)(\/|$)/.test(url.pathname)) return false;
  const samePage = url.pathname === current.pathname && url.search === current.search;
  if (samePage && url.hash !== '') return false;
  return true;
}
