/** Subscription commands: subscribe (with a level keyboard), unsubscribe, mylevels (list, add, remove). */
import { formatMoment, pairName, zoneName } from '../labels.ts';
import { fmtCount, fmtList, formatLevel, formatLevelValue, formatRatio } from '../../domain/i18n/format.ts';
import { denied, mayChangeSettings, platformKey, platformStopLines, platformText, stillNoRights, usage, type Where } from '../replies.ts';
import { LANG_INFO, t, type Lang } from '../../domain/i18n/index.ts';
import { PAIR_IDS, type PairId } from '../../domain/instruments.ts';
import { ESSAY_LEVELS, levelById } from '../../domain/levels.ts';
import { stopCause, stopHadAlerts } from '../../domain/stop-cause.ts';
import type { Subscription, SubscriptionPatch } from '../../store/subscriptions.ts';
import { missingArgs } from '../args.ts';
import { digestStillOnLines } from './digest.ts';
import { defineCommand } from '../define-command.ts';
import { chatLang, type ChatContext, type ChatDeps } from '../context.ts';
import { chatMessage, parseChoice, type LevelRef } from '../parse.ts';
import { errorReply, reply, textLine, type Button, type Line, type Reply } from '../reply.ts';

/** More custom levels than this is noise, and each distinct one costs the crossing engine a state. */
export const MAX_CUSTOM_LEVELS = 20;

/** The essay levels a subscription alerts on (its pairs ∩ its level choice). */
export function activeEssayIds(sub: Pick<Subscription, 'pairs' | 'levelIds'>): string[] {
  return ESSAY_LEVELS.filter((l) => sub.pairs.includes(l.pair) && (sub.levelIds === 'all' || sub.levelIds.includes(l.id))).map((l) => l.id);
}

/** `levelIds` for a set of essay ids: 'all' when it is every essay level of the pairs, so later essay levels are included too. */
function levelIdsFor(ids: readonly string[], pairs: readonly PairId[]): Subscription['levelIds'] {
  const all = ESSAY_LEVELS.filter((l) => pairs.includes(l.pair)).map((l) => l.id);
  return all.every((id) => ids.includes(id)) ? 'all' : ESSAY_LEVELS.filter((l) => ids.includes(l.id)).map((l) => l.id);
}

/** Adds a pair without adding its essay levels (a chat adding a custom QQQ level did not ask for every QQQ level). */
function withPair(sub: Subscription, pair: PairId): SubscriptionPatch {
  if (sub.pairs.includes(pair)) return {};
  const pairs = PAIR_IDS.filter((p) => p === pair || sub.pairs.includes(p));
  return { pairs, levelIds: levelIdsFor(activeEssayIds(sub), pairs) };
}

/** The patch that flips one essay level on or off (a level of a pair not yet followed adds the pair). */
export function toggleLevelPatch(sub: Subscription, levelId: string): SubscriptionPatch | undefined {
  return setLevelPatch(sub, levelId, !activeEssayIds(sub).includes(levelId));
}

/** The patch that switches one essay level on or off, whatever it was (a level of a pair not yet followed adds the pair). */
export function setLevelPatch(sub: Subscription, levelId: string, wanted: boolean): SubscriptionPatch | undefined {
  const level = levelById(levelId);
  if (level === undefined) return undefined;
  const on = activeEssayIds(sub).filter((id) => id !== levelId);
  const ids = wanted ? [...on, levelId] : on;
  const pairs = PAIR_IDS.filter((p) => (wanted && p === level.pair) || sub.pairs.includes(p));
  return { pairs, levelIds: levelIdsFor(ids, pairs) };
}

