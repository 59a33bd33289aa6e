/**
 * `goldratio replay --move … --from D` on the real history (GOLDRATIO_HISTORY_DIR): the move alerts
 * a watch made on D would have sent. It reads the closes before D (a live watch has them): cut at D,
 * the first N trading days had no N-day change at all, and the move then under way was taken as
 * old news, so `--from 2008-09-20` began with 2008-10-22 and left out the Lehman fall (SPX/Gold
 * down 11.2% in 20 trading days on 2008-09-22, a watch made on the 20th would have sent it). The expected figures are computed here from the CSV files.
 */
import { expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeWithHistory, HISTORY_DIR, HISTORY_FILES, independentRatio } from '../helpers/history.ts';
import { historyDatabase, runCliInProcess } from '../helpers/cli.ts';

describeWithHistory('goldratio replay --move --from on the real history', () => {
  const history = historyDatabase('2008-01-01', '2008-12-31');

  test('GIVEN a watch of 10% in 20 trading days made on 2008-09-20 THEN its first alert is the fall past 10% of 2008-09-22, counted from the close 20 trading days before', async () => {
    const s = independentRatio('spx', '2008-01-01', '2008-12-31');
    const change = (i: number) => ({ date: s[i]!.date, pct: (s[i]!.value / s[i - 20]!.value - 1) * 100, from: s[i - 20]!.date });
    const first = s.findIndex((p) => p.date >= '2008-09-20');
    // Independently: on the last close before the watch was made the change was under 10% (the watch
    // starts armed), and the first close after it with a change past 10% either way is the alert.
    expect(Math.abs(change(first - 1).pct)).toBeLessThan(10);
    let i = first;
    while (Math.abs(change(i).pct) < 10) i++;
    const expected = change(i);
    expect(expected.date).toBe('2008-09-22');

    const r = await runCliInProcess(['replay', '--move', 'spx:10:20', '--from', '2008-09-20', '--to', '2008-12-31', '--json'], history.env);
    expect(r.code).toBe(0);
    const events = JSON.parse(r.stdout) as { date: string; direction: string; changePct: number; from: { date: string } }[];
    expect(events.every((e) => e.date >= '2008-09-20')).toBe(true);
    expect(events[0]).toMatchObject({ date: expected.date, direction: expected.pct < 0 ? 'down' : 'up', from: { date: expected.from } });
    expect(events[0]!.changePct).toBeCloseTo(expected.pct, 2);
  });

  test('GIVEN the text output THEN it says the move took 20 trading days, not "20 d", which every other line of the CLI (the data age) uses for calendar days: 2008-08-22 to 2008-09-22 is 31 of those', async () => {
    const s = independentRatio('spx', '2008-01-01', '2008-12-31');
    const i = s.findIndex((p) => p.date === '2008-09-22');
    const pct = (s[i]!.value / s[i - 20]!.value - 1) * 100;
    expect(s[i - 20]!.date).toBe('2008-08-22');
    const r = await runCliInProcess(['replay', '--move', 'spx:10:20', '--from', '2008-09-20', '--to', '2008-09-30'], history.env);
    expect(r.code).toBe(0);
    const line = r.stdout.split('\n').find((l) => l.startsWith('2008-09-22'))!;
    expect(line).toContain(`down ${Math.abs(pct).toFixed(1)}% in 20 trading days`);
    expect(line).not.toMatch(/\b20 d\b/);
    const one = await runCliInProcess(['replay', '--move', 'spx:5:1', '--from', '2008-09-20', '--to', '2008-09-30'], history.env);
    expect(one.stdout).toContain('SPX/Gold 5% over 1 trading day;');
  });

  test('GIVEN --move written as /move takes it (10%, ±10, 4w, 1m) THEN the same alerts as in plain numbers, and the header says the trading days they were read as', async () => {
    const plain = await runCliInProcess(['replay', '--move', 'spx:10:20,qqq:5.5:21', '--from', '2008-09-01', '--to', '2008-12-31'], history.env);
    expect(plain.code, plain.stderr).toBe(0);
    const typed = await runCliInProcess(['replay', '--move', 'spx:10%:4w,qqq:±5.5%:1m', '--from', '2008-09-01', '--to', '2008-12-31'], history.env);
    expect(typed.stderr).toBe('');
    expect(typed.code).toBe(0);
    expect(typed.stdout).toBe(plain.stdout);
    expect(typed.stdout).toContain('SPX/Gold 10% over 20 trading days');
    // Still refused in one line: past the limit, or no span at all.
    const long = await runCliInProcess(['replay', '--move', 'spx:10:61m'], history.env);
    expect(long.code).toBe(2);
    expect(long.stderr).toBe(
      'goldratio replay: --move "spx:10:61m": 61m is 1281 trading days; a move spans at most 60 months (1260 trading days); expected pair:percent:days like spx:10:20\n',
    );
    // A quarter as /move reads it (63 trading days); half a week, 2.5, refused naming 2 and 3.
    const quarter = await runCliInProcess(['replay', '--move', 'spx:10:1q', '--from', '2008-09-01', '--to', '2008-12-31'], history.env);
    expect(quarter.code, quarter.stderr).toBe(0);
    expect(quarter.stdout).toContain('SPX/Gold 10% over 63 trading days');
    const half = await runCliInProcess(['replay', '--move', 'spx:10:半週'], history.env);
    expect(half.code).toBe(2);
    expect(half.stderr).toBe(
      'goldratio replay: --move "spx:10:半週": 半週 is half a week, 2.5 trading days; give 2 or 3, or 1w (5); expected pair:percent:days like spx:10:20\n',
    );
  });

  test('GIVEN a span that starts before the first close a 20-day change can be taken on THEN --from changes nothing: the same alerts as without it', async () => {
    const all = await runCliInProcess(['replay', '--move', 'spx:10:20', '--json'], history.env);
    const from = await runCliInProcess(['replay', '--move', 'spx:10:20', '--from', '2008-01-01', '--json'], history.env);
    expect(JSON.parse(from.stdout)).toEqual(JSON.parse(all.stdout));
  });
});

