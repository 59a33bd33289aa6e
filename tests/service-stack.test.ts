/** The stop of the running parts: in reverse order, and within its budget when given one. */
import { expect, test } from 'vitest';
import { createLogger } from '../src/log.ts';
import { ServiceStack } from '../src/service-stack.ts';

function stackWithLines() {
  const lines: string[] = [];
  const log = createLogger('info', { format: 'json', sink: (l: string) => lines.push(l) });
  return { stack: new ServiceStack(log), said: () => lines.map((l) => JSON.parse(l) as { level: string; msg: string }) };
}

test('GIVEN parts that stop THEN they stop in reverse order, one "stopped" line, nothing left', async () => {
  const { stack, said } = stackWithLines();
  const order: string[] = [];
  for (const name of ['database', 'dispatch', 'leadership']) stack.add(name, () => order.push(name));
  expect(await stack.stop({ budgetMs: 1000, budgetName: 'STOP_TIMEOUT_SECONDS' })).toEqual({ left: [] });
  expect(order).toEqual(['leadership', 'dispatch', 'database']);
  expect(said().map((l) => l.msg)).toEqual(['stopped']);
});

test('GIVEN a part that never finishes stopping THEN the stop ends at its budget, the one line naming it and every part after it', async () => {
  const { stack, said } = stackWithLines();
  const order: string[] = [];
  stack.add('operations server', () => order.push('operations server'));
  stack.add('database', () => order.push('database'));
  stack.add('leadership', () => new Promise(() => {}));
  stack.add('telegram', () => order.push('telegram'));
  const t0 = performance.now();
  expect(await stack.stop({ budgetMs: 300, budgetName: 'STOP_TIMEOUT_SECONDS' })).toEqual({ left: ['leadership', 'database', 'operations server'] });
  expect(performance.now() - t0).toBeGreaterThanOrEqual(290);
  expect(order).toEqual(['telegram']);
  expect(said()).toEqual([
    expect.objectContaining({
      level: 'warn',
      msg: 'stopped after 300 ms (STOP_TIMEOUT_SECONDS) without waiting for leadership, nor database, operations server: left for the next start (unsent alerts stay in the outbox)',
    }),
  ]);
});

test('GIVEN a part that failed to stop before the budget ran out THEN the line names both', async () => {
  const { stack, said } = stackWithLines();
  stack.add('database', () => new Promise(() => {}));
  stack.add('telegram', () => {
    throw new Error('socket hang up');
  });
  expect(await stack.stop({ budgetMs: 100 })).toEqual({ left: ['database'] });
  expect(said().map((l) => l.msg)).toEqual([
    'stopping telegram failed: socket hang up',
    'stopped after 100 ms without waiting for database: left for the next start (unsent alerts stay in the outbox); not cleanly: telegram (said above)',
  ]);
});

test('GIVEN sends on the wire when the budget runs out THEN the stop waits for them as long as they say, goes on to the parts after, and a part still stopping past that is left', async () => {
  const { stack, said } = stackWithLines();
  const order: string[] = [];
  stack.add('database', () => new Promise(() => {}));
  // The last sends end 250 ms after the 100 ms budget: the leadership's stop waits for them.
  stack.add('leadership', () => new Promise((r) => setTimeout(r, 350)).then(() => order.push('leadership')));
  const wireEnd = performance.now() + 400;
  const onTheWire = () => ({ sends: 2, forMs: wireEnd - performance.now() });
  const t0 = performance.now();
  expect(await stack.stop({ budgetMs: 100, budgetName: 'STOP_TIMEOUT_SECONDS', onTheWire })).toEqual({ left: ['database'] });
  // The leadership stopped within the wait; the database, which never stops, was given what remained of it.
  expect(order).toEqual(['leadership']);
  expect(performance.now() - t0).toBeGreaterThanOrEqual(390);
  const lines = said().map((l) => l.msg);
  expect(lines).toEqual([
    expect.stringMatching(
      /^100 ms \(STOP_TIMEOUT_SECONDS\) spent with 2 send\(s\) on the wire: waiting up to \d+ ms more for their answers, so that each is recorded and the next start does not send it again$/,
    ),
    expect.stringMatching(
      /^stopped after 100 ms \(STOP_TIMEOUT_SECONDS\) and \d+ ms more for the sends on the wire without waiting for database: left for the next start/,
    ),
  ]);
  // The wait said is what the sends had left (300 ms after the budget, less the timer's lateness, give or take the
  // few milliseconds a Node timer may fire early by against performance.now()),
  // and the stop took about that much more: a loaded machine's timers only fire later.
  const [waited, took] = lines.map((l) => Number(/(\d+) ms more/.exec(l)?.[1] ?? Number.NaN)) as [number, number];
  expect(waited).toBeGreaterThan(50);
  expect(waited).toBeLessThanOrEqual(310);
  expect(took).toBeGreaterThanOrEqual(waited - 5);
});
