/**
 * The chart fonts: Noto Sans TC and Noto Sans SC from the @fontsource packages, so a chart looks
 * the same on every machine (no system font is relied on). Fontsource ships each weight as ~100
 * woff2 files split by unicode-range; we register every file of a weight under its family name.
 * Skia then picks, per character, the first family of the CSS list that has the glyph (checked by
 * tests/charts-cjk.test.ts: Chinese labels draw real glyphs, not tofu boxes). TC lacks most
 * Simplified characters (这, 数, 区) and SC draws shared ones in mainland forms, so a chart lists
 * its own script's family first (a family not registered yet is skipped by Skia).
 */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { GlobalFonts } from '@napi-rs/canvas';
import { LANG_INFO, type Lang } from '../domain/i18n/index.ts';

export const FONT_FAMILY = 'Noto Sans TC';
export const FONT_FAMILY_SC = 'Noto Sans SC';
const PACKAGES = [
  { family: FONT_FAMILY, pkg: '@fontsource/noto-sans-tc' },
  { family: FONT_FAMILY_SC, pkg: '@fontsource/noto-sans-sc' },
] as const;
const WEIGHTS = [400, 700] as const;

/** The families this thread knows to be registered. */
const loaded = new Set<string>();
/**
 * Skia's font collection belongs to the process, not the thread: a render worker started after
 * the main thread (or another worker) registered a family finds it there, and registering it again
 * would decode its ~200 files again and add a second copy of each. The family's name alone could
 * be a system font's, so ours is known by a second name registered with it.
 */
const marker = (family: string) => `${family} (goldratio)`;

/** The woff2 files a fontsource weight stylesheet lists (src url(...) format('woff2')). */
export function woff2FilesOf(css: string): string[] {
  return [...css.matchAll(/url\(\.\/files\/([^)]+\.woff2)\) format\('woff2'\)/g)].map((m) => m[1]!);
}

function register(family: string, pkg: string): void {
  const require = createRequire(import.meta.url);
  const root = dirname(require.resolve(`${pkg}/package.json`));
  const registered: string[] = [];
  for (const weight of WEIGHTS) {
    for (const name of woff2FilesOf(readFileSync(join(root, `${weight}.css`), 'utf8'))) {
      const path = join(root, 'files', name);
      if (GlobalFonts.registerFromPath(path, family) !== null) registered.push(path);
    }
  }
  if (registered.length === 0) throw new Error(`no ${family} font file could be registered from ${root}`);
  GlobalFonts.registerFromPath(registered[0]!, marker(family));
}

/**
 * Registers the fonts a chart in `lang` needs, once each (about 100 ms a family, more under load);
 * later calls return at once. TC covers English and Traditional Chinese; SC is registered the first
 * time a Simplified chart is drawn, so a bot nobody reads in Simplified never pays for it. Throws if
 * a package is missing.
 */
export function ensureFonts(lang?: Lang): void {
  const wanted = lang !== undefined && LANG_INFO[lang].han === 'Hans' ? PACKAGES : PACKAGES.slice(0, 1);
  for (const { family, pkg } of wanted) {
    if (loaded.has(family)) continue;
    if (!GlobalFonts.has(marker(family))) register(family, pkg);
    loaded.add(family);
  }
}

/** The CSS family list for a chart in `lang`: its script's family first, the other as fallback. */
export function fontFamily(lang: Lang | undefined): string {
  const order = lang !== undefined && LANG_INFO[lang].han === 'Hans' ? [FONT_FAMILY_SC, FONT_FAMILY] : [FONT_FAMILY, FONT_FAMILY_SC];
  return order.map((f) => `"${f}"`).join(', ');
}

/** A CSS font string for the chart font in `lang`. */
export function font(sizePx: number, weight: 400 | 700 = 400, lang?: Lang): string {
  return `${weight === 700 ? 'bold ' : ''}${sizePx}px ${fontFamily(lang)}`;
}
