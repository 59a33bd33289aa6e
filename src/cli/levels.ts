/**
 * `goldratio levels [spx-gold|qqq-gold] [--lang en|zh-TW|zh-CN] [--json]`: the essay's levels as
 * /levels gives them in a chat: each pair's value, each level's distance, and what the closes of
 * the level's era show beside the essay's label (its highest or lowest close, and whether it passed).
 */
import { noRatioYet, storeOf, whereOf, type Command } from './command.ts';
import { CLI_SPECS } from './specs.ts';
import { json, jsonPct, langArg, pairArg, parseCli } from './args.ts';
import { MarketView } from '../store/market-view.ts';
import { QuoteStore } from '../store/quotes.ts';
import { PAIR_IDS, type PairId } from '../domain/instruments.ts';
import { distancePct, ERAS, essayLevels, type Level } from '../domain/levels.ts';
import type { LevelRecord } from '../domain/level-record.ts';
import type { PairReport } from '../domain/report.ts';
import type { Lang } from '../domain/i18n/index.ts';
import { levelsLines } from '../chat/commands/reference.ts';
import { plainText, reply } from '../chat/reply.ts';

const round = (v: number, d: number) => Number(v.toFixed(d));

function levelJson(level: Level, lang: Lang, value: number | undefined, record: LevelRecord | undefined) {
  const era = ERAS.find((e) => e.id === level.era);
  return {
    id: level.id,
    kind: level.kind,
    low: level.low,
    high: level.high,
    note: level.note[lang],
    era: era === undefined ? null : { id: era.id, from: era.from, to: era.to ?? null, name: era.name[lang] },
    // As /levels: % from the value to the level's nearer edge (jsonPct: six significant digits), 0 inside a zone; null with no value.
    distancePct: value === undefined ? null : jsonPct(distancePct(value, level)),
    // What the era's closes show: its highest (or lowest) close, and whether it reached or passed the level.
    record:
      record === undefined
        ? null
        : {
            side: record.side,
            scope: record.scope,
            value: Number(record.value.toPrecision(6)),
            date: record.date,
            outcome: record.outcome,
            pct: record.pct === undefined ? null : round(record.pct, 2),
            goldDate: record.goldDate ?? null,
          },
  };
}

export const levelsCommand: Command = {
  ...CLI_SPECS.levels,
  database: 'read',
  async run(args, ctx) {
    const { values, positionals } = parseCli(args, { lang: { type: 'string' }, json: { type: 'boolean' } }, 1);
    const pairs: readonly PairId[] = positionals[0] === undefined ? PAIR_IDS : [pairArg(positionals[0], CLI_SPECS.levels.usage)];
    const lang = langArg(values.lang, ctx.config.defaultLang);
    const quotes = new QuoteStore(await storeOf(ctx));
    const view = new MarketView(quotes);
    const now = ctx.now?.() ?? Date.now();
    const reports = new Map<PairId, PairReport | undefined>();
    for (const p of pairs) reports.set(p, await view.report(p, now));
    // The levels themselves need no data, but a database with none is most likely the wrong one: said as `ratio` says it.
    if ([...reports.values()].every((r) => r === undefined)) throw await noRatioYet(quotes, whereOf(ctx));
    if (values.json === true) {
      const snap = await view.snapshot();
      ctx.out(
        json(
          pairs.map((pair) => {
            const r = reports.get(pair);
            return {
              pair,
              value: r === undefined ? null : Number(r.value.toPrecision(6)),
              basis: r?.basis ?? null,
              closeDate: r?.closeDate ?? null,
              levels: essayLevels(pair).map((l) => levelJson(l, lang, r?.value, snap.levelRecord(l))),
            };
          }),
        ),
      );
      return 0;
    }
    ctx.out(plainText(reply(await levelsLines(lang, view, now, pairs))));
    return 0;
  },
};
