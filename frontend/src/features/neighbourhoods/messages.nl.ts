/** Dutch texts of the neighbourhoods screens (B1: short sentences, everyday words, "je"). */
export const neighbourhoodsNl = {
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

  'neighbourhood.grievancesTitle': 'Meldingen',
  'neighbourhood.grievancesIntro': 'Wat zit bewoners dwars in de buurt? Lees het, zeg "ik ook", of doe zelf een melding.',
  'neighbourhood.grievancesLink': (count: number) => (count === 1 ? 'Bekijk de melding' : `Bekijk alle ${count} meldingen`),
} satisfies Record<string, string | ((...args: never[]) => string)>;
