/**
 * When a chat's digest is due, pure: a local HH:MM in an IANA zone → UTC instants, and the rules
 * that decide at a due instant whether to send, skip the day, or wait. Time is always an argument.
 */
import { halfWidth, numberText } from './han-fold.ts';
import { addDays, dateInZone } from './dates.ts';
import { isTradingDay } from './nyse-calendar.ts';
import { ABBREVIATION_ZONES, abbreviationIn, zonesOfAbbreviation } from './zone-abbreviations.ts';
import { FLAG_FIRST, zonesOfFlag } from './zone-flags.ts';
import { LANG_INFO, type Lang } from './i18n/langs.ts';
import { nearestZone, PLACE_ZONES, zoneOfPlace, zonesOfCitiesStarting, zonesOfPlacesStarting } from './zone-places.ts';
import { englishCounts, hanNumber } from './han-numbers.ts';
import { fixedZoneOffsetMs, fractionalOffsetZone, wallClock } from './fixed-offset.ts';

/**
 * Later than this after its due instant, a digest is skipped for the day (the bot was down); a
 * digest that waited this long for its close (the bot up, the close not stored) goes out without it.
 */
export const MAX_LATE_MS = 6 * 3_600_000;

export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false };

/** The parts of the day a Chinese clock time may name, in either script. */
export const DAY_PARTS = '凌晨|清晨|早晨|早上|上午|中午|下午|傍晚|晚上|晚間|晚间|夜裡|夜里|夜間|夜间|深夜|半夜|午夜|早|晚';
/** The part of the day a Chinese clock time names: 早上8點 is 08:00, 晚上8點 20:00, 中午1點 13:00, 夜里11点 23:00. */
const CHINESE_CLOCK = new RegExp(`^(${DAY_PARTS})?(\\d{1,2})(?:[點点時时](?:(半)|(\\d{1,2})分?)?|:(\\d{2}))?$`);
/** 早 and 晚 alone are the short forms of 早上 and 晚上 (早8點, 晚10点). */
const MORNING = ['凌晨', '清晨', '早晨', '早上', '上午', '早'];
/** The night, either side of midnight: 夜里11点 is 23:00, 夜里1点 01:00, 半夜12点 00:00. */
const NIGHT = ['夜裡', '夜里', '夜間', '夜间', '深夜', '半夜', '午夜'];

/** Minutes after 點 in words: 十五分, 零五分, 四十五, 一刻 (15), 三刻 (45). */
const hanMinutes = (n: string): number | undefined => {
  const quarter = /^([一三])刻$/.exec(n);
  if (quarter) return quarter[1] === '一' ? 15 : 45;
  const zero = /^[零〇]([一二三四五六七八九])$/.exec(n);
  return zero ? hanNumber(zero[1]!) : hanNumber(n);
};

/** An hour and its minutes written in Chinese numerals (八點, 晚上十一點, 八點十五分), as digits. */
const hanHour = (x: string): string =>
  x
    .replace(new RegExp(`^((?:${DAY_PARTS})?)([零一二兩两三四五六七八九十]{1,3})(?=[點点時时])`), (all, part: string, n: string) => {
      const h = hanNumber(n);
      return h === undefined ? all : `${part}${h}`;
    })
    .replace(/([點点時时])([零〇一二兩两三四五六七八九十]{1,3}|[一三]刻)(分?)$/, (all, mark: string, n: string) => {
      const m = hanMinutes(n);
      return m === undefined ? all : `${mark}${String(m).padStart(2, '0')}分`;
    });

/** `早上8點`, `晚上九點半`, `下午3:30`, `20點`, `8點15分`: a time as Chinese speakers write it. */
function parseChineseClock(typed: string): Parsed<string> {
  const x = hanHour(typed);
  const m = CHINESE_CLOCK.exec(x);
  // Digits alone (`8`, `8:30`) are the plain clock's.
  if (!m || (m[1] === undefined && !/[點点時时]/.test(x))) return { ok: false };
  const part = m[1];
  let h = Number(m[2]);
  const min = m[3] !== undefined ? 30 : Number(m[4] ?? m[5] ?? 0);
  if (part !== undefined) {
    if (h > 12 && (MORNING.includes(part) || part === '中午')) return { ok: false };
    if (MORNING.includes(part)) h %= 12;
    else if (part === '中午') h = h === 11 || h === 12 ? h : h <= 2 ? h + 12 : -1;
    else if (NIGHT.includes(part)) h = h === 12 ? 0 : h >= 6 && h < 12 ? h + 12 : h;
    // 晚上12點 is midnight; 下午12點, noon.
    else if (h === 12) h = part === '下午' ? 12 : 0;
    else if (h > 0 && h < 12) h += 12;
  }
  if (h < 0 || h > 23 || min > 59) return { ok: false };
  return { ok: true, value: `${String(h).padStart(2, '0')}:${String(min).padStart(2, '0')}` };
}

/** Times said as a word: noon and midnight, in English and Chinese (中午 alone is noon, as 中午12點 is). */
const WORD_TIMES: Readonly<Record<string, string>> = {
  noon: '12:00',
  midday: '12:00',
  '12noon': '12:00',
  midnight: '00:00',
  '12midnight': '00:00',
  正午: '12:00',
  中午: '12:00',
  午夜: '00:00',
};

