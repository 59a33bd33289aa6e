/** Number, percent and date formatting, the same in every language (digits stay Western). */
import type { Lang } from './index.ts';

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
