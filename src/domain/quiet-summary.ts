/**
 * The one message a chat gets when its quiet hours end: every alert held during them, oldest
 * first (by the instant: on a night the clocks go back, 01:45 EDT comes before 01:15 EST, and each
 * says its offset), each with the moment it was decided on the chat's wall clock. Each item reuses the held
 * alert's own title (a Text), so the summary is read in the chat's language when it is sent; a
 * title that says "now {value}" is said with its value then (thenTitle): hours later, nothing in
 * the summary is "now".
 */
import type { Message, Text } from './message.ts';
import { fmtDate } from './i18n/format.ts';
import { hasKey, inEveryLang } from './i18n/index.ts';
import { wallTime } from './quiet-hours.ts';
import { zoneLabel, zoneOffsetMs } from './digest-schedule.ts';
import { offsetText } from './fixed-offset.ts';
import { LIVE_QUOTE_MAX_AGE_MS } from './ratio.ts';

export interface HeldAlert {
  readonly message: Message;
  /** When the alert was decided (ms): the order of the list and the time each item shows. */
  readonly decidedAt: number;
}

const SUMMARY_TITLE = 'quiet.summary.title';
/** The title when the window was turned off (/quiet off) rather than ended. */
const SUMMARY_TITLE_OFF = 'quiet.summary.title.off';

const isSummary = (m: Message): boolean =>
  typeof m.title === 'object' && 'key' in m.title && (m.title.key === SUMMARY_TITLE || m.title.key === SUMMARY_TITLE_OFF);

/**
 * `2026-11-24 05:10` / `2026年11月24日 05:10`: the decided moment on the chat's clock, its date
 * through each language. In an hour the clocks repeat (they go back) it names its offset,
 * `2026-11-01 01:15 (UTC-5)`: the list is in the order things happened, and without it 01:45 then
 * 01:15 would read as going backwards.
 */
function localMoment(ms: number, zone: string): Text {
  const [date = '', time = ''] = wallTime(ms, zone).split(' ');
  const at = inEveryLang((lang) => `${fmtDate(date, lang)} ${time}`);
  return repeatedWallTime(ms, zone) ? { key: 'quiet.summary.at.offset', params: { at, offset: offsetText(zoneOffsetMs(ms, zone)) } } : at;
}

/**
 * Whether the wall clock of `zone` shows the same time at another instant near `ms` (the hour, or
 * half hour on Lord Howe, that repeats when the clocks go back): another offset `o` within a few
 * hours whose instant `ms + offset(ms) - o` has that offset reads the same wall time.
 */
export function repeatedWallTime(ms: number, zone: string): boolean {
  const own = zoneOffsetMs(ms, zone);
  for (const near of [ms - REPEAT_REACH_MS, ms + REPEAT_REACH_MS]) {
    const o = zoneOffsetMs(near, zone);
    if (o !== own && zoneOffsetMs(ms + own - o, zone) === o) return true;
  }
  return false;
}

/** How far either side a clock change is looked for: more than any change of offset (an hour; two in a few places' past). */
const REPEAT_REACH_MS = 3 * 3_600_000;

/**
 * How long after an alert was decided its "now {value}" still holds: a live quote's age limit
 * (domain/ratio.ts). Sent later (held alone through quiet hours, a platform down), it says "then".
 */
export const NOW_HOLDS_MS = LIVE_QUOTE_MAX_AGE_MS;

/** Title keys whose text says "now {value}": alert.<kind>, alert.late.<kind> and move.alert.<direction>. */
const NOW_TITLE =
  /^(?:alert\.((?:late\.)?(?:cross-up|cross-down|zone-enter\.(?:up|down)|zone-exit\.(?:up|down)|approach\.(?:up|down)))|move\.alert\.(up|down))$/;

/**
 * A held alert's title as the summary says it: the same words with its value then (alert.held.*,
 * move.held.*), for the summary's items each say when. Any other title (an older close's, named with
 * its day; a correction) is kept as it is.
 */
export function thenTitle(title: Text): Text {
  if (typeof title !== 'object' || !('key' in title) || typeof title.key !== 'string') return title;
  const m = NOW_TITLE.exec(title.key);
  if (m === null) return title;
  const key = m[1] !== undefined ? `alert.held.${m[1]}` : `move.held.${m[2]}`;
  return title.params === undefined ? { key } : { key, params: title.params };
}

/** The older gold price's day an alert names (alert.goldOlder: London shut, New York open), if it names one. */
function goldOlderOf(m: Message): Text | undefined {
  for (const line of m.lines) if (typeof line === 'object' && 'key' in line && line.key === 'alert.goldOlder') return line.params?.gold as Text | undefined;
  return undefined;
}

/** One held alert as an item: when, its title then, and the older gold price's day its ratio used, as the alert itself says it. */
function summaryItem(h: HeldAlert, zone: string): Text {
  const params = { at: localMoment(h.decidedAt, zone), what: thenTitle(h.message.title ?? h.message.lines[0] ?? '') };
  const gold = goldOlderOf(h.message);
  return gold === undefined ? { key: 'quiet.summary.item', params } : { key: 'quiet.summary.itemGoldOlder', params: { ...params, gold } };
}

/**
 * Which clock the items' times are on: as readers name it where the catalogue has a name (以上為台北時間,
 * Times in Taipei time), else by its IANA name or fixed offset (時間以 Europe/Paris 為準).
 */
function summaryFooter(zone: string): Text {
  const named = `zone.clock.${zone}`;
  if (hasKey(named)) return { key: 'quiet.summary.footer.named', params: { zone: { key: named } } };
  // A place named but not its clock (巴黎): 以上為巴黎時間, as chat/labels.ts zoneName says it.
  const city = `zone.city.${zone}`;
  return hasKey(city) && zone !== 'UTC'
    ? { key: 'quiet.summary.footer.named', params: { zone: { key: 'zone.clock.ofCity', params: { city: { key: city } } } } }
    : { key: 'quiet.summary.footer', params: { zone: zoneLabel(zone) } };
}

/** `ended`: how the alerts were let out, the window's end ('over') or /quiet off ('off'): the title says which. */
export function quietSummary(held: readonly HeldAlert[], zone: string, ended: 'over' | 'off' = 'over'): Message {
  const sorted = [...held].sort((a, b) => a.decidedAt - b.decidedAt);
  // A summary held again (its chat went quiet before it could be sent) gives back its own items.
  const lines: Text[] = sorted.flatMap((h): Text[] => (isSummary(h.message) ? [...h.message.lines] : [summaryItem(h, zone)]));
  return {
    title: { key: ended === 'off' ? SUMMARY_TITLE_OFF : SUMMARY_TITLE, params: { count: lines.length } },
    lines,
    footer: summaryFooter(zone),
    mention: sorted.some((h) => h.message.mention === true),
    tone: 'neutral',
  };
}