const wordTime = (s: string): string | undefined => WORD_TIMES[numberText(s).trim().toLowerCase().replace(/\s+/g, '')];

/**
 * Whether a typed time names its part of the day: `下午` of 下午3點, `pm` of 3pm or 3 P.M., noon and
 * midnight; not a bare clock (`5`, `5點`, `17:00`). For a span's side written without one
 * (quiet-hours.ts: 上午9點-5點).
 */
export function namesDayPart(s: string): boolean {
  const x = numberText(s).trim().toLowerCase().replace(/\s+/g, '');
  return new RegExp(`^(${DAY_PARTS})`).test(x) || /\d[ap](?:\.?m\.?)?$/.test(x) || wordTime(x) !== undefined;
}

/**
 * A wall-clock time as HH:MM: `08:00`, `8:00`, `23:59`, and what people type for the same: `8`
 * (08:00), `0830`, `8am`, `7:30pm`, `12am` (00:00), a full-width colon or digits (`08：00`, `８點`,
 * from a Chinese keyboard), Chinese clock words (`早上8點`, `晚上9點半`), `noon`, `midnight`, `正午`, `午夜`,
 * `20h30` as Europe writes one, `half past 8`, `quarter to 9pm`. Not `25:00`, `08:60`,
 * `08:00:00`, `13pm`, `830`, `早上13點`.
 */
