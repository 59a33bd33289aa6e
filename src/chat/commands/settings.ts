/** Chat settings: mute, unmute, language. */
import { LANGS, t, type Lang } from '../../domain/i18n/index.ts';
import { commonZonesFor } from '../../domain/digest-schedule.ts';
import type { Subscription } from '../../store/subscriptions.ts';
import { fmtDate, fmtList } from '../../domain/i18n/format.ts';
import {
  isMuteUntil,
  marketDayOf,
  marketShutOn,
  muteEnd,
  muteUntilEnd,
  weekendCloseDay,
  weekendNow,
  type MuteLength,
  type MuteUntil,
} from '../../domain/mute-length.ts';
import { closeTimeOf, EARLY_CLOSE, isEarlyClose, isMarketOpen, nyDate } from '../../domain/nyse-calendar.ts';
import { addDays, dateInZone } from '../../domain/dates.ts';
import { MAX_MUTE_MS } from '../parse-duration.ts';
import { A_FEW_COUNT } from '../../domain/han-numbers.ts';
import { commandLine } from '../args.ts';
import { defineCommand } from '../define-command.ts';
import { formatMoment, zoneButtonLabel } from '../labels.ts';
import { chatLang, chatZone, type ChatContext, type ChatDeps } from '../context.ts';
import { denied, mayChangeSettings, platformText, stopNote, usage, type Where } from '../replies.ts';
import { muteEndCode, readMuteEndCode } from '../mute-zone.ts';
import { copyable, errorReply, reply, textLine, type Reply } from '../reply.ts';
import { isReply, requireActive } from './subscription.ts';

export const muteCommand = defineCommand({
  name: 'mute',
  changesSettings: true,
  args: [{ name: 'duration', kind: 'duration', required: true }],
  describe: (lang) => t(lang, 'chat.cmd.mute'),
  async execute(deps, ctx, args) {
    const lang = await chatLang(deps, ctx);
    const sub = await requireActive(deps, ctx, lang);
    if (isReply(sub)) return sub;
    // An end typed with its zone (until 9am Taipei) is read, and named back, on that zone's clock.
    const typed = args.duration as MuteLength | MuteUntil;
    const zone = (isMuteUntil(typed) ? typed.zone : undefined) ?? (await chatZone(deps, sub));
    // A market word (a day's close, until tomorrow's close; the weekend, the week's last close) in a chat
    // with no zone: the day and the week are New York's, the close's own, not UTC's (at 20:00 there UTC's
    // tomorrow is New York's day after, and on Sunday evening UTC's week is already the next one).
    const marketWord = isMuteUntil(typed) && typed.zone === undefined && onMarketCalendar(typed);
    const dayZone = marketWord && !(await hasZone(deps, sub)) ? NEW_YORK : zone;
    const r = await muteTo(deps, ctx, lang, typed, zone, ctx.nowMs, dayZone);
    // An end on a clock or a calendar (until 9am, 到明天早上, until monday) in a chat with no zone of
    // its own was read in UTC, where a Shanghai reader's morning is their afternoon: as /quiet and
    // /digest do, buttons read the same end again in a common zone, the reader's own first.
    const code = isMuteUntil(typed) && r.status === 'ok' && !(await hasZone(deps, sub)) ? muteEndCode(typed, ctx.nowMs) : undefined;
    if (code === undefined) return r;
    const buttons = commonZonesFor(lang).map((z) => ({ label: zoneButtonLabel(lang, z), action: `mute:${code}:${z}` }));
    // Said once, with why it was UTC and how the chat gets a zone of its own (a button reads this mute alone again).
    return reply([...r.lines, [platformText(lang, 'chat.mute.readInUtc', ctx)]], { buttons: [buttons.slice(0, 4), buttons.slice(4)] });
  },
});

/** Whether the chat has a zone of its own (a digest's, or its quiet hours'), not the UTC every new chat reads. */
async function hasZone(deps: ChatDeps, sub: Subscription): Promise<boolean> {
  return sub.digestTime !== null || sub.timezone !== 'UTC' || (await deps.quiet?.window(sub.id)) !== undefined;
}

const NEW_YORK = 'America/New_York';

