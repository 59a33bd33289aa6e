/**
 * The chart fonts: Noto Sans TC and Noto Sans SC from the @fontsource packages, and Noto Sans
 * (Latin) for English charts, so a chart looks the same on every machine (no system font is relied
 * on). Fontsource ships each weight as woff2 files split by unicode-range (its stylesheet lists each
 * file's range: ~100 for a CJK family, 8 for Noto Sans); Skia then picks, per character, the first
 * family of the CSS list with a face that has the glyph (checked by tests/charts/cjk.test.ts: Chinese
 * labels draw real glyphs, not tofu boxes). TC lacks most Simplified characters (这, 数, 区) and SC
 * draws shared ones in mainland forms, so a chart lists its own script's family first. The CJK
 * families draw the middle dot and the bullet (·, •) full-width, as Chinese sets them; an English
 * chart's separators drew as wide as a Chinese character, so English lists Noto Sans first, whose
 * Latin file also holds the arrows and dashes the charts print, and TC after it for anything else.
 *
 * Registering a face costs its decoding, and every face registered slows Skia's first lookups:
 * all ~200 of a family took ~0.3 s of CPU, and as much again on the first text drawn. A chart
 * needs few of them (an English one 2 files, a Chinese one about 16), so a render registers only
 * the faces whose range holds a character of its text (fontsFor), the rest never.
 */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { GlobalFonts } from '@napi-rs/canvas';
import { LANG_INFO, type Lang } from '../domain/i18n/index.ts';

export const FONT_FAMILY = 'Noto Sans TC';
export const FONT_FAMILY_SC = 'Noto Sans SC';
export const FONT_FAMILY_LATIN = 'Noto Sans';
const TC = { family: FONT_FAMILY, pkg: '@fontsource/noto-sans-tc' } as const;
const SC = { family: FONT_FAMILY_SC, pkg: '@fontsource/noto-sans-sc' } as const;
const LATIN = { family: FONT_FAMILY_LATIN, pkg: '@fontsource/noto-sans' } as const;

/**
 * The families a chart in `lang` draws with, first choice first: a Simplified chart SC then TC, a
 * Traditional one TC then SC (SC is registered only for what TC lacks: never, for our texts), an
 * English one Noto Sans then TC. No language given: TC, as a Traditional chart.
 */
function familiesOf(lang: Lang | undefined): readonly { readonly family: string; readonly pkg: string }[] {
  const han = lang === undefined ? 'Hant' : LANG_INFO[lang].hanScript;
  return han === 'Hans' ? [SC, TC] : han === 'Hant' ? [TC, SC] : [LATIN, TC, SC];
}
const WEIGHTS = [400, 700] as const;

/** One woff2 file of a family and the code points it draws (inclusive ranges). */
export interface Face {
  readonly path: string;
  readonly ranges: readonly (readonly [number, number])[];
}

/**
 * The woff2 files a fontsource weight stylesheet lists, each with its unicode-range
 * (`src: url(./files/x.woff2) format('woff2'), …; unicode-range: U+4e00-4e3f,U+4e5c;`).
 */
export function facesOf(css: string): { readonly file: string; readonly ranges: readonly (readonly [number, number])[] }[] {
  return [...css.matchAll(/url\(\.\/files\/([^)]+\.woff2)\) format\('woff2'\)[^;]*;\s*unicode-range:\s*([^;]+);/g)].map((m) => ({
    file: m[1]!,
    ranges: m[2]!.split(',').map((r) => {
      const [a, b] = r.trim().replace(/^U\+/i, '').split('-');
      const lo = Number.parseInt(a!, 16);
      return [lo, b === undefined ? lo : Number.parseInt(b, 16)] as const;
    }),
  }));
}

/** Every face of a family, both weights: read from its package's stylesheets once per thread. */
const faceCache = new Map<string, Face[]>();
function facesOfFamily(family: string, pkg: string): Face[] {
  let faces = faceCache.get(family);
  if (faces === undefined) {
    const require = createRequire(import.meta.url);
    const root = dirname(require.resolve(`${pkg}/package.json`));
    faces = WEIGHTS.flatMap((weight) =>
      facesOf(readFileSync(join(root, `${weight}.css`), 'utf8')).map((f) => ({ path: join(root, 'files', f.file), ranges: f.ranges })),
    );
    if (faces.length === 0) throw new Error(`no ${family} font file is listed in ${root}`);
    faceCache.set(family, faces);
  }
  return faces;
}

