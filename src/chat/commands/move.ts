/**
 * /move: alerts on fast moves. `/move spx 10 20` alerts when SPX/Gold moved 10% or more, up or
 * down, over 20 trading days; `/move` lists the chat's move alerts; `/move remove spx 10 20`
 * removes one. At most MAX_MOVES_PER_CHAT a chat. Decided at the daily close by the alert
 * pipeline (domain/moves.ts), per distinct watch, with the level alerts' cooldown and outbox.
 */
import { A_FEW_COUNT } from '../../domain/han-numbers.ts';
import { t, type Lang } from '../../domain/i18n/index.ts';
import { fmtCount } from '../../domain/i18n/format.ts';
import type { PairId } from '../../domain/instruments.ts';
import { MAX_MOVE_DAYS, MAX_MOVE_PCT, MAX_MOVES_PER_CHAT, MIN_MOVE_PCT, pctText, type MoveSpec } from '../../domain/moves.ts';
import { PAIRS } from '../../domain/instruments.ts';
import { commandLine, missingArgs } from '../args.ts';
import { defineCommand, type ChatCommand } from '../define-command.ts';
import { chatLang, type ChatDeps, type ChatContext } from '../context.ts';
import { pairName } from '../labels.ts';
import { parseChoice, parsePairArg } from '../parse.ts';
import { mayChangeSettings, platformKey, platformText, usage } from '../replies.ts';
import { copyable, errorReply, reply, textLine, type Line, type Reply } from '../reply.ts';
import { isReply, requireActive } from './subscription.ts';
import type { MoveDays } from '../parse-alerts.ts';

function describeMove(lang: Lang, m: MoveSpec): string {
  return t(lang, 'move.item', { pair: pairName(lang, m.pair), pct: pctText(m.pct), days: fmtCount(m.days, lang) });
}

/** `/move [remove] spx 10 20` as the chat's platform takes it (Discord: its form's options). */
const moveLine = (lang: Lang, ctx: ChatContext, m: MoveSpec, action?: 'remove'): string =>
  commandLine('move', defined.args, lang, ctx.platform, {
    ...(action !== undefined ? { action } : {}),
    pair: PAIRS[m.pair].numerator,
    percent: pctText(m.pct),
    days: String(m.days),
  });

async function listLines(deps: ChatDeps, ctx: ChatContext, lang: Lang): Promise<Line[]> {
  const sub = await deps.subs.get(ctx.platform, ctx.chatId);
  const list = sub === undefined || deps.moves === undefined ? [] : await deps.moves.list(sub.id);
  // A chat without an active subscription cannot add one (requireActive): the example alone would be refused.
  const none = sub?.active === true ? 'move.none' : 'move.noneUnsubscribed';
  if (list.length === 0) return [textLine(platformText(lang, none, ctx, { example: copyable(moveLine(lang, ctx, { pair: 'spx-gold', pct: 10, days: 20 })) }))];
  return [
    [{ bold: t(lang, 'move.title', { count: list.length, max: MAX_MOVES_PER_CHAT }) }],
    ...list.map((m): Line => [`• ${describeMove(lang, m)} `, { code: moveLine(lang, ctx, m, 'remove') }]),
    // Kept through /unsubscribe (and back with /subscribe), but only active chats get them: said, or the list reads as on.
    ...(sub?.active === true ? [] : [[{ italic: platformText(lang, 'move.paused', ctx) }] as Line]),
  ];
}

/** Telegram: `/move spx 10 20` is `/move add spx 10 20`; a verb in any language (`/move 刪除 …`) is one. */
const withVerb = (words: readonly string[]): readonly string[] =>
  words.length === 0 || parseChoice(words[0]!, ['add', 'remove']).ok ? words : ['add', ...words];

