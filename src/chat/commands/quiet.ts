/**
 * /quiet: the chat's quiet hours. `/quiet` shows them; `/quiet 23:00-07:00 [Asia/Taipei]` sets
 * them (a window without a zone takes the chat's zone, else UTC, and says so, as /digest does);
 * `/quiet off` ends them. Alerts due inside the window wait in the outbox and arrive after it as
 * one message (store/quiet.ts); digests are not held. `off` is the one word the window also takes.
 */
import { t, type Lang } from '../../domain/i18n/index.ts';
import { commonZonesFor, resolveTimeZoneIn } from '../../domain/digest-schedule.ts';
import { chatZoneOf, isZoneUnset, quietEnd, SPAN_SEPARATOR, windowMinutes, type QuietSpan } from '../../domain/quiet-hours.ts';
import { commandLine, type ArgValues } from '../args.ts';
import { echo, isOffWord } from '../parse.ts';
import { parseQuietSpanArg } from '../parse-alerts.ts';
import { isLoneOffset, loneOffsetZone } from '../lone-offset.ts';
import { defineCommand, type ChatCommand } from '../define-command.ts';
import { chatLang, type ChatContext, type ChatDeps } from '../context.ts';
import { fixedOffsetLines, formatMoment, whichZoneError, zoneButtonLabel, zoneLabel, zoneName } from '../labels.ts';
import { alertsOffNote, denied, mayChangeSettings, platformText, stopNote, usage } from '../replies.ts';
import { copyable, errorReply, reply, textLine, type Button, type Line, type Reply } from '../reply.ts';

/** `/quiet 23:00-07:00 Asia/Taipei` as the chat's platform takes it (Discord: its form's options), to copy (reply.ts copyable). */
const quietLine = (lang: Lang, ctx: ChatContext, hours: string, timezone: string): string =>
  copyable(commandLine('quiet', defined.args, lang, ctx.platform, { hours, timezone }));

async function stateLine(deps: ChatDeps, ctx: ChatContext, lang: Lang): Promise<Line[]> {
  const sub = await deps.subs.get(ctx.platform, ctx.chatId);
  const w = sub && (await deps.quiet?.window(sub.id));
  if (w === undefined) return [textLine(t(lang, 'quiet.off', { example: quietLine(lang, ctx, '23:00-07:00', t(lang, 'chat.example.zone')) }))];
  const end = quietEnd(ctx.nowMs, w);
  const lines: Line[] = [[t(lang, 'quiet.on', { start: w.start, end: w.end, zone: zoneName(lang, w.zone) })], ...fixedOffsetLines(lang, w.zone)];
  // Hours kept for alerts the chat does not take (unsubscribed, or never subscribed): said, with what turns them on.
  const off = alertsOffNote(lang, sub, ctx);
  // "Alerts are held until 07:00" is said only where alerts come: above "no alerts come here now" it promised what never arrives.
  if (end !== undefined && off === undefined) lines.push([t(lang, 'quiet.now', { until: formatMoment(end, w.zone, lang) })]);
  // Hours kept for alerts a platform stop holds: the stop's line, as when they are set.
  const stopped = stopNote(lang, sub, ctx, 'alerts');
  if (stopped !== undefined) lines.push([stopped]);
  if (off !== undefined) lines.push([off]);
  return lines;
}

async function off(deps: ChatDeps, ctx: ChatContext, lang: Lang): Promise<Reply> {
  if (!(await mayChangeSettings(ctx))) return denied(lang, ctx);
  const sub = await deps.subs.get(ctx.platform, ctx.chatId);
  // Whether there were hours to end is asked in the write (another admin's /quiet off may have landed first).
  const r = sub && (await deps.quiet?.set(sub.id, (current) => (current === undefined ? undefined : null), ctx.nowMs));
  if (r?.before === undefined) return reply([[t(lang, 'quiet.alreadyOff')]]);
  // Held alerts are promised only when some wait.
  const held = sub === undefined ? 0 : ((await deps.quiet?.heldCount(sub.id)) ?? 0);
  return reply([[t(lang, held > 0 ? 'quiet.stopped' : 'quiet.stoppedNone')]]);
}

