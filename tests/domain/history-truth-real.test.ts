/**
 * /history, the digest's "last broke" sentence and /ratio's figures on the real history
 * (GOLDRATIO_HISTORY_DIR), each against what this file works out from the CSV files alone
 * (helpers/history.ts independentRatio: each stock close over gold's last fix at most 4 days before),
 * by the rule the README states: a break holds when five closes in a row are beyond the level, and
 * is dated by the first of them; a zone's edges are walked as lines (0.7 down: into the zone from
 * above; 0.7 up: out of it upward). No figure here is read off the bot, none typed in by hand.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../src/store/db.ts';
import { findCommand } from '../../src/chat/registry.ts';
import { plainText } from '../../src/chat/reply.ts';
import { chatCtx } from '../helpers/chat.ts';
import { runCliInProcess } from '../helpers/cli.ts';
import { describeWithHistory, historyFile, independentRatio, commandDeps } from '../helpers/history.ts';

/** The store's first day (historyFile's default): the walk starts where the bot's closes start. */
const FROM = '1995-01-01';
const AT = Date.parse('2026-11-25T00:00:00Z');

interface Break {
  readonly date: string;
  readonly value: number;
  readonly edge: number;
  readonly direction: 'up' | 'down';
}

/** Held breaks of `edge`: five closes in a row strictly beyond it from the side the ratio stands on, dated by the first. */
function heldBreaks(series: readonly { date: string; value: number }[], edge: number): Break[] {
  let above = series[0]!.value >= edge;
  const out: Break[] = [];
  let run: { date: string; value: number }[] = [];
  for (const p of series.slice(1)) {
    if (above ? p.value < edge : p.value > edge) {
      run.push(p);
      if (run.length === 5) {
        out.push({ date: run[0]!.date, value: run[0]!.value, edge, direction: above ? 'down' : 'up' });
        above = !above;
        run = [];
      }
    } else if (p.value !== edge) run = [];
  }
  return out;
}

/** What /history says of a break, in English, without its figure. */
function said(pair: string, b: Break): string {
  if (b.edge === 0.7) return `${pair} ${b.direction === 'down' ? 'entered the 0.6–0.7 zone from above' : 'left the 0.6–0.7 zone upward'}`;
  if (b.edge === 0.6) return `${pair} ${b.direction === 'down' ? 'left the 0.6–0.7 zone downward' : 'entered the 0.6–0.7 zone from below'}`;
  return `${pair} broke ${b.direction === 'up' ? 'above' : 'below'} ${b.edge}`;
}

/** A figure as shown agrees with the true one to the digits shown. */
function agrees(shown: string, truth: number): void {
  const decimals = shown.split('.')[1]?.length ?? 0;
  expect(Math.abs(Number(shown) - truth), `${shown} against ${truth}`).toBeLessThanOrEqual(0.5 * 10 ** -decimals + 1e-12);
}

const PAIRS = [
  { pair: 'spx-gold', stock: 'spx', name: 'SPX/Gold', edges: [5.5, 2.5, 0.7, 0.6] },
  { pair: 'qqq-gold', stock: 'qqq', name: 'QQQ/Gold', edges: [0.4, 0.25, 0.03] },
] as const;