const defined = defineCommand({
  name: 'move',
  changesSettings: true,
  // Listing (no arguments) reads only: no admin needed.
  readsWithoutArgs: true,
  impliedWords: withVerb,
  // Adding a move is an alert the bot posts here; listing and removing are not.
  postsHere: (v) => (v.pair ?? v.percent ?? v.days) !== undefined && !(v.action !== undefined && parseChoice(String(v.action), ['remove']).ok),
  args: [
    { name: 'action', kind: 'word', choices: ['add', 'remove'], needs: ['pair', 'percent', 'days'] },
    { name: 'pair', kind: 'pair' },
    { name: 'percent', kind: 'percent' },
    { name: 'days', kind: 'days' },
  ],
  describe: (lang) => t(lang, 'chat.cmd.move'),
  async execute(deps, ctx, args): Promise<Reply> {
    const lang = await chatLang(deps, ctx);
    const given = [args.pair, args.percent, args.days].filter((x) => x !== undefined).length;
    if (args.action === undefined && given === 0) return reply(await listLines(deps, ctx, lang));
    // Discord may leave `action` out: pair, percent and days alone add (as `/move spx 10 20` does on Telegram).
    if (given < 3) return usage(lang, ctx.platform, defined, missingArgs(['pair', 'percent', 'days'].filter((n) => args[n] === undefined)));
    if (deps.moves === undefined) return errorReply(t(lang, 'move.unavailable'));
    const span = args.days as MoveDays;
    const m: MoveSpec = { pair: args.pair as PairId, pct: args.percent as number, days: span.days };
    // Weeks or months typed: what they were read as, so the trading days in the list are no surprise.
    const readAs: Line[] =
      span.typed === undefined
        ? []
        : // Half a year or a month alone is said so (半年, 半個月), not "0.5 years".
          span.typed.count === 0.5 && (span.typed.unit === 'year' || span.typed.unit === 'month')
          ? [[{ italic: t(lang, span.typed.unit === 'year' ? 'move.readAs.halfYear' : 'move.readAs.halfMonth') }]]
          : [[{ italic: t(lang, `move.readAs.${span.typed.unit}`, { count: span.typed.count, days: fmtCount(span.days, lang) }) }]];
    // `a few weeks` is no exact count: the 3 it was read as is said first.
    if (span.fewSaid !== undefined) readAs.unshift([{ italic: t(lang, 'chat.readAs.aFew', { word: span.fewSaid, n: A_FEW_COUNT }) }]);
    if (args.action === 'remove') {
      // An unsubscribed chat's list still offers its remove lines: they work (adding asks to subscribe first).
      const existing = await deps.subs.get(ctx.platform, ctx.chatId);
      if (existing === undefined || !(await deps.moves.remove(existing.id, m)))
        return errorReply(platformText(lang, 'move.missing', ctx, { move: describeMove(lang, m) }));
      return reply([[t(lang, 'move.removed', { move: describeMove(lang, m) })], ...readAs, ...(await listLines(deps, ctx, lang))]);
    }
    const sub = await requireActive(deps, ctx, lang);
    if (isReply(sub)) return sub;
    const r = await deps.moves.add(sub.id, m, MAX_MOVES_PER_CHAT, ctx.nowMs);
    if (r === 'full') return usage(lang, ctx.platform, defined, { key: platformKey('move.tooMany', ctx), params: { max: MAX_MOVES_PER_CHAT } });
    if (r === 'exists') return errorReply(platformText(lang, 'move.exists', ctx, { move: describeMove(lang, m) }));
    return reply([
      [t(lang, 'move.added', { move: describeMove(lang, m) })],
      ...readAs,
      ...(await listLines(deps, ctx, lang)),
      [{ italic: t(lang, 'move.howItWorks') }],
    ]);
  },
});

/**
 * `/move 20 spx 10`: the pair between two bare whole numbers, an order /help does not write (the
 * documented `/move spx 10 20`, the pair first, and `/move 10 20 spx` are read percent first, as /help
 * writes them, and the reply names the reading), so it says nothing of which is which. The words as
 * typed, the pair and the two numbers in their order, when so typed; else undefined.
 */
function aroundPair(
  words: readonly string[],
): { readonly verb: string; readonly pairWord: string; readonly pair: PairId; readonly x: number; readonly y: number } | undefined {
  const said = withVerb(words);
  if (said.length !== 4 || !parseChoice(said[0]!, ['add']).ok) return undefined;
  const [verb, a, pairWord, b] = said as [string, string, string, string];
  const pair = parsePairArg(pairWord);
  const bare = (w: string) => (/^\d+$/.test(w) ? Number(w) : undefined);
  const x = bare(a);
  const y = bare(b);
  return pair.ok && x !== undefined && y !== undefined ? { verb, pairWord, pair: pair.value, x, y } : undefined;
}

