/**
 * /digest: the chat's daily digest. `/digest` shows the setting and the next send; `/digest 08:00
 * [Asia/Taipei]` sets it (a time without a zone takes the chat's zone, else UTC, and says so);
 * `/digest off` stops it; `/digest now` answers with today's digest at once, as a preview (to the
 * whole chat, so in a group or channel it needs an administrator like `off` and a new time).
 * The time and zone are declared arguments (kinds 'time' and 'timezone'); `off` and `now` are
 * the two words the time argument also takes.
 */
import { flagRegion } from '../../domain/zone-flags.ts';
import { t, type Lang } from '../../domain/i18n/index.ts';
import { isZoneUnset } from '../../domain/quiet-hours.ts';
import { digestMessageAt } from '../../domain/digest.ts';
import { commonZonesFor, nextSendingDue, parseDigestTime, parseTimeZone, resolveTimeZoneIn } from '../../domain/digest-schedule.ts';
import { echo, isNowWord, isOffWord } from '../parse.ts';
import { localize } from '../../domain/message.ts';
import { crossingOptions } from '../../store/story-view.ts';
import { digestOf } from '../../store/digest-view.ts';
import type { DigestSetting } from '../../store/digests.ts';
import type { Subscription } from '../../store/subscriptions.ts';
import { commandLine, type ArgValues } from '../args.ts';
import { defineCommand, type ChatCommand } from '../define-command.ts';
import { chatLang, chatZone, type ChatContext, type ChatDeps } from '../context.ts';
import { dateInZone } from '../../domain/dates.ts';
import { clockLabel, fixedOffsetLines, formatMoment, twoClocksSaid, zoneButtonLabel, zoneLabel, zoneName } from '../labels.ts';
import { messageLines } from '../message-lines.ts';
import { isLoneOffset, loneOffsetZone } from '../lone-offset.ts';
import { alertsOffNote, denied, mayChangeSettings, platformStopLines, platformText, stillNoRights, usage } from '../replies.ts';
import { copyable, errorReply, reply, textLine, type Button, type Reply } from '../reply.ts';

/** Buttons that set the same time in a common zone (`digest:0800:Asia/Taipei`), the chat's readers' own first. */
function zoneButtons(time: string, lang: Lang): (readonly Button[])[] {
  const hhmm = time.replace(':', '');
  const buttons = commonZonesFor(lang).map((z) => ({ label: zoneButtonLabel(lang, z), action: `digest:${hhmm}:${z}` }));
  return [buttons.slice(0, 4), buttons.slice(4)];
}

/** `now` sends the digest to the whole chat: in a group or channel that takes an administrator, as a setting does. */
async function preview(deps: ChatDeps, ctx: ChatContext, lang: Lang): Promise<Reply> {
  if (!(await mayChangeSettings(ctx))) return denied(lang, ctx, 'chat.denied.preview');
  const d = await digestOf(deps.view, crossingOptions(deps.config));
  if (d === undefined) return errorReply(t(lang, 'chat.digest.noData'));
  // The same message a chat gets at its hour, in this chat's language (saying so when the due close is missing),
  // its "ago" counted to today on this chat's clock (its zone, else UTC).
  const sub = await deps.subs.get(ctx.platform, ctx.chatId);
  const today = dateInZone(new Date(ctx.nowMs), sub === undefined ? 'UTC' : await chatZone(deps, sub));
  return reply(messageLines(localize(digestMessageAt(d, ctx.nowMs), lang, { today })), { chart: { kind: 'digest' } });
}

/** `/digest 08:00 Asia/Taipei` as the chat's platform takes it (Discord: its form's options), to copy (reply.ts copyable). */
const digestLine = (lang: Lang, ctx: ChatContext, time: string, timezone: string): string =>
  copyable(commandLine('digest', defined.args, lang, ctx.platform, { time, timezone }));

/** The next digest the chat gets, not its slot's next time when no US close falls before that (a weekend, an NYSE holiday). */
const nextSaid = (s: DigestSetting, time: string, nextDue: number, lang: Lang): string =>
  formatMoment(nextSendingDue(nextDue, time, s.timezone, s.lastClose), s.timezone, lang);

