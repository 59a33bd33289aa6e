/** Chat settings: mute, unmute, language. */
import { t } from '../../domain/i18n/index.ts';
import type { ChatCommand } from '../command.ts';
import { denied, formatMoment, mayChangeSettings, usage } from '../common.ts';
import { chatLang } from '../context.ts';
import { parseDuration, parseLangArg } from '../parse.ts';
import { reply } from '../reply.ts';
import { isReply, requireActive } from './subscription.ts';

export const muteCommand: ChatCommand = {
  name: 'mute',
  changesSettings: true,
  describe: (lang) => t(lang, 'chat.cmd.mute'),
  async run(deps, ctx, args) {
    const lang = chatLang(deps, ctx);
    if (!(await mayChangeSettings(ctx))) return denied(lang);
    if (args.length !== 1) return usage(lang, 'mute');
    const ms = parseDuration(args[0]!);
    if (!ms.ok) return usage(lang, 'mute', ms.error);
    const sub = requireActive(deps, ctx, lang);
    if (isReply(sub)) return sub;
    const until = ctx.nowMs + ms.value;
    deps.subs.upsert(ctx.platform, ctx.chatId, { mutedUntil: until });
    return reply([[t(lang, 'chat.mute.done', { until: formatMoment(until, sub.timezone) })]]);
  },
};

export const unmuteCommand: ChatCommand = {
  name: 'unmute',
  changesSettings: true,
  describe: (lang) => t(lang, 'chat.cmd.unmute'),
  async run(deps, ctx, args) {
    const lang = chatLang(deps, ctx);
    if (!(await mayChangeSettings(ctx))) return denied(lang);
    if (args.length > 0) return usage(lang, 'unmute');
    const sub = requireActive(deps, ctx, lang);
    if (isReply(sub)) return sub;
    deps.subs.upsert(ctx.platform, ctx.chatId, { mutedUntil: null });
    return reply([[t(lang, 'chat.unmute.done')]]);
  },
};

export const langCommand: ChatCommand = {
  name: 'lang',
  changesSettings: true,
  describe: (lang) => t(lang, 'chat.cmd.lang'),
  async run(deps, ctx, args) {
    const lang = chatLang(deps, ctx);
    if (!(await mayChangeSettings(ctx))) return denied(lang);
    if (args.length !== 1) return usage(lang, 'lang');
    const next = parseLangArg(args[0]!);
    if (!next.ok) return usage(lang, 'lang', next.error);
    // A chat that never subscribed keeps its language in an inactive row: choosing a language is not subscribing.
    const existing = deps.subs.get(ctx.platform, ctx.chatId);
    deps.subs.upsert(ctx.platform, ctx.chatId, existing ? { lang: next.value } : { lang: next.value, active: false });
    return reply([[t(next.value, 'chat.lang.done', { lang: t(next.value, `chat.lang.${next.value}`) })]]);
  },
};