/** What the chat is subscribed to, as lines (the "list" of issue 3). */
export function summaryLines(lang: Lang, sub: Subscription | undefined, nowMs: number, where: Where): Line[] {
  if (sub === undefined || !sub.active) {
    // Stopped by the platform, not by the chat: say why, and that /subscribe brings them back as they were.
    return (sub && platformStopLines(lang, sub, nowMs, where)) ?? [[platformText(lang, 'chat.sub.none', where)]];
  }
  const list = (items: readonly string[]) => fmtList(items, lang);
  const lines: Line[] = [[{ bold: t(lang, 'chat.sub.title', { pairs: list(sub.pairs.map((p) => pairName(lang, p))) }) }]];
  const on = activeEssayIds(sub);
  for (const pair of sub.pairs) {
    const essay = ESSAY_LEVELS.filter((l) => l.pair === pair && on.includes(l.id)).map((l) => formatLevel(l, lang));
    const own = sub.customLevels
      .filter((c) => c.pair === pair)
      .sort((a, b) => b.value - a.value)
      .map((c) => formatLevelValue(c.value));
    // English says one level in the singular (essay level 2.5); the key's One form is the same words in Chinese.
    const parts = [
      essay.length > 0 ? t(lang, essay.length === 1 ? 'chat.sub.essayOne' : 'chat.sub.essay', { levels: list(essay) }) : t(lang, 'chat.sub.noEssay'),
    ];
    // The chat's own, as its chart labels them: this chat's (a Discord server's: this channel's), never one member's.
    if (own.length > 0) parts.push(platformText(lang, own.length === 1 ? 'chat.sub.ownOne' : 'chat.sub.own', where, { levels: list(own) }));
    lines.push([t(lang, 'chat.sub.pairLine', { pair: pairName(lang, pair), levels: parts.join(t(lang, 'chat.sub.partSep')) })]);
  }
  lines.push([sub.approachPct > 0 ? t(lang, 'chat.sub.approach', { pct: sub.approachPct }) : t(lang, 'chat.sub.approachOff')]);
  // Discord: the role /subscribe's `role` option set, pinged by each alert. Said, since nothing else shows it.
  if (sub.mention !== null) lines.push([t(lang, 'chat.sub.mention', { role: `<@&${sub.mention}>` })]);
  if (sub.mutedUntil !== null && sub.mutedUntil > nowMs) lines.push([t(lang, 'chat.sub.muted', { until: formatMoment(sub.mutedUntil, sub.timezone, lang) })]);
  lines.push([t(lang, 'chat.sub.lang', { lang: t(lang, `chat.lang.${sub.lang}`) })]);
  return lines;
}

/** Toggle buttons, one per essay level, two to a row. */
export function levelKeyboard(lang: Lang, sub: Subscription): Button[][] {
  const on = activeEssayIds(sub);
  const buttons = ESSAY_LEVELS.map((l) => ({
    label: `${on.includes(l.id) ? '✅' : '⬜'} ${pairName(lang, l.pair)} ${formatLevel(l, lang)}`,
    // The state the press asks for, not "flip": two presses of the same button at once (two
    // managers, a double tap) both mean that state, and land as one change.
    action: `sub:${on.includes(l.id) ? 'off' : 'on'}:${l.id}`,
  }));
  const rows: Button[][] = [];
  for (let i = 0; i < buttons.length; i += 2) rows.push(buttons.slice(i, i + 2));
  return rows;
}

/** `notes` come after the intro, `after` after the summary (below what "Added to this chat's alerts:" introduces). */
export const subscriptionReply = (
  lang: Lang,
  sub: Subscription,
  nowMs: number,
  where: Where,
  intro?: string,
  notes: readonly Line[] = [],
  after: readonly Line[] = [],
): Reply =>
  reply(
    [
      ...(intro ? [[intro]] : []),
      ...notes,
      ...summaryLines(lang, sub, nowMs, where),
      ...after,
      [{ italic: t(lang, 'chat.sub.toggleHint'), aboutButtons: true }],
    ],
    { buttons: levelKeyboard(lang, sub) },
  );

/** A level this many times above or below its pair's ratio now is said to be far (the essay's own levels lie within 4× of it). */
const FAR_FACTOR = 5;
/** How many times as far, as said: to a tenth under 10 (7.2×; 7.5× is no 8×), whole and grouped above (1,390, as every count). */
const roundTimes = (x: number, lang: Lang): string => (x < 9.95 ? String(Math.round(x * 10) / 10) : fmtCount(Math.round(x), lang));
/** Within this factor of the other pair's ratio, a far level fits that pair: named as the one perhaps meant. */
const FITS_FACTOR = 3;

/**
 * Custom levels far from their pair's ratio now (`/mylevels add qqq 1.8` while QQQ/Gold is 0.15):
 * kept, as asked, but said how far, with the other pair when the value fits it, so a level typed
 * on the wrong pair does not wait silently for a move of 12×.
 */