async function show(deps: ChatDeps, ctx: ChatContext, lang: Lang): Promise<Reply> {
  const sub = await deps.subs.get(ctx.platform, ctx.chatId);
  const s = sub && (await deps.digests?.get(sub.id));
  if (s?.time == null || s.nextDue === null)
    return reply([textLine(t(lang, 'chat.digest.off', { example: digestLine(lang, ctx, '08:00', t(lang, 'chat.example.zone')) }))]);
  // A chat the platform stopped gets no digest (store/digests.ts) until /subscribe: no "Next:" that never comes.
  const stopped = sub && platformStopLines(lang, sub, ctx.nowMs, ctx);
  const onStopped = sub?.stopHad === 'digest' ? 'chat.digest.onStoppedDigest' : 'chat.digest.onStopped';
  if (stopped !== undefined) return reply([[t(lang, onStopped, { time: s.time, zone: zoneName(lang, s.timezone) })], ...stopped]);
  return reply([
    [t(lang, 'chat.digest.on', { time: s.time, zone: zoneName(lang, s.timezone), next: nextSaid(s, s.time, s.nextDue, lang) })],
    ...fixedOffsetLines(lang, s.timezone),
    ...alertsOffLines(lang, sub, ctx),
  ]);
}

/**
 * For /unsubscribe: a chat that stops its alerts keeps its digest (DigestStore sends it to a chat
 * that only unsubscribed), so the reply says when it still comes and how to stop it; a reader
 * told "no more alerts" would otherwise take the next morning's digest for a fault. None when off.
 */
export async function digestStillOnLines(deps: ChatDeps, ctx: ChatContext, lang: Lang, subscriptionId: number): Promise<string[]> {
  const s = await deps.digests?.get(subscriptionId);
  if (s?.time == null || s.nextDue === null) return [];
  const command = copyable(commandLine('digest', defined.args, lang, ctx.platform, { time: 'off' }));
  return [t(lang, 'chat.unsub.digestKept', { time: s.time, zone: zoneName(lang, s.timezone), command })];
}

async function off(deps: ChatDeps, ctx: ChatContext, lang: Lang): Promise<Reply> {
  if (!(await mayChangeSettings(ctx))) return denied(lang, ctx);
  const sub = await deps.subs.get(ctx.platform, ctx.chatId);
  if (sub?.digestTime == null) return reply([[t(lang, 'chat.digest.alreadyOff')]]);
  // The zone is kept as the write finds it (a zone another admin gave the same moment stays).
  await deps.digests?.set(sub.id, null, undefined, ctx.nowMs);
  // A chat the platform stopped: the stop no longer holds a digest (one that held only it ends);
  // alerts it still holds are said, with what brings them back.
  const after = await deps.subs.endStopPart(ctx.platform, ctx.chatId, 'digest');
  return reply([[t(lang, 'chat.digest.stopped')], ...((after && platformStopLines(lang, after, ctx.nowMs, ctx)) ?? [])]);
}

/**
 * Stores the time and zone (already validated; the admin check is done). `time` undefined keeps the
 * chat's (a zone alone moves its digest); `zone` undefined takes the chat's. Both are read in the
 * write: another admin's /digest the same moment is not written over.
 */
async function setDigest(deps: ChatDeps, ctx: ChatContext, lang: Lang, time: string | undefined, zone: string | undefined): Promise<Reply> {
  if (deps.digests === undefined) return errorReply(t(lang, 'chat.digest.noData'));
  const existing = await deps.subs.get(ctx.platform, ctx.chatId);
  // Choosing a digest is not subscribing to alerts: a new chat keeps an inactive row.
  // Its digest alone stopped because the bot lost its right to post, and it still may not
  // (Telegram asks here): said in one line, nothing set, the stop left as it is.
  const refused = existing?.stopHad === 'digest' ? await stillNoRights(lang, existing, ctx, 'chat.noRights.digest') : undefined;
  if (refused !== undefined) return refused;
  const found = existing ?? (await deps.subs.ensure(ctx.platform, ctx.chatId, { active: false, lang }));
  // A chat that had only its digest when the platform stopped it, and answers here (Discord checked
  // first that the bot may post: handlers.ts postsHere): its digest comes again, alerts left off.
  const resumed = await deps.subs.liftDigestStop(ctx.platform, ctx.chatId);
  const sub = resumed ? ((await deps.subs.get(ctx.platform, ctx.chatId)) ?? found) : found;
  const s = await deps.digests.set(sub.id, time, zone, ctx.nowMs);
  const answer = setReply(ctx, lang, sub, s, zone);
  return resumed ? { ...answer, lines: [[t(lang, 'chat.digest.resumed')], ...answer.lines] } : answer;
}

/**
 * A digest that comes where no alerts do (after /unsubscribe, which keeps it, or never subscribed):
 * the line saying the digest alone comes, and what turns alerts on; none where alerts come.
 */
