/**
 * Button presses. Actions: `cmd:<name>` (runs the command without arguments, a new message),
 * `chart:<spx-gold|qqq-gold|power>:<range>` (or `:<from>:<to>`, a window) and `sub:<on|off>:<levelId>` (or
 * `sub:toggle:<levelId>` from older keyboards; both edit the pressed
 * message), `digest:<HHMM>:<zone>` and `quiet:<HHMM-HHMM>:<zone>` (a time or hours set in that zone), `mute:<end>.<at>:<zone>`
 * (a mute's typed end read again on that zone's clock: chat/mute-zone.ts), `move:<pair>:<percent>:<days>` (one reading of
 * `/move 20 spx 10`, added). A stale or forged action gets an error reply, never a throw.
 */
import { t } from '../domain/i18n/index.ts';
import { chatLang, type ChatContext, type ChatDeps } from './context.ts';
import { chartCommand, chartReply, DEFAULT_CHART_RANGE, ownLevels } from './commands/market.ts';
import { isIsoDate } from '../domain/dates.ts';
import { activeEssayIds, toggleAction } from './commands/subscription.ts';
import { digestAction } from './commands/digest.ts';
import { quietAction } from './commands/quiet.ts';
import { moveAction, typedReading } from './commands/move.ts';
import { muteAction } from './commands/settings.ts';
import { parseBaseDate, parseChartTarget, parseRange } from './parse.ts';
import { findCommand } from './registry.ts';
import { chartPlace, usage } from './replies.ts';
import { errorReply, type Reply } from './reply.ts';
import { levelById, levelValue } from '../domain/levels.ts';
import { PAIRS } from '../domain/instruments.ts';

/**
 * The command pressing `action` stands for when it sets up something the bot will post in the chat
 * by itself, as a command's postsHere says: `cmd:subscribe` (a command run without arguments), a
 * digest or quiet-hours zone button (`digest`, `quiet`), a level turned on (`sub:on:<level>`, or `sub:toggle:<level>` of a
 * level now off: `subscribe`). undefined for any other press. A platform that can tell the bot may
 * not post there refuses it first, naming that command.
 */
export async function actionPostsHere(deps: ChatDeps, ctx: ChatContext, action: string): Promise<string | undefined> {
  const [kind, a, b] = action.split(':');
  if (kind === 'cmd' && a !== undefined && b === undefined) return findCommand(a)?.postsHere?.({}) === true ? a : undefined;
  if (kind === 'digest' && a !== undefined && b !== undefined) return 'digest';
  if (kind === 'quiet' && a !== undefined && b !== undefined) return 'quiet';
  if (kind === 'move' && a !== undefined && b !== undefined) return 'move';
  if (kind !== 'sub' || b === undefined) return undefined;
  if (a === 'on') return 'subscribe';
  if (a !== 'toggle') return undefined;
  // An older keyboard's toggle turns the level on only where it is off now (a channel not subscribed: the press is refused anyway).
  const sub = await deps.subs.get(ctx.platform, ctx.chatId);
  return sub?.active === true && !activeEssayIds(sub).includes(b) ? 'subscribe' : undefined;
}

