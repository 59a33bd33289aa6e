/** `goldratio ratio [--json]`: both ratios now, their changes, the essay's nearest levels, the data's age. */
import { noRatioYet, storeOf, whereOf, type Command } from './command.ts';
import { CLI_SPECS } from './specs.ts';
import { json, jsonPct, parseCli } from './args.ts';
import { PAIR_IDS, PAIRS } from '../domain/instruments.ts';
import { MarketView } from '../store/market-view.ts';
import { QuoteStore } from '../store/quotes.ts';
import { formatAge, formatDistance, formatLevel, formatPct } from '../domain/i18n/format.ts';
import { ratioNear } from '../domain/levels.ts';
import { goldOlderNotes, type PairReport } from '../domain/report.ts';
import { t } from '../domain/i18n/index.ts';
import { daySpanLine } from '../domain/digest.ts';

const round = (v: number | undefined, d = 4) => (v === undefined ? null : Number(v.toFixed(d)));
/** A change in %, to six significant digits as distancePct (a 1D of -0.001% is not 0). */
const pct = (v: number | undefined) => (v === undefined ? null : jsonPct(v));

export function reportJson(r: PairReport) {
  const level = (x: PairReport['levels']['above']) =>
    x && { id: x.level.id, low: x.level.low, high: x.level.high, note: x.level.note.en, distancePct: jsonPct(x.distancePct) };
  return {
    pair: r.pair,
    value: round(r.value, 6),
    basis: r.basis,
    closeDate: r.closeDate,
    lastClose: round(r.lastClose, 6),
    change: { '1d': pct(r.change1d), '1m': pct(r.change1m), ytd: pct(r.changeYtd) },
    // The 1D's base day when the exchange was shut by a closure of its own since (the reopening after 9/11), else null.
    change1dSince: r.change1dSince?.base ?? null,
    levelAbove: level(r.levels.above) ?? null,
    levelBelow: level(r.levels.below) ?? null,
    insideZone: r.levels.inside?.id ?? null,
    // A line the value is exactly on (neither above nor below it), else null.
    onLevel: r.levels.on?.id ?? null,
    ageSeconds: { numerator: Math.round(r.ageMs.numerator / 1000), gold: Math.round(r.ageMs.denominator / 1000) },
    // The day of the gold price the close-based value divides by, when older than closeDate (else null).
    goldDate: r.goldDate ?? null,
  };
}

/** Labels padded to one column; "next level up" says what "above" alone did not: the level, not the ratio, is above. */
const label = (s: string) => `  ${s.padEnd(16)}`;

export function reportText(r: PairReport): string {
  const opt = (v: number | undefined) => (v === undefined ? 'n/a' : formatPct(v));
  const lines = [
    // Beside its levels with the digits that tell it from them, as /ratio: 0.02996, not 0.0300 under "next level up 0.03".
    `${PAIRS[r.pair].label}  ${ratioNear(r.value, r.levels)}  (${r.basis === 'live' ? 'live' : `close ${r.closeDate}`})`,
    `${label('change')}1D ${opt(r.change1d)}   1M ${opt(r.change1m)}   YTD ${opt(r.changeYtd)}`,
  ];
  const { above, below, inside, on } = r.levels;
  if (inside) lines.push(`${label('inside the zone')}${formatLevel(inside, 'en')}  ${inside.note.en}`);
  if (on) lines.push(`${label('exactly on')}${formatLevel(on, 'en')}  ${on.note.en}`);
  if (above) lines.push(`${label('next level up')}${formatLevel(above.level, 'en')} (${formatDistance(above.distancePct, true)})  ${above.level.note.en}`);
  if (below) lines.push(`${label('next level down')}${formatLevel(below.level, 'en')} (${formatDistance(below.distancePct, true)})  ${below.level.note.en}`);
  lines.push(
    `${label('data age')}${PAIRS[r.pair].numerator.toUpperCase()} ${formatAge(r.ageMs.numerator, 'en')}, gold ${formatAge(r.ageMs.denominator, 'en')}`,
  );
  return lines.join('\n');
}

/** /ratio's sentence when a ratio divides by an older gold price than its close: "ratios" when it is both. */
const goldOlderLines = (reports: readonly PairReport[]): string[] =>
  goldOlderNotes(reports).map((g) => t('en', g.pairs > 1 ? 'digest.goldOlder' : 'chat.ratio.goldOlder', { gold: g.gold, date: g.date }));

export const ratioCommand: Command = {
  ...CLI_SPECS.ratio,
  database: 'read',
  async run(args, ctx) {
    const { values } = parseCli(args, { json: { type: 'boolean' } });
    const quotes = new QuoteStore(await storeOf(ctx));
    const view = new MarketView(quotes);
    const now = ctx.now?.() ?? Date.now();
    const reports: PairReport[] = [];
    for (const p of PAIR_IDS) {
      const r = await view.report(p, now);
      if (r !== undefined) reports.push(r);
    }
    if (reports.length === 0) throw await noRatioYet(quotes, whereOf(ctx));
    const since = reports.find((r) => r.change1dSince !== undefined)?.change1dSince;
    const sinceLines = since === undefined ? [] : [daySpanLine(since, 'en')];
    ctx.out(
      values.json === true ? json(reports.map(reportJson)) : [reports.map(reportText).join('\n\n'), ...goldOlderLines(reports), ...sinceLines].join('\n\n'),
    );
    return 0;
  },
};