/**
 * Whether `typed` names a market's moment whose day is read on a calendar: a day's close or open
 * (friday close), or the weekend without a time (the week's last close). Read on the chat's
 * calendar when it has a zone, else on New York's; the market's next close (until the close) has no day to read.
 */
const onMarketCalendar = (typed: MuteUntil): boolean =>
  (typed.day?.kind === 'market' && typed.day.on !== undefined) || (typed.day?.kind === 'weekend' && typed.time === undefined);

/**
 * Mutes the chat until `typed` read on `zone`'s calendar as at `readAtMs` (the moment it was typed;
 * a zone button's press reads it as typed then), and says until when, on `zone`'s clock; refused when
 * that end is past or too far. A day's close is read on `dayZone`'s calendar.
 */
async function muteTo(
  deps: ChatDeps,
  ctx: ChatContext,
  lang: Lang,
  asTyped: MuteLength | MuteUntil,
  zone: string,
  readAtMs: number,
  dayZone = zone,
): Promise<Reply> {
  // The bell: the closing bell while the market is open, else the next opening bell (before 09:30 too), as at the moment typed.
  const typed = isMuteUntil(asTyped) && asTyped.said === 'bell' ? bellRead(asTyped, readAtMs) : asTyped;
  // Months are counted on the chat's calendar (3 months from Nov 21 is Feb 21); the reply names the end.
  // An end typed (until monday, 到明天) is read on that calendar too: a day alone is its 00:00 there.
  // `until the weekend` on a Saturday: it is now, no end ahead; asked for one, not read as next week's.
  // The calendar the day or the week of a market word is read on (dayZone: New York's in a chat with no zone).
  const calendar = isMuteUntil(typed) && (typed.day?.kind === 'market' || onMarketCalendar(typed)) ? dayZone : zone;
  const weekend = isMuteUntil(typed) ? weekendNow(readAtMs, typed, calendar) : undefined;
  if (weekend !== undefined) {
    const key = calendar === NEW_YORK && zone !== NEW_YORK ? 'chat.err.muteWeekendNowNy' : 'chat.err.muteWeekendNow';
    return usage(lang, ctx.platform, muteCommand, { key, params: { today: weekend }, dates: ['today'] });
  }
  // The close of a day the market is shut (until saturday close, 到元旦收盤): none that day; the next one named, to type.
  const shut = isMuteUntil(typed) ? marketShutOn(readAtMs, typed, dayZone) : undefined;
  if (shut !== undefined) {
    const params = { day: shut.day, next: formatMoment(shut.nextAt, zone, lang), nextDay: shut.next };
    const key = isMuteUntil(typed) && typed.day?.kind === 'market' && typed.day.event === 'open' ? 'chat.err.muteMarketShutOpen' : 'chat.err.muteMarketShut';
    return usage(lang, ctx.platform, muteCommand, { key, params, dates: ['day', 'nextDay'] });
  }
  const until = isMuteUntil(typed) ? muteUntilEnd(readAtMs, typed, calendar) : muteEnd(readAtMs, typed, zone);
  if (isMuteUntil(typed) && (until <= ctx.nowMs || until - ctx.nowMs > MAX_MUTE_MS)) {
    const key = until <= ctx.nowMs ? 'chat.err.muteEndPast' : 'chat.err.muteEndFar';
    return usage(lang, ctx.platform, muteCommand, { key, params: { end: formatMoment(until, zone, lang) } });
  }
  await deps.subs.upsert(ctx.platform, ctx.chatId, { mutedUntil: until });
  // Until the close on a day it comes at 13:00: said, since a reader expects the 16:00 one.
  const weekendClose = isMuteUntil(typed) ? weekendCloseDay(readAtMs, typed, calendar) : undefined;
  const early =
    isMuteUntil(typed) &&
    ((typed.day?.kind === 'market' && typed.day.event === 'close') || weekendClose !== undefined) &&
    isEarlyClose(nyDate(new Date(until)));
  const notes = readAsLines(typed, lang, until, readAtMs, calendar, ctx);
  // The close or open of a day named (friday close, 到明天收盤, monday open), or the week's last before the weekend:
  // the reply names that day's date in New York and the time.
  const marketDay = isMuteUntil(typed) ? (marketDayOf(readAtMs, typed, dayZone) ?? weekendClose) : undefined;
  if (marketDay !== undefined && isMuteUntil(typed) && (typed.day?.kind === 'market' || weekendClose !== undefined)) {
    const open = typed.day?.kind === 'market' && typed.day.event === 'open';
    const key = open ? 'chat.mute.doneOpenOf' : early ? 'chat.mute.doneCloseOfEarly' : 'chat.mute.doneCloseOf';
    return reply([
      [t(lang, key, { until: formatMoment(until, zone, lang), day: fmtDate(marketDay, lang), time: open ? '09:30' : closeTimeOf(marketDay) })],
      ...notes,
    ]);
  }
  const done = early ? 'chat.mute.doneEarlyClose' : 'chat.mute.done';
  return reply([[t(lang, done, { until: formatMoment(until, zone, lang), time: EARLY_CLOSE })], ...notes]);
}