export async function farLevelNotes(deps: ChatDeps, lang: Lang, levels: readonly { pair: PairId; value: number }[]): Promise<Line[]> {
  if (levels.length === 0) return [];
  const now = new Map<PairId, number>();
  for (const pair of PAIR_IDS) {
    const last = (await deps.view.ratio(pair)).at(-1)?.value;
    if (last !== undefined && last > 0) now.set(pair, last);
  }
  const times = (a: number, b: number) => Math.max(a / b, b / a);
  return levels.flatMap(({ pair, value }): Line[] => {
    const current = now.get(pair);
    if (current === undefined || value <= 0 || times(value, current) < FAR_FACTOR) return [];
    const x = times(value, current);
    // Below, a language that says a fraction (1390 分之一: LANG_INFO's farBelow) has its denominator whole and ungrouped, never 1,390 分之一 nor 7.2 分之一.
    const fraction = value < current && LANG_INFO[lang].farBelow === 'fraction';
    const params = {
      pair: pairName(lang, pair),
      now: formatRatio(current),
      value: formatLevelValue(value),
      times: fraction ? String(Math.round(x)) : roundTimes(x, lang),
    };
    const far = t(lang, value > current ? 'chat.mylevels.farAbove' : 'chat.mylevels.farBelow', params);
    const other = PAIR_IDS.find((p) => p !== pair && now.has(p) && times(value, now.get(p)!) <= FITS_FACTOR);
    const hint = other === undefined ? [] : [t(lang, 'chat.mylevels.otherPair', { other: pairName(lang, other), otherNow: formatRatio(now.get(other)!) })];
    return [[[far, ...hint].join(t(lang, 'chat.mylevels.sentenceSep'))]];
  });
}

