/**
 * Parsers for the arguments of /quiet and /move (errors are i18n keys, like chat/parse.ts): a
 * quiet window `23:00-07:00`, a move's percent and its number of trading days.
 */
import { numberText } from '../domain/han-fold.ts';
import { err, ok } from '../domain/series.ts';
import { parseQuietSpan, windowMinutes, type QuietSpan } from '../domain/quiet-hours.ts';
import { MAX_MOVE_DAYS, MAX_MOVE_PCT, MIN_MOVE_PCT } from '../domain/moves.ts';
import { countOf } from '../domain/han-numbers.ts';
import { echo, type Parsed } from './parse.ts';

export function parseQuietSpanArg(input: string): Parsed<QuietSpan> {
  const r = parseQuietSpan(input);
  if (r.ok) return ok(r.value);
  if (r.reason === 'ambiguous') {
    const span = (w: QuietSpan) => `${w.start}-${w.end}`;
    return err({
      key: 'chat.err.quietAmbiguous',
      params: {
        input: echo(input),
        typed: span(r.typed),
        length: windowMinutes(r.typed.start, r.typed.end) / 60,
        one: span(r.meant[0]),
        two: span(r.meant[1]),
      },
    });
  }
  return err({ key: r.reason === 'empty' ? 'chat.err.quietEmpty' : 'chat.err.quietSpan', params: { input: echo(input) } });
}

/**
 * `10`, `7.5`, `10%`, `2,5`, `１０％`, `10pct`, and in Chinese numerals `十`, `十二%`, `百分之十五`: from 1 to
 * 100. A move counts either way, and so may its percent be written: `±10`, `+/-10%`, `+10`, `漲跌10%`.
 */
export function parseMovePct(input: string): Parsed<number> {
  // A space before the sign only (`10 %`): `10 0` is no number.
  const s = numberText(input)
    .trim()
    .replace(/\s*(?:[%％]|percent|pct)$/i, '')
    .replace(/^(?:±|\+\/?-|\+|漲跌|涨跌|上下)\s*/, '')
    .replace(/^百分之/, '')
    .replace(',', '.');
  const v = /^(\d+\.?\d*|\.\d+)$/.test(s) ? Number(Number(s).toPrecision(6)) : (countOf(s) ?? Number.NaN);
  if (!(v >= MIN_MOVE_PCT && v <= MAX_MOVE_PCT)) return err({ key: 'chat.err.movePct', params: { input: echo(input), min: MIN_MOVE_PCT, max: MAX_MOVE_PCT } });
  return ok(v);
}

/** A whole number of trading days from 1 to 250, its unit written or not (`20`, `20d`, `20天`, `二十個交易日`). */
export function parseMoveDays(input: string): Parsed<number> {
  // Spaces between the number and its unit only (`20 trading days`): `2 0` is no number.
  const m = /^(\d{1,4}|[一二兩两三四五六七八九十]{1,3})\s*(?:d|days?|trading\s*days?|td|天|日|(?:個|个)?交易日)?$/.exec(numberText(input).trim().toLowerCase());
  const v = m === null ? Number.NaN : (countOf(m[1]!) ?? Number.NaN);
  if (!(v >= 1 && v <= MAX_MOVE_DAYS)) return err({ key: 'chat.err.moveDays', params: { input: echo(input), max: MAX_MOVE_DAYS } });
  return ok(v);
}
