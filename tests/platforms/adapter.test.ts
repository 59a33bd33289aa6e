/**
 * The platform contract (src/platforms/adapter.ts) as the composition root uses it: one more entry
 * in the list is a whole platform (created when its config says so, its notifier drained by the
 * dispatcher, its readiness in /readyz, its start part of `ready`), platforms stop in the reverse
 * order of their start, and Telegram and Discord (real clients against the local fakes) each
 * count toward readiness and `ready` the same way.
 */
import { onSqlite } from '../../src/store/engine.ts';
import { afterEach, describe, expect, test } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Delivery, Notifier, SendResult } from '../../src/alerts/notifier.ts';
import { loadConfig } from '../../src/config.ts';
import type { Platform } from '../../src/domain/platform.ts';
import { memoryLogger } from '../../src/log.ts';
import { startApp } from '../../src/main.ts';
import { PLATFORM_ADAPTERS, sendOnly, type PlatformAdapter } from '../../src/platforms/index.ts';
import { OutboxStore } from '../../src/store/outbox.ts';
import { SubscriptionStore } from '../../src/store/subscriptions.ts';
import { FakeDiscord } from '../fakes/discord.ts';
import { FakeTelegram } from '../fakes/telegram.ts';
import { OFFLINE, sourcesAt } from '../helpers/sources.ts';
import { eventually } from '../helpers/eventually.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function config(env: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'goldratio-platforms-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return loadConfig({
    DATABASE_PATH: join(dir, 'g.db'),
    DATA_DIR: dir,
    ...sourcesAt(),
    CHART_WORKERS: '0',
    CHART_WARMUP: 'off',
    ...env,
  });
}

/** A platform that only sends (as an outgoing webhook would): it records what it was given and what happened to it. */
function recorder(name: string, events: string[], o: { on?: boolean; up?: () => Promise<void>; ready?: () => string | undefined; chatBot?: boolean } = {}) {
  const platform = name as Platform; // the stores take any name; the union is the compile-time list
  const sent: Delivery[] = [];
  const notifier: Notifier = {
    platform,
    ratePerSecond: 10,
    async send(d): Promise<SendResult> {
      sent.push(d);
      d.partSent(0);
      return { kind: 'sent' };
    },
  };
  const adapter: PlatformAdapter = {
    platform,
    chatBot: o.chatBot ?? false,
    enabled: () => (o.on === false ? { on: false, note: { level: 'warn', text: `${name} is off: set ${name.toUpperCase()}_URL` } } : { on: true }),
    create: () => {
      events.push(`create ${name}`);
      const base = sendOnly(platform, notifier);
      return {
        ...base,
        async start(signal) {
          events.push(`start ${name}`);
          await o.up?.();
          return signal.aborted ? { kind: 'stopped' } : { kind: 'started', attempts: 1 };
        },
        async stop() {
          events.push(`stop ${name}`);
        },
        ...(o.ready !== undefined ? { readiness: o.ready } : {}),
      };
    },
  };
  return { adapter, sent };
}