const defined = defineCommand({
  name: 'quiet',
  changesSettings: true,
  readsWithoutArgs: true,
  // Hours (or a zone moving them) hold the alerts the bot posts here until they end; `off` ends them.
  postsHere: (v) => (v.hours !== undefined ? !isOffWord(String(v.hours)) : v.timezone !== undefined),
  args: [
    { name: 'hours', kind: 'quietSpan' },
    { name: 'timezone', kind: 'timezone' },
  ],
  describe: (lang) => t(lang, 'chat.cmd.quiet'),
  async execute(deps, ctx, args) {
    const lang = await chatLang(deps, ctx);
    let span = args.hours as QuietSpan | undefined;
    // The zone passed the shared 'timezone' kind; /digest's resolver names it (asia/taipei → Asia/Taipei, EST → America/New_York).
    const given = args.timezone === undefined ? undefined : resolveTimeZoneIn(String(args.timezone), lang);
    if (span === undefined && given === undefined) return reply(await stateLine(deps, ctx, lang));
    const existing = await deps.subs.get(ctx.platform, ctx.chatId);
    const noHours = () =>
      errorReply(
        t(lang, 'quiet.zoneNeedsHours', {
          example: quietLine(lang, ctx, '23:00-07:00', given?.kind === 'zone' ? zoneLabel(given.zone) : echo(String(args.timezone))),
        }),
      );
    if (span === undefined) {
      // A zone alone moves the chat's quiet hours to it, as /digest does; without them it needs hours (never dropped in silence).
      const w = existing && (await deps.quiet?.window(existing.id));
      if (w === undefined) return noHours();
      span = { start: w.start, end: w.end };
    }
    if (deps.quiet === undefined) return errorReply(t(lang, 'quiet.unavailable'));
    if (given?.kind === 'ambiguous') {
      const example = quietLine(lang, ctx, `${span.start}-${span.end}`, given.choices[0]!);
      return usage(lang, ctx.platform, quietCommand, whichZoneError(lang, given, 'quiet.whichZone', example));
    }
    const zone = given?.kind === 'zone' ? given.zone : undefined;
    // Quiet hours are a setting, not a subscription: a new chat keeps an inactive row (as /digest and /lang do).
    const sub = existing ?? (await deps.subs.ensure(ctx.platform, ctx.chatId, { active: false, lang }));
    // Made from the window as the write reads it, not as read above: a zone alone moves the hours
    // there are then (another admin's new hours, the same moment, are not put back); new hours
    // without a zone keep the window's own, else the chat's (its digest's zone).
    const hours = args.hours as QuietSpan | undefined;
    // The chat's zone as the write read it: new hours that keep their window's other zone say so.
    let chatZoneNow: string | undefined;
    const { before: was, after: w } = await deps.quiet.set(
      sub.id,
      (current, digestZone) => {
        // The chat's zone, as /mute and /digest read it: its digest's, else its quiet hours'.
        chatZoneNow = chatZoneOf({ time: sub.digestTime, timezone: digestZone }, current);
        const chatZone = digestZone;
        if (hours === undefined) return current && { start: current.start, end: current.end, zone: zone ?? current.zone };
        return { start: hours.start, end: hours.end, zone: zone ?? current?.zone ?? chatZone };
      },
      ctx.nowMs,
    );
    // The hours a zone alone was to move were ended meanwhile (/quiet off).
    if (w === undefined) return noHours();
    // The chat's zone when new hours kept their window's other one (said so), else undefined.
    const keptZone = zone === undefined && chatZoneNow !== w.zone ? chatZoneNow : undefined;
    const setLine =
      zone !== undefined
        ? t(lang, 'quiet.set', { start: w.start, end: w.end, zone: zoneName(lang, w.zone) })
        : keptZone !== undefined
          ? platformText(lang, 'quiet.setKeptZone', ctx, { start: w.start, end: w.end, zone: zoneName(lang, w.zone), chatZone: zoneName(lang, keptZone) })
          : isZoneUnset(w.zone)
            ? t(lang, 'quiet.setUtc', { start: w.start, end: w.end, zone: zoneName(lang, w.zone) })
            : platformText(lang, 'quiet.setDefaultZone', ctx, { start: w.start, end: w.end, zone: zoneName(lang, w.zone) });
    const lines: Line[] = [[setLine], ...fixedOffsetLines(lang, w.zone)];
    // Typed hours that make a long daytime window (`/quiet 7-23`: sixteen hours) were more likely
    // meant for the night: set as typed, the length said, and the night's window a button away.
    const night = hours !== undefined ? daytimeReverse(w) : undefined;
    if (night !== undefined)
      lines.push([t(lang, 'quiet.daytime', { start: w.start, end: w.end, length: windowMinutes(w.start, w.end) / 60, night: night.label })]);
    const nightRow: (readonly Button[])[] =
      night === undefined ? [] : [[{ label: t(lang, 'quiet.nightInstead', { night: night.label }), action: `quiet:${night.span}:${w.zone}` }]];
    const end = quietEnd(ctx.nowMs, w);
    // Hours set where no alerts come (unsubscribed, or never subscribed): said below, with what turns them on;
    // then no "alerts are held until …" above it, which promised alerts that never arrive.
    const alertsOff = alertsOffNote(lang, sub, ctx);
    if (end !== undefined) {
      if (alertsOff === undefined) lines.push([t(lang, 'quiet.now', { until: formatMoment(end, w.zone, lang) })]);
    }
    // Quiet until this change (hours or zone moved), not quiet any more: what was held goes out now,
    // said when something is held (with nothing held, no alerts are promised).
    else if (was !== undefined && quietEnd(ctx.nowMs, was) !== undefined && (await deps.quiet.heldCount(sub.id)) > 0) lines.push([t(lang, 'quiet.released')]);
    // Hours set for alerts a platform stop keeps from coming: said, with what brings them back (the hours stay set for then).
    const stopped = stopNote(lang, existing, ctx, 'alerts');
    if (stopped !== undefined) lines.push([stopped]);
    if (alertsOff !== undefined) lines.push([alertsOff]);
    lines.push([{ italic: t(lang, 'quiet.howItWorks') }]);
    // No zone given: the hours were read on the chat's clock, UTC for a new chat, where 23:00-07:00
    // is mid-afternoon in Asia. As /digest does, buttons move the same hours to a common zone.
    if (zone !== undefined || keptZone !== undefined) return nightRow.length === 0 ? reply(lines) : reply(lines, { buttons: nightRow });
    lines.push([{ italic: t(lang, 'chat.digest.pickZone'), aboutButtons: true }]);
    return reply(lines, { buttons: [...nightRow, ...zoneButtons(w.start, w.end, lang)] });
  },
});

