/**
 * Number, percent and date formatting. Digits stay Western in every language; grouping, dates and
 * units follow the language (langs.ts gives its Intl locale and whether it writes ISO dates).
 */
import { addMonths, daysBetween } from '../dates.ts';
import { LANG_INFO, t, type Lang } from './index.ts';

/**
 * A level's number as people write it: up to 6 significant digits, trailing zeros dropped, never
 * an exponent (0.0000001, not 1e-7): 2.5, 0.03, 1.23457.
 */
export function formatLevelValue(v: number): string {
  if (!Number.isFinite(v)) return '–';
  const r = Number(v.toPrecision(6));
  const s = String(r);
  if (!/e/i.test(s)) return s;
  const decimals = Math.min(100, Math.max(0, 5 - Math.floor(Math.log10(Math.abs(r)))));
  return r
    .toFixed(decimals)
    .replace(/(\.\d*?)0+$/, '$1')
    .replace(/\.$/, '');
}

/**
 * The one way a level prints, in charts, chat replies, alerts, the digest and the CLI: `2.5`, `0.4`
 * (never `0.40`), or `0.6–0.7` for a zone. Every language writes Western digits and an en dash.
 */
export function formatLevel(level: { readonly low: number; readonly high: number }, _lang: Lang): string {
  return level.high > level.low ? `${formatLevelValue(level.low)}–${formatLevelValue(level.high)}` : formatLevelValue(level.low);
}

/** A ratio with enough digits to see the essay's levels: 1.391, 0.1234. */
export function formatRatio(v: number): string {
  if (!Number.isFinite(v)) return '–';
  const abs = Math.abs(v);
  const digits = abs >= 10 ? 2 : abs >= 1 ? 3 : 4;
  return v.toFixed(digits);
}

/** The most decimals a ratio is written with beside a level it nearly equals (formatRatioBeside). */
const MAX_BESIDE_DECIMALS = 8;

/**
 * A ratio named beside a level (an alert's "now", its chart's marker): formatRatio's digits, or
 * more when those would print a level's edge itself (2.49996, not 2.500, beside 2.5: that reads as
 * if the ratio sat on the level). Closer than 8 decimals tell apart, the side it lies on: <2.5.
 */
export function formatRatioBeside(v: number, level: { readonly low: number; readonly high: number }): string {
  const shown = formatRatio(v);
  const edges = level.high > level.low ? [level.low, level.high] : [level.low];
  if (!Number.isFinite(v) || edges.includes(v)) return shown;
  for (let d = shown.length - shown.indexOf('.') - 1; d <= MAX_BESIDE_DECIMALS; d++) {
    const s = v.toFixed(d);
    if (edges.every((e) => Number(s) !== Number(e.toFixed(d)))) return s;
  }
  const edge = edges.reduce((a, b) => (Math.abs(b - v) < Math.abs(a - v) ? b : a));
  return `${v < edge ? '<' : '>'}${formatLevelValue(edge)}`;
}

/**
 * A distance in % that is not none, as formatPct (unsigned, or `signed`), but never rounded to
 * 0.00%: "0.00% away" reads as on the level. Under 0.005%: <0.01% (signed: +<0.01%, -<0.01%).
 */
export function formatDistance(v: number, signed = false): string {
  return tinyDistance(v, signed) ?? formatPct(signed ? v : Math.abs(v), signed);
}

/** A distance that two decimals would print as none (0 < |v| < 0.005%): <0.01%, signed or not; else undefined. */
function tinyDistance(v: number, signed: boolean): string | undefined {
  if (v === 0 || !Number.isFinite(v) || Math.abs(v) >= 0.005) return undefined;
  return signed ? `${v > 0 ? '+' : '-'}<0.01%` : '<0.01%';
}

