/**
 * A decided level event as an outbox Message: built once when the event is decided, stored as
 * JSON, and read in each chat's language at send time (the texts are i18n keys, not sentences).
 */
import { fmtDate, formatDistance, formatLevel, formatRatio, formatRatioBeside } from './i18n/format.ts';
import { inEveryLang, type Lang } from './i18n/index.ts';
import type { PairId } from './instruments.ts';
import { ERAS, customLevel, distancePct, levelById, type Level } from './levels.ts';
import type { Message, Text } from './message.ts';

/** What an alert says about its event (store/events.ts LevelEvent has these fields). */
export interface AlertEvent {
  readonly date: string;
  readonly pair: PairId;
  readonly levelId: string;
  readonly kind: 'cross-up' | 'cross-down' | 'zone-enter' | 'zone-exit' | 'approach';
  readonly direction: 'up' | 'down';
  readonly value: number;
  readonly levelValue: number;
  readonly basis: 'close' | 'intraday';
}

/**
 * A break the cooldown held back (crossing.ts LateBreak, with the cooldown's days): it happened at
 * `since`, and is sent at `date` because a reverse break within `days` days of the one of `after`
 * waits for the cooldown to end.
 */
export interface LateNote {
  readonly since: string;
  readonly value: number;
  readonly after: string;
  readonly days: number;
}

/** The level an alert's event is about: the essay's, or a chat's own at its value. */
export function levelOf(e: Pick<AlertEvent, 'pair' | 'levelId' | 'levelValue'>): Level {
  return levelById(e.levelId) ?? customLevel(e.pair, e.levelValue);
}

/** The level in each language, by the one level formatter. */
function levelLabel(l: Level): Readonly<Record<Lang, string>> {
  return inEveryLang((lang) => formatLevel(l, lang));
}

/**
 * `past`: a later close followed the event's before it was decided (closes caught up after days
 * away): the title names the close's day and says its value closed there, not "now".
 */
export function alertMessage(e: AlertEvent, late?: LateNote, past = false, goldDate?: string): Message {
  const level = levelOf(e);
  const kind = e.kind === 'cross-up' || e.kind === 'cross-down' ? e.kind : `${e.kind}.${e.direction}`;
  // Late, the title says when the break happened: read as today's news it would be false.
  // Past, the value is its close's, named with its day: read as "now" it would be false too.
  const prefix = late !== undefined ? (past ? 'alert.late-past' : 'alert.late') : past ? 'alert.past' : 'alert';
  const key = `${prefix}.${kind}`;
  const date = (d: string) => inEveryLang((lang) => fmtDate(d, lang));
  const distance = formatDistance(distancePct(e.value, level));
  const lines: Text[] = [level.note];
  const era = ERAS.find((x) => x.id === level.era);
  if (era !== undefined) lines.push({ key: 'alert.level.era', params: { era: era.name } });
  if (late !== undefined)
    lines.push({ key: 'alert.late.why', params: { since: date(late.since), after: date(late.after), days: late.days, date: date(e.date) } });
  lines.push({ key: e.basis === 'close' ? 'alert.basis.close' : 'alert.basis.intraday', params: { date: date(e.date) } });
  // The close's ratio over an older gold price (London shut, New York open): said, as /ratio says it.
  if (goldDate !== undefined && goldDate < e.date) lines.push({ key: 'alert.goldOlder', params: { gold: date(goldDate), date: date(e.date) } });
  return {
    title: {
      key,
      params: {
        pair: { key: `pair.${e.pair}` },
        level: levelLabel(level),
        value: formatRatioBeside(e.value, level),
        distance,
        ...(late && { since: date(late.since) }),
        ...(past && { date: date(e.date) }),
      },
    },
    lines,
    chart: {
      kind: 'alert',
      pair: e.pair,
      levelId: e.levelId,
      date: e.date,
      value: e.value,
      event: e.kind,
      ...(late && { late: { since: late.since, value: late.value } }),
    },
    mention: true,
    tone: e.direction,
    data: {
      type: 'level',
      pair: e.pair,
      level_id: e.levelId,
      level: e.levelValue,
      event: e.kind,
      direction: e.direction,
      value: e.value,
      date: e.date,
      basis: e.basis,
      ...(late && { broke_on: late.since, broke_at: late.value }),
      ...(goldDate !== undefined && goldDate < e.date && { gold_date: goldDate }),
    },
  };
}

/**
 * The words to the chats that got an alert whose close a source then corrected, so that the alert
 * no longer holds (alerts/corrected-close.ts): the close, its ratio before and after, and the
 * alert's own title. Never silence: a chat that read a break must read that it did not happen.
 */
export function correctionMessage(c: {
  pair: PairId;
  date: string;
  from: number;
  to: number;
  what: Text;
  level?: Level;
  /** The corrected alert's event: with `level`, what a receiver of `data` matches the alert it got by. */
  event?: AlertEvent['kind'];
}): Message {
  const date = inEveryLang((lang) => fmtDate(c.date, lang));
  // Beside the alert's level, with the digits that tell each close from it: a revision across 2.5
  // reads "from 2.5003 to 2.4996", not "from 2.500 to 2.500", a change that reads as none.
  const ratio = (v: number) => (c.level === undefined ? formatRatio(v) : formatRatioBeside(v, c.level));
  return {
    title: { key: 'alert.correction.title', params: { pair: { key: `pair.${c.pair}` }, date } },
    lines: [{ key: 'alert.correction.why', params: { date, from: ratio(c.from), to: ratio(c.to), what: c.what } }],
    tone: 'neutral',
    data: {
      type: 'correction',
      pair: c.pair,
      date: c.date,
      from: c.from,
      to: c.to,
      ...(c.level !== undefined && { level_id: c.level.id }),
      ...(c.event !== undefined && { event: c.event }),
    },
  };
}
