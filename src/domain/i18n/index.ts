/**
 * Every user-facing text goes through here, in every language of langs.ts.
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
import { levels } from './levels.ts';
import { quietMove } from './quiet-move.ts';
import { reach } from './reach.ts';

import { LANG_INFO, LANGS, type Lang } from './langs.ts';

export { LANG_INFO, LANGS, inEveryLang, isLang, langFromCode, langFromInput, matchLang, pickLang, type Lang, type LangInfo } from './langs.ts';

/** One area's texts, in every language (the type makes a missing language a compile error). */
export type Catalogue = Readonly<Record<Lang, Readonly<Record<string, string>>>>;

const merged = Object.fromEntries(LANGS.map((l) => [l, {}])) as Record<Lang, Record<string, string>>;

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
registerCatalogue(levels);
registerCatalogue(quietMove);
registerCatalogue(reach);

export type Params = Readonly<Record<string, string | number>>;

function template(lang: Lang, key: string): string {
  for (let l: Lang | undefined = lang; l !== undefined; l = LANG_INFO[l].fallback) {
    const s = merged[l][key];
    if (s !== undefined) return s;
  }
  return merged.en[key] ?? key;
}

/** The text for `key` in `lang`, else in its fallback languages; a missing key is shown as itself. */
export function t(lang: Lang, key: string, params: Params = {}): string {
  const text = template(lang, key);
  return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}

/** True when every language defines `key` (tests use it to find gaps). */
export function hasKey(key: string): boolean {
  return LANGS.every((l) => key in merged[l]);
}

export function allKeys(lang: Lang): string[] {
  return Object.keys(merged[lang]);
}