function alertsOffLines(lang: Lang, sub: Subscription | undefined, ctx: ChatContext): string[][] {
  const line = alertsOffNote(lang, sub, ctx, true);
  return line === undefined ? [] : [[line]];
}

/** What setDigest says once the digest is written. */
function setReply(ctx: ChatContext, lang: Lang, sub: Subscription, s: DigestSetting, zone: string | undefined): Reply {
  // A zone alone, and the digest was turned off meanwhile: it needs a time again.
  if (s.time === null || s.nextDue === null) return zoneNeedsTime(lang, ctx, zone !== undefined ? zoneLabel(zone) : t(lang, 'chat.example.zone'));
  // Kept, but a chat the platform stopped gets no digest until /subscribe: said instead of a next send that never comes.
  const stopped = platformStopLines(lang, sub, ctx.nowMs, ctx);
  if (stopped !== undefined) return reply([[t(lang, 'chat.digest.setStopped', { time: s.time, zone: zoneName(lang, s.timezone) })], ...stopped]);
  const next = nextSaid(s, s.time, s.nextDue, lang);
  if (zone !== undefined)
    return reply([
      [t(lang, 'chat.digest.set', { time: s.time, zone: zoneName(lang, s.timezone), next })],
      ...fixedOffsetLines(lang, s.timezone),
      ...alertsOffLines(lang, sub, ctx),
    ]);
  return reply(
    [
      // UTC taken for want of any zone: not "this chat's zone", which it never chose.
      [
        isZoneUnset(s.timezone)
          ? t(lang, 'chat.digest.setUtc', { time: s.time, zone: zoneName(lang, s.timezone), next })
          : platformText(lang, 'chat.digest.setDefaultZone', ctx, { time: s.time, zone: zoneName(lang, s.timezone), next }),
      ],
      ...fixedOffsetLines(lang, s.timezone),
      ...alertsOffLines(lang, sub, ctx),
      [{ italic: t(lang, 'chat.digest.pickZone'), aboutButtons: true }],
    ],
    { buttons: zoneButtons(s.time, lang) },
  );
}

const zoneNeedsTime = (lang: Lang, ctx: ChatContext, zone: string): Reply =>
  errorReply(t(lang, 'chat.digest.zoneNeedsTime', { example: digestLine(lang, ctx, '08:00', zone) }));

const defined = defineCommand({
  name: 'digest',
  changesSettings: true,
  readsWithoutArgs: true,
  // A time sets the digest the bot posts here, a zone alone moves it; `off` stops it and `now` answers in the reply itself.
  postsHere: (v) => (v.time !== undefined ? !isOffWord(String(v.time)) && !isNowWord(String(v.time)) : v.timezone !== undefined),
  args: [
    { name: 'time', kind: 'time' },
    { name: 'timezone', kind: 'timezone' },
  ],
  describe: (lang) => t(lang, 'chat.cmd.digest'),
  async execute(deps, ctx, args) {
    const lang = await chatLang(deps, ctx);
    const time = args.time as string | undefined;
    const typed = args.timezone === undefined ? undefined : String(args.timezone);
    const zone = typed === undefined ? undefined : resolveTimeZoneIn(typed, lang);
    if (time === undefined) {
      if (typed === undefined) return show(deps, ctx, lang);
      // A zone alone moves an existing digest to that zone; without one it needs a time (never dropped in silence).
      const current = await currentTime(deps, ctx);
      if (current === undefined) return zoneNeedsTime(lang, ctx, zone?.kind === 'zone' ? zoneLabel(zone.zone) : echo(typed));
      // The time is the chat's as the write finds it, not `current` (read before).
      return zone?.kind === 'ambiguous'
        ? askZone(lang, ctx, current, zone)
        : setDigest(deps, ctx, lang, undefined, zone?.kind === 'zone' ? zone.zone : undefined);
    }
    if (zone?.kind === 'ambiguous') return askZone(lang, ctx, time, zone);
    return setDigest(deps, ctx, lang, time, zone?.kind === 'zone' ? zone.zone : undefined);
  },
});

/** The chat's digest time, if it has one. */
async function currentTime(deps: ChatDeps, ctx: ChatContext): Promise<string | undefined> {
  const sub = await deps.subs.get(ctx.platform, ctx.chatId);
  return (sub && (await deps.digests?.get(sub.id))?.time) ?? undefined;
}

/**
 * `CST` names several zones: a button per zone, each the same action a zone button carries, and
 * the command that sets the first written out: the console draws no buttons, and a reader may
 * rather type (as /quiet's and /mute's questions give one).
 */
