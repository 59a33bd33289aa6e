/**
 * What /ratio, /levels and /power say on the days a reader would pick, asked of the real commands
 * over the real history (GOLDRATIO_HISTORY_DIR) as the bot had it on each day, with its clock on that
 * day's evening: an ordinary weekday, the Tuesday after Memorial Day, the Fourth of July (gold fixed,
 * New York shut), Easter Monday and the summer bank holiday (London shut, New York open), Boxing Day,
 * a leap month's end, a year's last and first closes, QQQ's first day, the SPX/Gold and QQQ/Gold
 * peaks, the 2011 bottom, the day QQQ/Gold closed back above 0.03. Every figure is checked against
 * this file's own arithmetic on the CSV files (helpers/history.ts independentRatio: no goldratio
 * code), and the zh-TW and zh-CN answers must carry the same numbers and dates as the English one.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../src/store/db.ts';
import { onSqlite } from '../../src/store/engine.ts';
import { QuoteStore } from '../../src/store/quotes.ts';
import { MarketView } from '../../src/store/market-view.ts';
import { digestOf } from '../../src/store/digest-view.ts';
import { digestText } from '../../src/domain/digest.ts';
import { findCommand } from '../../src/chat/registry.ts';
import { plainText } from '../../src/chat/reply.ts';
import { chatCtx } from '../helpers/chat.ts';
import { commandDeps, describeWithHistory, HISTORY_DIR, HISTORY_FILES, historyFile, independentRatio } from '../helpers/history.ts';

type Stock = 'spx' | 'qqq';
const NAME: Record<Stock, string> = { spx: 'SPX/Gold', qqq: 'QQQ/Gold' };
/** The essay's levels (low, high) and the era each one's record is read from, written out here, not imported. */
const LEVELS: Record<Stock, readonly { text: string; low: number; high: number; era: [string, string]; side: 'high' | 'low' }[]> = {
  spx: [
    { text: '5.5', low: 5.5, high: 5.5, era: ['1999-01-01', '2002-12-31'], side: 'high' },
    { text: '2.5', low: 2.5, high: 2.5, era: ['2012-01-01', '2024-12-31'], side: 'high' },
    { text: '0.6–0.7', low: 0.6, high: 0.7, era: ['2003-01-01', '2011-12-31'], side: 'low' },
  ],
  qqq: [
    { text: '0.4', low: 0.4, high: 0.4, era: ['1999-01-01', '2002-12-31'], side: 'high' },
    { text: '0.25', low: 0.25, high: 0.25, era: ['2012-01-01', '2024-12-31'], side: 'high' },
    { text: '0.03', low: 0.03, high: 0.03, era: ['2003-01-01', '2011-12-31'], side: 'low' },
  ],
};

const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const daysAfter = (d: string, n: number) => iso(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000);
/** The same day a month back, or that month's last day. */
function monthBack(d: string): string {
  const [y, m, day] = d.split('-').map(Number) as [number, number, number];
  const last = new Date(Date.UTC(y, m - 1, 0)).getUTCDate();
  return iso(Date.UTC(y, m - 2, Math.min(day, last)));
}
const onOrBefore = <T extends { date: string }>(s: readonly T[], d: string): T | undefined => s.filter((p) => p.date <= d).at(-1);
const change = (to: number, from: number) => (to / from - 1) * 100;
const num = (s: string) => Number(s.replace(/[,%+]/g, ''));
/** Half a unit of the last digit shown: the figure must be the true one rounded. */
const halfUnit = (s: string) => 0.5 * 10 ** -(s.split('.')[1]?.replace('%', '').length ?? 0) + 1e-9;
const closeTo = (shown: string, truth: number, what: string) =>
  expect(Math.abs(num(shown) - truth), `${what}: shown ${shown}, true ${truth}`).toBeLessThanOrEqual(halfUnit(shown));

