import type { Messages } from './messages';

/** English texts. Must have exactly the keys (and arguments) of the Dutch ones. */
export const en: Messages = {
  'app.name': 'Buurtkracht',
  'app.pageTitle': (page: string) => `${page} · Buurtkracht`,
  'layout.skipLink': 'Skip to content',
  'layout.mainNav': 'Main menu',
  'layout.footer': 'Together we make the neighbourhood stronger.',
  'language.switchLabel': 'Choose your language',

  'nav.neighbourhoods': 'Neighbourhoods',

  'home.title': 'Neighbourhoods',
  'home.intro': 'Choose your neighbourhood. Then you can see what is going on and who helps.',
  'home.count': (count: number) =>
    count === 1 ? 'There is 1 neighbourhood.' : `There are ${count} neighbourhoods.`,
  'home.empty': 'There are no neighbourhoods yet.',
  'home.showMore': 'Show more neighbourhoods',
  'home.loadingMore': 'Loading more neighbourhoods…',

  'neighbourhood.members': (count: number) =>
    count === 1 ? '1 person takes part' : `${count} people take part`,
  'neighbourhood.noDescription': 'Nothing has been written about this neighbourhood yet.',
  'neighbourhood.organisersTitle': 'Community workers',
  'neighbourhood.organisersIntro': 'Community workers help residents to do things together in the neighbourhood.',
  'neighbourhood.noOrganisers': 'This neighbourhood has no community worker yet.',
  'neighbourhood.back': 'Back to all neighbourhoods',
  'neighbourhood.loadingTitle': 'Neighbourhood',

  'neighbourhoodNotFound.title': 'We do not know this neighbourhood',
  'neighbourhoodNotFound.text': 'Maybe the link is old, or it has a mistake in it. Choose your neighbourhood from the list.',

  'notFound.title': 'This page does not exist',
  'notFound.text': 'Maybe the link is old, or it has a mistake in it.',
  'notFound.home': 'Go to the home page',

  'status.loading': 'One moment. We are getting the information…',

  'error.title': 'Something went wrong',
  'error.retry': 'Try again',
  'error.NETWORK': 'We cannot reach the server right now. Are you online? Please try again in a moment.',
  'error.UNAUTHENTICATED': 'You are not signed in, or you were away for too long. Please sign in again.',
  'error.FORBIDDEN': 'You are not allowed to see or do this.',
  'error.NOT_FOUND': 'We cannot find this.',
  'error.VALIDATION': 'Something is not right. Please look again at what you filled in:',
  'error.CONFLICT': 'This did not work, because somebody else just changed it.',
  'error.RATE_LIMITED': 'You did this too many times in a row. Please wait a moment and try again.',
  'error.INTERNAL': 'Something went wrong on our side. It is not your fault. Please try again later.',
};
