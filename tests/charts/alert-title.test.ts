import { describe, expect, test } from 'vitest';
import { alertSpec, alertTitleKey } from '../../src/charts/spec-alert.ts';
import { PALETTES } from '../../src/charts/theme.ts';
import { addDays } from '../../src/domain/dates.ts';
import { customLevel, levelById } from '../../src/domain/levels.ts';
import { t } from '../../src/domain/i18n/index.ts';
import { LANG_INFO, LANGS } from '../../src/domain/i18n/index.ts';

const ZONE = levelById('spx-gold-0.6-0.7')!;
const LINE = levelById('spx-gold-2.5')!;
const series = (before: number) => [{ date: '2011-08-05', value: before }];

describe('the alert chart title says what happened', () => {
  test.each([
    ['a zone entered from above (2011-08-08)', ZONE, 0.72, 0.6546, undefined, 'SPX/Gold fell into the 0.6–0.7 zone'],
    ['a zone entered from below', ZONE, 0.58, 0.62, undefined, 'SPX/Gold rose into the 0.6–0.7 zone'],
    ['a zone left downward', ZONE, 0.61, 0.5985, undefined, 'SPX/Gold fell below the 0.6–0.7 zone'],
    ['a zone left upward', ZONE, 0.69, 0.73, undefined, 'SPX/Gold rose above the 0.6–0.7 zone'],
    ['a line broken downward', LINE, 2.53, 2.459, undefined, 'SPX/Gold broke below 2.5'],
    ['a line broken upward', LINE, 2.47, 2.53, undefined, 'SPX/Gold broke above 2.5'],
    ['an approach from below', LINE, 2.3, 2.44, 'approach', 'SPX/Gold nears 2.5 from below'],
    ['the event named, whatever the data says', LINE, 2.4, 2.45, 'cross-down', 'SPX/Gold broke below 2.5'],
  ] as const)('GIVEN %s THEN the title reads right', (_name, level, before, value, event, expected) => {
    const key = alertTitleKey({ series: series(before), level, date: '2011-08-08', value, ...(event ? { event } : {}) });
    expect(t('en', key, { pair: 'SPX/Gold', level: level.high > level.low ? '0.6–0.7' : '2.5' })).toBe(expected);
    expect(t('zh-TW', key)).not.toBe(key);
  });
});

describe('the alert chart title and the alert text word one event alike', () => {
  test.each([
    ['zh-TW', 'up'],
    ['zh-TW', 'down'],
    ['zh-CN', 'up'],
    ['zh-CN', 'down'],
  ] as const)('GIVEN an approach in %s (%s) THEN the chart title says 由/自 …方 as the alert does', (lang, dir) => {
    const side = (key: string) => /[由自][上下]方/.exec(t(lang, key))?.[0];
    expect(side(`chart.alert.title.approach.${dir}`)).toBeDefined();
    expect(side(`chart.alert.title.approach.${dir}`)).toBe(side(`alert.approach.${dir}`));
    expect(side(`alert.zone-enter.${dir}`)).toBe(side(`alert.approach.${dir}`));
    expect(side(`chat.event.approach.${dir}`)).toBe(side(`alert.approach.${dir}`));
  });
});

describe('the alert chart’s corner', () => {
  /** SPX/Gold every day of 2021 and 2022, around 2.5. */
  const days = Array.from({ length: 730 }, (_, i) => ({ date: addDays('2021-01-01', i), value: 2.5 + 0.1 * Math.sin(i / 20) }));
  const spec = (date: string) =>
    alertSpec({
      pair: 'spx-gold',
      lang: 'en',
      palette: PALETTES.light,
      sources: 'test',
      stale: true,
      series: days,
      level: LINE,
      levels: [LINE],
      date,
      value: 2.51,
      event: 'cross-up',
    });

  test('GIVEN a break drawn months later (a catch-up) THEN its last value is "on" its day, not "latest", and not marked stale', () => {
    const s = spec('2021-06-15');
    const last = days.find((p) => p.date === '2021-07-15')!.value;
    expect(s.corner).toBe(`${Number(last.toPrecision(4))} on 2021-07-15`);
    expect(s.footer).not.toContain('(stale)');
  });

  test('GIVEN a break among the newest closes THEN "latest", and the stale mark when the data is old', () => {
    const s = spec('2022-12-20');
    expect(s.corner).toMatch(/^Latest .* \(2022-12-31\)$/);
    expect(s.footer).toContain('(stale)');
  });
});