/** The numbers and dates a text states, dates read back to ISO; the words that only name things (S&P 500, M2, 1D) left out. */
function figures(text: string): string[] {
  let t = text.replace(/(\d{4})年(\d{1,2})月(\d{1,2})日/g, (_, y, m, d) => `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`);
  t = t.replace(/(\d{4})年(\d{1,2})月/g, (_, y, m) => `${y}-${m.padStart(2, '0')}`);
  for (const w of ['標普500', '标普500', 'S&P 500', 'M2', '1D', '1M', '近1個月', '近1个月', '最近 1 筆', 'The last level event']) t = t.replaceAll(w, ' ');
  return [...t.matchAll(/[+-]?\d[\d,]*(?:\.\d+)?(?:-\d\d(?:-\d\d)?)?/g)].map((m) => m[0]).sort();
}

/** Each stock's closes straight from its file: the /power check indexes them itself. */
function closes(stock: Stock): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of readFileSync(join(HISTORY_DIR, HISTORY_FILES[stock]), 'utf8').split('\n').slice(1)) {
    const [d, c] = line.trim().split(',');
    if (d && c) out.set(d, Number(c));
  }
  return out;
}

const DAYS: readonly [string, string, string][] = [
  ['an ordinary Wednesday', '2024-06-12', '2024-06-12'],
  ['the Tuesday after Memorial Day', '2024-05-28', '2024-05-28'],
  ['the Fourth of July: gold fixed, New York shut', '2024-07-04', '2024-07-03'],
  ['Easter Monday: London shut, New York open', '2024-04-01', '2024-04-01'],
  ['the summer bank holiday: London shut, New York open', '2024-08-26', '2024-08-26'],
  ['Boxing Day', '2024-12-26', '2024-12-26'],
  ['a leap month end', '2024-02-29', '2024-02-29'],
  ["a year's last close", '2023-12-29', '2023-12-29'],
  ["the year's first close", '2024-01-02', '2024-01-02'],
  ["QQQ's first day", '1999-03-10', '1999-03-10'],
  ["SPX/Gold's peak", '1999-07-16', '1999-07-16'],
  ["QQQ/Gold's peak", '2000-03-27', '2000-03-27'],
  ['the 2011 bottom', '2011-08-22', '2011-08-22'],
  ['QQQ/Gold back above 0.03', '2011-09-13', '2011-09-13'],
  ['the last close of the files', '2026-08-21', '2026-08-21'],
];