export const subscribeCommand = defineCommand({
  name: 'subscribe',
  changesSettings: true,
  postsHere: () => true,
  // Leading words that name a pair are pairs; the rest are levels (read against those pairs).
  // Discord's pickers: which channel gets the alerts (the context's chat already is that channel)
  // and the role each alert mentions.
  args: [
    { name: 'pairs', kind: 'pair', all: true, many: true },
    { name: 'levels', kind: 'levelRef', many: true },
    { name: 'channel', kind: 'channel', platforms: ['discord'] },
    { name: 'role', kind: 'role', platforms: ['discord'] },
  ],
  describe: (lang) => t(lang, 'chat.cmd.subscribe'),
  async execute(deps, ctx, args) {
    const lang = await chatLang(deps, ctx);
    const existing = await deps.subs.get(ctx.platform, ctx.chatId);
    // Stopped because the bot lost its right to post, and it still may not (Telegram asks here;
    // Discord asked before the command ran): said in one line, the stop left as it is.
    const refused = await stillNoRights(lang, existing, ctx, `chat.noRights.subscribe.${existing?.stopHad ?? 'alerts'}`);
    if (refused !== undefined) return refused;
    const given = [...new Set((args.pairs as PairId[] | undefined) ?? [])];
    const refs = (args.levels as LevelRef[] | undefined) ?? [];
    const mention = args.role as string | undefined;
    // Already subscribed, the one change a role named (another role, or one where there was none):
    // said as what it did, not "already subscribed" above a summary that quietly changed.
    const alreadyIntro = (had: Subscription) =>
      mention !== undefined && mention !== had.mention
        ? platformText(lang, 'chat.sub.mentionSet', ctx, { role: `<@&${mention}>` })
        : platformText(lang, 'chat.sub.already', ctx);
    if (given.length === 0 && refs.length === 0 && existing?.active) {
      const sub = mention === undefined ? existing : await deps.subs.upsert(ctx.platform, ctx.chatId, { mention });
      return subscriptionReply(lang, sub, ctx.nowMs, ctx, alreadyIntro(existing));
    }
    const essayIds: string[] = [];
    const typed: { pair: PairId; value: number }[] = [];
    for (const r of refs) {
      if (r.kind === 'essay') essayIds.push(r.level.id);
      else if (!typed.some((c) => c.pair === r.pair && c.value === r.value)) typed.push({ pair: r.pair, value: r.value });
    }
    // What is added is made from the row as the write reads it, not as read above: a level or pair
    // another manager added the same moment (another replica) is kept, not written over.
    let outcome = { intro: 'chat.sub.done' } as { intro: string; kept?: Subscription } | 'tooMany';
    let newLevels: { pair: PairId; value: number }[] = [];
    const sub = await deps.subs.upsert(ctx.platform, ctx.chatId, (current) => {
      const custom = [...(current?.customLevels ?? [])];
      const added = typed.filter((c) => !custom.some((x) => x.pair === c.pair && x.value === c.value));
      newLevels = added;
      custom.push(...added);
      if (custom.length > MAX_CUSTOM_LEVELS) {
        outcome = 'tooMany';
        return undefined;
      }
      const levelPairs = [...essayIds.map((id) => levelById(id)!.pair), ...added.map((c) => c.pair)];
      // Alerts the platform stopped (no rights, removed, blocked) come back as they were.
      // Only a stop that holds alerts has a subscription to bring back: one that holds a digest alone
      // (never subscribed, or /unsubscribe ended its alerts) starts afresh, as an unsubscribed chat does;
      // the stop is lifted all the same, its digest with it.
      const stopped = current !== undefined && !current.active && stopCause(current.deactivatedReason) !== undefined && stopHadAlerts(current.stopHad);
      const resumed = stopped && given.length === 0 && refs.length === 0;
      const named = given.length > 0 ? given : refs.length > 0 ? PAIR_IDS.filter((p) => levelPairs.includes(p)) : resumed ? [] : [...PAIR_IDS];
      // A pair named without levels brings all its essay levels.
      const wanted = refs.length === 0 ? ESSAY_LEVELS.filter((l) => named.includes(l.pair)).map((l) => l.id) : essayIds;
      // A chat already subscribed adds what it names (/subscribe spx 2.5, then /subscribe qqq 0.25:
      // both); taking a level away is its button's job, or /mylevels remove. So does a stopped one.
      const kept = current?.active === true || stopped ? current : undefined;
      const pairs = PAIR_IDS.filter((p) => named.includes(p) || kept?.pairs.includes(p) === true);
      // "On again, as they were" only where alerts were on when the platform stopped them (the store
      // keeps what the stop took): a chat that only had a digest had none to bring back.
      outcome = {
        intro: resumed ? 'chat.sub.resumed' : kept === undefined || stopped ? 'chat.sub.done' : 'chat.sub.added',
        ...(kept && !stopped && { kept }),
      };
      return {
        active: true,
        deactivatedReason: null,
        pairs,
        levelIds: levelIdsFor([...(kept === undefined ? [] : activeEssayIds(kept)), ...wanted], pairs),
        customLevels: custom,
        // A new chat's language; a chat's own (a /lang answered meanwhile) is not written over.
        ...(current === undefined ? { lang } : {}),
        // The role a fresh start (after /unsubscribe) mentions is the one it names, or none: the way
        // to stop pinging a role. Alerts the platform stopped come back with theirs.
        ...(mention !== undefined ? { mention } : kept === undefined ? { mention: null } : {}),
      };
    });
    const done = outcome as { intro: string; kept?: Subscription } | 'tooMany';
    if (done === 'tooMany' || sub === undefined)
      return usage(lang, ctx.platform, subscribeCommand, { key: platformKey('chat.mylevels.tooMany', ctx), params: { max: MAX_CUSTOM_LEVELS } });
    // Named what it already had (/subscribe spx, subscribed to both): said so, not "added".
    const same = (a: Subscription, b: Subscription) =>
      JSON.stringify([a.pairs, activeEssayIds(a), a.customLevels]) === JSON.stringify([b.pairs, activeEssayIds(b), b.customLevels]);
    const intro = done.kept !== undefined && same(done.kept, sub) ? alreadyIntro(done.kept) : platformText(lang, done.intro, ctx);
    // A digest the stop held comes again with it: said, since "subscribed" speaks of alerts only.
    const heldDigest = existing !== undefined && !existing.active && stopCause(existing.deactivatedReason) !== undefined && sub.digestTime !== null;
    const digestBack = heldDigest ? [[t(lang, 'chat.sub.digestBack', { time: sub.digestTime, zone: zoneName(lang, sub.timezone) })]] : [];
    // How far a new level lies goes below the summary: after "Added to this chat's alerts:" the summary is what the colon introduces.
    return subscriptionReply(lang, sub, ctx.nowMs, ctx, intro, digestBack, await farLevelNotes(deps, lang, newLevels));
  },
});

