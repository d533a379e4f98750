import { accountsNl } from '../../features/accounts/messages.nl';
import { neighbourhoodsNl } from '../../features/neighbourhoods/messages.nl';
import { grievancesNl } from '../../features/grievances/messages.nl';
import { campaignsNl } from '../../features/campaigns/messages.nl';

/**
 * Dutch texts: the source of truth for the message keys. Plain language at
 * B1 level: short sentences, everyday words, "je" instead of "u".
 * Messages that need a value are functions, so the types say what they need.
 * App-wide texts live here; each feature keeps its own in features/<capability>/messages.*.ts.
 */
export const commonNl = {
  'app.name': 'Buurtkracht',
  'app.pageTitle': (page: string) => `${page} · Buurtkracht`,
  'layout.skipLink': 'Naar de inhoud',
  'layout.mainNav': 'Pagina\'s',
  'layout.footer': 'Samen maken we de buurt sterker.',
  'language.switchLabel': 'Kies je taal',

  'nav.neighbourhoods': 'Buurten',
  'nav.needsResponse': 'Wacht op reactie',
  'layout.menu': 'Menu',
  'form.summaryTitle': 'Kijk dit nog even na',
  'counter.left': (count: number) => (count === 1 ? 'Nog 1 teken' : `Nog ${count.toLocaleString('nl-NL')} tekens`),
  'counter.over': (count: number) => (count === 1 ? '1 teken te veel' : `${count.toLocaleString('nl-NL')} tekens te veel`),
  'contact.legend': 'Wie ben je?',
  'contact.intro': 'Je hoeft geen account te maken. We sturen je een e-mail met een link.',
  'contact.emailHint': 'Dit adres ziet niemand anders.',
  'map.tilesFailed': 'De kaart kan nu niet laden. De pinnen werken nog wel, en alles staat ook in de lijst.',
  'map.touchHint': 'Schuif de kaart met je vinger. Knijp om de kaart groter of kleiner te maken.',

  'nav.myNeighbourhoods': 'Mijn buurten',
  'account.nav': 'Mijn account',
  'account.signIn': 'Inloggen',
  'account.signOut': 'Uitloggen',
  'flash.signedOut': 'Je bent uitgelogd.',
  'flash.accountDeleted': 'Je account is verwijderd. Bedankt dat je meedeed.',

  'field.email': 'E-mailadres',
  'field.displayName': 'Je naam',
  'field.displayNameHint': 'Deze naam zien andere mensen. Bijvoorbeeld je voornaam.',
  'field.language': 'Taal',
  'field.languageHint': 'In deze taal zie je Buurtkracht en krijg je onze e-mails.',
  'field.password': 'Wachtwoord',
  'field.currentPassword': 'Je wachtwoord nu',
  'field.newPassword': 'Nieuw wachtwoord',
  'field.newPasswordHint': 'Minstens 10 tekens. Kies iets dat niet makkelijk te raden is.',
  'form.busy': 'Even geduld…',

  'notFound.title': 'Deze pagina bestaat niet',
  'notFound.text': 'Misschien is de link oud, of staat er een fout in.',
  'notFound.home': 'Naar de startpagina',

  'form.cancel': 'Annuleren',

  'map.keyboardHint':
    'Met de pijltjestoetsen schuif je de kaart. Met + en - zoom je in en uit.',
  'map.noTiles': 'Deze kaart heeft geen achtergrond. De cirkel is de buurt.',
  'map.loading': 'De kaart wordt geladen…',
  'map.failed': 'De kaart kan nu niet laden. Alles staat ook in de lijst.',
  'map.zoomIn': 'Inzoomen',
  'map.zoomOut': 'Uitzoomen',

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

export const nl = {
  ...commonNl,
  ...accountsNl,
  ...neighbourhoodsNl,
  ...grievancesNl,
  ...campaignsNl,
};