describeWithHistory("a reader's days, each figure of /ratio, /levels and /power against the files, in en, zh-TW and zh-CN", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'goldratio-truth23-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test.each(DAYS)('GIVEN %s (%s) THEN every figure is the true one, said alike in every language', async (_what, day, closeDate) => {
    const db = openDatabase(await historyFile(join(dir, `${day}.db`), '1995-01-01', day));
    try {
      const deps = commandDeps(db);
      const nowMs = Date.parse(`${day}T23:30:00Z`);
      const ask = async (cmd: string, lang: 'en' | 'zh-TW' | 'zh-CN', args: string[] = []) =>
        plainText(await findCommand(cmd)!.run(deps, chatCtx({ chatId: lang, userLanguageCode: lang, nowMs }), args));
      const ratio = await ask('ratio', 'en');
      const levels = await ask('levels', 'en');
      for (const stock of ['spx', 'qqq'] as const) {
        const s = independentRatio(stock, '1995-01-01', day);
        const last = s.at(-1)!;
        expect(last.date).toBe(closeDate);
        const m = new RegExp(`${NAME[stock]} ([\\d.]+) \\(close (\\S+)\\)\\n1D (\\S+) · 1M (\\S+) · YTD (\\S+)`).exec(ratio);
        expect(m, `${NAME[stock]} in /ratio of ${day}:\n${ratio}`).not.toBeNull();
        expect(m![2]).toBe(last.date);
        closeTo(m![1]!, last.value, `${NAME[stock]} ${day}`);
        const bases: [string, { date: string; value: number } | undefined, string][] = [
          ['1D', s.at(-2), m![3]!],
          ['1M', onOrBefore(s, monthBack(last.date)), m![4]!],
          ['YTD', onOrBefore(s, `${Number(last.date.slice(0, 4)) - 1}-12-31`), m![5]!],
        ];
        for (const [label, base, shown] of bases) {
          if (base === undefined) expect(shown, `${NAME[stock]} ${label} ${day}: no close to measure from`).toBe('–');
          else closeTo(shown, change(last.value, base.value), `${NAME[stock]} ${label} ${day} from ${base.date}`);
        }
        for (const l of LEVELS[stock]) {
          const line = new RegExp(
            `\\n${l.text.replace('.', '\\.')} [^\\n]*· ([+-][\\d.,]+%) away(?:\\n↳ The era's (?:highest|lowest) close: ([\\d.]+) on (\\S+),)?`,
          ).exec(levels);
          if (last.value >= l.low && last.value <= l.high) continue;
          expect(line, `${l.text} in /levels of ${day}:\n${levels}`).not.toBeNull();
          const edge = last.value < l.low ? l.low : l.high;
          closeTo(line![1]!, ((edge - last.value) / last.value) * 100, `distance to ${l.text} ${day}`);
          // The era's record is said once the closes reach its end (within a week: the last trading days of a
          // year, a holiday), and is its first extreme close.
          const era = s.filter((p) => p.date >= l.era[0] && p.date <= l.era[1]);
          if (daysAfter(last.date, 7) >= l.era[1]) {
            const extreme = era.reduce((a, b) => ((l.side === 'high' ? b.value > a.value : b.value < a.value) ? b : a));
            expect(line![3], `the era's record of ${l.text} on ${day}`).toBe(extreme.date);
            closeTo(line![2]!, extreme.value, `the era's record of ${l.text} ${day}`);
          } else expect(line![2], `no record of ${l.text} before its era is over (${day})`).toBeUndefined();
        }
      }
      if (day >= '1999-03-10') {
        const power = await ask('power', 'en');
        const asOf = /as of (\S+):/.exec(power)![1]!;
        expect(asOf).toBe(closeDate);
        for (const [stock, label] of [
          ['spx', 'S&P 500'],
          ['qqq', 'QQQ'],
        ] as const) {
          const c = closes(stock);
          const r = independentRatio(stock, '1999-03-10', day);
          const m = new RegExp(`\\n${label} in USD ([\\d.,]+) · in gold ([\\d.,]+)`).exec(power)!;
          closeTo(m[1]!, (c.get(asOf)! / c.get('1999-03-10')!) * 100, `${label} in USD ${day}`);
          closeTo(m[2]!, (r.at(-1)!.value / r[0]!.value) * 100, `${label} in gold ${day}`);
        }
      }
      for (const [cmd, en] of [
        ['ratio', ratio],
        ['levels', levels],
        ['power', await ask('power', 'en')],
      ] as const) {
        for (const lang of ['zh-TW', 'zh-CN'] as const) expect(figures(await ask(cmd, lang)), `/${cmd} in ${lang} on ${day}`).toEqual(figures(en));
      }
    } finally {
      db.close();
    }
  });
});

/** Whole calendar months from one day to another (a month on from the 31st is the next month's last day), and the days left over. */
function calendarMonths(from: string, to: string): { months: number; rest: number } {
  const add = (d: string, n: number) => {
    const [y, m, day] = d.split('-').map(Number) as [number, number, number];
    return iso(Date.UTC(y, m - 1 + n, Math.min(day, new Date(Date.UTC(y, m + n, 0)).getUTCDate())));
  };
  let months = 0;
  while (add(from, months + 1) <= to) months++;
  return { months, rest: (Date.parse(to) - Date.parse(add(from, months))) / 86_400_000 };
}