/** Longer than this, a window whose start comes before its end in the day is asked about (a night's is not). */
const DAYTIME_ASK_MINUTES = 12 * 60;

/** A daytime window over 12 hours (07:00-23:00): its reverse, the night's (23:00–07:00), to offer; else undefined. */
function daytimeReverse(w: QuietSpan): { readonly label: string; readonly span: string } | undefined {
  if (w.start >= w.end || windowMinutes(w.start, w.end) <= DAYTIME_ASK_MINUTES) return undefined;
  return { label: `${w.end}–${w.start}`, span: `${w.end.replace(':', '')}-${w.start.replace(':', '')}` };
}

/** Buttons that set the same hours in a common zone (`quiet:2300-0700:Asia/Taipei`), the chat's readers' own first. */
function zoneButtons(start: string, end: string, lang: Lang): (readonly Button[])[] {
  const span = `${start.replace(':', '')}-${end.replace(':', '')}`;
  const buttons = commonZonesFor(lang).map((z) => ({ label: zoneButtonLabel(lang, z), action: `quiet:${span}:${z}` }));
  return [buttons.slice(0, 4), buttons.slice(4)];
}

/** A zone button: `quiet:2300-0700:Asia/Taipei`, run as `/quiet 23:00-07:00 Asia/Taipei` is (validated and checked again: a forged action stores nothing). */
export async function quietAction(deps: ChatDeps, ctx: ChatContext, span: string, zone: string): Promise<Reply> {
  const m = /^(\d\d)(\d\d)-(\d\d)(\d\d)$/.exec(span);
  if (m === null || zone === '') return errorReply(t(await chatLang(deps, ctx), 'chat.err.action'));
  return defined.run(deps, ctx, [`${m[1]}:${m[2]}-${m[3]}:${m[4]}`, zone]);
}