export async function handleAction(deps: ChatDeps, ctx: ChatContext, action: string): Promise<{ reply: Reply; edit: boolean }> {
  const lang = await chatLang(deps, ctx);
  // `to`: a chart window's end (its fourth part).
  const [kind, a, b, to] = action.split(':');
  if (kind === 'cmd' && a !== undefined && b === undefined) {
    const command = findCommand(a);
    if (command) return { reply: await command.run(deps, ctx, []), edit: false };
  }
  if (kind === 'chart' && a !== undefined && b !== undefined) {
    const target = parseChartTarget(a);
    const today = deps.today(ctx.nowMs);
    // A window's subject button: `chart:<target>:<from>:<to or nothing>` (checked as typed dates are).
    if (target.ok && isIsoDate(b) && to !== undefined) {
      const from = parseBaseDate(b, today);
      const end = to === '' ? undefined : parseBaseDate(to, today, 'end');
      if (from.ok && (end === undefined || (end.ok && end.value >= from.value)))
        return {
          reply: chartReply(
            lang,
            target.value,
            DEFAULT_CHART_RANGE,
            today,
            { from: from.value, ...(end?.ok ? { to: end.value } : {}) },
            [],
            await ownLevels(deps, ctx),
            chartPlace(ctx),
          ),
          edit: true,
        };
      return { reply: errorReply(t(lang, 'chat.err.action')), edit: false };
    }
    const range = parseRange(b);
    // The chart the press shows draws the chat's own levels, as /chart does.
    if (target.ok && range.ok)
      return { reply: chartReply(lang, target.value, range.value, today, undefined, [], await ownLevels(deps, ctx), chartPlace(ctx)), edit: true };
    return { reply: usage(lang, ctx.platform, chartCommand, !target.ok ? target.error : !range.ok ? range.error : undefined), edit: false };
  }
  if (kind === 'sub' && (a === 'toggle' || a === 'on' || a === 'off') && b !== undefined) {
    const r = await toggleAction(deps, ctx, b, a === 'toggle' ? undefined : a === 'on');
    // Only a successful toggle redraws the keyboard; a refusal is a separate answer.
    return { reply: r, edit: r.status === 'ok' };
  }
  if (kind === 'digest' && a !== undefined && b !== undefined)
    return { reply: await digestAction(deps, ctx, a, action.slice(`digest:${a}:`.length)), edit: false };
  if (kind === 'quiet' && a !== undefined && b !== undefined)
    return { reply: await quietAction(deps, ctx, a, action.slice(`quiet:${a}:`.length)), edit: false };
  if (kind === 'move' && a !== undefined && b !== undefined && to !== undefined) return { reply: await moveAction(deps, ctx, a, b, to), edit: false };
  if (kind === 'mute' && a !== undefined && b !== undefined) return { reply: await muteAction(deps, ctx, a, action.slice(`mute:${a}:`.length)), edit: false };
  return { reply: errorReply(t(lang, 'chat.err.action')), edit: false };
}

/**
 * What a press of `action` types, for a platform that draws no buttons (the console): `{ typed }`
 * the command line that does what the press does (`chart:spx-gold:3M` is `/chart spx 3m`,
 * `sub:off:spx-gold-2.5` is `/unsubscribe spx 2.5`), or `{ muteIn }` for a mute's end read again in
 * a zone (the action holds the end as read, not as typed: the reader types their /mute again with
 * that zone after it). undefined for an action no typed line does.
 */
export function typedAction(action: string): { readonly typed: string } | { readonly muteIn: string } | undefined {
  const [kind, a, b, to] = action.split(':');
  if (kind === 'cmd' && a !== undefined && b === undefined && findCommand(a) !== undefined) return { typed: `/${a}` };
  if (kind === 'chart' && a !== undefined && b !== undefined) {
    const target = parseChartTarget(a);
    if (!target.ok) return undefined;
    const typedTarget = target.value === 'power' ? 'power' : PAIRS[target.value].numerator;
    if (isIsoDate(b) && to !== undefined) return { typed: to === '' ? `/chart ${typedTarget} since ${b}` : `/chart ${typedTarget} ${b} ${to}` };
    return parseRange(b).ok ? { typed: `/chart ${typedTarget} ${b.toLowerCase()}` } : undefined;
  }
  if (kind === 'sub' && (a === 'on' || a === 'off') && b !== undefined) {
    const level = levelById(b);
    if (level === undefined) return undefined;
    const value = Number(levelValue(level).toFixed(4));
    return { typed: `/${a === 'on' ? 'subscribe' : 'unsubscribe'} ${PAIRS[level.pair].numerator} ${value}` };
  }
  if (kind === 'move' && a !== undefined && b !== undefined && to !== undefined) {
    const typed = typedReading(a, b, to);
    return typed === undefined ? undefined : { typed };
  }
  const hhmm = (x: string) => x.replace(/^(\d\d)(\d\d)$/, '$1:$2');
  const zone = action.slice(`${kind}:${a}:`.length);
  if (kind === 'digest' && a !== undefined && b !== undefined) return { typed: `/digest ${hhmm(a)} ${zone}` };
  if (kind === 'quiet' && a !== undefined && b !== undefined) return { typed: `/quiet ${a.split('-').map(hhmm).join('-')} ${zone}` };
  if (kind === 'mute' && a !== undefined && b !== undefined) return { muteIn: zone };
  return undefined;
}