describeWithHistory('the digest\'s "(N months ago)" on the real history: the months the calendar counts between the dates it gives', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'goldratio-truth23-ago-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  // QQQ/Gold broke below 0.25 on 2000-11-28 (five closes in a row below it, worked out here); the
  // digest of 2002-03-28 is sixteen months on to the day, 485 days: by mean months of 30.44 days it
  // said "over 15 months ago".
  test.each([
    ['2002-03-28', '16 months', '16 個月前', '16 个月前'],
    ['2002-04-01', 'over 16 months', '超過 16 個月前', '超过 16 个月前'],
  ])('GIVEN the digest of %s THEN its QQQ/Gold break of 2000-11-28 is %s ago in en, zh-TW and zh-CN', async (day, en, tw, cn) => {
    const s = independentRatio('qqq', '1999-03-10', day);
    // Above 0.25 since 1999-11, the first of five closes in a row below it after.
    const start = s.findIndex((p, i) => p.date > '2000-03-27' && s[i - 1]!.value >= 0.25 && s.slice(i, i + 5).every((q) => q.value < 0.25));
    expect(s[start]!.date).toBe('2000-11-28');
    const { months, rest } = calendarMonths('2000-11-28', day);
    expect(en).toBe(rest === 0 ? `${months} months` : `over ${months} months`);
    const db = openDatabase(await historyFile(join(dir, `${day}.db`), '1995-01-01', day));
    try {
      const d = (await digestOf(new MarketView(new QuoteStore(onSqlite(db))), { approachPct: 3 }))!;
      expect(d.date).toBe(day);
      const line = (lang: 'en' | 'zh-TW' | 'zh-CN') =>
        digestText(d, lang)
          .head.split('\n')
          .find((l) => l.includes('2000-11-28') || l.includes('2000年11月28日'))!;
      expect(line('en')).toContain(`last broke below 0.25 on 2000-11-28 (${en} ago).`);
      expect(line('zh-TW')).toContain(`上次跌破 0.25 是在2000年11月28日（${tw}）。`);
      expect(line('zh-CN')).toContain(`（${cn}）。`);
    } finally {
      db.close();
    }
  });
});

describeWithHistory('a close exactly on a line: QQQ/Gold at the close of 2009-03-04, 27.33 / 911 = 0.03, up from below it', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'goldratio-truth23-on-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  // /ratio named no 0.03 at all (neither up nor down of it), /levels called the line "inside now"
  // (目前位於區間內: inside the zone), and the Chinese digests told a retest of the support below
  // (回測下檔 0.03, 回踩下方支撐 0.03) of a ratio that rose to 0.03 from under it.
  test('GIVEN that close THEN /ratio, /levels and the digest say it is exactly on 0.03, in en, zh-TW and zh-CN, and name no side', async () => {
    const day = '2009-03-04';
    const s = independentRatio('qqq', '2009-01-01', day);
    expect(s.at(-1)).toEqual({ date: day, value: 0.03 });
    expect(s.at(-2)!.value).toBeLessThan(0.03);
    const db = openDatabase(await historyFile(join(dir, 'on.db'), '1995-01-01', day));
    try {
      const deps = commandDeps(db);
      const nowMs = Date.parse(`${day}T23:30:00Z`);
      const ask = async (cmd: string, lang: 'en' | 'zh-TW' | 'zh-CN') =>
        plainText(await findCommand(cmd)!.run(deps, chatCtx({ chatId: lang, userLanguageCode: lang, nowMs }), ['qqq-gold']));
      const expected = {
        en: [
          'Exactly on 0.03: Floor: the 2011 bottom',
          '0.03 Floor: the 2011 bottom · 2003–2011 flight to gold · exactly on it now',
          'exactly on 0.03 · ↑ 0.25',
        ],
        'zh-TW': ['正好位於 0.03：地板：2011年底部', '0.03 地板：2011年底部 · 2003–2011年：資金湧向黃金 · 目前正好位於此水位', '正好位於 0.03 · ↑ 0.25'],
        'zh-CN': ['正好处于 0.03：地板：2011年底部', '0.03 地板：2011年底部 · 2003–2011年：资金涌向黄金 · 当前正好处于该点位', '正好处于 0.03 · ↑ 0.25'],
      } as const;
      const d = (await digestOf(new MarketView(new QuoteStore(onSqlite(db))), { approachPct: 3 }))!;
      for (const lang of ['en', 'zh-TW', 'zh-CN'] as const) {
        const [ratioLine, levelsLine, digestLine] = expected[lang];
        expect((await ask('ratio', lang)).split('\n'), `/ratio in ${lang}`).toContain(ratioLine);
        expect((await ask('levels', lang)).split('\n'), `/levels in ${lang}`).toContain(levelsLine);
        const digest = digestText(d, lang).head;
        expect(
          digest.split('\n').some((l) => l.startsWith(digestLine)),
          `the digest in ${lang}:\n${digest}`,
        ).toBe(true);
        expect(digest).not.toMatch(/Approaching 0\.03|逼近上檔 0\.03|回測下檔 0\.03|逼近上方阻力 0\.03|回踩下方支撑 0\.03/);
      }
    } finally {
      db.close();
    }
  });
});