describeWithHistory('the breaks and figures the bot states, against the real files', () => {
  let dir: string;
  let db: Db;
  let deps: Parameters<NonNullable<ReturnType<typeof findCommand>>['run']>[0];
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'goldratio-history-truth-'));
    db = openDatabase(await historyFile(join(dir, 'h.db'), FROM));
    deps = commandDeps(db) as typeof deps;
  });
  afterAll(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const breaksOf = (p: (typeof PAIRS)[number]) => {
    const series = independentRatio(p.stock, FROM);
    return p.edges.flatMap((e) => heldBreaks(series, e)).sort((a, b) => (a.date < b.date ? 1 : -1));
  };

  test.each(PAIRS)('/history $pair lists the newest held breaks of the files, each on the first close beyond, at that close', async (p) => {
    const truth = breaksOf(p).slice(0, 10);
    // The files hold breaks of every kind: the walk is not vacuous.
    expect(truth.length).toBeGreaterThanOrEqual(6);
    const lines = plainText(await findCommand('history')!.run(deps, chatCtx({ chatId: `h-${p.pair}`, nowMs: AT }), [p.pair]))
      .split('\n')
      .slice(1);
    expect(lines).toHaveLength(truth.length);
    lines.forEach((line, i) => {
      const b = truth[i]!;
      const m = line.match(/^(\d{4}-\d{2}-\d{2}) (.+) at ([\d.]+) \(history\)$/);
      expect(m, line).not.toBeNull();
      expect([m![1], m![2]], line).toEqual([b.date, said(p.name, b)]);
      agrees(m![3]!, b.value);
    });
  });

  test.each(PAIRS)("the digest's story of $pair names its last held break of the files and how long before the preview's day", async (p) => {
    const last = breaksOf(p)[0]!;
    const preview = await runCliInProcess(
      ['digest', '--preview', '--out', join(dir, `${p.pair}.png`)],
      { DATABASE_PATH: join(dir, 'h.db'), DATA_DIR: dir },
      { nowMs: AT },
    );
    expect(preview.code).toBe(0);
    const line = preview.stdout.split('\n').find((l) => l.startsWith(`${p.name} (`))!;
    const verb =
      last.edge === 0.7 || last.edge === 0.6
        ? `(rose|fell) (into|out of) the 0.6–0.7 zone`
        : `broke ${last.direction === 'up' ? 'above' : 'below'} ${last.edge}`;
    const m = line.match(new RegExp(`last ${verb} on (\\d{4}-\\d{2}-\\d{2}) \\(([\\d.]+) years ago\\)`));
    expect(m, line).not.toBeNull();
    expect(m!.at(-2)).toBe(last.date);
    agrees(m!.at(-1)!, (AT - Date.parse(`${last.date}T00:00:00Z`)) / (365.25 * 86_400_000));
  });

  test.each([
    ['spx', 'SPX/Gold', '2021-12-31', 2.5],
    ['qqq', 'QQQ/Gold', '2026-08-21', 0.03],
  ] as const)(
    "the digest's count of visits back to the level broken last (%s, %s, closes to %s): each close back within 3% after leaving that band, a visit ending once 6% away",
    async (stock, name, to, edge) => {
      const series = independentRatio(stock, FROM, to);
      const pair = PAIRS.find((p) => p.stock === stock)!;
      const last = pair.edges.flatMap((e) => heldBreaks(series, e)).sort((a, b) => (a.date < b.date ? 1 : -1))[0]!;
      expect(last.edge).toBe(edge);
      // From the break on: out of the 3% band, then a close within it is a visit; it ends once farther than 6%.
      const distance = (v: number) => (Math.abs(edge - v) / v) * 100;
      const visits: string[] = [];
      let out = false;
      let inVisit = false;
      for (const p of series.filter((x) => x.date >= last.date)) {
        const d = distance(p.value);
        if (inVisit) {
          if (d > 6) inVisit = false;
        } else if (d > 3) out = true;
        else if (out) {
          visits.push(p.date);
          inVisit = true;
          out = false;
        }
      }
      // A visit not over at the last close (still within 6%) is not counted yet: an approach, or a visit going on.
      if (inVisit) visits.pop();
      expect(visits.length).toBeGreaterThanOrEqual(2);
      const db2 = join(dir, `to-${to}.db`);
      await historyFile(db2, FROM, to);
      const preview = await runCliInProcess(
        ['digest', '--preview', '--out', join(dir, `to-${to}.png`)],
        { DATABASE_PATH: db2, DATA_DIR: dir },
        { nowMs: Date.parse(`${to}T23:00:00Z`) },
      );
      const line = preview.stdout.split('\n').find((l) => l.startsWith(`${name} (`))!;
      const words = ['once', 'twice', 'three times', 'four times', 'five times'];
      expect(line).toContain(`dipped ${words[visits.length - 1]} to within 3% of ${edge} and held each time (last ${visits.at(-1)})`);
    },
  );

  test.each(PAIRS)('/ratio $pair: the last ratio of the files, and the distance to each level beside it in % of the ratio', async (p) => {
    const series = independentRatio(p.stock, FROM);
    const last = series.at(-1)!;
    const text = plainText(await findCommand('ratio')!.run(deps, chatCtx({ chatId: `r-${p.pair}`, nowMs: AT }), [p.pair]));
    const head = text.match(new RegExp(`^${p.name.replace('/', '\\/')} ([\\d.]+) \\(close (\\d{4}-\\d{2}-\\d{2})\\)`, 'm'));
    expect(head, text).not.toBeNull();
    expect(head![2]).toBe(last.date);
    agrees(head![1]!, last.value);
    const levels = [...text.matchAll(/Next level (up|down): ([\d.]+)(?:–([\d.]+))? \(([+-][\d.]+)%\)/g)];
    expect(levels).toHaveLength(2);
    for (const [, way, low, high, pct] of levels) {
      const edge = Number(way === 'down' ? (high ?? low) : low);
      expect(way === 'up' ? edge > last.value : edge < last.value).toBe(true);
      agrees(pct!.replace('+', ''), ((edge - last.value) / last.value) * 100);
    }
  });
});
