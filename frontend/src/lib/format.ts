import type { Locale } from './i18n/locale';

/** The regional formats for each language of the interface. */
const REGION: Readonly<Record<Locale, string>> = { nl: 'nl-NL', en: 'en-GB' };

const TIME_ZONE = 'Europe/Amsterdam';

function validDate(iso: string): Date | null {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** A day such as "3 mei 2026" / "3 May 2026". */
export function formatDate(iso: string, locale: Locale): string {
  const date = validDate(iso);
  if (date === null) return iso;
  return new Intl.DateTimeFormat(REGION[locale], { day: 'numeric', month: 'long', year: 'numeric', timeZone: TIME_ZONE }).format(date);
}

/** A day and time such as "3 mei 2026 om 14:05" / "3 May 2026 at 14:05". */
export function formatDateTime(iso: string, locale: Locale): string {
  const date = validDate(iso);
  if (date === null) return iso;
  const time = new Intl.DateTimeFormat(REGION[locale], { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: TIME_ZONE }).format(date);
  return `${formatDate(iso, locale)} ${locale === 'nl' ? 'om' : 'at'} ${time}`;
}

/** A distance such as "350 m" or "1,2 km" / "1.2 km"; rounded, since it is only a guide. */
export function formatDistance(meters: number, locale: Locale): string {
  if (!Number.isFinite(meters) || meters < 0) return '';
  if (meters < 1000) {
    const rounded = meters < 100 ? Math.round(meters / 10) * 10 : Math.round(meters / 50) * 50;
    if (rounded < 1000) return `${Math.max(rounded, 10)} m`;
  }
  const km = new Intl.NumberFormat(REGION[locale], { maximumFractionDigits: meters < 10_000 ? 1 : 0, minimumFractionDigits: 0 }).format(meters / 1000);
  return `${km} km`;
}
