/**
 * A true tie with M2: an index whose M2-adjusted value is exactly 100 (it grew by M2's own factor)
 * matched M2; it neither beat it nor fell behind it ("did not beat M2: 0% behind it" read as a
 * loss that was none). /power in each language, `goldratio power` and its --json, and the digest's
 * yardstick line say the same. Near ties keep their <0.01% (tests/domain/digest-real.test.ts).
 */
import { commandDeps } from '../helpers/history.ts';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../src/store/db.ts';
import { findCommand } from '../../src/chat/registry.ts';
import { plainText } from '../../src/chat/reply.ts';
import { powerLine, powerOf } from '../../src/domain/digest.ts';
import { runCliInProcess } from '../helpers/cli.ts';
import { chatCtx } from '../helpers/chat.ts';

let dir = '';
let db: Db;
let env: Record<string, string>;
const DATES = ['2025-01-02', '2025-01-03', '2025-03-03'];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'goldratio-power-tie-'));
  env = { DATABASE_PATH: join(dir, 'tie.db'), DATA_DIR: dir };
  const closes = (name: string, values: number[]) => {
    const file = join(dir, `${name}.csv`);
    writeFileSync(file, `date,close\n${DATES.map((d, i) => `${d},${values[i]}`).join('\n')}\n`);
    return file;
  };
  // SPX grows by 10%, as M2 does from January to March: M2-adjusted exactly 100. QQQ by 14%: it beats M2.
  for (const [instrument, file] of [
    ['spx', closes('spx', [1000, 1010, 1100])],
    ['qqq', closes('qqq', [500, 505, 570])],
    ['gold', closes('gold', [2650, 2640, 2900])],
  ] as const)
    expect((await runCliInProcess(['import', instrument, file], env)).code).toBe(0);
  const m2 = join(dir, 'm2.csv');
  writeFileSync(m2, 'observation_date,M2SL\n2025-01-01,20000\n2025-02-01,21000\n2025-03-01,22000\n');
  expect((await runCliInProcess(['import', 'm2', m2], env)).code).toBe(0);
  db = openDatabase(env.DATABASE_PATH!);
});
afterAll(() => {
  db?.close();
  rmSync(dir, { recursive: true, force: true });
});

const deps = () => commandDeps(db);
const power = async (lang: string) =>
  plainText(
    await findCommand('power')!.run(deps(), chatCtx({ userLanguageCode: lang, nowMs: Date.parse('2025-03-04T00:00:00Z') }), ['2025-01-02', '2025-03-03']),
  );

test('GIVEN SPX grown by exactly M2’s growth THEN /power says it matched M2, in every language, beside QQQ that beat it', async () => {
  const en = await power('en');
  expect(en).toContain('M2 grew 10.0% from 2025-01 to 2025-03');
  expect(en).toContain('S&P 500 matched M2 exactly: neither beat it nor fell behind it.');
  expect(en).toContain('QQQ beat M2 by 3.6%: real growth.');
  expect(en).not.toMatch(/S&P 500 (beat|did not beat) M2|\d% behind/);
  const tw = await power('zh-TW');
  expect(tw).toContain('標普500指數與 M2 持平：既未跑贏，也未落後。');
  expect(tw).not.toMatch(/標普500指數(跑贏|未能跑贏)/);
  const cn = await power('zh-CN');
  expect(cn).toMatch(/标普500指数与 M2 持平：既没有跑赢，也没有跑输。/);
  expect(cn).not.toMatch(/标普500指数(跑赢|未能跑赢)/);
});

test('GIVEN the same tie THEN goldratio power says it matched M2, and --json gives vsM2 "matched" (beatM2 false: it did not beat it), QQQ "beat"', async () => {
  const text = await runCliInProcess(['power', '--base', '2025-01-02', '--to', '2025-03-03'], env);
  expect(text.code).toBe(0);
  expect(text.stdout).toContain('  SPX matched M2 exactly: neither beat it nor fell behind it.\n');
  expect(text.stdout).not.toMatch(/SPX did not beat|0% behind/);
  const json = await runCliInProcess(['power', '--base', '2025-01-02', '--to', '2025-03-03', '--json'], env);
  const p = JSON.parse(json.stdout);
  expect(p.m2GrowthPct).toBe(10);
  expect(p.spx).toMatchObject({ usd: 110, m2: 100, beatM2: false, vsM2: 'matched' });
  expect(p.qqq).toMatchObject({ beatM2: true, vsM2: 'beat' });
});

test('GIVEN the same tie THEN the digest’s yardstick line says SPX is even with M2, not "0% above M2", in every language', async () => {
  const d = powerOf(await deps().view.power('2025-01-02'))!;
  expect(d.date).toBe('2025-03-03');
  expect(powerLine('spx', d.spx, 'en')).toMatch(/^S&P 500 \+10% in USD, .* in gold, even with M2$/);
  expect(powerLine('spx', d.spx, 'zh-TW')).toMatch(/與 M2 持平$/);
  expect(powerLine('spx', d.spx, 'zh-CN')).toMatch(/与 M2 持平$/);
  expect(powerLine('qqq', d.qqq, 'en')).toMatch(/3\.6% above M2$/);
  // Just off a tie is no tie: its side and its <0.01%, as before.
  expect(powerLine('spx', { ...d.spx, m2: 99.996 }, 'en')).toMatch(/<0\.01% below M2$/);
  expect(powerLine('spx', { ...d.spx, m2: 100.004 }, 'en')).toMatch(/<0\.01% above M2$/);
});

test('GIVEN /power a few months, 幾個月, 几个月 THEN indexed from 3 months back, and the reply says the few was read as 3, naming the word', async () => {
  const ask = async (lang: string, words: string[]) =>
    plainText(await findCommand('power')!.run(deps(), chatCtx({ userLanguageCode: lang, nowMs: Date.parse('2025-03-04T00:00:00Z') }), words));
  for (const [lang, words, said] of [
    ['en', ['a', 'few', 'months'], '“a few” read as 3.'],
    ['zh-TW', ['幾個月'], '「幾」以 3 計算。'],
    ['zh-CN', ['几个月'], '“几”按 3 计算。'],
  ] as const) {
    const lines = (await ask(lang, [...words])).split('\n');
    // Three months before 2025-03-04: from the first close on or after 2024-12-04, the history's first.
    expect(lines[0], lang).toContain('2025');
    expect(lines.at(-1), lang).toBe(said);
    expect(
      lines.filter((l) => l === said),
      lang,
    ).toHaveLength(1);
  }
  // A count in digits is exact: no such line.
  expect(await ask('en', ['3', 'months'])).not.toContain('read as 3');
});
