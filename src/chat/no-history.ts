/**
 * Why an answer has nothing to show yet, in the chat's words: the first history load still running,
 * or the price sources unreachable at the last try (and about when the next is). Undefined when
 * neither: the answer says its own "no data".
 */
import { fmtList, formatAge } from '../domain/i18n/format.ts';
import { t, type Lang } from '../domain/i18n/index.ts';
import { PAIRS, type PairId } from '../domain/instruments.ts';
import type { ChatDeps } from './context.ts';
import { pairName } from './labels.ts';

/** At least a minute: a try that is due runs at the next minute's tick. */
const inAbout = (ms: number, lang: Lang) => formatAge(Math.max(60_000, ms), lang);

/** For one pair (/ratio, /chart), or for the history as a whole (/power). */
export async function whyNoHistory(deps: ChatDeps, lang: Lang, nowMs: number, pair?: PairId): Promise<string | undefined> {
  if (deps.historyLoading?.() === true) return pair === undefined ? t(lang, 'chat.loading.any') : t(lang, 'chat.loading.pair', { pair: pairName(lang, pair) });
  const retry = await deps.historyRetry?.();
  if (retry === undefined) return undefined;
  const needs = pair === undefined ? retry.missing : retry.missing.filter((i) => i === PAIRS[pair].numerator || i === PAIRS[pair].denominator);
  if (needs.length === 0) return undefined;
  const when = { ago: formatAge(Math.max(0, nowMs - retry.failedAt), lang), next: inAbout(retry.nextAt - nowMs, lang) };
  return pair === undefined ? t(lang, 'chat.unreachable.any', when) : t(lang, 'chat.unreachable.pair', { pair: pairName(lang, pair), ...when });
}

/** /status: which series have no history because their sources could not be reached, and when the next try is. */
export async function unreachableLine(deps: ChatDeps, lang: Lang, nowMs: number): Promise<string | undefined> {
  if (deps.historyLoading?.() === true) return undefined;
  const retry = await deps.historyRetry?.();
  if (retry === undefined || retry.missing.length === 0) return undefined;
  return t(lang, 'chat.status.unreachable', {
    series: fmtList(
      retry.missing.map((i) => t(lang, `instrument.${i}`)),
      lang,
    ),
    ago: formatAge(Math.max(0, nowMs - retry.failedAt), lang),
    next: inAbout(retry.nextAt - nowMs, lang),
  });
}
