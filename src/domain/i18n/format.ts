/** Number, percent and date formatting, the same in every language (digits stay Western). */
import type { Lang } from './index.ts';

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

const ZONE_SEP: Readonly<Record<Lang, string>> = { en: '–', 'zh-TW': '–' };

/**
 * The one way a level prints, in charts, chat replies, alerts and the CLI: `2.5`, or `0.6–0.7` for
 * a zone. Per language (both write Western digits and an en dash today).
 */
export function formatLevel(level: { readonly low: number; readonly high: number }, lang: Lang): string {
  return level.high > level.low ? `${formatLevelValue(level.low)}${ZONE_SEP[lang]}${formatLevelValue(level.high)}` : formatLevelValue(level.low);
}

/** A ratio with enough digits to see the essay's levels: 1.391, 0.1234. */
export function formatRatio(v: number): string {
  if (!Number.isFinite(v)) return '–';
  const abs = Math.abs(v);
  const digits = abs >= 10 ? 2 : abs >= 1 ? 3 : 4;
  return v.toFixed(digits);
}

export function formatPct(v: number, signed = true): string {
  if (!Number.isFinite(v)) return '–';
  const s = v.toFixed(Math.abs(v) < 10 ? 2 : 1);
  return `${signed && v > 0 ? '+' : ''}${s}%`;
}

export function formatPrice(v: number): string {
  if (!Number.isFinite(v)) return '–';
  return v.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

/** An age in ms as "5 min", "3 h", "2 d" (or 分鐘/小時/天). */
export function formatAge(ms: number, lang: Lang): string {
  const min = Math.round(ms / 60_000);
  const zh = lang === 'zh-TW';
  if (min < 60) return zh ? `${min} 分鐘` : `${min} min`;
  const h = Math.round(min / 60);
  if (h < 48) return zh ? `${h} 小時` : `${h} h`;
  const d = Math.round(h / 24);
  return zh ? `${d} 天` : `${d} d`;
}
