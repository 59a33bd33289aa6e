/**
 * Readiness answers within its bound whatever its checks do, asks a check once while it is in
 * flight (probes together, or a check that never answers), and asks it anew once it has answered.
 * The checks here are plain functions standing for the store's: the store's own silence is in
 * tests/ops/server.test.ts (PostgreSQL behind a proxy that keeps the queries back).
 */
import { expect, test } from 'vitest';
import { createReadiness, type ReadinessCheck } from '../../src/ops/readiness.ts';

/** A check that answers only when told to, counting how often it was asked. */
function gate(name: string, more: Partial<ReadinessCheck> = {}) {
  let asked = 0;
  let answer: ((why: string | undefined) => void) | undefined;
  const check: ReadinessCheck = {
    name,
    ...more,
    check: () => {
      asked++;
      return new Promise<string | undefined>((resolve) => {
        answer = resolve;
      });
    },
  };
  return {
    check,
    asked: () => asked,
    answer: (why: string | undefined) => answer?.(why),
  };
}

test('GIVEN a check that never answers THEN the evaluation answers at its bound naming it, and the other checks are said as usual', async () => {
  const database = gate('database');
  const readiness = createReadiness([{ name: 'goldratio', check: () => 'shutting down' }, database.check, { name: 'telegram', check: () => undefined }], {
    boundMs: 100,
  });
  const e = await readiness.evaluate();
  expect(e).toMatchObject({ ready: false, reasons: ['goldratio: shutting down', 'database: no answer within 0.1 s'] });
});

test('GIVEN evaluations while a check is in flight THEN it is asked once for all of them; once it answered, the next evaluation asks it anew (no cache)', async () => {
  const database = gate('database');
  const readiness = createReadiness([database.check], { boundMs: 5000 });
  const together = [readiness.evaluate(), readiness.evaluate(), readiness.evaluate({ freshnessOnly: true })];
  await new Promise((r) => setImmediate(r));
  expect(database.asked()).toBe(1);
  database.answer('closed');
  const answers = await Promise.all(together);
  expect(answers.map((e) => e.reasons)).toEqual([['database: closed'], ['database: closed'], []]);
  const next = readiness.evaluate();
  await new Promise((r) => setImmediate(r));
  expect(database.asked()).toBe(2);
  database.answer(undefined);
  expect((await next).ready).toBe(true);
});

test('GIVEN a check still unanswered from an earlier evaluation past its bound THEN a later one waits for that one instead of asking again', async () => {
  const database = gate('database');
  const readiness = createReadiness([database.check], { boundMs: 50 });
  for (let i = 0; i < 3; i++) expect((await readiness.evaluate()).reasons).toEqual(['database: no answer within 0.05 s']);
  expect(database.asked()).toBe(1);
});

test('GIVEN the freshness check unanswered THEN the data is not known to be fresh or stale (freshUnknown), and /readyz is not made unready by it', async () => {
  const quotes = gate('quotes', { kind: 'freshness', dependsOn: 'database' });
  const readiness = createReadiness([{ name: 'database', check: () => undefined }, quotes.check], { boundMs: 50 });
  expect(await readiness.evaluate()).toEqual({
    ready: true,
    reasons: [],
    warnings: ['quotes: no answer within 0.05 s'],
    fresh: false,
    staleness: ['quotes: no answer within 0.05 s'],
    freshUnknown: true,
  });
});

test("GIVEN freshnessOnly THEN only the freshness checks and what they read through are asked, not the platforms'", async () => {
  const telegram = gate('telegram');
  let database = 0;
  const readiness = createReadiness(
    [
      {
        name: 'database',
        check: () => {
          database++;
          return undefined;
        },
      },
      { name: 'quotes', kind: 'freshness', dependsOn: 'database', check: () => 'spx has no close' },
      telegram.check,
    ],
    { boundMs: 50 },
  );
  expect(await readiness.evaluate({ freshnessOnly: true })).toMatchObject({ fresh: false, staleness: ['quotes: spx has no close'], freshUnknown: false });
  expect([database, telegram.asked()]).toEqual([1, 0]);
});

test('GIVEN no freshness check added yet (a process still starting) THEN the data is not said fresh: unknown, with why', async () => {
  const readiness = createReadiness([{ name: 'database', check: () => undefined }]);
  expect(await readiness.evaluate({ freshnessOnly: true })).toMatchObject({
    fresh: false,
    freshUnknown: true,
    staleness: ['quotes: not checked yet (still starting)'],
  });
  readiness.add({ name: 'quotes', kind: 'freshness', dependsOn: 'database', check: () => undefined });
  expect(await readiness.evaluate({ freshnessOnly: true })).toMatchObject({ fresh: true, freshUnknown: false, staleness: [] });
});

test('GIVEN a check added while an evaluation waits on another (the start adding the quotes’ check during a probe) THEN that evaluation answers about the checks it asked, no TypeError; the next one asks the new check', async () => {
  const database = gate('database');
  const readiness = createReadiness([database.check]);
  const first = readiness.evaluate();
  await new Promise((r) => setTimeout(r, 0));
  expect(database.asked()).toBe(1);
  readiness.add({ name: 'quotes', kind: 'freshness', dependsOn: 'database', check: () => 'stale' });
  database.answer(undefined);
  expect(await first).toMatchObject({ ready: true, reasons: [], freshUnknown: true, staleness: ['quotes: not checked yet (still starting)'] });
  const second = readiness.evaluate();
  await new Promise((r) => setTimeout(r, 0));
  database.answer(undefined);
  expect(await second).toMatchObject({ ready: true, warnings: ['quotes: stale'], fresh: false, freshUnknown: false });
});