const covers = (face: Face, cp: number) => face.ranges.some(([lo, hi]) => cp >= lo && cp <= hi);

/** The faces this thread knows to be registered (by path). */
const loaded = new Set<string>();
/**
 * Skia's font collection belongs to the process, not the thread: a render worker started after
 * the main thread (or another worker) registered a face finds it there, and registering it again
 * would decode it again and add a second copy. A face is known by an alias of its family, named
 * after its file (an alias costs no decoding).
 */
const marker = (family: string, path: string) => `${family} (goldratio) ${basename(path)}`;

function register(family: string, faces: readonly Face[]): void {
  // The process's families, read once per call: GlobalFonts.has parses the whole list (every face's
  // alias) each time it is asked, which made registering a family's faces quadratic.
  let known: Set<string> | undefined;
  for (const face of faces) {
    if (loaded.has(face.path)) continue;
    known ??= new Set(GlobalFonts.families.map((f) => f.family));
    if (!known.has(marker(family, face.path))) {
      if (GlobalFonts.registerFromPath(face.path, family) === null) throw new Error(`the ${family} font file ${face.path} could not be registered`);
      GlobalFonts.setAlias(family, marker(family, face.path));
    }
    loaded.add(face.path);
  }
}

/** Characters drawn whatever the text: digits, Latin letters and signs, the ellipsis of a shortened label. */
const ALWAYS = ' !"#$%&\'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~…';

/** The characters this thread has registered faces for, by font order (its faces are in `loaded`). */
const seenByOrder = new Map<string, Set<number>>();

/**
 * Registers the fonts a chart in `lang` needs, once each; later calls return at once. The families
 * are tried in the chart's order (familiesOf): each registers the faces for the characters the ones
 * before it have no face for (TC behind SC: a character SC lacks; TC behind Noto Sans: a Chinese
 * name in an English chart). With `text`, only the faces that draw a character of it (and of
 * ALWAYS); without, every face of the first family, and of the second for a Simplified chart (what
 * a caller drawing text it does not pass needs). Throws if a package is missing.
 */
export function ensureFonts(lang?: Lang, text?: string): void {
  const families = familiesOf(lang);
  if (text === undefined) {
    const whole = lang !== undefined && LANG_INFO[lang].hanScript === 'Hans' ? families.slice(0, 2) : families.slice(0, 1);
    for (const { family, pkg } of whole) register(family, facesOfFamily(family, pkg));
    return;
  }
  // A render asks again with its whole text: only the characters not seen before are looked up.
  const order = families.map((f) => f.family).join();
  let seen = seenByOrder.get(order);
  if (seen === undefined) seenByOrder.set(order, (seen = new Set()));
  let left = new Set<number>();
  for (const ch of ALWAYS + text) {
    const cp = ch.codePointAt(0)!;
    if (!seen.has(cp)) left.add(cp);
  }
  if (left.size === 0) return;
  const asked = [...left];
  for (const { family, pkg } of families) {
    const faces = facesOfFamily(family, pkg).filter((f) => [...left].some((cp) => covers(f, cp)));
    register(family, faces);
    // The next family only for what this one has no face for (TC behind SC: a character SC lacks).
    left = new Set([...left].filter((cp) => !faces.some((f) => covers(f, cp))));
    if (left.size === 0) break;
  }
  for (const cp of asked) seen.add(cp);
}

/** Every text a spec holds (titles, labels, ticks, notes…), for ensureFonts: whatever a chart draws comes from it. */
export function textOf(value: unknown): string {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'string') out.push(v);
    else if (Array.isArray(v)) {
      // A series' points are numbers only: their first says so.
      const first: unknown = v[0];
      if (typeof first === 'number' || (typeof first === 'object' && first !== null && Object.values(first).every((x) => typeof x === 'number'))) return;
      for (const x of v) walk(x);
    } else if (typeof v === 'object' && v !== null) for (const x of Object.values(v)) walk(x);
  };
  walk(value);
  return out.join('\n');
}

/** The CSS family list for a chart in `lang` (familiesOf): its script's family first, the others as fallback. */
export function fontFamily(lang: Lang | undefined): string {
  return familiesOf(lang)
    .map((f) => `"${f.family}"`)
    .join(', ');
}

/** A CSS font string for the chart font in `lang`. */
export function font(sizePx: number, weight: 400 | 700 = 400, lang?: Lang): string {
  return `${weight === 700 ? 'bold ' : ''}${sizePx}px ${fontFamily(lang)}`;
}
