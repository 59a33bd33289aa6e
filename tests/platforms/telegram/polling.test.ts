/**
 * Long polling when another process polls the same bot token: Telegram answers getUpdates with
 * 409 Conflict. One warning line saying so (no stack trace from grammY's runner, no error), and
 * once the other process goes, this one receives updates again without a restart.
 */
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { FakeTelegram } from '../../fakes/telegram.ts';
import { makeWorld, telegramEnv, type World } from '../../helpers/telegram-harness.ts';
import { createTelegram, type Telegram } from '../../../src/platforms/telegram/bot.ts';

let fake: FakeTelegram;
let world: World;
let tg: Telegram | undefined;

beforeEach(async () => {
  fake = await FakeTelegram.start();
  world = makeWorld(telegramEnv(fake));
});
afterEach(async () => {
  await tg?.stop();
  await fake.close();
  world.cleanup();
  vi.restoreAllMocks();
});

test('GIVEN getUpdates answering 409 Conflict THEN one warning naming the cause, no stack, and polling resumes when the other process goes', async () => {
  const consoleError = vi.spyOn(console, 'error');
  fake.failMethod('getUpdates', { kind: 'conflict' }, 3);
  tg = createTelegram({ config: world.config, deps: world.deps, charts: world.charts, log: world.log, conflictRetryMs: 100 });
  await tg.start();
  // Three 409s (runner restarts 100 ms apart), then the fake lets polls through again.
  await fake.waitFor(() => fake.callsTo('getUpdates').filter((c) => c.status === 409).length === 3);
  fake.textMessage(91, '/help');
  await fake.waitFor((c) => c.method === 'sendMessage' && c.chatId === '91');
  expect(tg.receiving()).toBe(true);
  const lines = world.log.lines.join('\n');
  expect(
    world.log.lines.filter((l) => /another process polls this bot token \(Telegram: 409 Conflict: terminated by other getUpdates request/.test(l)),
  ).toHaveLength(1);
  expect(world.log.lines.filter((l) => /\bWARN\b.*another process polls/.test(l))).toHaveLength(1);
  expect(lines).toMatch(/long polling receives updates again/);
  expect(lines).not.toMatch(/\bERROR\b/);
  expect(lines).not.toMatch(/\n\s+at /);
  expect(consoleError).not.toHaveBeenCalled();
});