/** "Unsubscribed", with a Subscribe button, and the digest's line when the chat keeps one. */
async function unsubscribed(deps: ChatDeps, ctx: ChatContext, lang: Lang, subscriptionId: number, first = t(lang, 'chat.unsub.done')): Promise<Reply> {
  const lines = [first, ...(await digestStillOnLines(deps, ctx, lang, subscriptionId))];
  // textLine: the digest's line carries a copyable command.
  return reply(lines.map(textLine), { buttons: [[{ label: t(lang, 'chat.button.subscribe'), action: 'cmd:subscribe' }]] });
}

export const unsubscribeCommand = defineCommand({
  name: 'unsubscribe',
  changesSettings: true,
  // A pair named stops that pair's alerts; none, or the last, stops them all. The chat's own levels
  // on it are kept (unwatched, as after a full /unsubscribe) for a later /subscribe of that pair.
  // Levels after the pair (`/unsubscribe spx 2.5`, read as /subscribe reads them) stop those levels only.
  args: [
    { name: 'pairs', kind: 'pair', all: true, many: true },
    { name: 'levels', kind: 'levelRef', many: true },
  ],
  describe: (lang) => t(lang, 'chat.cmd.unsubscribe'),
  async execute(deps, ctx, args) {
    const lang = await chatLang(deps, ctx);
    const sub = await deps.subs.get(ctx.platform, ctx.chatId);
    const levels = (args.levels as LevelRef[] | undefined) ?? [];
    // A level taken away from alerts the platform stopped, too: /subscribe brings back the rest.
    if (levels.length > 0)
      return sub !== undefined && keepsAlerts(sub) ? stopLevels(deps, ctx, lang, levels) : reply([[platformText(lang, 'chat.sub.none', ctx)]]);
    if (!sub?.active) {
      // Alerts the platform stopped: now stopped by the chat's own choice, so a later /subscribe starts afresh.
      // Unsubscribed already, a digest kept: said, or a second /unsubscribe (to be sure of silence) reads as if nothing still comes.
      if (sub === undefined || stopCause(sub.deactivatedReason) === undefined)
        return reply([platformText(lang, 'chat.sub.none', ctx), ...(sub === undefined ? [] : await digestStillOnLines(deps, ctx, lang, sub.id))].map(textLine));
      // Stopped by the platform with no alerts in the stop (a digest alone): nothing to unsubscribe,
      // and the digest stays stopped, as said.
      if (!stopHadAlerts(sub.stopHad)) return reply([[platformText(lang, 'chat.sub.none', ctx)], ...(platformStopLines(lang, sub, ctx.nowMs, ctx) ?? [])]);
      // Its alerts end by the chat's own choice (a later /subscribe starts afresh); a digest the stop
      // holds stays stopped, never revived by an /unsubscribe (store endStopPart), and is said so.
      const named = (args.pairs as PairId[] | undefined) ?? [];
      if (named.length > 0 && sub.pairs.some((p) => !named.includes(p))) return stopPairs(deps, ctx, lang, sub, named);
      const after = await deps.subs.endStopPart(ctx.platform, ctx.chatId, 'alerts');
      if (after === undefined) {
        // Subscribed again meanwhile (another admin, the same moment): unsubscribed as asked.
        await deps.subs.deactivate(ctx.platform, ctx.chatId, 'unsubscribed');
        return unsubscribed(deps, ctx, lang, sub.id);
      }
      const still = platformStopLines(lang, after, ctx.nowMs, ctx);
      if (still === undefined) return unsubscribed(deps, ctx, lang, sub.id);
      return reply([[t(lang, 'chat.unsub.done')], ...still], { buttons: [[{ label: t(lang, 'chat.button.subscribe'), action: 'cmd:subscribe' }]] });
    }
    const dropped = (args.pairs as PairId[] | undefined) ?? [];
    const pairs = sub.pairs.filter((p) => !dropped.includes(p));
    if (dropped.length > 0 && pairs.length > 0) {
      const named = {
        pairs: fmtList(
          dropped.map((p) => pairName(lang, p)),
          lang,
        ),
      };
      if (pairs.length === sub.pairs.length) return subscriptionReply(lang, sub, ctx.nowMs, ctx, platformText(lang, 'chat.unsub.notWatched', ctx, named));
      // Dropped from the pairs (and levels) as the write reads them: a level or pair another manager
      // added the same moment is kept; the other pair dropped meanwhile too, the alerts stop. So do
      // they where the pairs left have no level on and no move alert (their levels all switched off
      // one by one): "still on" above a summary with nothing on would be false.
      const moves = (await deps.moves?.list(sub.id)) ?? [];
      let nothingLeft = false;
      const next = await deps.subs.upsert(ctx.platform, ctx.chatId, (current) => {
        if (current?.active !== true) return undefined;
        const left = current.pairs.filter((p) => !dropped.includes(p));
        const levelIds = levelIdsFor(activeEssayIds({ pairs: left, levelIds: current.levelIds }), left);
        nothingLeft =
          left.length > 0 &&
          activeEssayIds({ pairs: left, levelIds }).length === 0 &&
          !current.customLevels.some((c) => left.includes(c.pair)) &&
          !moves.some((m) => left.includes(m.pair));
        if (left.length === 0 || nothingLeft) return { active: false, deactivatedReason: 'unsubscribed' };
        return { pairs: left, levelIds };
      });
      if (!next?.active) return unsubscribed(deps, ctx, lang, sub.id, (nothingLeft as boolean) ? t(lang, 'chat.unsub.nothingLeft', named) : undefined);
      return subscriptionReply(lang, next, ctx.nowMs, ctx, t(lang, 'chat.unsub.pairs', named));
    }
    await deps.subs.deactivate(ctx.platform, ctx.chatId, 'unsubscribed');
    return unsubscribed(deps, ctx, lang, sub.id);
  },
});

