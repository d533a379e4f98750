import { matchRoute, shouldInterceptClick, type Route } from './routes';

/** The current location, kept in step with the History API. */
class Navigation {
  path: string = $state(window.location.pathname);
  /** The query string, such as `?token=…` on the sign-in page. */
  search: string = $state(window.location.search);
  route: Route = $derived(matchRoute(this.path));
  /** Counts navigations inside the app, so the layout knows when to move focus. */
  count: number = $state(0);

  /** Go to a path inside the app without reloading the page. */
  navigate(href: string, options: { replace?: boolean } = {}): void {
    const url = new URL(href, window.location.href);
    const target = url.pathname + url.search + url.hash;
    const current = window.location.pathname + window.location.search + window.location.hash;
    if (target !== current) {
      if (options.replace) window.history.replaceState(null, '', target);
      else window.history.pushState(null, '', target);
    }
    this.path = url.pathname;
    this.search = url.search;
    this.count += 1;
    window.scrollTo(0, 0);
  }

  /**
   * Change only the query string of the current page, such as the filters of a list, so the
   * address can be shared. This is not a new page: focus and scroll position stay where they are.
   */
  setSearch(search: string): void {
    const normalized = search === '' || search === '?' ? '' : search.startsWith('?') ? search : `?${search}`;
    if (normalized === this.search) return;
    window.history.replaceState(null, '', this.path + normalized + window.location.hash);
    this.search = normalized;
  }

  /** Listen to link clicks and the back and forward buttons. Returns a function that stops listening. */
  start(): () => void {
    const onClick = (event: MouseEvent): void => {
      const link = event.target instanceof Element ? event.target.closest('a') : null;
      if (!(link instanceof HTMLAnchorElement) || !link.hasAttribute('href')) return;
      if (!shouldInterceptClick(event, link, new URL(window.location.href))) return;
      event.preventDefault();
      this.navigate(link.href);
    };
    const onPopState = (): void => {
      this.path = window.location.pathname;
      this.search = window.location.search;
      this.count += 1;
    };
    document.addEventListener('click', onClick);
    window.addEventListener('popstate', onPopState);
    return () => {
      document.removeEventListener('click', onClick);
      window.removeEventListener('popstate', onPopState);
    };
  }
}

export const navigation = new Navigation();