function askZone(lang: Lang, ctx: ChatContext, time: string, z: { abbreviation: string; choices: readonly string[]; twoClocks?: true }): Reply {
  const hhmm = time.replace(':', '');
  // A flag (🇺🇸) is no name of a zone: its country has several. Urumqi is a place of two clocks, not a name of two zones:
  // its buttons name both as clocks (北京時間 | 新疆時間), not a city beside a clock.
  const clocks = twoClocksSaid(lang, z);
  const label = (zone: string) => (clocks === undefined ? zoneButtonLabel(lang, zone) : clockLabel(lang, zone));
  const buttons = z.choices.map((zone) => ({ label: label(zone), action: `digest:${hhmm}:${zone}` }));
  const key =
    clocks !== undefined ? 'chat.digest.whichClock' : flagRegion(z.abbreviation) === undefined ? 'chat.digest.whichZone' : 'chat.digest.whichZoneFlag';
  const written = textLine(t(lang, 'chat.digest.whichZone.write', { example: digestLine(lang, ctx, time, z.choices[0]!) }));
  return reply([[t(lang, key, { abbreviation: z.abbreviation, time, clocks: clocks ?? '' })], written], { buttons: [buttons] });
}

/**
 * `/digest -7` alone: as for /quiet -7 (lone-offset.ts), nothing is set or moved; the answer shows
 * the time and the zone commands it may have meant (the chat's digest time, else 08:00).
 */
async function loneOffset(deps: ChatDeps, ctx: ChatContext, input: string): Promise<Reply> {
  const zone = loneOffsetZone(input);
  if (zone === undefined) return defined.run(deps, ctx, [input]);
  const lang = await chatLang(deps, ctx);
  const time = (await currentTime(deps, ctx)) ?? '08:00';
  return errorReply(
    t(lang, 'chat.digest.loneOffset', {
      input: echo(input),
      time: copyable(commandLine('digest', defined.args, lang, ctx.platform, { time })),
      zone,
      zoned: digestLine(lang, ctx, time, zone),
    }),
  );
}

/** `off` and `now` first, then the declared arguments (Telegram's words and Discord's options alike). */
const word = (deps: ChatDeps, ctx: ChatContext, w: string | undefined): Promise<Reply> | undefined => {
  if (isNowWord(w)) return chatLang(deps, ctx).then((lang) => preview(deps, ctx, lang));
  if (isOffWord(w)) return chatLang(deps, ctx).then((lang) => off(deps, ctx, lang));
  return undefined;
};

/**
 * `now` or `off` with more after it (`/digest now Taipei`; Discord's time:now with a timezone): the
 * rest is named as more than they take, where "now" was called no time of day.
 */
const wordWithMore = (deps: ChatDeps, ctx: ChatContext, w: string | undefined, rest: string): Promise<Reply> | undefined =>
  isNowWord(w) || isOffWord(w)
    ? chatLang(deps, ctx).then((lang) => usage(lang, ctx.platform, defined, { key: 'chat.err.extra', params: { input: echo(rest) } }))
    : undefined;

export const digestCommand: ChatCommand = {
  ...defined,
  run: (deps, ctx, words) => {
    if (words.length === 1 && isLoneOffset(words[0])) return loneOffset(deps, ctx, words[0]);
    return (
      (words.length === 1 ? word(deps, ctx, words[0]) : words.length > 1 ? wordWithMore(deps, ctx, words[0], words.slice(1).join(' ')) : undefined) ??
      defined.run(deps, ctx, words)
    );
  },
  runNamed: (deps, ctx, values: ArgValues) => {
    if (values.time === undefined && isLoneOffset(values.timezone)) return loneOffset(deps, ctx, values.timezone);
    const time = values.time === undefined ? undefined : String(values.time);
    return (
      (values.timezone === undefined || values.timezone === '' ? word(deps, ctx, time) : wordWithMore(deps, ctx, time, String(values.timezone))) ??
      defined.runNamed(deps, ctx, values)
    );
  },
};

/** A zone button: `digest:0800:Asia/Taipei` (validated again: a forged action stores nothing). */
export async function digestAction(deps: ChatDeps, ctx: ChatContext, hhmm: string, zone: string): Promise<Reply> {
  const lang = await chatLang(deps, ctx);
  const time = parseDigestTime(`${hhmm.slice(0, 2)}:${hhmm.slice(2)}`);
  const z = parseTimeZone(zone);
  if (!time.ok || !z.ok || hhmm.length !== 4) return errorReply(t(lang, 'chat.err.action'));
  if (!(await mayChangeSettings(ctx))) return denied(lang, ctx);
  return setDigest(deps, ctx, lang, time.value, z.value);
}