/** Alerts on, or alerts a platform stop holds for /subscribe to bring back: what a level or pair can be taken from. */
const keepsAlerts = (sub: Subscription): boolean => sub.active || (stopCause(sub.deactivatedReason) !== undefined && stopHadAlerts(sub.stopHad));

/**
 * `/unsubscribe spx` in a chat whose alerts the platform stopped, naming some of its pairs: those are
 * taken out of what /subscribe brings back, the stop kept as it is (it ends only with the last pair:
 * the full /unsubscribe). Decided on the row as the write reads it.
 */
async function stopPairs(deps: ChatDeps, ctx: ChatContext, lang: Lang, sub: Subscription, dropped: readonly PairId[]): Promise<Reply> {
  const named = {
    pairs: fmtList(
      dropped.map((p) => pairName(lang, p)),
      lang,
    ),
  };
  const stopLines = (row: Subscription) => platformStopLines(lang, row, ctx.nowMs, ctx) ?? [];
  if (!sub.pairs.some((p) => dropped.includes(p))) return reply([[platformText(lang, 'chat.unsub.notWatched', ctx, named)], ...stopLines(sub)]);
  const next = await deps.subs.upsert(ctx.platform, ctx.chatId, (current) => {
    if (current === undefined || !keepsAlerts(current)) return undefined;
    const left = current.pairs.filter((p) => !dropped.includes(p));
    return left.length === 0 ? undefined : { pairs: left, levelIds: levelIdsFor(activeEssayIds({ pairs: left, levelIds: current.levelIds }), left) };
  });
  return reply([[t(lang, 'chat.unsub.pairsStopped', named)], ...stopLines(next ?? sub)]);
}

/**
 * `/unsubscribe spx 2.5 1.8`: each level named stops, the rest of the subscription stays. An essay
 * level is switched off (as its button or `/mylevels remove` does), a level of the chat's own
 * removed; one the chat does not have is said. Decided on the row as the write reads it.
 */