export function parseDigestTime(s: string): Parsed<string> {
  // Full-width forms as half-width: ０８：３０, ８．３０, ８ｐｍ.
  // The words people put before the time of a daily thing: `at 8am`, `daily at 8`, 每天早上8點.
  const x = numberText(s)
    .trim()
    .toLowerCase()
    // A sentence's end: 早上8點。, 8am!.
    .replace(/\s*[。!！?？]+$/, '')
    // 8am sharp, as 8點整: sharp says nothing more.
    .replace(/\s+sharp$/, '')
    .replace(/^(?:(?:every\s*day|daily)\s+)?at\s+|^(?:every\s*day|daily)\s+|^(?:每天|每日)的?\s*/, '');
  const word = wordTime(x);
  if (word !== undefined) return { ok: true, value: word };
  // 8點鐘, 八点钟, 8點整: the hour's 鐘 and 整 say nothing more.
  if (/[\u3400-\u9fff]/.test(x)) {
    const clock = x
      .replace(/\s+/g, '')
      // 正 too, as Hong Kong writes it (7點正).
      .replace(/([點点])(?:[鐘钟])?[整正]?$/, '$1')
      .replace(/([點点])[鐘钟]/, '$1')
      // 八點過一刻, 8点过5分: past the hour is its minutes.
      .replace(/([點点])[過过]/, '$1');
    // 差一刻九點, 九點差一刻, 差5分9点: minutes to the hour, read as the hour before and what is left of it.
    const to = /^(.*?)差(一刻|[\d零一二兩两三四五六七八九十]{1,3})分?(.*[點点])$|^(.*[點点])差(一刻|[\d零一二兩两三四五六七八九十]{1,3})分?$/.exec(clock);
    if (to !== null) {
      const hour = parseChineseClock(`${to[1] ?? ''}${to[3] ?? to[4]!}`);
      const typed = to[2] ?? to[5]!;
      const minutes = typed === '一刻' ? 15 : /^\d+$/.test(typed) ? Number(typed) : hanNumber(typed);
      if (!hour.ok || !hour.value.endsWith(':00') || minutes === undefined || minutes < 1 || minutes > 59) return { ok: false };
      const at = (Number(hour.value.slice(0, 2)) * 60 + 24 * 60 - minutes) % (24 * 60);
      return { ok: true, value: `${String(Math.floor(at / 60)).padStart(2, '0')}:${String(at % 60).padStart(2, '0')}` };
    }
    return parseChineseClock(clock);
  }
  // An hour and its minutes parted by a space, as a phone's keyboard leaves them: 8 30, 8 30pm.
  const spaced = /^(\d{1,2})\s+(\d{2})(\s*[ap]\.?m\.?)?$/.exec(x);
  if (spaced !== null) return parseDigestTime(`${spaced[1]}:${spaced[2]}${spaced[3] ?? ''}`);
  // The part of the day said in words after a clock without one: `8 in the morning` is 8am, `9 in
  // the evening` and `11 at night` pm; `8 o'clock` is 8.
  const said = /^(\d{1,2})((?:[:.]\d{2})?)\s*(?:in the (morning|afternoon|evening)|at (night))$/.exec(x.replace(/\s*o['’]?\s*clock\b/, ''));
  if (said !== null) {
    const h = Number(said[1]);
    const part = said[3] ?? said[4]!;
    // The hours each part holds: the morning's 1-12 (12 is midnight), the afternoon's 12-6, the
    // evening's 4-11, the night's 6-12 and its small hours 1-5 (3 at night is 3am, 12 midnight).
    const pm = part === 'morning' ? false : part === 'afternoon' ? h === 12 || h <= 6 : part === 'evening' ? h >= 4 && h <= 11 : h >= 6 && h <= 11;
    const am = part === 'morning' || (part === 'night' && (h === 12 || h <= 5));
    return (pm || am) && h >= 1 && h <= 12 ? parseDigestTime(`${h}${said[2]}${pm ? 'pm' : 'am'}`) : { ok: false };
  }
  if (/o['’]?\s*clock$/.test(x)) return parseDigestTime(x.replace(/\s*o['’]?\s*clock$/, ''));
  // An hour in words, as `eight am` and `eight o'clock` say it: its number.
  const counted = englishCounts(x);
  if (counted !== x && /^\d/.test(counted)) return parseDigestTime(counted);
  // Minutes past or to an hour, as English says a time: `half past 8` (08:30, as 8:30 is), `quarter
  // to 9pm` (20:45), `10 past 8 in the morning`; the hour read as it is alone.
  const spoken = /^(half|(?:a )?quarter|(\d{1,2})(?: minutes?| mins?)?) (past|after|to|before) (.+)$/.exec(x);
  if (spoken !== null) {
    const minutes = spoken[1] === 'half' ? 30 : spoken[2] === undefined ? 15 : Number(spoken[2]);
    const to = spoken[3] === 'to' || spoken[3] === 'before';
    const hour = parseDigestTime(englishCounts(spoken[4]!));
    if (!hour.ok || !hour.value.endsWith(':00') || minutes < 1 || minutes > (to ? 59 : 30) || (to && spoken[1] === 'half')) return { ok: false };
    const at = (Number(hour.value.slice(0, 2)) * 60 + (to ? 24 * 60 - minutes : minutes)) % (24 * 60);
    return { ok: true, value: `${String(Math.floor(at / 60)).padStart(2, '0')}:${String(at % 60).padStart(2, '0')}` };
  }
  // An hour with h for its colon, as French and much of Europe write a clock: 20h, 20h30, 8h05 (24-hour).
  // With its colon and the h after (20.30h, 20:30h), or its part of the day after (8h30pm: the 12-hour clock's).
  const europe = /^(\d{1,2})h(\d{2})?$/.exec(x) ?? /^(\d{1,2})[:.](\d{2})\s*h$/.exec(x);
  if (europe !== null) return parseDigestTime(`${europe[1]}:${europe[2] ?? '00'}`);
  const europeHalf = /^(\d{1,2})h(\d{2})\s*([ap]\.?m\.?)$/.exec(x);
  if (europeHalf !== null) return parseDigestTime(`${europeHalf[1]}:${europeHalf[2]}${europeHalf[3]}`);
  // A dot for the colon too (8.30, 23.00: written so in much of Europe and Asia).
  const clock = /^(\d{1,2})(?:[:.](\d{2}))?$/.exec(x) ?? /^(\d{2})(\d{2})$/.exec(x);
  // 830am: with its am or pm, three or four digits are an hour and its minutes (alone, 830 is no time).
  // 10p, 6a, 10:30p: am and pm cut to their letter, as calendars and texts write them (glued to the time only).
  const ampm = clock
    ? undefined
    : (/^(\d{1,2})(?:[:.](\d{2}))?\s*([ap])\.?m\.?$/.exec(x) ?? /^(\d{1,2})(\d{2})\s*([ap])\.?m\.?$/.exec(x) ?? /^(\d{1,2})(?:[:.](\d{2}))?([ap])$/.exec(x));
  const m = clock ?? ampm;
  if (!m) return { ok: false };
  let h = Number(m[1]);
  const min = Number(m[2] ?? 0);
  if (ampm) {
    if (h < 1 || h > 12) return { ok: false };
    h = (h % 12) + (ampm[3] === 'p' ? 12 : 0);
  }
  if (h > 23 || min > 59) return { ok: false };
  return { ok: true, value: `${String(h).padStart(2, '0')}:${String(min).padStart(2, '0')}` };
}

/**
 * The zone's canonical IANA name, or not ok. `Mars/Base` and `EST5EDT`-like names the runtime
 * rejects are refused; a whole-hour offset (`UTC+8`, `+08:00`) is its Etc zone, `UTC+5:30` its own fixed-offset zone (offsetAnswer); names are matched case-insensitively (`asia/taipei`). An
 * abbreviation that names one zone is that zone (`EST` → America/New_York); one that names several
 * (`CST`) is not ok here: resolveTimeZone says which, so the user can be asked.
 */
export function parseTimeZone(s: string): Parsed<string> {
  const r = resolveTimeZone(s);
  return r.kind === 'zone' ? { ok: true, value: r.zone } : { ok: false };
}

export type ZoneAnswer =
  | { readonly kind: 'zone'; readonly zone: string }
  /**
   * `twoClocks`: a place keeping two clocks (Urumqi: Beijing's, official, and Xinjiang's own two hours
   * behind), asked about as such (chat/labels.ts twoClocksSaid), not as a name of several zones (CST).
   */
  | { readonly kind: 'ambiguous'; readonly abbreviation: string; readonly choices: readonly string[]; readonly twoClocks?: true }
  /**
   * `nearest`: the zone a misspelling most likely meant (`Asia/Taipie`), to ask about, never taken.
   * `offset`: it was an offset no clock keeps (`UTC+15`, `UTC+3:07`).
   */
  | { readonly kind: 'unknown'; readonly nearest?: string; readonly offset?: true };

/**
 * What a typed zone means: an IANA name (any case), an abbreviation (zone-abbreviations.ts), or a
 * place (zone-places.ts: `taipei`, `台北`, `new_york`).
 */
export function resolveTimeZone(s: string): ZoneAnswer {
  const typed = resolveZoneName(s);
  if (typed.kind !== 'unknown') return typed;
  // The words around a zone in a sentence: `Taipei time`, `in Taipei`, `(Taipei)`, `Taipei.`.
  const bare = halfWidth(s)
    .trim()
    .replace(/[.。]$/, '')
    .replace(/^[(（[【]\s*(.*?)\s*[)）\]】]$/, '$1')
    .replace(/^in\s+/i, '')
    .replace(/\s+time$/i, '');
  const again = bare === halfWidth(s).trim() ? typed : resolveZoneName(bare);
  return again.kind === 'unknown' ? typed : again;
}

/** resolveTimeZone in a chat of `lang`: an abbreviation its readers mean one way (CST in Chinese) is that zone. */
export function resolveTimeZoneIn(s: string, lang: Lang | undefined): ZoneAnswer {
  const r = resolveTimeZone(s);
  const read = r.kind === 'ambiguous' ? abbreviationIn(r.abbreviation, lang) : undefined;
  return read === undefined ? r : { kind: 'zone', zone: read };
}

/**
 * Urumqi, 烏魯木齊 / 乌鲁木齐 (with 市, or its 時間: either clock), and Xinjiang, 新疆, as typed (`Urumqi time` goes
 * through the bare form). 新疆時間 / Xinjiang time is no place but the name of Xinjiang's own clock: that clock
 * (zone.clock.Asia/Urumqi, the name the question's button shows, read back as it: zone-places.ts namesShown).
 */
const URUMQI = /^(?:urumqi|urumchi|ürümqi|(?:烏魯木齊|乌鲁木齐)(?:市|時間|时间)?|新疆|xinjiang)$/i;
/** Urumqi's two clocks, the official one first. */
const URUMQI_CLOCKS: readonly string[] = ['Asia/Shanghai', 'Asia/Urumqi'];

function resolveZoneName(s: string): ZoneAnswer {
  // A country's flag (🇹🇼): its one clock, or which of its clocks asked as an abbreviation's are (🇺🇸, 🇦🇺).
  const flagged = flagAnswer(s);
  if (flagged !== undefined) return flagged;
  // Full-width letters and slash, as a Chinese IME in full-width mode types them (ＥＳＴ, Ａｓｉａ／Ｔａｉｐｅｉ), read as ASCII.
  const name = halfWidth(s).trim();
  const offset = offsetAnswer(name);
  if (offset !== undefined) return offset;
  const named = zonesOfAbbreviation(name);
  if (named !== undefined) {
    // An abbreviation as written (CST), a word as typed (central).
    const label = name.length <= 4 ? name.toUpperCase() : name;
    return named.length === 1 ? { kind: 'zone', zone: named[0]! } : { kind: 'ambiguous', abbreviation: label, choices: named };
  }
  // Urumqi keeps two clocks: Beijing's, official, and Xinjiang's own two hours behind (tzdb's Asia/Urumqi): asked, as CST is.
  if (URUMQI.test(name)) return { kind: 'ambiguous', abbreviation: name, choices: URUMQI_CLOCKS, twoClocks: true };
  const iana = canonicalZone(name) ?? canonicalZone(zoneOfPlace(name, zonesAndOldNames()));
  if (iana !== undefined) return { kind: 'zone', zone: iana };
  const nearest = /^[A-Za-z][A-Za-z0-9_\-/ ]*$/.test(name) ? nearestZone(name, zones()) : undefined;
  return nearest === undefined ? { kind: 'unknown' } : { kind: 'unknown', nearest };
}

/**
 * Two instants a year apart by half (winter and summer on either side of the equator): zones whose
 * offsets agree at both keep one clock. Fixed, so a flag is answered alike on every run.
 */
const CLOCK_PROBES = [Date.UTC(2026, 0, 15, 12), Date.UTC(2026, 6, 15, 12)];

/**
 * A flag typed as a zone: its country's one clock, or its clocks to choose from (asked, as CST's are):
 * zones keeping the same clock all year are one choice, the one a reader names first (zone-flags.ts
 * FLAG_FIRST, a place the bot reads, an abbreviation's zone, else the first by name), east to west. Undefined for no flag;
 * unknown for a flag of no country with a clock (🇪🇺).
 */
function flagAnswer(s: string): ZoneAnswer | undefined {
  const listed = zonesOfFlag(s);
  if (listed === undefined) return undefined;
  const zones = [...new Set(listed.map((z) => canonicalZone(z)).filter((z): z is string => z !== undefined))];
  const known = [...FLAG_FIRST, ...PLACE_ZONES, ...ABBREVIATION_ZONES];
  // The better known first, then by name: the runtime's own order differs between Node versions.
  const rank = (z: string) => (known.includes(z) ? known.indexOf(z) : known.length);
  const before = (a: string, b: string) => rank(a) - rank(b) || a.localeCompare(b);
  const clocks = new Map<string, string>();
  for (const zone of zones) {
    const key = CLOCK_PROBES.map((at) => zoneOffsetMs(at, zone)).join();
    const held = clocks.get(key);
    if (held === undefined || before(zone, held) < 0) clocks.set(key, zone);
  }
  // East to west by January's offset; clocks alike then (Denver's and Phoenix's), as above.
  const choices = [...clocks.entries()].sort(([a, za], [b, zb]) => Number(b.split(',')[0]) - Number(a.split(',')[0]) || before(za, zb)).map(([, z]) => z);
  if (choices.length === 0) return { kind: 'unknown' };
  return choices.length === 1 ? { kind: 'zone', zone: choices[0]! } : { kind: 'ambiguous', abbreviation: s.trim(), choices };
}

/**
 * Zones the runtime still names as they were before their IANA rename (ICU keeps CLDR's old names,
 * Node 20 to 24 alike): a Kyiv reader is not told Europe/Kiev. Renames only, not the zones tzdata
 * merged into another (Europe/Bratislava stays).
 */
const RENAMED: Readonly<Record<string, string>> = {
  'Africa/Asmera': 'Africa/Asmara',
  'America/Buenos_Aires': 'America/Argentina/Buenos_Aires',
  'America/Catamarca': 'America/Argentina/Catamarca',
  'America/Coral_Harbour': 'America/Atikokan',
  'America/Cordoba': 'America/Argentina/Cordoba',
  'America/Godthab': 'America/Nuuk',
  'America/Indianapolis': 'America/Indiana/Indianapolis',
  'America/Jujuy': 'America/Argentina/Jujuy',
  'America/Louisville': 'America/Kentucky/Louisville',
  'America/Mendoza': 'America/Argentina/Mendoza',
  'Asia/Calcutta': 'Asia/Kolkata',
  'Asia/Katmandu': 'Asia/Kathmandu',
  'Asia/Rangoon': 'Asia/Yangon',
  'Asia/Saigon': 'Asia/Ho_Chi_Minh',
  'Atlantic/Faeroe': 'Atlantic/Faroe',
  'Europe/Kiev': 'Europe/Kyiv',
  'Pacific/Enderbury': 'Pacific/Kanton',
  'Pacific/Ponape': 'Pacific/Pohnpei',
  'Pacific/Truk': 'Pacific/Chuuk',
};

/** A zone by its current IANA name (Asia/Calcutta → Asia/Kolkata); the runtime takes both. */
export const currentZoneName = (zone: string): string => RENAMED[zone] ?? zone;

/**
 * Names already asked (undefined: not a zone), since building a formatter to ask costs ~50-100 µs
 * and every zone a reader types is asked again at each command. Bounded: the names are typed.
 */
const canonicalZones = new Map<string, string | undefined>();
const MAX_CANONICAL_ZONES = 1000;

/** The runtime's name for an IANA zone (`asia/taipei` → Asia/Taipei; Etc/UTC → UTC), by its current name, or undefined. */
function canonicalZone(name: string | undefined): string | undefined {
  if (name === undefined || !/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(name)) return undefined;
  if (canonicalZones.has(name)) return canonicalZones.get(name);
  let zone: string | undefined;
  try {
    const resolved = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
    zone = resolved === 'Etc/UTC' || resolved === 'Etc/GMT' ? 'UTC' : currentZoneName(resolved);
  } catch {
    zone = undefined;
  }
  if (canonicalZones.size >= MAX_CANONICAL_ZONES) canonicalZones.clear();
  canonicalZones.set(name, zone);
  return zone;
}

/** The zone's offset from UTC at an instant, in ms (Asia/Taipei: +8 h; UTC+3:30: 3.5 h). */
export function zoneOffsetMs(instantMs: number, timeZone: string): number {
  const w = wallClock(instantMs, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(instantMs / 1000) * 1000;
}

/**
 * The instant of `time` on `localDate` in `timeZone`. A time that does not exist that day (the
 * hour skipped when clocks go forward) moves forward by the gap; a time that happens twice (clocks
 * go back) is its first occurrence.
 */
export function zonedInstant(localDate: string, time: string, timeZone: string): number {
  const [h, m] = time.split(':').map(Number) as [number, number];
  const wall = Date.parse(`${localDate}T00:00:00Z`) + (h * 60 + m) * 60_000;
  const before = zoneOffsetMs(wall - 86_400_000 / 2, timeZone);
  const after = zoneOffsetMs(wall + 86_400_000 / 2, timeZone);
  // Try the earlier offset first: in a repeated hour it gives the first occurrence.
  const first = Math.max(before, after);
  const second = Math.min(before, after);
  for (const off of [first, second]) {
    const t = wall - off;
    if (zoneOffsetMs(t, timeZone) === off) return t;
  }
  // In the gap: neither offset maps back to this wall time. The earlier offset lands past the gap.
  return wall - second;
}

/** The first due instant strictly after `afterMs`, with the chat's local date it belongs to. */
export function nextDue(afterMs: number, time: string, timeZone: string): { readonly at: number; readonly localDate: string } {
  let date = dateInZone(new Date(afterMs), timeZone);
  for (let i = 0; i < 3; i++) {
    const at = zonedInstant(date, time, timeZone);
    if (at > afterMs) return { at, localDate: date };
    date = addDays(date, 1);
  }
  throw new Error(`no next due instant for ${time} ${timeZone} after ${afterMs}`);
}

export type DueDecision =
  /** Send: the US close of `closeDate` arrived since the chat's previous digest time (or a newer one, when sent late). */
  | { readonly kind: 'send'; readonly closeDate: string }
  /** No US close since the previous digest time (weekend, NYSE holiday), or it was already sent. */
  | { readonly kind: 'no-close' }
  /** A close is due in the window but not in the store yet (the close job late or failing): the digest waits, due. */
  | { readonly kind: 'wait'; readonly closeDate: string }
  /** It waited MAX_LATE_MS for the close of `closeDate`: it goes out with the closes there are (to `lastClose`), saying so. */
  | { readonly kind: 'without'; readonly closeDate: string; readonly lastClose: string }
  /** The bot was down at the due time and it is now more than MAX_LATE_MS later. */
  | { readonly kind: 'too-late'; readonly lateMs: number };

const NY = 'America/New_York';

/**
 * When a digest counts a trading day's close as due: 16:00 New York, on an early close too. That
 * 13:00 close is fetched by the close job (CRON_CLOSE, 17:30) with every other, so a slot between
 * 13:00 and 16:00 sends on time about the close before, as on any day, instead of waiting for the job
 * (a close's age, close-age.ts, counts from the true 13:00).
 */
export const closeInstant = (date: string): number => zonedInstant(date, '16:00', NY);

/** The latest NYSE trading day whose close is at or before `instantMs`. */
export function lastCloseBefore(instantMs: number): string {
  let d = dateInZone(new Date(instantMs), NY);
  for (let i = 0; i < 15; i++, d = addDays(d, -1)) {
    if (isTradingDay(d) && closeInstant(d) <= instantMs) return d;
  }
  throw new Error(`no NYSE close in the 15 days before ${new Date(instantMs).toISOString()}`);
}

/**
 * What to do with a digest due at `dueMs` (the chat's previous slot was `prevDueMs`), at `nowMs`.
 * A digest goes out when a US close happened since the previous slot ("a US close arrived since
 * the chat's last digest"): so weekends and NYSE holidays send nothing, and a chat whose hour
 * falls before the close (08:00 New York) speaks about the day before. `lastClose` is the newest
 * close in the store; `lastSentClose` the close the chat's previous digest spoke about. `waiting`:
 * the digest was found due before, its close missing, so its lateness is a wait for the close, not
 * a bot that was down: it waits up to MAX_LATE_MS past its time, then goes out without that close.
 */
export function decideDue(input: {
  dueMs: number;
  prevDueMs: number;
  nowMs: number;
  lastClose: string | undefined;
  lastSentClose: string | null;
  waiting?: boolean;
}): DueDecision {
  const late = input.nowMs - input.dueMs;
  if (late > MAX_LATE_MS && input.waiting !== true) return { kind: 'too-late', lateMs: late };
  const close = lastCloseBefore(input.dueMs);
  if (closeInstant(close) <= input.prevDueMs) return { kind: 'no-close' };
  if (input.lastSentClose !== null && input.lastSentClose >= close) return { kind: 'no-close' };
  if (input.lastClose === undefined || input.lastClose < close) {
    if (late < MAX_LATE_MS) return { kind: 'wait', closeDate: close };
    // An empty store has nothing to speak about.
    return input.lastClose === undefined ? { kind: 'no-close' } : { kind: 'without', closeDate: close, lastClose: input.lastClose };
  }
  // Sent late, after the next close arrived (the bot down over its time): the digest is of the
  // newest close (it is built from the stored closes), so it is that close that was sent, and the
  // next slot, whose close it is, does not send it a second time.
  if (input.lastClose > close) return { kind: 'send', closeDate: input.lastClose };
  return { kind: 'send', closeDate: close };
}

/**
 * When a digest due from `dueMs` on (its slot's next instant: `time` in `timeZone`) next goes out:
 * the first due instant whose window holds a US close (decideDue's `send`: a close since the slot
 * before, newer than `lastSentClose`, the close the chat's last digest spoke about), weekends and NYSE
 * holidays skipped. `/digest` names it, not a slot that sends nothing (a Taipei 07:00 set on a
 * Saturday: Tuesday's, not Sunday's). The close's data may still be late then (a wait).
 */
export function nextSendingDue(dueMs: number, time: string, timeZone: string, lastSentClose: string | null): number {
  let at = dueMs;
  for (let i = 0; i < 15; i++) {
    const close = lastCloseBefore(at);
    if (closeInstant(close) > previousDue(at, time, timeZone) && (lastSentClose === null || close > lastSentClose)) return at;
    at = nextDue(at, time, timeZone).at;
  }
  return dueMs;
}

/** The slot before the one due at `dueMs`: the same local time the local day before. */
export function previousDue(dueMs: number, time: string, timeZone: string): number {
  return zonedInstant(addDays(dateInZone(new Date(dueMs), timeZone), -1), time, timeZone);
}

/** The zones Telegram offers as buttons. */
export const COMMON_ZONES = ['Asia/Taipei', 'Asia/Hong_Kong', 'Asia/Shanghai', 'Asia/Singapore', 'America/New_York', 'Europe/London', 'UTC'] as const;

/** The common zones as offered to readers of `lang`: their own first (Asia/Shanghai to a Simplified Chinese chat), the rest in order. */
export function commonZonesFor(lang: Lang | undefined): readonly string[] {
  const home = lang === undefined ? undefined : LANG_INFO[lang].homeZone;
  return home === undefined ? COMMON_ZONES : [home, ...COMMON_ZONES.filter((z) => z !== home)];
}

/**
 * The zones the bot offers by name, as a button or a choice (the common zones, each language's home
 * zone), what an abbreviation names (CST's four) and what a place readers name gives (巴黎, 東京):
 * each named on its button and in Discord's autocomplete as its readers name the place (the
 * catalogue's `zone.city.*`), never by the IANA name's English city in a Chinese chat.
 */
export const OFFERED_ZONES: readonly string[] = [...new Set([...COMMON_ZONES, ...ABBREVIATION_ZONES, ...PLACE_ZONES])];

let withOldNames: readonly string[] | undefined;
/**
 * Every zone, and the old names of renamed ones: a city by its old name (saigon, kiev, calcutta) is
 * still that city. Only an old name whose city is another word: America/Buenos_Aires beside
 * America/Argentina/Buenos_Aires would be two zones of one city (zone-places.ts names neither).
 */
function zonesAndOldNames(): readonly string[] {
  const city = (z: string) => z.slice(z.lastIndexOf('/') + 1);
  withOldNames ??= [...zones(), ...Object.entries(RENAMED).flatMap(([old, now]) => (city(old) === city(now) ? [] : [old]))];
  return withOldNames;
}

let allZones: readonly string[] | undefined;
function zones(): readonly string[] {
  if (allZones === undefined) {
    const list = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
    allZones = [...new Set([...COMMON_ZONES, ...list.map(currentZoneName)])];
  }
  return allZones;
}

/**
 * Zone names for an autocomplete (Discord: at most 25 choices): the zones an abbreviation names
 * (`CST`: the four it can mean), the place named in full, the cities that start so (`new` → New York),
 * the places whose other names start so (`台` → Asia/Taipei, `new` → New Delhi), the common zones,
 * then every IANA name that starts with the prefix, then those containing it (`taipei` finds Asia/Taipei).
 */
/** The clocks of a place typed that keeps two (Urumqi: Beijing's, Xinjiang's), as its question offers them; undefined for any other. */
export function twoClocksOf(typed: string): readonly string[] | undefined {
  return URUMQI.test(halfWidth(typed).trim()) ? URUMQI_CLOCKS : undefined;
}

export function suggestTimezones(prefix: string, limit = 25, lang?: Lang): string[] {
  const typed = halfWidth(prefix).trim();
  const q = typed.toLowerCase().replaceAll(' ', '_');
  const fixed = fixedOffsetZone(typed);
  // The common zones lead, the reader's own first (commonZonesFor).
  const all = lang === undefined ? zones() : [...new Set([...commonZonesFor(lang), ...zones()])];
  // An abbreviation suggests the zones it names first (`EST` → America/New_York, not Bucharest); a fixed offset its Etc zone;
  // then the place named in full (`india` → Asia/Kolkata, before Indianapolis), the cities whose name starts so (`new` →
  // New York), and only then the places whose other names start so (`new` → New Delhi, Newfoundland).
  const place = typed === '' ? undefined : zoneOfPlace(typed, zonesAndOldNames());
  const named = [
    ...(fixed !== undefined ? [fixed] : []),
    ...(zonesOfAbbreviation(q) ?? []),
    // Urumqi's two clocks, as its question offers them: not Xinjiang's alone (the place's zone by its name).
    ...(twoClocksOf(typed) ?? []),
    ...(place !== undefined ? [currentZoneName(place)] : []),
    ...zonesOfCitiesStarting(typed, all),
    ...zonesOfPlacesStarting(q),
  ];
  const starts = all.filter((z) => z.toLowerCase().startsWith(q));
  // A word of the name that starts so (`york` → America/New_York) before the text found inside a word
  // (`est` in Bucharest, Creston): that is seldom what was meant.
  const inName = q === '' ? [] : all.filter((z) => !z.toLowerCase().startsWith(q) && z.toLowerCase().includes(q));
  const wordStarts = inName.filter((z) =>
    z
      .toLowerCase()
      .split(/[/_-]/)
      .some((w) => w.startsWith(q)),
  );
  const abbreviated = q === '' ? [] : zonesUsingAbbreviation(q);
  return [...new Set([...named, ...abbreviated, ...starts, ...wordStarts, ...inName])].slice(0, Math.min(limit, 25));
}

let byAbbreviation: ReadonlyMap<string, readonly string[]> | undefined;
/**
 * The zones whose clocks print `abbreviation` (en-US's short names, in January or July: EST is New York's,
 * Toronto's, Detroit's…), the common zones first: what a reader typing one means, after those
 * zone-abbreviations.ts names. Built once, on the first abbreviation typed.
 */
function zonesUsingAbbreviation(typed: string): readonly string[] {
  if (!/^[a-z]{2,5}$/.test(typed)) return [];
  if (byAbbreviation === undefined) {
    const map = new Map<string, string[]>();
    for (const zone of zones()) {
      try {
        const f = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'short' });
        for (const ms of [Date.UTC(2026, 0, 15), Date.UTC(2026, 6, 15)]) {
          const name = f.formatToParts(ms).find((p) => p.type === 'timeZoneName')?.value ?? '';
          if (!/^[A-Z]{2,5}$/.test(name) || name === 'UTC' || name === 'GMT') continue;
          const list = map.get(name.toLowerCase()) ?? [];
          if (!list.includes(zone)) list.push(zone);
          map.set(name.toLowerCase(), list);
        }
      } catch {
        // A zone the runtime lists but cannot format: left out.
      }
    }
    byAbbreviation = map;
  }
  return byAbbreviation.get(typed) ?? [];
}

/**
 * A fixed offset as people type one (`UTC+8`, `GMT+8`, `UTC+08:00`, `UTC-5`, `+8`, `+0530`, `UTC−3`
 * with a Unicode minus, full-width from a Chinese keyboard: `ＵＴＣ＋８`, `＋８：００`): a whole hour is
 * its Etc zone (Etc/GMT-8 for UTC+8, the POSIX sign being the inverse; from UTC-12 to UTC+14 as the
 * Etc zones go; UTC+0 is UTC), a half or quarter hour clocks keep somewhere its own zone, named as
 * written (UTC+3:30, UTC-3:30, UTC+5:45: fixed-offset.ts). Undefined for what is not an offset;
 * unknown, as an offset, for one no clock keeps (UTC+15, UTC+3:07, +25:00).
 */
function offsetAnswer(typed: string): ZoneAnswer | undefined {
  const m = /^(?:utc|gmt)?([+-])(\d{1,2})(?::?(\d{2}))?$/.exec(
    numberText(beltOffset(typed) ?? typed)
      .replace(/[\u2212\u2012\u2013\u2014]/g, '-')
      .replace(/\s+/g, '')
      .toLowerCase(),
  );
  if (m === null) return undefined;
  const sign = m[1] === '+' ? '+' : '-';
  const hours = Number(m[2]);
  const minutes = Number(m[3] ?? 0);
  if (minutes !== 0) {
    const zone = fractionalOffsetZone(sign, hours, minutes);
    return zone === undefined ? { kind: 'unknown', offset: true } : { kind: 'zone', zone };
  }
  if (hours === 0) return { kind: 'zone', zone: 'UTC' };
  if (sign === '+' ? hours > 14 : hours > 12) return { kind: 'unknown', offset: true };
  return { kind: 'zone', zone: `Etc/GMT${sign === '+' ? '-' : '+'}${hours}` };
}

/** A zone as Chinese names its hour belt: 东八区 (東八區) UTC+8, 西五区 UTC-5, 零时区 or 中时区 UTC; as an offset (`+8`), else undefined. */
const ZONE_BELT = /^(?:([东東西])([\d一二兩两三四五六七八九十]{1,3})|零|中)(?:时|時)?(?:区|區)$/;
function beltOffset(typed: string): string | undefined {
  const m = ZONE_BELT.exec(numberText(typed).replace(/\s+/g, ''));
  if (m === null) return undefined;
  if (m[1] === undefined) return '+0';
  const hours = hanNumber(m[2]!) ?? Number(m[2]);
  return Number.isInteger(hours) ? `${m[1] === '西' ? '-' : '+'}${hours}` : undefined;
}

/** The zone a fixed offset as people type one names (offsetAnswer: `UTC+8` → Etc/GMT-8, `UTC+5:30` → UTC+5:30), or undefined. */
export function fixedOffsetZone(typed: string): string | undefined {
  const r = offsetAnswer(typed);
  return r?.kind === 'zone' ? r.zone : undefined;
}

/** The offset a fixed-offset zone stands for, as people write it (Etc/GMT-8 → UTC+8; UTC+3:30 is itself), or undefined for a place's zone. */
export function fixedOffsetOf(zone: string): string | undefined {
  if (fixedZoneOffsetMs(zone) !== undefined) return zone;
  const m = /^Etc\/GMT([+-])(\d{1,2})$/.exec(zone);
  return m === null ? undefined : `UTC${m[1] === '+' ? '-' : '+'}${m[2]}`;
}

/**
 * A zone as a reply names it to people: a fixed offset as they write it (Etc/GMT-8 → UTC+8: the
 * Etc name's sign reads the other way), any other zone by its IANA name. Stored and computed with
 * the IANA name; only what people read changes.
 */
export const zoneLabel = (zone: string): string => fixedOffsetOf(zone) ?? zone;
