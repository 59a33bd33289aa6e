/**
 * A country's flag typed where a time zone is asked for (`/digest 8am 🇹🇼`, `/quiet 22-7 🇯🇵`): the
 * zones the runtime lists for that region (ICU's, from CLDR). Node 20 gives them as the Intl.Locale
 * property `timeZones`, later Nodes as the method `getTimeZones()` (the property was dropped as
 * the proposal moved on): whichever this runtime has.
 */

/** Two regional indicator letters (🇹 🇼), a variation selector after them allowed. */
const FLAG = /^(\p{Regional_Indicator})(\p{Regional_Indicator})\uFE0F?$/u;
const A = 0x1f1e6;

/**
 * Countries whose law keeps one clock though the runtime lists more: China's is Beijing's (北京时间,
 * as zone-places.ts reads 中国), Xinjiang's Asia/Urumqi being a local, unofficial clock.
 */
const ONE_CLOCK: Readonly<Record<string, string>> = { CN: 'Asia/Shanghai' };

/**
 * The clock a reader of a country with several names first, where the runtime's order would name
 * another zone keeping the same clock (Spain's: Africa/Ceuta before Europe/Madrid; Brazil's:
 * America/Araguaina before America/Sao_Paulo): the capital's, or its largest city's.
 */
export const FLAG_FIRST: readonly string[] = [
  'Europe/Madrid',
  'Europe/Lisbon',
  'America/Sao_Paulo',
  'America/Manaus',
  'America/Mexico_City',
  'America/Santiago',
  'America/Argentina/Buenos_Aires',
  'America/Guayaquil',
  'America/Toronto',
  'America/Vancouver',
  'America/Winnipeg',
  'America/Edmonton',
  'Asia/Almaty',
  'Asia/Jakarta',
  'Asia/Makassar',
  'Asia/Kuala_Lumpur',
  'Asia/Ulaanbaatar',
  'Pacific/Auckland',
  'Europe/Kyiv',
];

interface RegionLocale {
  readonly timeZones?: readonly string[];
  getTimeZones?(): readonly string[];
}

/** The region a flag stands for (`TW`), or undefined when `s` is no flag. */
export function flagRegion(s: string): string | undefined {
  const m = FLAG.exec(s.trim());
  if (m === null) return undefined;
  return String.fromCharCode(65 + m[1]!.codePointAt(0)! - A, 65 + m[2]!.codePointAt(0)! - A);
}

/**
 * The zones of the country a flag stands for, as the runtime names them (Asia/Calcutta: the caller
 * takes it to its current name); [] for a flag of no country with a clock (🇪🇺, 🇺🇳), undefined for no flag.
 */
export function zonesOfFlag(s: string): readonly string[] | undefined {
  const region = flagRegion(s);
  if (region === undefined) return undefined;
  const one = ONE_CLOCK[region];
  if (one !== undefined) return [one];
  try {
    const locale = new Intl.Locale(`und-${region}`) as unknown as RegionLocale;
    return (typeof locale.getTimeZones === 'function' ? locale.getTimeZones() : locale.timeZones) ?? [];
  } catch {
    return [];
  }
}
