/**
 * Time-zone abbreviations as people type them (`/digest 07:00 EST`), to the IANA zone they mean.
 * The runtime reads some of them itself, wrongly for a digest: `EST` is America/Panama there, a zone
 * with no daylight saving time, while whoever types EST means New York's clock, summer included.
 * So an abbreviation names the zone whose clock it is part of (EST, EDT and ET alike → New York).
 * Where one abbreviation is common for several zones (CST: US Central, China and Taiwan, Cuba;
 * IST: India, Ireland, Israel), it names them all and the user is asked, never guessed for,
 * unless the chat's language says which its readers mean (langs.ts `abbreviations`).
 */
import { LANG_INFO, type Lang, type LangAbbreviation } from './i18n/langs.ts';

const ABBREVIATIONS: Readonly<Record<string, readonly string[]>> = {
  ET: ['America/New_York'],
  EST: ['America/New_York'],
  EDT: ['America/New_York'],
  CT: ['America/Chicago'],
  CDT: ['America/Chicago'],
  CST: ['America/Chicago', 'Asia/Taipei', 'Asia/Shanghai', 'America/Havana'],
  MT: ['America/Denver'],
  MST: ['America/Denver', 'America/Phoenix'],
  MDT: ['America/Denver'],
  PT: ['America/Los_Angeles'],
  PST: ['America/Los_Angeles'],
  PDT: ['America/Los_Angeles'],
  AKST: ['America/Anchorage'],
  AKDT: ['America/Anchorage'],
  HST: ['Pacific/Honolulu'],
  GMT: ['UTC', 'Europe/London'],
  BST: ['Europe/London', 'Asia/Dhaka'],
  IST: ['Asia/Kolkata', 'Europe/Dublin', 'Asia/Jerusalem'],
  WET: ['Europe/Lisbon'],
  WEST: ['Europe/Lisbon'],
  CET: ['Europe/Berlin'],
  CEST: ['Europe/Berlin'],
  EET: ['Europe/Athens'],
  EEST: ['Europe/Athens'],
  MSK: ['Europe/Moscow'],
  HKT: ['Asia/Hong_Kong'],
  SGT: ['Asia/Singapore'],
  JST: ['Asia/Tokyo'],
  KST: ['Asia/Seoul'],
  AEST: ['Australia/Sydney'],
  AEDT: ['Australia/Sydney'],
  // Darwin keeps ACST all year, Adelaide changes to ACDT in its summer: which clock is asked.
  ACST: ['Australia/Adelaide', 'Australia/Darwin'],
  ACDT: ['Australia/Adelaide'],
  AWST: ['Australia/Perth'],
  // The runtime reads NST as Pacific/Auckland (an old alias); people who type it mean Newfoundland's clock.
  NST: ['America/St_Johns'],
  NDT: ['America/St_Johns'],
  IRST: ['Asia/Tehran'],
  IRDT: ['Asia/Tehran'],
  NPT: ['Asia/Kathmandu'],
  // Others the runtime reads as Java's old three-letter ids, each a clock other than the one meant:
  // AST is Anchorage there (Atlantic or Arabia Standard Time), ART Cairo (Argentina), SST
  // Guadalcanal (Samoa, Singapore), VST Ho Chi Minh City (Venezuela), ECT Paris (Ecuador), ACT
  // Darwin (Acre, or Canberra's territory).
  AST: ['America/Halifax', 'Asia/Riyadh'],
  ADT: ['America/Halifax'],
  ART: ['America/Argentina/Buenos_Aires'],
  SST: ['Pacific/Pago_Pago', 'Asia/Singapore'],
  VST: ['America/Caracas'],
  ECT: ['America/Guayaquil'],
  ACT: ['America/Rio_Branco', 'Australia/Sydney'],
  PKT: ['Asia/Karachi'],
  AFT: ['Asia/Kabul'],
  GST: ['Asia/Dubai'],
  ICT: ['Asia/Bangkok'],
  WIB: ['Asia/Jakarta'],
  PHT: ['Asia/Manila'],
  WAT: ['Africa/Lagos'],
  NZST: ['Pacific/Auckland'],
  NZDT: ['Pacific/Auckland'],
  // North America's zones by the names its readers say (8am eastern, pacific time); central is
  // Europe's too, so asked.
  EASTERN: ['America/New_York'],
  PACIFIC: ['America/Los_Angeles'],
  MOUNTAIN: ['America/Denver'],
  CENTRAL: ['America/Chicago', 'Europe/Berlin'],
};

/** Every zone an abbreviation names: offered as a choice (CST's four), each named as a city by the catalogue (`zone.city.*`). */
export const ABBREVIATION_ZONES: readonly string[] = [...new Set(Object.values(ABBREVIATIONS).flat())];

/** The zones an abbreviation names (one, or several to choose from), or undefined when it is none. */
export function zonesOfAbbreviation(s: string): readonly string[] | undefined {
  return ABBREVIATIONS[s.trim().toUpperCase()];
}

/**
 * The zone `abbreviation` names for a chat in `lang`, when its readers mean one; else undefined
 * (asked). Each language states it for the abbreviations some readers mean one way (langs.ts
 * `abbreviations`): CST is China's clock to a Chinese reader, and in Taiwan its own (Asia/Taipei's
 * clock is printed CST there), while an American means US Central: read so in a Chinese chat (the
 * answer names the zone), asked in an English one.
 */
export function abbreviationIn(abbreviation: string, lang: Lang | undefined): string | undefined {
  const a = abbreviation.trim().toUpperCase();
  if (lang === undefined || !Object.hasOwn(LANG_INFO[lang].abbreviations, a)) return undefined;
  return LANG_INFO[lang].abbreviations[a as LangAbbreviation];
}
