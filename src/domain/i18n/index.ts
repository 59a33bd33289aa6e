/**
 * Every user-facing text goes through here, in English and Traditional Chinese.
 * Catalogues are split by area (one file each) so that each area owns its keys; `t` looks a key
 * up in the merged catalogue and fills `{name}` placeholders.
 */
import { core } from './core.ts';
import { alerts } from './alerts.ts';
import { chat } from './chat.ts';
import { args } from './args.ts';
import { charts } from './charts.ts';
import { discord } from './discord.ts';
import { digest } from './digest.ts';
import { ops } from './ops.ts';
import { reach } from './reach.ts';

export type Lang = 'en' | 'zh-TW';
export const LANGS: readonly Lang[] = ['en', 'zh-TW'];

export type Catalogue = Readonly<Record<Lang, Readonly<Record<string, string>>>>;

const merged: Record<Lang, Record<string, string>> = { en: {}, 'zh-TW': {} };

/** Adds an area's catalogue. Called once per area at module load; a duplicate key is a bug. */
export function registerCatalogue(c: Catalogue): void {
  for (const lang of LANGS) {
    for (const [k, v] of Object.entries(c[lang])) {
      if (k in merged[lang] && merged[lang][k] !== v) throw new Error(`i18n key defined twice: ${lang}/${k}`);
      merged[lang][k] = v;
    }
  }
}
registerCatalogue(core);
registerCatalogue(alerts);
registerCatalogue(chat);
registerCatalogue(args);
registerCatalogue(charts);
registerCatalogue(discord);
registerCatalogue(digest);
registerCatalogue(ops);
registerCatalogue(reach);

export function isLang(s: string): s is Lang {
  return (LANGS as readonly string[]).includes(s);
}

/** Maps a Telegram/Discord language code (zh-hant, zh-TW, zh-HK, en-US, ...) to a supported Lang. */
export function langFromCode(code: string | undefined, fallback: Lang = 'en'): Lang {
  if (code === undefined) return fallback;
  const c = code.toLowerCase();
  if (c.startsWith('zh')) return 'zh-TW';
  if (c.startsWith('en')) return 'en';
  return fallback;
}

export type Params = Readonly<Record<string, string | number>>;

/** The text for `key` in `lang`, falling back to English; a missing key is shown as itself. */
export function t(lang: Lang, key: string, params: Params = {}): string {
  const template = merged[lang][key] ?? merged.en[key] ?? key;
  return template.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}

/** True when both languages define `key` (tests use it to find gaps). */
export function hasKey(key: string): boolean {
  return key in merged.en && key in merged['zh-TW'];
}

export function allKeys(lang: Lang): string[] {
  return Object.keys(merged[lang]);
}
