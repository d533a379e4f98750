import type { neighbourhoodsNl } from './messages.nl';

/** English texts of the neighbourhoods screens: exactly the keys (and arguments) of the Dutch ones. */
export const neighbourhoodsEn: typeof neighbourhoodsNl = {
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

  'neighbourhood.grievancesTitle': 'Concerns',
  'neighbourhood.grievancesIntro': 'What bothers residents in the neighbourhood? Read it, say "me too", or report something yourself.',
  'neighbourhood.grievancesLink': (count: number) => (count === 1 ? 'See the concern' : `See all ${count} concerns`),
};
