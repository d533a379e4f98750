/**
 * Dutch texts: the source of truth for the message keys. Plain language at
 * B1 level: short sentences, everyday words, "je" instead of "u".
 * Messages that need a value are functions, so the types say what they need.
 */
export const nl = {
  'app.name': 'Buurtkracht',
  'app.pageTitle': (page: string) => `${page} · Buurtkracht`,
  'layout.skipLink': 'Naar de inhoud',
  'layout.mainNav': 'Hoofdmenu',
  'layout.footer': 'Samen maken we de buurt sterker.',
  'language.switchLabel': 'Kies je taal',

  'nav.neighbourhoods': 'Buurten',

  'home.title': 'Buurten',
  'home.intro': 'Kies je buurt. Dan zie je wat er gebeurt en wie er helpt.',
  'home.count': (count: number) => (count === 1 ? 'Er is 1 buurt.' : `Er zijn ${count} buurten.`),
  'home.empty': 'Er zijn nog geen buurten.',
  'home.showMore': 'Meer buurten laten zien',
  'home.loadingMore': 'Meer buurten laden…',

  'neighbourhood.members': (count: number) =>
    count === 1 ? '1 persoon doet mee' : `${count} mensen doen mee`,
  'neighbourhood.noDescription': 'Over deze buurt is nog niets geschreven.',
  'neighbourhood.organisersTitle': 'Opbouwwerkers',
  'neighbourhood.organisersIntro': 'Opbouwwerkers helpen bewoners om samen iets te doen in de buurt.',
  'neighbourhood.noOrganisers': 'Deze buurt heeft nog geen opbouwwerker.',
  'neighbourhood.back': 'Terug naar alle buurten',
  'neighbourhood.loadingTitle': 'Buurt',

  'neighbourhoodNotFound.title': 'Deze buurt kennen we niet',
  'neighbourhoodNotFound.text': 'Misschien is de link oud, of staat er een fout in. Kies je buurt uit de lijst.',

  'notFound.title': 'Deze pagina bestaat niet',
  'notFound.text': 'Misschien is de link oud, of staat er een fout in.',
  'notFound.home': 'Naar de startpagina',

  'status.loading': 'Even geduld. We halen de gegevens op…',

  'error.title': 'Er ging iets mis',
  'error.retry': 'Probeer het opnieuw',
  'error.NETWORK': 'We kunnen de server nu niet bereiken. Heb je internet? Probeer het zo nog een keer.',
  'error.UNAUTHENTICATED': 'Je bent niet ingelogd, of je bent te lang weg geweest. Log opnieuw in.',
  'error.FORBIDDEN': 'Dit mag je niet zien of doen.',
  'error.NOT_FOUND': 'We kunnen dit niet vinden.',
  'error.VALIDATION': 'Er klopt iets niet. Kijk nog eens naar wat je hebt ingevuld:',
  'error.CONFLICT': 'Dit lukt nu niet, omdat iemand anders het net heeft veranderd.',
  'error.RATE_LIMITED': 'Je hebt dit te vaak achter elkaar gedaan. Wacht even en probeer het dan opnieuw.',
  'error.INTERNAL': 'Er ging bij ons iets mis. Het ligt niet aan jou. Probeer het later opnieuw.',
} satisfies Record<string, string | ((...args: never[]) => string)>;