describe('the alert chart’s marker', () => {
  test('GIVEN an approach a hair below 2.5 THEN the marker names that close (2.49996), not the level’s own 2.500', () => {
    const days = Array.from({ length: 60 }, (_, i) => ({ date: addDays('2024-01-01', i), value: 2.3 + i * 0.0033 }));
    const date = days.at(-1)!.date;
    const s = alertSpec({
      pair: 'spx-gold',
      lang: 'en',
      palette: PALETTES.light,
      sources: 'test',
      stale: false,
      series: [...days.slice(0, -1), { date, value: 2.49996 }],
      level: LINE,
      levels: [LINE],
      date,
      value: 2.49996,
      event: 'approach',
    });
    expect(s.markers?.map((m) => m.label)).toEqual([`Near ${date}: 2.49996`]);
  });

  // A level below approached from above is 回測 in the title: its marker said 逼近點 all the same.
  const approach = (lang: 'en' | 'zh-TW' | 'zh-CN', from: number, to: number) => {
    const days = Array.from({ length: 60 }, (_, i) => ({ date: addDays('2024-01-01', i), value: from + ((to - from) * i) / 59 }));
    const s = alertSpec({
      pair: 'spx-gold',
      lang,
      palette: PALETTES.light,
      sources: 'test',
      stale: false,
      series: days,
      level: LINE,
      levels: [LINE],
      date: days.at(-1)!.date,
      value: to,
      event: 'approach',
    });
    return [s.title, s.markers?.[0]?.label];
  };
  test.each([
    ['zh-TW', 2.7, 2.55, ['標普500/黃金由上方回測 2.5', '回測點 2024年2月29日：2.550']],
    ['zh-TW', 2.3, 2.45, ['標普500/黃金由下方逼近 2.5', '逼近點 2024年2月29日：2.450']],
    ['zh-CN', 2.7, 2.55, ['标普500/黄金自上方回踩 2.5', '回踩点 2024年2月29日：2.550']],
    ['zh-CN', 2.3, 2.45, ['标普500/黄金自下方逼近 2.5', '逼近点 2024年2月29日：2.450']],
    ['en', 2.7, 2.55, ['SPX/Gold nears 2.5 from above', 'Near 2024-02-29: 2.550']],
    ['en', 2.3, 2.45, ['SPX/Gold nears 2.5 from below', 'Near 2024-02-29: 2.450']],
  ] as const)('GIVEN an approach in %s from %d to %d THEN the marker says the side the title says', (lang, from, to, expected) => {
    expect(approach(lang, from, to)).toEqual(expected);
  });
});

describe('the alert chart’s marker on a zone', () => {
  /** SPX/Gold falling from 0.75 to 0.65 through 2011, one close a day. */
  const days = Array.from({ length: 200 }, (_, i) => ({ date: addDays('2011-01-01', i), value: 0.75 - i * 0.0005 }));
  const marker = (lang: 'en' | 'zh-TW' | 'zh-CN', value: number, event: 'zone-enter' | 'zone-exit', late?: { since: string; value: number }) => {
    const date = days.at(-1)!.date;
    const s = alertSpec({
      pair: 'spx-gold',
      lang,
      palette: PALETTES.light,
      sources: 'test',
      stale: false,
      series: [...days.slice(0, -1), { date, value }],
      level: ZONE,
      levels: [ZONE],
      date,
      value,
      event,
      ...(late ? { late } : {}),
    });
    return { title: s.title, label: s.markers?.[0]?.label };
  };

  // Entering the support zone from above breaks nothing: a "break" (跌破點) beside "fell into" (跌入)
  // told a Chinese reader the 2011 bottom had given way, at a close inside it.
  test.each([
    ['en', 'SPX/Gold fell into the 0.6–0.7 zone', 'Entered 2011-07-19: 0.6490'],
    ['zh-TW', '標普500/黃金跌入 0.6–0.7 區間', '進入點 2011年7月19日：0.6490'],
    ['zh-CN', '标普500/黄金跌入 0.6–0.7 区间', '进入点 2011年7月19日：0.6490'],
  ] as const)('GIVEN a %s chart of the zone entered from above THEN its marker says it entered, not broke', (lang, title, label) => {
    expect(marker(lang, 0.649, 'zone-enter')).toEqual({ title, label });
  });

  test.each([
    ['en', 'Entered 2011-07-10: 0.6550 (reported 2011-07-19)'],
    ['zh-TW', '進入點 2011年7月10日：0.6550（2011年7月19日通報）'],
    ['zh-CN', '进入点 2011年7月10日：0.6550（2011年7月19日通知）'],
  ] as const)('GIVEN a %s chart of a late zone entry THEN its marker says it entered, and when it was sent', (lang, label) => {
    expect(marker(lang, 0.649, 'zone-enter', { since: '2011-07-10', value: 0.655 }).label).toBe(label);
  });

  test('GIVEN the zone left downward THEN the marker still says a break', () => {
    expect(marker('en', 0.5985, 'zone-exit')).toEqual({ title: 'SPX/Gold fell below the 0.6–0.7 zone', label: 'Break 2011-07-19: 0.5985' });
    expect(marker('zh-TW', 0.5985, 'zone-exit').label).toBe('跌破點 2011年7月19日：0.5985');
  });
});

