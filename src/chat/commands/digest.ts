/**
 * /digest: the chat's daily digest. `/digest` shows the setting and the next send; `/digest 08:00
 * [Asia/Taipei]` sets it (a time without a zone takes the chat's zone, else UTC, and says so);
 * `/digest off` stops it; `/digest now` answers with today's digest at once, as a preview.
 */
import { t, type Lang } from '../../domain/i18n/index.ts';
import { digestMessage } from '../../domain/digest.ts';
import { localize } from '../../domain/message.ts';
import { messageLines } from '../message-lines.ts';
import { COMMON_ZONES, parseDigestTime, parseTimeZone } from '../../domain/digest-schedule.ts';
import { crossingOptions } from '../../store/story-view.ts';
import { digestOf } from '../../store/digest-view.ts';
import type { ChatCommand } from '../command.ts';
import { denied, formatMoment, mayChangeSettings } from '../common.ts';
import { chatLang, type ChatContext, type ChatDeps } from '../context.ts';
import { errorReply, reply, usageReply, type Button, type Reply } from '../reply.ts';

const usageLine = (lang: Lang, message: string): Reply => usageReply(message, t(lang, 'chat.usage.digest'));

/** Buttons that set the same time in a common zone: `digest:0800:Asia/Taipei`. */
function zoneButtons(time: string): (readonly Button[])[] {
  const hhmm = time.replace(':', '');
  const buttons = COMMON_ZONES.map((z) => ({ label: z.replace('_', ' '), action: `digest:${hhmm}:${z}` }));
  return [buttons.slice(0, 4), buttons.slice(4)];
}

function preview(deps: ChatDeps, lang: Lang): Reply {
  const d = digestOf(deps.view, crossingOptions(deps.config));
  if (d === undefined) return errorReply(t(lang, 'chat.digest.noData'));
  // The same message a chat gets at its hour, in this chat's language.
  return reply(messageLines(localize(digestMessage(d), lang)), { chart: { kind: 'digest' } });
}

/** Stores the time and zone; nothing is written for a bad time or zone (the caller checked). */
async function setDigest(deps: ChatDeps, ctx: ChatContext, lang: Lang, time: string, zone: string | undefined): Promise<Reply> {
  if (deps.digests === undefined) return errorReply(t(lang, 'chat.digest.noData'));
  if (!(await mayChangeSettings(ctx))) return denied(lang);
  const existing = deps.subs.get(ctx.platform, ctx.chatId);
  // Choosing a digest is not subscribing to alerts: a new chat keeps an inactive row.
  const sub = existing ?? deps.subs.upsert(ctx.platform, ctx.chatId, { active: false, lang });
  const timezone = zone ?? sub.timezone;
  const s = deps.digests.set(sub.id, time, timezone, ctx.nowMs);
  const next = formatMoment(s.nextDue!, timezone);
  if (zone !== undefined) return reply([[t(lang, 'chat.digest.set', { time, zone: timezone, next })]]);
  return reply([[t(lang, 'chat.digest.setDefaultZone', { time, zone: timezone, next })], [t(lang, 'chat.digest.pickZone')]], { buttons: zoneButtons(time) });
}

export const digestCommand: ChatCommand = {
  name: 'digest',
  changesSettings: true,
  describe: (lang) => t(lang, 'chat.cmd.digest'),
  async run(deps, ctx, args) {
    const lang = chatLang(deps, ctx);
    const [first, second, ...more] = args;
    if (first === undefined) {
      const sub = deps.subs.get(ctx.platform, ctx.chatId);
      const s = sub && deps.digests?.get(sub.id);
      if (s?.time == null || s.nextDue === null) return reply([[t(lang, 'chat.digest.off')]]);
      return reply([[t(lang, 'chat.digest.on', { time: s.time, zone: s.timezone, next: formatMoment(s.nextDue, s.timezone) })]]);
    }
    const word = first.toLowerCase();
    if (word === 'now' && second === undefined) return preview(deps, lang);
    if (word === 'off' && second === undefined) {
      if (!(await mayChangeSettings(ctx))) return denied(lang);
      const sub = deps.subs.get(ctx.platform, ctx.chatId);
      if (sub !== undefined && deps.digests !== undefined) deps.digests.set(sub.id, null, sub.timezone, ctx.nowMs);
      return reply([[t(lang, 'chat.digest.stopped')]]);
    }
    if (more.length > 0) return usageLine(lang, t(lang, 'chat.usage.intro'));
    const time = parseDigestTime(first);
    if (!time.ok) return usageLine(lang, t(lang, 'chat.digest.badTime', { input: first }));
    let zone: string | undefined;
    if (second !== undefined) {
      const z = parseTimeZone(second);
      if (!z.ok) return usageLine(lang, t(lang, 'chat.digest.badZone', { input: second }));
      zone = z.value;
    }
    return setDigest(deps, ctx, lang, time.value, zone);
  },
};

/** A zone button: `digest:0800:Asia/Taipei` (validated again: a forged action stores nothing). */
export async function digestAction(deps: ChatDeps, ctx: ChatContext, hhmm: string, zone: string): Promise<Reply> {
  const lang = chatLang(deps, ctx);
  const time = parseDigestTime(`${hhmm.slice(0, 2)}:${hhmm.slice(2)}`);
  const z = parseTimeZone(zone);
  if (!time.ok || !z.ok || hhmm.length !== 4) return errorReply(t(lang, 'chat.err.action'));
  return setDigest(deps, ctx, lang, time.value, z.value);
}
