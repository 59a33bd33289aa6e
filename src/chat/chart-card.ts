/**
 * The figures shown beside a chart where a platform has room for them (Discord's embed): both
 * ratios as fields with their day move, the tone of the charted pair's day move, and the data's
 * sources and age as the footer: the sources of the closes the chart draws (`drawn`, as its own
 * footer names them: a chart of 2008 drawn from an import names the import), then those of the
 * latest closes the fields show. Telegram's caption keeps to the reply's own lines (1,024
 * characters), so it does not ask for them.
 */
import { fmtList, formatAge, formatPct } from '../domain/i18n/format.ts';
import { ratioNear } from '../domain/levels.ts';
import { t, type Lang } from '../domain/i18n/index.ts';
import { PAIR_IDS, PAIRS } from '../domain/instruments.ts';
import { sourceNames } from '../domain/source-name.ts';
import type { Tone } from '../domain/message.ts';
import type { ChatDeps } from './context.ts';
import type { Reply, ReplyField } from './reply.ts';

export async function withChartCard(deps: Pick<ChatDeps, 'view'>, reply: Reply, lang: Lang, nowMs: number, drawn?: readonly string[]): Promise<Reply> {
  const chart = reply.chart;
  if (chart === undefined) return reply;
  const fields: ReplyField[] = [];
  let tone: Tone = 'neutral';
  let ageMs = 0;
  const charted = chart.kind === 'power' || chart.kind === 'digest' ? 'spx-gold' : chart.pair;
  for (const pair of PAIR_IDS) {
    const rep = await deps.view.report(pair, nowMs);
    if (rep === undefined) continue;
    fields.push({
      name: t(lang, `pair.${pair}`),
      // Beside the levels with the digits that tell it from them, as /ratio: 0.02996, not 0.0300.
      value: [{ code: ratioNear(rep.value, rep.levels) }, rep.change1d === undefined ? '' : t(lang, 'chat.chart.change', { change: formatPct(rep.change1d) })],
      inline: true,
    });
    ageMs = Math.max(ageMs, rep.ageMs.numerator, rep.ageMs.denominator);
    if (pair === charted && rep.change1d !== undefined) tone = rep.change1d >= 0 ? 'up' : 'down';
  }
  // The power chart and the digest measure against M2 too: without the chart's own sources (not
  // drawn), M2's is named as one of theirs; with them, only where the chart draws M2.
  const m2 = drawn === undefined && (chart.kind === 'power' || chart.kind === 'digest') ? ['m2'] : [];
  const instruments = new Set<string>([...PAIR_IDS.flatMap((p) => [PAIRS[p].numerator, PAIRS[p].denominator]), ...m2]);
  const sources = [
    ...new Set([
      ...(drawn ?? []),
      ...(await deps.view.status())
        .filter((s) => instruments.has(s.instrument))
        .map((s) => s.source)
        .filter((s): s is string => s !== undefined),
    ]),
  ];
  const footer =
    fields.length > 0 ? t(lang, 'chat.chart.source', { source: fmtList(sourceNames(sources, lang), lang) || '–', age: formatAge(ageMs, lang) }) : undefined;
  return { ...reply, fields, tone, ...(footer !== undefined ? { footer } : {}) };
}
