import type { Messages } from './messages';
import type { commonNl } from './nl';
import { accountsEn } from '../../features/accounts/messages.en';
import { neighbourhoodsEn } from '../../features/neighbourhoods/messages.en';
import { grievancesEn } from '../../features/grievances/messages.en';
import { campaignsEn } from '../../features/campaigns/messages.en';

/** English texts. Must have exactly the keys (and arguments) of the Dutch ones. */
const commonEn: typeof commonNl = {
  'app.name': 'Buurtkracht',
  'app.pageTitle': (page: string) => `${page} · Buurtkracht`,
  'layout.skipLink': 'Skip to content',
  'layout.mainNav': 'Pages',
  'layout.footer': 'Together we make the neighbourhood stronger.',
  'language.switchLabel': 'Choose your language',

  'nav.neighbourhoods': 'Neighbourhoods',
  'nav.needsResponse': 'Needs a response',
  'layout.menu': 'Menu',
  'form.summaryTitle': 'Please check this',
  'counter.left': (count: number) => (count === 1 ? '1 character left' : `${count.toLocaleString('en-GB')} characters left`),
  'counter.over': (count: number) => (count === 1 ? '1 character too many' : `${count.toLocaleString('en-GB')} characters too many`),
  'contact.legend': 'Who are you?',
  'contact.intro': 'You do not need to make an account. We send you an e-mail with a link.',
  'contact.emailHint': 'Nobody else sees this address.',
  'map.tilesFailed': 'The map cannot load now. The pins still work, and everything is also in the list.',
  'map.touchHint': 'Move the map with your finger. Pinch to zoom in and out.',

  'nav.myNeighbourhoods': 'My neighbourhoods',
  'account.nav': 'My account',
  'account.signIn': 'Sign in',
  'account.signOut': 'Sign out',
  'flash.signedOut': 'You are signed out.',
  'flash.accountDeleted': 'Your account has been deleted. Thank you for taking part.',

  'field.email': 'E-mail address',
  'field.displayName': 'Your name',
  'field.displayNameHint': 'Other people see this name. For example your first name.',
  'field.language': 'Language',
  'field.languageHint': 'You see Buurtkracht and get our e-mails in this language.',
  'field.password': 'Password',
  'field.currentPassword': 'Your password now',
  'field.newPassword': 'New password',
  'field.newPasswordHint': 'At least 10 characters. Choose something that is not easy to guess.',
  'form.busy': 'One moment…',

  'notFound.title': 'This page does not exist',
  'notFound.text': 'Maybe the link is old, or it has a mistake in it.',
  'notFound.home': 'Go to the home page',

  'form.cancel': 'Cancel',

  'map.keyboardHint': 'Use the arrow keys to move the map. Use + and - to zoom in and out.',
  'map.noTiles': 'This map has no background. The circle is the neighbourhood.',
  'map.loading': 'Loading the map…',
  'map.failed': 'The map cannot load right now. Everything is also in the list.',
  'map.zoomIn': 'Zoom in',
  'map.zoomOut': 'Zoom out',

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

export const en: Messages = {
  ...commonEn,
  ...accountsEn,
  ...neighbourhoodsEn,
  ...grievancesEn,
  ...campaignsEn,
};
