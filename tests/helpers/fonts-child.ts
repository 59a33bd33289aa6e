/**
 * A process of its own for the font tests (Skia's font collection belongs to the process, so a test
 * worker that drew charts before has every face already): runs `ensureFonts(lang, text)` for each
 * step of argv[2] (JSON), counting the font files it registers, then says which characters of
 * each check draw tofu (the box a font draws for a character it lacks) in that chart's font.
 */
import { GlobalFonts } from '@napi-rs/canvas';
import { glyph } from './glyph.ts';
import { ensureFonts, font } from '../../src/charts/fonts.ts';
import type { Lang } from '../../src/domain/i18n/index.ts';

interface Step {
  readonly lang?: Lang;
  readonly text?: string;
  /** Characters to draw after this step, in this step's chart font (400 and 700). */
  readonly check?: string;
}

/** A glyph's ink as a string of 0s and 1s, to compare. */
const ink = (ch: string, css: string): string => glyph(ch, css).join('');

let files = 0;
const registerFromPath = GlobalFonts.registerFromPath.bind(GlobalFonts);
GlobalFonts.registerFromPath = (...args: Parameters<typeof registerFromPath>) => {
  files++;
  return registerFromPath(...args);
};

const steps = JSON.parse(process.argv[2]!) as Step[];
const out = steps.map((s) => {
  const before = files;
  ensureFonts(s.lang, s.text);
  const registered = files - before;
  const tofu: string[] = [];
  for (const weight of [400, 700] as const) {
    const css = font(28, weight, s.lang);
    // A plane-16 private-use character: no font has it, so this is the tofu of this font list.
    const box = ink('\u{10FFFD}', css);
    for (const ch of s.check ?? '') {
      const g = ink(ch, css);
      if (g === box || !g.includes('1')) tofu.push(`${ch}@${weight}`);
    }
  }
  return { registered, tofu };
});
process.stdout.write(JSON.stringify(out));