async function stopLevels(deps: ChatDeps, ctx: ChatContext, lang: Lang, levels: readonly LevelRef[]): Promise<Reply> {
  let said: { lines: Line[]; changed: boolean; missing: number } = { lines: [], changed: false, missing: 0 };
  const next = await deps.subs.upsert(ctx.platform, ctx.chatId, (current) => {
    said = { lines: [], changed: false, missing: 0 };
    if (current === undefined || !keepsAlerts(current)) {
      said.lines.push([platformText(lang, 'chat.sub.none', ctx)]);
      return undefined;
    }
    let row = current;
    for (const ref of levels) {
      if (ref.kind === 'essay') {
        const on = activeEssayIds(row).includes(ref.level.id);
        const params = { pair: pairName(lang, ref.level.pair), level: formatLevel(ref.level, lang) };
        said.lines.push([platformText(lang, on ? 'chat.mylevels.essayOff' : 'chat.mylevels.essayOffAlready', ctx, params)]);
        if (on) row = { ...row, ...setLevelPatch(row, ref.level.id, false) };
        said.changed ||= on;
        continue;
      }
      const params = { pair: pairName(lang, ref.pair), value: formatLevelValue(ref.value) };
      const has = row.customLevels.some((c) => c.pair === ref.pair && c.value === ref.value);
      said.lines.push([platformText(lang, has ? 'chat.mylevels.removed' : 'chat.mylevels.missing', ctx, params)]);
      if (has) row = { ...row, customLevels: row.customLevels.filter((c) => !(c.pair === ref.pair && c.value === ref.value)) };
      said.changed ||= has;
      if (!has) said.missing++;
    }
    return said.changed ? { levelIds: row.levelIds, customLevels: row.customLevels } : undefined;
  });
  const done = said as { lines: Line[]; changed: boolean; missing: number };
  if (done.changed && next !== undefined) return reply([...done.lines, ...summaryLines(lang, next, ctx.nowMs, ctx)]);
  // Nothing to stop: every level named was one the chat does not have (an error), or already off.
  return done.missing === levels.length ? { status: 'error', lines: done.lines } : reply(done.lines);
}

/** An active subscription, or the reply telling the chat to subscribe first. */
export async function requireActive(deps: ChatDeps, ctx: ChatContext, lang: Lang): Promise<Subscription | Reply> {
  const sub = await deps.subs.get(ctx.platform, ctx.chatId);
  if (sub?.active) return sub;
  // Alerts the platform stopped: why, and that /subscribe brings them back as they were, not
  // "subscribe first" as if there were none. Its first line only: a button's notice holds little.
  const stopped = sub !== undefined && stopHadAlerts(sub.stopHad) ? platformStopLines(lang, sub, ctx.nowMs, ctx)?.[0] : undefined;
  return stopped !== undefined ? { status: 'error', lines: [stopped] } : errorReply(t(lang, 'chat.sub.required'));
}

export const isReply = (x: Subscription | Reply): x is Reply => 'lines' in x;