/**
 * `/quiet -7` alone: more likely a window cut short (or a guess at the syntax) than a move of the
 * chat's hours to UTC-7. Nothing is set; the answer says so and shows both commands it may have meant.
 */
async function loneOffset(deps: ChatDeps, ctx: ChatContext, input: string): Promise<Reply> {
  const zone = loneOffsetZone(input);
  if (zone === undefined) return defined.run(deps, ctx, [input]);
  const lang = await chatLang(deps, ctx);
  const sub = await deps.subs.get(ctx.platform, ctx.chatId);
  const w = sub && (await deps.quiet?.window(sub.id));
  const hours = w === undefined ? '23:00-07:00' : `${w.start}-${w.end}`;
  return errorReply(
    t(lang, 'quiet.loneOffset', {
      input: echo(input),
      hours: copyable(commandLine('quiet', defined.args, lang, ctx.platform, { hours })),
      zone,
      zoned: quietLine(lang, ctx, hours, zone),
    }),
  );
}

/**
 * The window typed with spaces (`23:00 - 07:00`, `23 -7`, `11pm- 7am`, `23:00 07:00`) is one argument: its words
 * are joined back before they are bound, as a Discord option would carry it whole.
 */
function joinSpan(words: readonly string[]): readonly string[] {
  const [a, b, c] = words;
  if (a === undefined || b === undefined) return words;
  if (SPAN_SEPARATOR.test(b) && c !== undefined) return [`${a}-${c}`, ...words.slice(3)];
  if (SPAN_SEPARATOR.test(a.slice(-1)) || SPAN_SEPARATOR.test(b[0]!)) return [`${a}${b}`, ...words.slice(2)];
  // Two times side by side, the dash left out (`23:00 07:00`, `11pm 7am`, `晚上11點 早上7點`): the window they make.
  if (!parseQuietSpanArg(a).ok && parseQuietSpanArg(`${a}-${b}`).ok) return [`${a}-${b}`, ...words.slice(2)];
  return words;
}

/**
 * The zone typed before the hours (`/quiet Asia/Taipei 23:00-07:00`, `/quiet 台北 23-7`, `/quiet New York
 * 23-7`, a misspelt one too, to be asked about): put after them, as the command takes it, rather than
 * refused as hours.
 */
function hoursFirst(words: readonly string[]): readonly string[] {
  for (let k = 1; k < words.length && k <= 3; k++) {
    const rest = joinSpan(words.slice(k));
    if (rest.length !== 1 || !parseQuietSpanArg(rest[0]!).ok) continue;
    const zone = resolveTimeZoneIn(words.slice(0, k).join(' '), undefined);
    if (zone.kind !== 'unknown' || zone.nearest !== undefined) return [rest[0]!, ...words.slice(0, k)];
  }
  return words;
}

export const quietCommand: ChatCommand = {
  ...defined,
  // `off` ends them, whatever follows it (a zone means nothing then).
  run: async (deps, ctx, words) => {
    if (words.length <= 2 && isOffWord(words[0])) return off(deps, ctx, await chatLang(deps, ctx));
    if (words.length === 1 && isLoneOffset(words[0])) return loneOffset(deps, ctx, words[0]);
    return defined.run(deps, ctx, hoursFirst(joinSpan(words)));
  },
  runNamed: async (deps, ctx, values: ArgValues) => {
    if (isOffWord(values.hours === undefined ? undefined : String(values.hours))) return off(deps, ctx, await chatLang(deps, ctx));
    if (values.hours === undefined && isLoneOffset(values.timezone)) return loneOffset(deps, ctx, values.timezone);
    // The zone typed into the hours' option before them (`hours:Asia/Taipei 23-7`), its own option left empty: the zone's.
    if (values.hours !== undefined && values.timezone === undefined) {
      const words = String(values.hours).trim().split(/\s+/);
      const [hours, ...zone] = hoursFirst(joinSpan(words));
      if (zone.length > 0 && hours !== words[0]) return defined.runNamed(deps, ctx, { ...values, hours, timezone: zone.join(' ') });
    }
    return defined.runNamed(deps, ctx, values);
  },
};