export function formatPct(v: number, signed = true): string {
  if (!Number.isFinite(v)) return '–';
  const s = v.toFixed(Math.abs(v) < 10 ? 2 : 1);
  // A change too small for two decimals is 0.00%, not -0.00% (as fmtPct's 'exceptZero' writes it).
  if (Number(s) === 0) return `${s.replace('-', '')}%`;
  // Grouped as every other number the bot writes (+1,319.4% away, as the digest's +1,297%), in every language.
  const grouped = Math.abs(Number(s)) >= 1000 ? Number(s).toLocaleString('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 }) : s;
  return `${signed && v > 0 ? '+' : ''}${grouped}%`;
}

export function formatPrice(v: number): string {
  if (!Number.isFinite(v)) return '–';
  return v.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

/** An age in ms as "5 min", "3 h", "2 d" (or 分鐘/小時/天); under a minute as such, "under a minute", 不到一分鐘 (never "0 min ago"). */
export function formatAge(ms: number, lang: Lang): string {
  if (ms < 60_000) return t(lang, 'unit.underMinute');
  const min = Math.round(ms / 60_000);
  if (min < 60) return t(lang, 'unit.minutes', { n: min });
  const h = Math.round(min / 60);
  if (h < 48) return t(lang, 'unit.hours', { n: h });
  return t(lang, 'unit.days.short', { n: Math.round(h / 24) });
}

const numberFormats = new Map<string, Intl.NumberFormat>();
function nf(lang: Lang, opts: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${lang}|${JSON.stringify(opts)}`;
  let f = numberFormats.get(key);
  if (f === undefined) numberFormats.set(key, (f = new Intl.NumberFormat(LANG_INFO[lang].locale, opts)));
  return f;
}

/** 2.5, 0.03, 4.5: a threshold, as short as it is exact. */
export const fmtNumber = (v: number): string => String(Number(v.toPrecision(6)));

/**
 * A distance to a level (or a change) in % as fmtPct writes it, but never rounded to none: under
 * 0.005%, +<0.01% (or -<0.01%; unsigned, <0.01%).
 */
export function fmtDistance(v: number, lang: Lang, signed = true): string {
  return tinyDistance(v, signed) ?? fmtPct(v, lang, signed);
}

/** +1.23% / -0.4% / +1,297%: two decimals under 10, one under 100, none above; grouped. */
export function fmtPct(v: number, lang: Lang, signed = true): string {
  if (!Number.isFinite(v)) return '–';
  const a = Math.abs(v);
  const digits = a < 10 ? 2 : a < 100 ? 1 : 0;
  return `${nf(lang, { minimumFractionDigits: digits, maximumFractionDigits: digits, signDisplay: signed ? 'exceptZero' : 'never' }).format(v)}%`;
}

/**
 * An index (base = 100) that is 100: within 1e-9, a float's error on 100 (a base and an end on one
 * close, or a ratio of two series grown by the same factor), not a change.
 */
export function sameAsBase(index: number): boolean {
  return Math.abs(index - 100) < 1e-9;
}

/**
 * An index (base = 100) as a change in %: 596.4 → +496%, 38.5 → -62%, 100.2 → +0.2% (one decimal
 * under 10), never rounded to none: 100.014 → +0.01%, 100.004 → +<0.01% ("beat M2 by 0%" beside a
 * verdict of real growth read as a tie, or as false).
 */
export function fmtIndexPct(index: number, lang: Lang, signed = true): string {
  const v = index - 100;
  if (!sameAsBase(index) && Math.abs(v) < 0.05) return tinyDistance(v, signed) ?? fmtPct(v, lang, signed);
  const digits = Math.abs(v) < 9.95 ? 1 : 0;
  return `${nf(lang, { maximumFractionDigits: digits, signDisplay: signed ? 'exceptZero' : 'never' }).format(v)}%`;
}

/** Items listed the language's way: "a, b" in English, "a、b" in Chinese. */
export function fmtList(items: readonly string[], lang: Lang): string {
  return items.join(t(lang, 'chat.list.sep'));
}

/** A number the bot names in a refusal (a limit, a count, what was read): grouped like every other number, its decimals kept: 1,260, 0.5. */
export function fmtFigure(n: number, lang: Lang): string {
  return nf(lang, { maximumFractionDigits: 6 }).format(n);
}

/** A count, grouped like every other number: 24,777. */
export function fmtCount(n: number, lang: Lang): string {
  return nf(lang, { maximumFractionDigits: 0 }).format(n);
}

/**
 * An index (base = 100) itself, one decimal, grouped like every other number: 1,397.2. Beside 100
 * it takes the decimals it needs to differ from it (100.01, 99.996; up to three): "M2-adjusted
 * 100.0" beside "beat M2", or "in gold 100.0" beside "below 100 in gold", read as false. Nearer
 * still, the side of 100 it is on, as a ratio beside its level says it (>100, <100): the change
 * beside it is +<0.01% (fmtIndexPct), and "beat M2 by <0.01%" beside 100.0 read as a tie.
 */
export function fmtIndex(index: number, lang: Lang): string {
  if (!Number.isFinite(index)) return '–';
  let digits = 1;
  while (digits < 3 && Number(index.toFixed(digits)) === 100) digits++;
  if (Number(index.toFixed(digits)) === 100) {
    // Under 1e-9 from 100 is a float's error on 100 (a base and an end on one close), as fmtIndexPct reads it: 100.0.
    if (Math.abs(index - 100) < 1e-9) digits = 1;
    else return `${index > 100 ? '>' : '<'}${nf(lang, { maximumFractionDigits: 0 }).format(100)}`;
  }
  return nf(lang, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(index);
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();
function df(lang: Lang, opts: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${lang}|${JSON.stringify(opts)}`;
  let f = dateFormats.get(key);
  if (f === undefined) dateFormats.set(key, (f = new Intl.DateTimeFormat(LANG_INFO[lang].locale, { timeZone: 'UTC', ...opts })));
  return f;
}

/**
 * The one way a date prints in a language: 2026-08-21 in English (what its texts always wrote),
 * 2026年8月21日 in Chinese. A malformed date is printed as given rather than thrown on.
 */
export function fmtDate(iso: string, lang: Lang): string {
  if (LANG_INFO[lang].isoDates || !/^\d{4}-\d{2}-\d{2}$/.test(iso)) return iso;
  return df(lang, { year: 'numeric', month: 'long', day: 'numeric' }).format(new Date(`${iso}T00:00:00Z`));
}

/** 2026-07 / 2026年7月 */
export function fmtMonth(iso: string, lang: Lang): string {
  if (LANG_INFO[lang].isoDates || !/^\d{4}-\d{2}/.test(iso)) return iso.slice(0, 7);
  return df(lang, { year: 'numeric', month: 'long' }).format(new Date(`${iso.slice(0, 7)}-01T00:00:00Z`));
}

/**
 * A time axis's tick, as readers of financial charts in the language expect: ISO parts in English
 * (2025-09, 08-20); in Chinese the title's own words, shortened (2025年9月 where the year is
 * needed, else 9月; 8月20日). `withYear` asks for the year (a month axis's first tick and its Januaries).
 */
export function fmtAxisMonth(iso: string, lang: Lang, withYear: boolean): string {
  if (LANG_INFO[lang].isoDates) return iso.slice(0, 7);
  const month = `${Number(iso.slice(5, 7))}月`;
  return withYear ? `${Number(iso.slice(0, 4))}年${month}` : month;
}

/** A day on a time axis: 08-20 in English, 8月20日 in Chinese (a new year's first tick: fmtDate). */
export function fmtAxisDay(iso: string, lang: Lang): string {
  if (LANG_INFO[lang].isoDates) return iso.slice(5, 10);
  return `${Number(iso.slice(5, 7))}月${Number(iso.slice(8, 10))}日`;
}

/** A month's mean length in days (365.25 / 12). */
const MONTH_DAYS = 30.44;

/** How long ago, from calendar days: 12 days, 5 months, over 3 months, 4.6 years (天/個月/年). */
export function fmtSince(days: number, lang: Lang): string {
  if (days < 60) return t(lang, days === 1 ? 'unit.day' : 'unit.days', { n: days });
  if (days < 730) {
    // Whole months when within two days of one (61 days: 2 months), else the months past, said as
    // "over" (107 days, three and a half: over 3 months, never the 4 a rounding made of it).
    const whole = Math.round(days / MONTH_DAYS);
    if (Math.abs(days - whole * MONTH_DAYS) < 2) return t(lang, 'unit.months', { n: whole });
    return t(lang, 'unit.monthsOver', { n: Math.floor(days / MONTH_DAYS) });
  }
  return t(lang, 'unit.years', { n: nf(lang, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(days / 365.25) });
}

/**
 * How long ago `from` was on `to` (ISO days): as fmtSince, but the months are the calendar's, as a
 * reader counts them from the dates beside it. By mean months (30.44 days) a break of 2000-11-28 read
 * on 2002-03-28, sixteen months to the day, was "over 15 months ago" (485 days, two short of sixteen
 * means): whole months within two days of one, else the whole months past, said as "over".
 */
export function fmtSinceDay(from: string, to: string, lang: Lang): string {
  const days = daysBetween(from, to);
  if (days < 60 || days >= 730) return fmtSince(days, lang);
  let months = (Number(to.slice(0, 4)) - Number(from.slice(0, 4))) * 12 + Number(to.slice(5, 7)) - Number(from.slice(5, 7));
  if (addMonths(from, months) > to) months--;
  if (daysBetween(addMonths(from, months), to) <= 2) return t(lang, 'unit.months', { n: months });
  if (daysBetween(to, addMonths(from, months + 1)) <= 2) return t(lang, 'unit.months', { n: months + 1 });
  return t(lang, 'unit.monthsOver', { n: months });
}

/** How long ago, from ms: minutes and hours for the first two days (formatAge), then days, months, years (fmtSince). */
export function fmtAgo(ms: number, lang: Lang): string {
  const age = Math.max(0, ms);
  return age < 2 * 86_400_000 ? formatAge(age, lang) : fmtSince(Math.floor(age / 86_400_000), lang);
}