describe('the platform list', () => {
  test('GIVEN one more entry THEN it runs as a platform: created, started, sent to by the dispatcher, and stopped before the ones started earlier', async () => {
    const events: string[] = [];
    const hook = recorder('hook', events);
    // The stop's per-part lines are debug (an operator at info reads that it stops and that it stopped).
    const log = memoryLogger('debug');
    const app = await startApp(config(), log, { out: () => {}, skipInitialSync: true, adapters: [...PLATFORM_ADAPTERS, hook.adapter] });
    cleanups.push(() => app.stop());
    await app.ready;
    expect(app.platforms.map((p) => p.platform)).toEqual(['console', 'webhook', 'hook']);

    const subs = new SubscriptionStore(onSqlite(app.db), { approachPct: 1, lang: 'en' });
    const chat = await subs.upsert('hook' as Platform, 'https://example.org/in', { lang: 'zh-TW' });
    await new OutboxStore(onSqlite(app.db)).enqueue('alert', { title: 'T', lines: ['one line'] }, [chat.id]);
    const drained = await app.dispatcher.drain();
    expect(drained.sent).toBe(1);
    expect(hook.sent.map((d) => [d.chatId, d.lang, d.message.lines])).toEqual([['https://example.org/in', 'zh-TW', ['one line']]]);

    await app.stop();
    expect(events).toEqual(['create hook', 'start hook', 'stop hook']);
    const stops = log.lines.map((l) => /stopping: (.+)$/.exec(l)?.[1]).filter((s) => s !== undefined);
    // The reverse of the start: the leadership first (cron, no new work; the last sends), the
    // platforms last started first, the database last. The token notes before the leadership: its
    // polling stopped is no token taken again.
    expect(stops).toEqual([
      'token notes',
      'leadership',
      'start-up work',
      'hook',
      'webhook',
      'console',
      'dispatch',
      'chart cache',
      'database file watch',
      'database',
      'instance lock',
    ]);
  });

  test('GIVEN two platforms THEN the one started last is stopped first', async () => {
    const events: string[] = [];
    const a = recorder('alpha', events);
    const b = recorder('beta', events);
    const app = await startApp(config(), memoryLogger('warn'), { out: () => {}, skipInitialSync: true, adapters: [a.adapter, b.adapter] });
    await app.ready;
    await app.stop();
    expect(events).toEqual(['create alpha', 'create beta', 'start alpha', 'start beta', 'stop beta', 'stop alpha']);
  });

  test('GIVEN an entry its config turns off THEN it is not created and says so once; the console is then the default subscriber', async () => {
    const events: string[] = [];
    const hook = recorder('hook', events, { on: false });
    const log = memoryLogger('info');
    const app = await startApp(config(), log, { out: () => {}, skipInitialSync: true, adapters: [...PLATFORM_ADAPTERS, hook.adapter] });
    cleanups.push(() => app.stop());
    await app.ready;
    expect(events).toEqual([]);
    expect(log.lines.filter((l) => l.includes('hook is off: set HOOK_URL'))).toHaveLength(1);
    expect((await new SubscriptionStore(onSqlite(app.db), { approachPct: 1, lang: 'en' }).get('console', 'console'))?.active).toBe(true);
  });

  test.each([
    [true, 'retired: alerts go to the chats, not the console'],
    [false, 'kept: an outgoing hook is no chat bot'],
  ])(
    'GIVEN the console default, then one more entry whose chatBot is %s THEN the default console subscription is %s (the entry says it; no name is listed)',
    async (chatBot) => {
      const c = config();
      const first = await startApp(c, memoryLogger('warn'), { out: () => {}, skipInitialSync: true });
      await first.ready;
      await first.stop();
      const hook = recorder('pager', [], { chatBot });
      const log = memoryLogger('info');
      const app = await startApp(c, log, { out: () => {}, skipInitialSync: true, adapters: [...PLATFORM_ADAPTERS, hook.adapter] });
      cleanups.push(() => app.stop());
      await app.ready;
      expect((await new SubscriptionStore(onSqlite(app.db), { approachPct: 1, lang: 'en' }).get('console', 'console'))?.active).toBe(!chatBot);
      expect(log.lines.some((l) => l.includes('a chat platform is configured (pager)'))).toBe(chatBot);
    },
  );

  test("GIVEN a platform still coming up THEN `ready` waits for it and /readyz names it with its platform's reason", async () => {
    let up!: () => void;
    let isUp = false;
    const hook = recorder('hook', [], {
      up: () => new Promise<void>((r) => (up = r)).then(() => void (isUp = true)),
      ready: () => (isUp ? undefined : 'not connected yet'),
    });
    const app = await startApp(config(), memoryLogger('warn'), { out: () => {}, skipInitialSync: true, adapters: [hook.adapter] });
    cleanups.push(() => app.stop());
    let ready = false;
    void app.ready.then(() => (ready = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(ready).toBe(false);
    expect((await app.readiness.evaluate()).reasons).toContain('hook: not connected yet');
    up();
    await app.ready;
    expect((await app.readiness.evaluate()).reasons.filter((r) => r.startsWith('hook'))).toEqual([]);
  });
});

describe('Telegram and Discord under the contract', () => {
  test('GIVEN both tokens THEN both start with the signal, `ready` waits for both, and each counts toward /readyz until it stops', async () => {
    const tg = await FakeTelegram.start();
    const dc = await FakeDiscord.start();
    cleanups.push(
      () => tg.close(),
      () => dc.close(),
    );
    const log = memoryLogger('info');
    const app = await startApp(
      config({
        TELEGRAM_BOT_TOKEN: tg.token,
        TELEGRAM_API_ROOT: tg.apiRoot,
        DISCORD_TOKEN: dc.token,
        DISCORD_APPLICATION_ID: '900000000000000001',
        DISCORD_API_BASE: dc.api,
      }),
      log,
      { out: () => {}, skipInitialSync: true },
    );
    cleanups.push(() => app.stop());
    await app.ready;
    const reasons = async () => (await app.readiness.evaluate()).reasons.filter((r) => /^(telegram|discord):/.test(r));
    expect(await reasons()).toEqual([]);
    expect(app.platforms.map((p) => p.platform)).toEqual(['console', 'telegram', 'discord', 'webhook']);

    await app.platforms.find((p) => p.platform === 'discord')!.stop();
    expect(await reasons()).toEqual(['discord: not connected to the gateway']);
    await app.platforms.find((p) => p.platform === 'telegram')!.stop();
    expect(await reasons()).toEqual(['telegram: not receiving updates', 'discord: not connected to the gateway']);
  });

  test('GIVEN both tokens refused THEN /readyz names each refusal and what to check, never the tokens', async () => {
    const tg = await FakeTelegram.start();
    const dc = await FakeDiscord.start();
    cleanups.push(
      () => tg.close(),
      () => dc.close(),
    );
    const app = await startApp(
      config({
        TELEGRAM_BOT_TOKEN: '123:not-the-token',
        TELEGRAM_API_ROOT: tg.apiRoot,
        DISCORD_TOKEN: 'not-the-discord-token',
        DISCORD_APPLICATION_ID: '900000000000000001',
        DISCORD_API_BASE: dc.api,
      }),
      memoryLogger('info'),
      { out: () => {}, skipInitialSync: true },
    );
    cleanups.push(() => app.stop());
    await app.ready;
    const reasons = (await app.readiness.evaluate()).reasons.filter((r) => /^(telegram|discord):/.test(r));
    expect(reasons).toEqual([
      'telegram: off: the Telegram token was refused (404 Not Found): check TELEGRAM_BOT_TOKEN',
      'discord: off: Discord refused DISCORD_TOKEN (401): check the bot token in the Developer Portal',
    ]);
    expect(reasons.join('\n')).not.toMatch(/not-the/);
  });

  test('GIVEN both platforms unreachable THEN the bot runs, `ready` waits, and stop ends both starts at once', async () => {
    const log = memoryLogger('info');
    const app = await startApp(
      config({
        TELEGRAM_BOT_TOKEN: '1:x',
        TELEGRAM_API_ROOT: OFFLINE,
        DISCORD_TOKEN: 'x',
        DISCORD_APPLICATION_ID: '900000000000000001',
        DISCORD_API_BASE: `${OFFLINE}/api`,
      }),
      log,
      { out: () => {}, skipInitialSync: true },
    );
    const failed = (name: string) => log.lines.some((l) => new RegExp(`${name} could not start \\(attempt 1\\)`).test(l));
    await eventually(() => failed('Telegram') && failed('Discord'));
    expect([failed('Telegram'), failed('Discord')]).toEqual([true, true]);
    // Both keep retrying until stopped: `ready` settles only because stop aborted both starts.
    await app.stop();
    await app.ready;
    expect(log.lines.filter((l) => /(Telegram|Discord) (is off|stopped)/.test(l))).toEqual([]);
  });
});
