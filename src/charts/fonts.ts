/**
 * The chart font: Noto Sans TC from the @fontsource package, so a chart looks the same on every
 * machine (no system font is relied on). Fontsource ships each weight as ~100 woff2 files split by
 * unicode-range; we register every file of a weight under the one family name. Skia then picks, per
 * character, the typeface of that family that has the glyph (checked by tests/charts-cjk.test.ts:
 * Chinese labels draw real glyphs, not tofu boxes).
 */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { GlobalFonts } from '@napi-rs/canvas';

export const FONT_FAMILY = 'Noto Sans TC';
const WEIGHTS = [400, 700] as const;

let loaded: { files: number } | undefined;

/** The woff2 files a fontsource weight stylesheet lists (src url(...) format('woff2')). */
export function woff2FilesOf(css: string): string[] {
  return [...css.matchAll(/url\(\.\/files\/([^)]+\.woff2)\) format\('woff2'\)/g)].map((m) => m[1]!);
}

/** Registers the font once (about 100 ms); later calls return at once. Throws if the package is missing. */
export function ensureFonts(): { files: number } {
  if (loaded !== undefined) return loaded;
  const require = createRequire(import.meta.url);
  const root = dirname(require.resolve('@fontsource/noto-sans-tc/package.json'));
  let files = 0;
  for (const weight of WEIGHTS) {
    const names = woff2FilesOf(readFileSync(join(root, `${weight}.css`), 'utf8'));
    for (const name of names) {
      if (GlobalFonts.registerFromPath(join(root, 'files', name), FONT_FAMILY) !== null) files++;
    }
  }
  if (files === 0) throw new Error(`no ${FONT_FAMILY} font file could be registered from ${root}`);
  loaded = { files };
  return loaded;
}

/** A CSS font string for the chart font. */
export function font(sizePx: number, weight: 400 | 700 = 400): string {
  return `${weight === 700 ? 'bold ' : ''}${sizePx}px "${FONT_FAMILY}"`;
}
