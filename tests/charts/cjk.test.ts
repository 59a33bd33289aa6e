/**
 * Chinese labels must draw real glyphs, not tofu (the empty box a font draws for a character it
 * lacks). Every CJK character the charts can print is drawn with the chart font and compared with
 * the tofu shapes; the detector itself is shown to catch tofu when the font is missing.
 */
import { describe, expect, test } from 'vitest';
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { glyph } from '../helpers/glyph.ts';
import { ensureFonts, font, fontFamily, FONT_FAMILY, FONT_FAMILY_SC } from '../../src/charts/fonts.ts';
import { charts } from '../../src/domain/i18n/charts.ts';
import { core } from '../../src/domain/i18n/core.ts';
import { ERAS, ESSAY_LEVELS } from '../../src/domain/levels.ts';
import { LANG_INFO, LANGS, type Lang } from '../../src/domain/i18n/index.ts';

const inkOf = (a: Uint8Array) => a.reduce((s, v) => s + v, 0);
/** Pixels that differ, over pixels inked in either: 0 = same shape. */
function difference(a: Uint8Array, b: Uint8Array): number {
  let diff = 0;
  let union = 0;
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) diff++;
    if (a[i] || b[i]) union++;
  }
  return union === 0 ? 0 : diff / union;
}

// A plane-16 private-use character: no font has it, so every font draws its tofu for it.
const MISSING = '\u{10FFFD}';

/** Tofu, as the default chart font and a missing one draw it: drawn once per file (both are the same for every test). */
let tofus: Uint8Array[] | undefined;
function tofuDetector() {
  ensureFonts(undefined, MISSING);
  tofus ??= [glyph(MISSING, font(28)), glyph(MISSING, '28px "No Such Font"')];
  const shapes = tofus;
  // And the tofu of the font asked about: a family draws its own (Noto Sans TC a crossed box) for a
  // character its registered faces list but lack (the Japanese 値).
  const own = new Map<string, Uint8Array>();
  const ownTofu = (css: string) => {
    let t = own.get(css);
    if (t === undefined) own.set(css, (t = glyph(MISSING, css)));
    return t;
  };
  return (ch: string, css: string) => {
    const g = glyph(ch, css);
    return inkOf(g) === 0 || [...shapes, ownTofu(css)].some((t) => difference(g, t) < 0.15);
  };
}

/** Every CJK character the charts can print in a language: chart and core catalogues, era names, level notes. */
function chartCjkChars(lang: Lang = 'zh-TW'): string[] {
  return chartChars(lang).filter((ch) => ch.codePointAt(0)! >= 0x2e80);
}

/**
 * Every character beyond ASCII (which every chart registers: fonts.ts ALWAYS) the charts can print
 * in a language, spaces aside (they draw no ink): its dots, dashes and arrows, and its own script.
 */
function chartChars(lang: Lang): string[] {
  const texts = [...Object.values(charts[lang]), ...Object.values(core[lang]), ...ERAS.map((e) => e.name[lang]), ...ESSAY_LEVELS.map((l) => l.note[lang])];
  const set = new Set<string>();
  for (const s of texts) for (const ch of s) if (ch.codePointAt(0)! > 0x7e && !/\s/u.test(ch)) set.add(ch);
  return [...set];
}

describe('CJK glyphs', () => {
  // First: once an English chart's fonts are registered, Skia draws a missing family's CJK from them.
  test('GIVEN a font without CJK THEN the detector reports tofu (so the tests below can fail)', () => {
    const isTofu = tofuDetector();
    const sample = chartCjkChars().slice(0, 20);
    ensureFonts('zh-TW', `${sample.join('')}黃`);
    expect(sample.filter((ch) => !isTofu(ch, `28px "No Such Font"`))).toEqual([]);
    expect(isTofu(MISSING, font(28))).toBe(true);
    expect(isTofu('黃', font(28))).toBe(false);
  });

  // Every language of the list, not only those written in Han: a language whose chart font lacks a
  // glyph of its texts (Japanese's 値 in Noto Sans TC, house23's try) fails here.
  test.each(LANGS)('GIVEN the %s chart font THEN every character of its chart texts beyond ASCII draws a real glyph', (lang) => {
    const isTofu = tofuDetector();
    const chars = chartChars(lang);
    expect(chars.length).toBeGreaterThan(LANG_INFO[lang].hanScript !== undefined ? 100 : 0);
    // The faces a render of these texts registers (renderSpec: ensureFonts with the chart's text), not every face of both families.
    ensureFonts(lang, chars.join(''));
    // Each family of the chart's list alone: a family the process knows draws only its own glyphs,
    // where the list as a whole may borrow one from a face another language's chart registered
    // (SC's 値 in this process, missing from a Japanese chart drawn in a fresh worker).
    const families = fontFamily(lang).split(', ');
    const drawn = (ch: string, weight: 400 | 700) => families.some((f) => !isTofu(ch, `${weight === 700 ? 'bold ' : ''}28px ${f}`));
    expect(chars.filter((ch) => !drawn(ch, 400))).toEqual([]);
    // Bold (titles) too.
    expect(chars.filter((ch) => !drawn(ch, 700))).toEqual([]);
  });

  test('GIVEN Simplified characters THEN Noto Sans TC alone lacks them (so the SC font is what draws them)', () => {
    const isTofu = tofuDetector();
    const chars = chartCjkChars('zh-CN');
    // TC's faces for these characters wherever TC has one (a Traditional chart's order), and SC's (a Simplified chart's).
    ensureFonts('zh-TW', chars.join(''));
    ensureFonts('zh-CN', chars.join(''));
    const simplifiedOnly = chars.filter((ch) => isTofu(ch, `28px "${FONT_FAMILY}"`));
    expect(simplifiedOnly.length).toBeGreaterThan(10);
    expect(simplifiedOnly.filter((ch) => isTofu(ch, font(28, 400, 'zh-CN')))).toEqual([]);
  });

  test('GIVEN the fonts registered by the main thread THEN a render worker started later finds them (Skia’s collection is per process) and registers none again', async () => {
    // A Simplified chart's faces, and a Traditional chart's for the same text (TC's family seen too).
    const text = chartCjkChars('zh-CN').join('');
    ensureFonts('zh-CN', text);
    ensureFonts('zh-TW', text);
    const worker = new Worker(new URL('../helpers/fonts-in-worker.mjs', import.meta.url), { workerData: { lang: 'zh-CN', text } });
    const [seen] = (await once(worker, 'message')) as [{ calls: number; families: string[] }];
    await worker.terminate();
    expect(seen.calls).toBe(0);
    expect(seen.families).toEqual(expect.arrayContaining([FONT_FAMILY, FONT_FAMILY_SC]));
  });

  test('GIVEN two different characters THEN their glyphs differ (not one box drawn for all)', () => {
    ensureFonts(undefined, '黃金');
    expect(difference(glyph('黃', `28px "${FONT_FAMILY}"`), glyph('金', `28px "${FONT_FAMILY}"`))).toBeGreaterThan(0.3);
  });
});