export const mylevelsCommand = defineCommand({
  name: 'mylevels',
  changesSettings: true,
  // Listing (no arguments) reads only: no admin needed.
  readsWithoutArgs: true,
  // A level added is an alert the bot posts here; listing and removing are not.
  postsHere: (v) => (v.pair ?? v.value) !== undefined && !(v.action !== undefined && parseChoice(String(v.action), ['remove']).ok),
  args: [
    { name: 'action', kind: 'word', choices: ['add', 'remove'], needs: ['pair', 'value'] },
    { name: 'pair', kind: 'pair' },
    { name: 'value', kind: 'level' },
  ],
  // The chat's levels: a Discord server's, this channel's (its menu), as the replies say.
  describe: (lang, where) => platformText(lang, 'chat.cmd.mylevels', where),
  async execute(deps, ctx, args) {
    const lang = await chatLang(deps, ctx);
    // A pair and a value alone add (`/mylevels spx 1.8`, as `/move spx 10 20` does).
    const verb = (args.action as 'add' | 'remove' | undefined) ?? (args.pair !== undefined && args.value !== undefined ? 'add' : undefined);
    if (verb === undefined) {
      if (args.pair !== undefined || args.value !== undefined)
        return usage(lang, ctx.platform, mylevelsCommand, missingArgs(['pair', 'value'].filter((n) => args[n] === undefined)));
      return reply(summaryLines(lang, await deps.subs.get(ctx.platform, ctx.chatId), ctx.nowMs, ctx));
    }
    const pair = { value: args.pair as PairId };
    const value = { value: args.value as number };
    const sub = await requireActive(deps, ctx, lang);
    if (isReply(sub)) return sub;
    const params = { pair: pairName(lang, pair.value), value: formatLevelValue(value.value) };
    let added = false;
    // Decided on the row as the write reads it, not as read above: a level another manager added or
    // removed the same moment (another replica) is not written over, and the same one twice is one.
    let said: Reply | undefined;
    const next = await deps.subs.upsert(ctx.platform, ctx.chatId, (current) => {
      if (current?.active !== true) {
        said = errorReply(t(lang, 'chat.sub.required'));
        return undefined;
      }
      const has = current.customLevels.some((c) => c.pair === pair.value && c.value === value.value);
      // One of the essay's levels (2.5, or 0.65 inside the 0.6–0.7 zone, as /subscribe reads it) is
      // switched on or off, never kept a second time as the chat's own (it would alert twice).
      const essay = ESSAY_LEVELS.find((l) => l.pair === pair.value && value.value >= l.low && value.value <= l.high);
      if (essay !== undefined && !has) {
        const on = activeEssayIds(current).includes(essay.id);
        const wanted = verb === 'add';
        const key = `chat.mylevels.essay${wanted ? 'On' : 'Off'}${on === wanted ? 'Already' : ''}`;
        said = reply([[platformText(lang, key, ctx, { pair: params.pair, level: formatLevel(essay, lang) })]]);
        return on === wanted ? undefined : setLevelPatch(current, essay.id, wanted);
      }
      if (verb === 'add') {
        if (has) said = errorReply(platformText(lang, 'chat.mylevels.exists', ctx, params));
        else if (current.customLevels.length >= MAX_CUSTOM_LEVELS)
          said = errorReply(platformText(lang, 'chat.mylevels.tooMany', ctx, { max: MAX_CUSTOM_LEVELS }));
        else {
          said = reply([[platformText(lang, 'chat.mylevels.added', ctx, params)]]);
          added = true;
          return { ...withPair(current, pair.value), customLevels: [...current.customLevels, { pair: pair.value, value: value.value }] };
        }
        return undefined;
      }
      if (!has) {
        said = errorReply(platformText(lang, 'chat.mylevels.missing', ctx, params));
        return undefined;
      }
      said = reply([[platformText(lang, 'chat.mylevels.removed', ctx, params)]]);
      return { customLevels: current.customLevels.filter((c) => !(c.pair === pair.value && c.value === value.value)) };
    });
    const r = said as Reply | undefined;
    if (r === undefined || r.status !== 'ok' || next === undefined) return r ?? errorReply(t(lang, 'chat.sub.required'));
    const far = added ? await farLevelNotes(deps, lang, [{ pair: pair.value, value: value.value }]) : [];
    return reply([...r.lines, ...far, ...summaryLines(lang, next, ctx.nowMs, ctx)]);
  },
});

/**
 * A level's button: `sub:on:<levelId>` or `sub:off:<levelId>` (the state it asks for), or
 * `sub:toggle:<levelId>` (a keyboard sent before buttons carried their state: flips it).
 */
export async function toggleAction(deps: ChatDeps, ctx: ChatContext, levelId: string, wanted?: boolean): Promise<Reply> {
  const lang = await chatLang(deps, ctx);
  if (!(await mayChangeSettings(ctx))) return denied(lang, ctx);
  const sub = await requireActive(deps, ctx, lang);
  if (isReply(sub)) return sub;
  if (levelById(levelId) === undefined) return errorReply(chatMessage(lang, { key: 'chat.err.levelUnknown', params: { input: levelId } }));
  // Made on the row as it is written, not as read above: a press beside it (another manager's,
  // on another replica) is not written over.
  const next = await deps.subs.upsert(ctx.platform, ctx.chatId, (current) => {
    const row = current ?? sub;
    return wanted === undefined ? toggleLevelPatch(row, levelId) : setLevelPatch(row, levelId, wanted);
  });
  return next === undefined ? errorReply(t(lang, 'chat.sub.required')) : subscriptionReply(lang, next, ctx.nowMs, ctx);
}