/** The date at `ms` on `zone`'s calendar; UTC's for a zone the runtime does not know, as mute-length.ts counts on it. */
function calendarDate(ms: number, zone: string): string {
  try {
    return dateInZone(new Date(ms), zone);
  } catch {
    return dateInZone(new Date(ms), 'UTC');
  }
}

/** `until the bell` as at `atMs`: the close of the session open then, else the next open (today's before 09:30), as that day's. */
function bellRead(typed: MuteUntil, atMs: number): MuteUntil {
  const event = isMarketOpen(new Date(atMs)) ? 'close' : 'open';
  const date = nyDate(new Date(muteUntilEnd(atMs, { day: { kind: 'market', event } }, NEW_YORK)));
  return { ...typed, day: { kind: 'market', event, on: { kind: 'date', date } } };
}

/**
 * The lines under a mute's end saying how what was typed was read, where it could be read otherwise: a few
 * (3), about so long, half a day (12 hours), close of business or end of day, the bell, a holiday's close,
 * `next friday` (the coming one: the date a week later to type, when the coming one is this week's).
 */
function readAsLines(typed: MuteLength | MuteUntil, lang: Lang, until: number, readAtMs: number, zone: string, where: Where): Reply['lines'][number][] {
  const line = (key: string, params: Record<string, string | number> = {}) => [{ italic: t(lang, key, params) }];
  if (!isMuteUntil(typed)) {
    return [
      // `a few days` is no exact count: the 3 it was read as is said, beside the end it makes.
      ...(typed.fewSaid !== undefined ? [line('chat.readAs.aFew', { word: typed.fewSaid, n: A_FEW_COUNT })] : []),
      // `an hour or so`, 一個小時左右: the length itself, said.
      ...(typed.aboutSaid !== undefined ? [line('chat.readAs.about', { word: typed.aboutSaid })] : []),
      // 半天: 12 hours, not the rest of the session; how to ask for that.
      ...(typed.halfDaySaid !== undefined ? [line('chat.readAs.halfDay', { word: typed.halfDaySaid })] : []),
    ];
  }
  const lines: Reply['lines'][number][] = [];
  // Close of business and end of day: which each was read as is said, and how to ask for the other; the bell, which bell.
  if (typed.said === 'bell') lines.push(line(typed.day?.kind === 'market' && typed.day.event === 'open' ? 'chat.readAs.bellOpen' : 'chat.readAs.bellClose'));
  // End of day and close of business name the chat's clock as the place names the chat (this channel's, 本對話的).
  else if (typed.said !== undefined) lines.push([{ italic: platformText(lang, `chat.readAs.${typed.said}`, where) }]);
  if (typed.holiday !== undefined) {
    lines.push(line('chat.readAs.holiday', { holiday: t(lang, `chat.holiday.${typed.holiday.name}`), date: fmtDate(typed.holiday.date, lang) }));
  }
  // `next friday` on Monday to Thursday: this week's Friday, which some mean and some do not.
  const d = typed.day?.kind === 'market' ? typed.day.on : typed.day;
  if (d?.kind === 'weekday' && d.nextSaid === true) {
    const date = typed.day?.kind === 'market' ? nyDate(new Date(until)) : calendarDate(until, zone);
    const today = calendarDate(readAtMs, zone);
    const nextMonday = addDays(today, 7 - ((new Date(`${today}T00:00:00Z`).getUTCDay() + 6) % 7));
    if (date < nextMonday) {
      const later = addDays(date, 7);
      const event = typed.day?.kind === 'market' ? typed.day.event : undefined;
      lines.push(
        line('chat.readAs.nextWeekday', {
          date: fmtDate(date, lang),
          alt: t(lang, `chat.readAs.nextWeekday.${event ?? 'day'}`, { date: fmtDate(later, lang) }),
        }),
      );
    }
  }
  return lines;
}

