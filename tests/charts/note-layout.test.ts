/**
 * The margin notes naming the levels outside the view, as the overlay writes them on a real canvas.
 * Too long, they were cut with "…": an alert chart for a chat's own 0.5 under the 0.6–0.7 zone lost
 * 5.5 mid-word, and a chart with a chat's own levels lost the farthest of them entirely. Now every
 * level is named (the essay's notes shortened first), or, when even that is too long, a chat's own
 * levels are kept and the rest counted: "+2 more".
 */
import { describe, expect, test } from 'vitest';
import type { ChartSpec, NoteList } from '../../src/charts/spec.ts';
import { noteLine } from '../../src/charts/note-layout.ts';
import { ratioSpec } from '../../src/charts/spec-ratio.ts';
import { alertSpec } from '../../src/charts/spec-alert.ts';
import { PALETTES } from '../../src/charts/theme.ts';
import { drawOverlay, type WrittenText } from '../helpers/charts-fixtures.ts';
import { addDays } from '../../src/domain/dates.ts';
import { customLevel, essayLevels } from '../../src/domain/levels.ts';
import type { Lang } from '../../src/domain/i18n/index.ts';
import { LANGS } from '../../src/domain/i18n/index.ts';

/** The margin notes the overlay writes for `spec` (the lines starting with an arrow), and the width each takes. */
function notesWritten(spec: ChartSpec): WrittenText[] {
  return drawOverlay(spec, 'afterDraw').out.filter((w) => /^[↑↓]/.test(w.text));
}

/** The alert chart of a chat's own 0.41 broken downward, the ratio under 0.6 for months: all three essay levels are above. */
function ownLevelBelowTheZone(lang: Lang): ChartSpec {
  const series = Array.from({ length: 300 }, (_, i) => ({ date: addDays('2025-01-01', i), value: 0.42 + 0.01 * Math.sin(i / 9) }));
  const level = customLevel('spx-gold', 0.41);
  return alertSpec({
    pair: 'spx-gold',
    lang,
    palette: PALETTES.light,
    sources: 'test',
    stale: false,
    series,
    level,
    levels: [...essayLevels('spx-gold'), level],
    date: series[200]!.date,
    value: series[200]!.value,
    event: 'cross-down',
  });
}

/** A month around 1.7 with a chat's own levels beside the essay's: five levels above, two below. */
function ownLevelsAround(lang: Lang): ChartSpec {
  const series = Array.from({ length: 30 }, (_, i) => ({ date: addDays('2026-07-01', i), value: 1.7 + 0.02 * Math.sin(i) }));
  const own = [3.1, 4.2, 7, 1.2].map((v) => customLevel('spx-gold', v));
  return ratioSpec({
    pair: 'spx-gold',
    lang,
    palette: PALETTES.light,
    sources: 'test',
    stale: false,
    series,
    range: '1M',
    levels: [...essayLevels('spx-gold'), ...own],
  });
}

describe.each(LANGS)('the margin notes, in %s', (lang) => {
  test('GIVEN all three essay levels above an alert chart THEN each is named with its distance, nothing cut', () => {
    const [above] = notesWritten(ownLevelBelowTheZone(lang));
    expect(above).toBeDefined();
    expect(above!.text).not.toContain('…');
    for (const value of ['0.6–0.7', '2.5', '5.5']) expect(above!.text).toContain(value);
    expect(above!.text).toMatch(/5\.5[^;；]*[(（]\+\d{1,3}(,\d{3})*(\.\d)?%[)）]$/);
    expect(above!.width).toBeLessThanOrEqual(1200 - 48);
  });

  test("GIVEN a chat's own levels among many above THEN each of its own is named, nothing is cut, and no level goes unsaid", () => {
    const [above, below] = notesWritten(ownLevelsAround(lang));
    expect(above!.text).not.toContain('…');
    for (const own of ['3.1', '4.2', '7 ']) expect(above!.text).toContain(own);
    // Every essay level is named too, or counted.
    const named = ['2.5', '5.5'].filter((v) => above!.text.includes(v)).length;
    const counted = Number(
      /\+(\d+) more|另有 (\d+) /
        .exec(above!.text)
        ?.slice(1)
        .find((x) => x !== undefined) ?? 0,
    );
    expect(named + counted).toBe(2);
    expect(below!.text).toContain('1.2');
  });
});

describe('a note too long even shortened', () => {
  // A chat's own level reads the same in full and short ("9 · Your level (+5%)"), as spec-ratio.ts builds it.
  const item = (text: string, own = false) => ({ full: own ? text : `${text} · a long note about it`, short: text, own });
  const list: NoteList = {
    before: '↑ ',
    after: '',
    sep: '; ',
    items: [item('2.5 (+1%)'), item('3 (+2%)'), item('3.5 · Your level (+3%)', true), item('5.5 (+4%)'), item('9 · Your level (+5%)', true)],
    more: ['+1 more', '+2 more', '+3 more', '+4 more', '+5 more'],
  };
  const chars = (s: string) => s.length;

  test('GIVEN room for all shortened THEN every level, the nearest keeping its note longest', () => {
    expect(noteLine(list, 123, chars)).toBe(
      '↑ 2.5 (+1%) · a long note about it; 3 (+2%) · a long note about it; 3.5 · Your level (+3%); 5.5 (+4%); 9 · Your level (+5%)',
    );
  });

  test("GIVEN room for three THEN a chat's own levels first, the nearest next, in their order, and the rest counted", () => {
    expect(noteLine(list, 70, chars)).toBe('↑ 2.5 (+1%); 3.5 · Your level (+3%); 9 · Your level (+5%); +2 more');
  });

  test('GIVEN room for nothing THEN the count alone', () => {
    expect(noteLine(list, 5, chars)).toBe('↑ +5 more');
  });
});
