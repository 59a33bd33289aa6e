/** Chat settings: mute, unmute, language. */
import { LANGS, t, type Lang } from '../../domain/i18n/index.ts';
import { fmtList } from '../../domain/i18n/format.ts';
import { isMuteUntil, muteEnd, muteUntilEnd, weekendNow, type MuteLength, type MuteUntil } from '../../domain/mute-length.ts';
import { EARLY_CLOSE, isEarlyClose, nyDate } from '../../domain/nyse-calendar.ts';
import { MAX_MUTE_MS } from '../parse-mute.ts';
import { A_FEW_COUNT } from '../../domain/han-numbers.ts';
import { usage } from '../replies.ts';
import { commandLine } from '../args.ts';
import { defineCommand } from '../define-command.ts';
import { formatMoment } from '../labels.ts';
import { chatLang, chatZone } from '../context.ts';
import { copyable, reply, textLine } from '../reply.ts';
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
    const typedArg = args.duration as MuteLength | MuteUntil;
    const zone = (isMuteUntil(typedArg) ? typedArg.zone : undefined) ?? (await chatZone(deps, sub));
    // Months are counted on the chat's calendar (3 months from Nov 21 is Feb 21); the reply names the end.
    // An end typed (until monday, 到明天) is read on that calendar too: a day alone is its 00:00 there.
    const typed = args.duration as MuteLength | MuteUntil;
    // `until the weekend` on a Saturday: it is now, no end ahead; asked for one, not read as next week's.
    const weekend = isMuteUntil(typed) ? weekendNow(ctx.nowMs, typed, zone) : undefined;
    if (weekend !== undefined) return usage(lang, ctx.platform, muteCommand, { key: 'chat.err.muteWeekendNow', params: { today: weekend }, dates: ['today'] });
    const until = isMuteUntil(typed) ? muteUntilEnd(ctx.nowMs, typed, zone) : muteEnd(ctx.nowMs, typed, zone);
    if (isMuteUntil(typed) && (until <= ctx.nowMs || until - ctx.nowMs > MAX_MUTE_MS)) {
      const key = until <= ctx.nowMs ? 'chat.err.muteEndPast' : 'chat.err.muteEndFar';
      return usage(lang, ctx.platform, muteCommand, { key, params: { end: formatMoment(until, zone, lang) } });
    }
    await deps.subs.upsert(ctx.platform, ctx.chatId, { mutedUntil: until });
    // Until the close on a day it comes at 13:00: said, since a reader expects the 16:00 one.
    const early = isMuteUntil(typed) && typed.day?.kind === 'market' && typed.day.event === 'close' && isEarlyClose(nyDate(new Date(until)));
    const done = early ? 'chat.mute.doneEarlyClose' : 'chat.mute.done';
    // `a few days` is no exact count: the 3 it was read as is said, beside the end it makes.
    const aFew = !isMuteUntil(typed) && typed.fewSaid !== undefined ? [[{ italic: t(lang, 'chat.readAs.aFew', { word: typed.fewSaid, n: A_FEW_COUNT }) }]] : [];
    return reply([[t(lang, done, { until: formatMoment(until, zone, lang), time: EARLY_CLOSE })], ...aFew]);
  },
});

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
    if (sub.mutedUntil === null || sub.mutedUntil <= ctx.nowMs) return reply([[t(lang, 'chat.unmute.notMuted')]]);
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
      return reply([textLine(t(lang, 'chat.lang.current', { lang: t(lang, `chat.lang.${lang}`), examples: fmtList(examples, lang) }))]);
    }
    // A chat that never subscribed keeps its language in an inactive row: choosing a language is not subscribing.
    // Whether the chat has a row is asked in the write: a /subscribe landing the same moment stays active.
    await deps.subs.upsert(ctx.platform, ctx.chatId, (existing) => (existing ? { lang: next } : { lang: next, active: false }));
    return reply([[t(next, 'chat.lang.done', { lang: t(next, `chat.lang.${next}`) })]]);
  },
});