/** Every zone a /mute button may carry: a press for one that is not is no button of ours. */
const BUTTON_ZONES: ReadonlySet<string> = new Set(LANGS.flatMap((l) => commonZonesFor(l)));

/**
 * A zone button under a /mute reply: `mute:<end>.<at>:<zone>` (mute-zone.ts), the end typed then,
 * read again on that zone's clock. Refused (nothing written) when forged, when the press is not
 * an admin's in a group, or stale: the chat no longer muted until that end as read in UTC or in
 * one of the zones offered (unmuted since, or muted again another way), or the end now past.
 */
export async function muteAction(deps: ChatDeps, ctx: ChatContext, code: string, zone: string): Promise<Reply> {
  const lang = await chatLang(deps, ctx);
  const read = readMuteEndCode(code);
  // Typed later than now is no press of a reply of ours (a forged moment: year 9000 throws in the dates' arithmetic).
  if (read === undefined || read.typedAtMs > ctx.nowMs || !BUTTON_ZONES.has(zone)) return errorReply(t(lang, 'chat.err.action'));
  if (!(await mayChangeSettings(ctx))) return denied(lang, ctx);
  const sub = await requireActive(deps, ctx, lang);
  if (isReply(sub)) return sub;
  const { until, typedAtMs } = read;
  const readings = ['UTC', ...BUTTON_ZONES].map((z) => muteUntilEnd(typedAtMs, until, z));
  if (sub.mutedUntil === null || sub.mutedUntil <= ctx.nowMs || !readings.includes(sub.mutedUntil)) return errorReply(t(lang, 'chat.err.action'));
  return muteTo(deps, ctx, lang, until, zone, typedAtMs);
}

export const unmuteCommand = defineCommand({
  name: 'unmute',
  changesSettings: true,
  args: [],
  describe: (lang) => t(lang, 'chat.cmd.unmute'),
  async execute(deps, ctx) {
    const lang = await chatLang(deps, ctx);
    const sub = await requireActive(deps, ctx, lang);
    if (isReply(sub)) return sub;
    // Nothing to undo: said, and nothing written.
    if (sub.mutedUntil === null || sub.mutedUntil <= ctx.nowMs) return reply([[platformText(lang, 'chat.unmute.notMuted', ctx)]]);
    await deps.subs.upsert(ctx.platform, ctx.chatId, { mutedUntil: null });
    return reply([[t(lang, 'chat.unmute.done')]]);
  },
});

export const langCommand = defineCommand({
  name: 'lang',
  changesSettings: true,
  // Alone it says the chat's language (anyone may ask); with one it sets it.
  readsWithoutArgs: true,
  args: [{ name: 'language', kind: 'language' }],
  describe: (lang) => t(lang, 'chat.cmd.lang'),
  async execute(deps, ctx, args) {
    const next = args.language as Lang | undefined;
    if (next === undefined) {
      const lang = await chatLang(deps, ctx);
      // Each other language as a line to copy: `/lang zh-TW`, on Discord `/lang language:繁體中文`.
      const examples = LANGS.filter((l) => l !== lang).map((l) => copyable(commandLine('lang', langCommand.args, lang, ctx.platform, { language: l })));
      return reply([textLine(platformText(lang, 'chat.lang.current', ctx, { lang: t(lang, `chat.lang.${lang}`), examples: fmtList(examples, lang) }))]);
    }
    // A chat that never subscribed keeps its language in an inactive row: choosing a language is not subscribing.
    // Whether the chat has a row is asked in the write: a /subscribe landing the same moment stays active.
    const row = await deps.subs.upsert(ctx.platform, ctx.chatId, (existing) => (existing ? { lang: next } : { lang: next, active: false }));
    // A stopped chat's alerts and digest will read in it once back: the stop said, in the new language.
    const stopped = stopNote(next, row, ctx);
    return reply([[t(next, 'chat.lang.done', { lang: t(next, `chat.lang.${next}`) })], ...(stopped === undefined ? [] : [[stopped]])]);
  },
});