describeWithHistory('goldratio replay --move: what the peak says, on the real 2011', () => {
  const history = historyDatabase('2011-01-01', '2011-12-31');

  test('GIVEN the largest SPX/Gold move of 2011 (10% in 20 trading days) THEN its peak is the 20-trading-day change to the day it names, said so; not a change from the base shown beside it', async () => {
    const r = await runCliInProcess(['replay', '--move', 'spx:10:20', '--top', '1'], history.env);
    expect(r.code, r.stderr).toBe(0);
    const line = r.stdout.split('\n')[0]!;
    const m = line.match(/^(\d{4}-\d\d-\d\d) .* ([\d.]+) → ([\d.]+) +peak ([+-][\d.]+)% in the 20 trading days to (\d{4}-\d\d-\d\d)$/);
    expect(m, line).not.toBeNull();
    const [, date, from, , peak, peakDate] = m!;
    // Independently, from the files: the 20-trading-day change to the peak's day.
    const s = independentRatio('spx', '2011-01-01', '2011-12-31');
    const at = s.findIndex((p) => p.date === peakDate);
    const change = (s[at]!.value / s[at - 20]!.value - 1) * 100;
    expect(Math.abs(Number(peak) - change)).toBeLessThanOrEqual(0.05);
    // The largest such change the same way from the alert to that day.
    const alert = s.findIndex((p) => p.date === date);
    for (let i = alert; i <= at; i++) expect(Math.abs(s[i]!.value / s[i - 20]!.value - 1) * 100).toBeLessThanOrEqual(Math.abs(change) + 1e-9);
    // From the base shown (0.8975 on 2011-07-01) the ratio had fallen further by then: the peak is not that.
    const fromBase = (s[at]!.value / Number(from) - 1) * 100;
    expect(Math.abs(fromBase - change)).toBeGreaterThan(1);
  });
});

describeWithHistory(
  'goldratio replay --move across a day the ratio has no close: Christmas 1973, gold fixed on Friday the 21st and next on Thursday the 27th',
  () => {
    const history = historyDatabase('1973-09-01', '1974-03-31');

    test('GIVEN moves whose 20 closes span 1973-12-26 (New York open, gold over four days old) THEN each says the 21 trading days it took and the day without a ratio, in text and --json', async () => {
      // Independently: the S&P 500 traded on 1973-12-26; the ratio (gold at most 4 days old) has no close there.
      const stockDays = readFileSync(join(HISTORY_DIR, HISTORY_FILES.spx), 'utf8')
        .split('\n')
        .map((l) => l.split(',')[0]!)
        .filter((d) => d >= '1973-09-01' && d <= '1974-03-31');
      expect(stockDays).toContain('1973-12-26');
      const s = independentRatio('spx', '1973-09-01', '1974-03-31');
      expect(s.some((p) => p.date === '1973-12-26')).toBe(false);
      const r = await runCliInProcess(['replay', '--move', 'spx:10:20', '--json'], history.env);
      expect(r.code, r.stderr).toBe(0);
      type Span = { tradingDays?: number; noRatioOn?: string[] };
      const events = JSON.parse(r.stdout) as ({ date: string; from: { date: string }; peak: { date: string } & Span } & Span)[];
      const across = events.filter((e) => e.from.date < '1973-12-26' && e.date > '1973-12-26');
      // The files hold such moves: the check is not vacuous.
      expect(across.length).toBeGreaterThan(0);
      for (const e of events) {
        const days = stockDays.filter((d) => d > e.from.date && d <= e.date).length;
        if (across.includes(e)) expect([days, e.tradingDays, e.noRatioOn]).toEqual([21, 21, ['1973-12-26']]);
        else expect([days, e.tradingDays, e.noRatioOn]).toEqual([20, undefined, undefined]);
        // The peak's own 20 closes, to its day, likewise.
        const at = s.findIndex((p) => p.date === e.peak.date);
        const peakDays = stockDays.filter((d) => d > s[at - 20]!.date && d <= e.peak.date).length;
        expect([e.peak.tradingDays ?? 20, e.peak.noRatioOn ?? []]).toEqual([peakDays, peakDays === 21 ? ['1973-12-26'] : []]);
      }
      const text = await runCliInProcess(['replay', '--move', 'spx:10:20'], history.env);
      for (const e of across) {
        const line = text.stdout.split('\n').find((l) => l.startsWith(e.date))!;
        expect(line).toMatch(/ in 21 trading days \(20 closes: no ratio on 1973-12-26\) /);
      }
    });
  },
);
