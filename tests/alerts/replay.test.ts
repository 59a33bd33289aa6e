import { afterEach, describe, expect, test } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config.ts';
import { memoryLogger } from '../../src/log.ts';
import { openDatabase, type Db } from '../../src/store/db.ts';
import { QuoteStore } from '../../src/store/quotes.ts';
import { onSqlite } from '../../src/store/engine.ts';
import { replayCommand } from '../../src/cli/replay.ts';
import { UserError, type CliContext } from '../../src/cli/command.ts';
import { runSeries } from '../../src/domain/crossing.ts';
import { ratioSeries } from '../../src/domain/ratio.ts';
import { levelById } from '../../src/domain/levels.ts';
import { describeWithHistory, HISTORY_DIR } from '../helpers/history.ts';
import { writeDatabase } from '../helpers/sqlite-image.ts';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((f) => f()));

function world() {
  const dir = mkdtempSync(join(tmpdir(), 'goldratio-replay-'));
  const db = openDatabase(writeDatabase(join(dir, 'replay.db')));
  cleanups.push(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { db, quotes: new QuoteStore(onSqlite(db)) };
}

async function run(db: Db, args: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const ctx: CliContext = {
    config: loadConfig({}),
    log: memoryLogger(),
    db: () => db,
    out: (t) => (out += `${t}\n`),
    err: () => undefined,
    signal: new AbortController().signal,
  };
  const code = await replayCommand.run(args, ctx);
  return { code, out };
}

/** The 1st of each month from January 2015. */
const monthly = (i: number) => `${2015 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}-01`;

async function seedPaths(quotes: QuoteStore, spx: readonly number[], qqq: readonly number[]) {
  // Gold at 1000: the ratio is the index / 1000.
  const n = Math.max(spx.length, qqq.length);
  await quotes.upsertCloses(
    'gold',
    Array.from({ length: n }, (_, i) => ({ date: monthly(i), close: 1000, source: 'test' })),
  );
  await quotes.upsertCloses(
    'spx',
    spx.map((r, i) => ({ date: monthly(i), close: r * 1000, source: 'test' })),
  );
  await quotes.upsertCloses(
    'qqq',
    qqq.map((r, i) => ({ date: monthly(i), close: r * 1000, source: 'test' })),
  );
}

describe('replay', () => {
  // A synthetic 20-month path through both pairs' levels: approach, break, wiggle inside the
  // band, reverse break, a zone entered from above, left below, re-entered, left above.
  const SPX = [2.0, 2.2, 2.4, 2.45, 2.55, 2.49, 2.52, 2.7, 3.0, 2.45, 2.52, 2.6, 1.5, 0.9, 0.72, 0.65, 0.705, 0.58, 0.61, 0.75];
  const QQQ = [0.2, 0.26, 0.248, 0.24, 0.1, 0.0305, 0.029, 0.0302, 0.032];

  test('GIVEN a synthetic multi-year path THEN replay --json lists exactly the expected events', async () => {
    const { db, quotes } = world();
    await seedPaths(quotes, SPX, QQQ);
    const { code, out } = await run(db, ['--json']);
    expect(code).toBe(0);
    expect(JSON.parse(out)).toEqual([
      { date: '2015-02-01', pair: 'qqq-gold', level: 'qqq-gold-0.25', kind: 'cross-up', value: 0.26 },
      { date: '2015-04-01', pair: 'spx-gold', level: 'spx-gold-2.5', kind: 'approach', value: 2.45 },
      { date: '2015-04-01', pair: 'qqq-gold', level: 'qqq-gold-0.25', kind: 'cross-down', value: 0.24 },
      { date: '2015-05-01', pair: 'spx-gold', level: 'spx-gold-2.5', kind: 'cross-up', value: 2.55 },
      { date: '2015-06-01', pair: 'qqq-gold', level: 'qqq-gold-0.03', kind: 'approach', value: 0.0305 },
      { date: '2015-07-01', pair: 'qqq-gold', level: 'qqq-gold-0.03', kind: 'cross-down', value: 0.029 },
      { date: '2015-09-01', pair: 'qqq-gold', level: 'qqq-gold-0.03', kind: 'cross-up', value: 0.032 },
      { date: '2015-10-01', pair: 'spx-gold', level: 'spx-gold-2.5', kind: 'cross-down', value: 2.45 },
      { date: '2015-12-01', pair: 'spx-gold', level: 'spx-gold-2.5', kind: 'cross-up', value: 2.6 },
      { date: '2016-01-01', pair: 'spx-gold', level: 'spx-gold-2.5', kind: 'cross-down', value: 1.5 },
      { date: '2016-03-01', pair: 'spx-gold', level: 'spx-gold-0.6-0.7', kind: 'approach', value: 0.72 },
      { date: '2016-04-01', pair: 'spx-gold', level: 'spx-gold-0.6-0.7', kind: 'zone-enter', value: 0.65 },
      { date: '2016-06-01', pair: 'spx-gold', level: 'spx-gold-0.6-0.7', kind: 'zone-exit', value: 0.58 },
      { date: '2016-07-01', pair: 'spx-gold', level: 'spx-gold-0.6-0.7', kind: 'zone-enter', value: 0.61 },
      { date: '2016-08-01', pair: 'spx-gold', level: 'spx-gold-0.6-0.7', kind: 'zone-exit', value: 0.75 },
    ]);
  });

  test('GIVEN a reverse break the cooldown held THEN it is listed at its own date and ratio, reported late at the close that sent it (text and --json)', async () => {
    const { db, quotes } = world();
    // Trading days from 2024-01-02. SPX/Gold: 2.5 broken upward on 01-03 (held five closes), back
    // below it on 01-10 (2.49, inside the band) and past the band on 01-11, inside the 14-day
    // cooldown; below at every close until 01-17 sends it. QQQ/Gold breaks 0.25 on 01-12, between.
    const dates = ['01-02', '01-03', '01-04', '01-05', '01-08', '01-09', '01-10', '01-11', '01-12', '01-16', '01-17', '01-18'].map((d) => `2024-${d}`);
    const spx = [2.45, 2.52, 2.53, 2.54, 2.55, 2.56, 2.49, 2.47, 2.46, 2.46, 2.45, 2.45];
    const qqq = [0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.26, 0.26, 0.26, 0.26];
    const rows = (values: readonly number[], scale: number) =>
      values.map((v, i) => ({ date: dates[i]!, close: Math.round(v * scale * 1e6) / 1e6, source: 'test' }));
    await quotes.upsertCloses('gold', rows(Array<number>(dates.length).fill(1), 1000));
    await quotes.upsertCloses('spx', rows(spx, 1000));
    await quotes.upsertCloses('qqq', rows(qqq, 1000));
    expect(JSON.parse((await run(db, ['--json'])).out)).toEqual([
      { date: '2024-01-03', pair: 'spx-gold', level: 'spx-gold-2.5', kind: 'cross-up', value: 2.52 },
      {
        date: '2024-01-10',
        pair: 'spx-gold',
        level: 'spx-gold-2.5',
        kind: 'cross-down',
        value: 2.49,
        late: { reported: '2024-01-17', value: 2.45, after: '2024-01-03' },
      },
      { date: '2024-01-12', pair: 'qqq-gold', level: 'qqq-gold-0.25', kind: 'cross-up', value: 0.26 },
    ]);
    const text = (await run(db, [])).out.split('\n').map((l) => l.replace(/\s+/g, ' ').trim());
    expect(text.slice(0, 3)).toEqual([
      '2024-01-03 SPX/Gold spx-gold-2.5 cross-up 2.520',
      '2024-01-10 SPX/Gold spx-gold-2.5 cross-down 2.490 (reported late, 2024-01-17: now 2.450)',
      '2024-01-12 QQQ/Gold qqq-gold-0.25 cross-up 0.2600',
    ]);
  });

  test('GIVEN --from and --to THEN only that window runs, from a fresh state', async () => {
    const { db, quotes } = world();
    await seedPaths(quotes, SPX, QQQ);
    const { out } = await run(db, ['--from', '2016-02-01', '--to', '2016-06-30']);
    expect(
      out
        .split('\n')
        .filter((l) => /^\d{4}-/.test(l))
        .map((l) => l.replace(/\s+/g, ' ').trim()),
    ).toEqual([
      '2016-03-01 SPX/Gold spx-gold-0.6-0.7 approach down 0.7200',
      '2016-04-01 SPX/Gold spx-gold-0.6-0.7 zone-enter down 0.6500',
      '2016-06-01 SPX/Gold spx-gold-0.6-0.7 zone-exit down 0.5800',
    ]);
    expect(out).toContain('3 events;');
  });

  test.each([
    [['--from', '2016-13-01'], /--from: there is no 2016-13-01 on the calendar/],
    [['--from', '2017-01-01', '--to', '2016-01-01'], /--from 2017-01-01 is after --to 2016-01-01/],
    [['--pair', 'spx'], /^unknown option --pair; the options are --from, --to, --json, --move, --top$/],
  ])('GIVEN bad arguments %j THEN a clear error', async (args, message) => {
    const { db } = world();
    const e = await run(db, args).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(UserError);
    expect((e as Error).message).toMatch(message);
  });

  test('GIVEN an empty database THEN replay says so as a user error (stderr, exit 2) and prints no JSON', async () => {
    const { db } = world();
    const e = await run(db, ['--json']).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(UserError);
    expect((e as Error).message).toMatch(/^no data yet in .*: run `goldratio backfill`/);
  });
});

describeWithHistory('replay of the real history', () => {
  const load = (f: string) =>
    readFileSync(join(HISTORY_DIR, f), 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => {
        const [date, close] = l.split(',');
        return { date: date!, close: Number(close), source: 'history' };
      });

  test('GIVEN the real daily closes THEN the levels read as a few meaningful events, not every raw crossing', async () => {
    const { db, quotes } = world();
    for (const i of ['spx', 'qqq', 'gold'] as const) await quotes.upsertCloses(i, load(`${i}_daily.csv`));
    const { out } = await run(db, ['--json']);
    const events = JSON.parse(out) as { date: string; level: string; kind: string; late?: { reported: string } }[];
    const breaks = (level: string, year?: string) =>
      events.filter((e) => e.level === level && e.kind !== 'approach' && (year === undefined || e.date.startsWith(year)));

    const spxGold = ratioSeries(await quotes.closes('spx'), await quotes.closes('gold'));
    const raw = (level: string, from = '0000', to = '9999') =>
      runSeries(
        levelById(level)!,
        spxGold.filter((p) => p.date >= from && p.date <= to),
        { approachPct: 0, hysteresisPct: 0 },
      ).length;

    // 2.5 over the whole history: dozens of raw crossings, far fewer decided breaks.
    const raw25 = raw('spx-gold-2.5');
    expect(raw25).toBeGreaterThan(60);
    expect(breaks('spx-gold-2.5').length).toBeLessThan(raw25 / 2);
    // The 2021-2022 retest of 2.5: a couple of dozen raw crossings, a handful of breaks.
    expect(raw('spx-gold-2.5', '2021-01-01', '2022-12-31')).toBeGreaterThanOrEqual(20);
    expect(breaks('spx-gold-2.5', '202').filter((e) => e.date < '2023').length).toBeLessThanOrEqual(7);
    // 2011 around the 0.6-0.7 support zone: fewer zone events than raw crossings of its edges.
    const raw2011 = raw('spx-gold-0.6-0.7', '2011-01-01', '2011-12-31');
    expect(raw2011).toBeGreaterThanOrEqual(14);
    expect(breaks('spx-gold-0.6-0.7', '2011').length).toBeLessThanOrEqual(6);
    // QQQ/Gold swung 2-5% a day around its 0.03 floor for two months (ten breaks with the band
    // alone): with the cooldown, two dips below it and back. The two the cooldown held are listed
    // at their own dates (the story dates the rise by 09-13 too), reported late.
    expect(breaks('qqq-gold-0.03', '2011').map((e) => `${e.date} ${e.kind}${e.late ? ` reported late ${e.late.reported}` : ''}`)).toEqual([
      '2011-08-08 cross-down',
      '2011-08-29 cross-up',
      '2011-09-02 cross-down reported late 2011-09-12',
      '2011-09-13 cross-up reported late 2011-09-26',
    ]);
    const text = (await run(db, [])).out.split('\n').filter((l) => l.includes('qqq-gold-0.03') && l.startsWith('2011-09-13'));
    expect(text.map((l) => l.replace(/\s+/g, ' '))).toEqual([
      expect.stringMatching(/^2011-09-13 QQQ\/Gold qqq-gold-0\.03 cross-up 0\.030\d+ \(reported late, 2011-09-26: now 0\.03\d+\)$/),
    ]);
    // The essay's headline events are all there.
    expect(breaks('spx-gold-0.6-0.7', '2011')[0]).toMatchObject({ date: '2011-08-08', kind: 'zone-enter' });
    expect(breaks('qqq-gold-0.4')).toMatchObject([{ date: '2000-03-23', kind: 'cross-up' }, { kind: 'cross-down' }]);
  });
});