describe('only the break marker’s colour says which way the ratio went', () => {
  // Taiwan and mainland China read red as up (紅漲綠跌): the Discord embed's colour follows the
  // chat's language (platforms/discord/render.ts toneColor), and so does the break marker
  // (charts/theme.ts markerColor; tests/charts/marker-colour.test.ts reads it from the PNG). The rest
  // of a chart colours by level kind and measure only, the same for a rise and a fall.
  const days = Array.from({ length: 60 }, (_, i) => ({ date: addDays('2021-11-01', i), value: 2.5 + 0.1 * Math.sin(i / 5) }));
  const colours = (s: ReturnType<typeof alertSpec>) => ({
    series: s.series.map((x) => x.color),
    lines: s.hlines.map((x) => x.color),
    bands: s.hbands.map((x) => [x.color, x.fill]),
    markers: s.markers.map((x) => x.color),
    latest: s.latest?.color,
  });
  test.each(LANGS)(
    'GIVEN a break up and a break down of 2.5 in %s THEN both are drawn in the same colours but the marker, green or red as the language reads the way',
    (lang) => {
      for (const palette of [PALETTES.light, PALETTES.dark]) {
        const at = (event: 'cross-up' | 'cross-down', value: number) =>
          alertSpec({
            pair: 'spx-gold',
            lang,
            palette,
            sources: 'test',
            stale: false,
            series: days,
            level: LINE,
            levels: [LINE, ZONE],
            date: days[30]!.date,
            value,
            event,
          });
        const up = at('cross-up', 2.51);
        const down = at('cross-down', 2.49);
        expect(up.title).not.toBe(down.title);
        expect({ ...colours(down), markers: [] }).toEqual({ ...colours(up), markers: [] });
        // 紅漲綠跌 where the language's readers draw a rise red (langs.ts), not "every language but English".
        const risesRed = LANG_INFO[lang].risesRed;
        expect(colours(up).markers).toEqual([risesRed ? palette.markerRed : palette.markerGreen]);
        expect(colours(down).markers).toEqual([risesRed ? palette.markerGreen : palette.markerRed]);
      }
    },
  );
});

describe('a sample alert chart (goldratio webhook test)', () => {
  const days = Array.from({ length: 200 }, (_, i) => ({ date: addDays('2026-02-01', i), value: 1.5 + i / 1000 }));
  const spec = (lang: 'en' | 'zh-TW' | 'zh-CN', test: boolean) =>
    alertSpec({
      pair: 'spx-gold',
      lang,
      palette: PALETTES.light,
      sources: 'test',
      stale: false,
      series: days,
      level: LINE,
      levels: [LINE],
      date: days.at(-1)!.date,
      value: days.at(-1)!.value,
      event: 'cross-down',
      ...(test ? { test: true as const } : {}),
    });
  test.each([
    ['en', 'Test: SPX/Gold broke below 2.5'],
    ['zh-TW', '測試：標普500/黃金跌破 2.5'],
    ['zh-CN', '测试：标普500/黄金跌破 2.5'],
  ] as const)('GIVEN a made-up break in %s THEN its title says test, as the message title does; a real one is not marked', (lang, title) => {
    expect(spec(lang, true).title).toBe(title);
    expect(spec(lang, true).title).toBe(t(lang, 'webhook.test.alertTitle', { title: spec(lang, false).title }));
  });
});

describe("an alert chart of a chat's own level", () => {
  const days = Array.from({ length: 200 }, (_, i) => ({ date: addDays('2026-02-01', i), value: 1.9 - i / 1000 }));
  const own = customLevel('spx-gold', 1.75);
  const spec = (lang: 'en' | 'zh-TW' | 'zh-CN', place: 'channel' | 'dm' | undefined) =>
    alertSpec({
      pair: 'spx-gold',
      lang,
      palette: PALETTES.light,
      sources: 'test',
      stale: false,
      series: days,
      level: own,
      levels: [LINE, own],
      date: days.at(-1)!.date,
      value: days.at(-1)!.value,
      event: 'cross-down',
      ...(place !== undefined ? { place } : {}),
    });
  test.each([
    ['en', 'channel', "This channel's level"],
    ['zh-TW', 'channel', '本頻道水位'],
    ['zh-CN', 'channel', '本频道点位'],
    ['zh-TW', 'dm', '本對話水位'],
    ['zh-CN', 'dm', '本对话点位'],
    ['zh-TW', undefined, '本聊天室水位'],
  ] as const)('GIVEN one in %s shown in a %s THEN the subtitle names it as its line does', (lang, place, name) => {
    const s = spec(lang, place);
    expect(s.subtitle).toBe(name);
    const line = s.hlines.find((h) => h.label.includes(name));
    expect(line).toBeDefined();
  });
});
