/**
 * An alert chart's break marker is coloured by the way the ratio broke, as its readers read colours:
 * in English a rise green and a fall red, in Chinese the other way round (紅漲綠跌), as Discord's
 * embeds are; a near miss breaks nothing and keeps the neutral marker colour. Rendered, and the
 * marker's ring read from the PNG's pixels.
 */
import { expect, test } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import { alertSpec } from '../../src/charts/spec-alert.ts';
import { renderSpec } from '../../src/charts/render.ts';
import { pixelOf } from '../../src/charts/axis.ts';
import { PALETTES, type ThemeName } from '../../src/charts/theme.ts';
import { essayLevels, levelById } from '../../src/domain/levels.ts';
import type { Lang } from '../../src/domain/i18n/index.ts';
import type { Point } from '../../src/domain/series.ts';

/** A year of weekdays, the ratio going from `from` to `to` in a straight line: it crosses 2.5 mid-year. */
function ramp(from: number, to: number): Point[] {
  const out: Point[] = [];
  for (let d = Date.parse('2024-01-01'); d <= Date.parse('2024-12-31'); d += 86_400_000) {
    const day = new Date(d).getUTCDay();
    if (day !== 0 && day !== 6) out.push({ date: new Date(d).toISOString().slice(0, 10), value: 0 });
  }
  return out.map((p, i) => ({ ...p, value: from + ((to - from) * i) / (out.length - 1) }));
}

const hex = (r: number, g: number, b: number) => `#${[r, g, b].map((v) => v.toString(16).padStart(2, '0')).join('')}`;

/** The colours of the marker's ring (radius 7, 3 px wide), counted over the pixels around its centre. */
async function ringColours(png: Buffer, cx: number, cy: number): Promise<Map<string, number>> {
  const img = await loadImage(png);
  const canvas = createCanvas(img.width, img.height);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(img, 0, 0);
  const data = ctx.getImageData(Math.round(cx) - 10, Math.round(cy) - 10, 21, 21).data;
  const seen = new Map<string, number>();
  for (let i = 0; i < data.length; i += 4) {
    const c = hex(data[i]!, data[i + 1]!, data[i + 2]!);
    seen.set(c, (seen.get(c) ?? 0) + 1);
  }
  return seen;
}

/** To look at the charts: MARKER_PNG_DIR=/some/dir writes each one there. */
const lookDir = process.env.MARKER_PNG_DIR;

const CASES: readonly [Lang, 'up' | 'down' | 'approach', ThemeName, 'markerGreen' | 'markerRed' | 'marker'][] = [
  ['en', 'up', 'light', 'markerGreen'],
  ['en', 'down', 'light', 'markerRed'],
  ['zh-TW', 'up', 'light', 'markerRed'],
  ['zh-TW', 'down', 'light', 'markerGreen'],
  ['zh-CN', 'up', 'dark', 'markerRed'],
  ['zh-CN', 'down', 'dark', 'markerGreen'],
  ['en', 'down', 'dark', 'markerRed'],
  ['en', 'approach', 'light', 'marker'],
];

test.each(CASES)('GIVEN a %s alert chart of a break %s (%s theme) THEN its marker and label are %s', async (lang, way, theme, colour) => {
  const palette = PALETTES[theme];
  const series = way === 'up' ? ramp(2.0, 3.0) : way === 'down' ? ramp(3.0, 2.0) : ramp(2.0, 2.45);
  const i = way === 'approach' ? series.length - 1 : series.findIndex((p) => (way === 'up' ? p.value >= 2.5 : p.value <= 2.5));
  const at = series[i]!;
  const spec = alertSpec({
    pair: 'spx-gold',
    lang,
    palette,
    sources: 'test',
    stale: false,
    series: series.slice(0, i + 1),
    level: levelById('spx-gold-2.5')!,
    levels: essayLevels('spx-gold'),
    date: at.date,
    value: at.value,
    ...(way === 'approach' ? { event: 'approach' as const } : {}),
  });
  expect(spec.markers[0]!.color).toBe(palette[colour]);
  const r = await renderSpec(spec);
  if (lookDir !== undefined) {
    mkdirSync(lookDir, { recursive: true });
    writeFileSync(join(lookDir, `${lang}-${way}-${theme}.png`), r.png);
  }
  const seen = await ringColours(r.png, pixelOf(r.axes.x, spec.markers[0]!.x), pixelOf(r.axes.y, spec.markers[0]!.y));
  // The ring is drawn in the colour: dozens of its pixels, and none in the other colours a marker may take.
  expect(seen.get(palette[colour]) ?? 0).toBeGreaterThan(20);
  for (const other of (['markerGreen', 'markerRed', 'marker'] as const).filter((c) => c !== colour)) expect(seen.get(palette[other]) ?? 0, other).toBe(0);
});