/** aroundPair's two numbers when each could be the percent or the days: the two readings, to ask; else undefined. */
function eitherReading(words: readonly string[]): readonly [MoveSpec, MoveSpec] | undefined {
  const w = aroundPair(words);
  const either = (n: number): boolean => n >= MIN_MOVE_PCT && n <= MAX_MOVE_PCT && n <= MAX_MOVE_DAYS;
  if (w === undefined || !either(w.x) || !either(w.y) || w.x === w.y) return undefined;
  return [
    { pair: w.pair, pct: w.x, days: w.y },
    { pair: w.pair, pct: w.y, days: w.x },
  ];
}

/**
 * `/move 150 spx 10`: aroundPair's two numbers of which only one can be the percent (150 is past
 * MAX_MOVE_PCT, so it is the days): read so, as `/move spx 10% 150d`, rather than refused "percent
 * must be 1 to 100"; the reply's added line names the reading. The documented orders (`/move spx 150
 * 10`, `/move 150 10 spx`) keep the refusal naming the percent: 500 there may have meant a 500% move,
 * not 5% over 500 days. Undefined where the order as typed fits (or eitherReading asks), or neither
 * reading does.
 */
function onlyReading(words: readonly string[]): readonly string[] | undefined {
  const w = aroundPair(words);
  const fits = (pct: number, days: number) => pct >= MIN_MOVE_PCT && pct <= MAX_MOVE_PCT && days >= 1 && days <= MAX_MOVE_DAYS;
  if (w === undefined || fits(w.x, w.y) || !fits(w.y, w.x)) return undefined;
  return [w.verb, w.pairWord, `${w.y}%`, `${w.x}d`];
}

/** A reading to press: `move:<pair>:<percent>:<days>`, run as `/move <pair> <percent>% <days>d`, which no order makes ambiguous. */
const readingAction = (m: MoveSpec): string => `move:${m.pair}:${pctText(m.pct)}:${m.days}`;

/** The question of eitherReading's two: nothing set, a button for each (the console prints them as what to type). */
function askReading(lang: Lang, ctx: ChatContext, readings: readonly [MoveSpec, MoveSpec]): Reply {
  const [one, two] = readings;
  const example = copyable(
    commandLine('move', defined.args, lang, ctx.platform, { pair: PAIRS[one.pair].numerator, percent: `${pctText(one.pct)}%`, days: `${one.days}d` }),
  );
  const label = (m: MoveSpec) => t(lang, 'move.reading', { pct: pctText(m.pct), days: m.days });
  return reply([textLine(t(lang, 'move.whichReading', { one: describeMove(lang, one), two: describeMove(lang, two), example }))], {
    buttons: [
      [
        { label: label(one), action: readingAction(one) },
        { label: label(two), action: readingAction(two) },
      ],
    ],
  });
}

/** A reading pressed (`move:spx-gold:20:10`): added as `/move spx 20% 10d` is (checked again: a forged action stores nothing). */
export async function moveAction(deps: ChatDeps, ctx: ChatContext, pair: string, pct: string, days: string): Promise<Reply> {
  const p = parsePairArg(pair);
  if (!p.ok || !/^\d+(?:\.\d+)?$/.test(pct) || !/^\d+$/.test(days)) return errorReply(t(await chatLang(deps, ctx), 'chat.err.action'));
  return defined.run(deps, ctx, ['add', PAIRS[p.value].numerator, `${pct}%`, `${days}d`]);
}

/** What a reading's button types on the console: `/move spx 20% 10d`. */
export function typedReading(pair: string, pct: string, days: string): string | undefined {
  const p = parsePairArg(pair);
  return p.ok ? `/move ${PAIRS[p.value].numerator} ${pct}% ${days}d` : undefined;
}

export const moveCommand: ChatCommand = {
  ...defined,
  run: async (deps, ctx, words) => {
    const readings = eitherReading(words);
    // Asked only of who may add it (elsewhere the command's own refusal answers).
    if (readings !== undefined && (await mayChangeSettings(ctx))) return askReading(await chatLang(deps, ctx), ctx, readings);
    return defined.run(deps, ctx, onlyReading(words) ?? words);
  },
};
