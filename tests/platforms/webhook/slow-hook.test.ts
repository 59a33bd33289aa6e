/**
 * One hook's receiver that does not answer (it takes its WEBHOOK_TIMEOUT_SECONDS) keeps the dispatch
 * job running, and the scheduler skips the job's next ticks: another hook's retry, due meanwhile, must
 * go at the next tick all the same (schedule/jobs.ts dispatchJob: a skipped tick wakes the running
 * drain), not once the slow POST has ended. Nothing goes twice. The dispatch job is the real one,
 * triggered by the test as cron would; the receivers are real, time is the test's clock.
 */
import { afterEach, beforeEach, expect, test } from 'vitest';
import { seedEvent } from '../../helpers/telegram-harness.ts';
import { hookWorld, TestClock, type HookWorld } from '../../helpers/webhook-world.ts';
import { createScheduler } from '../../../src/schedule/scheduler.ts';
import { dispatchJob } from '../../../src/schedule/jobs.ts';

const S = 1000;

let w: HookWorld;
beforeEach(async () => {
  w = await hookWorld();
});
afterEach(async () => {
  w.rx.release('/slow');
  await w.close();
});

const row = (id: string) =>
  w.world.db.prepare('SELECT status, attempts FROM outbox WHERE chat_id = ?').get(id) as { status: string; attempts: number } | undefined;

test('GIVEN one hook not answering and another whose first POST failed WHEN the next dispatch tick comes while the slow POST is out THEN the other hook’s retry goes then, once', async () => {
  const t0 = Date.UTC(2026, 11, 7, 15);
  const clock = new TestClock(t0);
  const slow = await w.add('/slow');
  const flaky = await w.add('/flaky');
  w.rx.answers.set('/slow', { status: 204, held: true });
  w.rx.queued.set('/flaky', [{ status: 500 }]);
  await seedEvent(
    w.world,
    [
      { platform: 'webhook', chatId: slow.id },
      { platform: 'webhook', chatId: flaky.id },
    ],
    t0,
  );
  const dispatcher = w.dispatcher(w.notifier({ now: clock.now, timeoutMs: 600 * S }), 1, clock.now);
  const scheduler = createScheduler([dispatchJob(w.world.config, dispatcher, w.world.log)], w.world.log);

  const first = scheduler.trigger('dispatch');
  await expect.poll(() => w.rx.at('/slow').length, { timeout: 30_000 }).toBe(1);
  // The flaky hook's 500 is recorded: its retry is due 5 s later (the span's first try).
  await expect.poll(() => row(flaky.id)?.attempts, { timeout: 30_000 }).toBe(1);
  expect(row(flaky.id)?.status).toBe('pending');

  clock.advance(5 * S);
  // The job still runs (the slow POST is out): this tick is skipped, and wakes the running drain.
  expect(await scheduler.trigger('dispatch')).toBe('skipped-overlap');
  await expect.poll(() => row(flaky.id)?.status, { timeout: 30_000 }).toBe('sent');
  expect(w.rx.at('/flaky')).toHaveLength(2);
  expect(w.rx.at('/slow')).toHaveLength(1);
  expect(row(slow.id)?.status).toBe('pending');

  w.rx.release('/slow');
  expect(await first).toBe('ran');
  await dispatcher.settled();
  expect(row(slow.id)?.status).toBe('sent');
  expect(w.rx.at('/slow')).toHaveLength(1);
  expect(w.rx.at('/flaky')).toHaveLength(2);
  await scheduler.stop();
});
