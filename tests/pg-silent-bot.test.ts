/**
 * The running bot (the real bin, `start` on DATABASE_URL through a proxy, Telegram in webhook mode
 * against the fake) when PostgreSQL's network goes silent: nothing refused, nothing answered. Chat
 * commands are answered with "the database cannot be reached" within the query deadline instead of
 * never, in the asker's language; the alert queued meanwhile is kept and goes out, once to each chat,
 * when the server answers again.
 */
import { test } from 'vitest';
import { FakeTelegram, type RecordedCall } from './fakes/telegram.ts';
import { adminQuery, describeWithPostgres, freshPgDatabase } from './helpers/postgres.ts';
import { pgProxy } from './helpers/pg-proxy.ts';
import { type Replica, roleOf, SECRET, seed, startReplicas, until } from './helpers/replicas.ts';
import { cleanupsOf, type Later } from './helpers/test-cleanups.ts';
import { spanText } from '../src/store/pg-deadline.ts';

const CHATS = 5;

/**
 * A short query deadline (DATABASE_QUERY_TIMEOUT_MS), for the tests where it is what a silent server
 * costs an asker: longer than this machine's PostgreSQL takes, now, to take a connection and answer
 * through the proxy, or the bot takes a slow server for a silent one (under a load of 20 that was over
 * the 1 s these tests used to set). Ten times the slowest of three such tries, at least 1 s and at most
 * 5 s (below grammY's 10 s webhook wait, which the last test is about).
 */
async function shortDeadline(url: string): Promise<number> {
  let slowest = 0;
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    await adminQuery(url, 'SELECT 1');
    slowest = Math.max(slowest, performance.now() - t0);
  }
  return Math.min(5000, Math.max(1000, Math.ceil((slowest * 10) / 100) * 100));
}

/**
 * The bot (the real bin, Telegram in webhook mode against its own fake) on a fresh database of its
 * own behind a proxy that can go silent, with `deadline` as DATABASE_QUERY_TIMEOUT_MS ('short': see
 * shortDeadline), once it leads.
 */
async function leadingBot(later: Later, deadline: number | 'short', env: Readonly<Record<string, string>> = {}) {
  const db = await freshPgDatabase({ migrated: true });
  later(() => db.drop());
  const fake = await FakeTelegram.start({ rateLimit: 400 });
  later(() => fake.close());
  const proxy = await pgProxy(db.url);
  later(() => proxy.close());
  const deadlineMs = deadline === 'short' ? await shortDeadline(proxy.url) : deadline;
  const t0 = Date.now();
  const [replica] = await startReplicas(proxy.url, fake, 1, {
    rate: 100,
    cleanup: later,
    env: { DATABASE_QUERY_TIMEOUT_MS: String(deadlineMs), ...env },
  });
  const bot = replica!;
  // Bounded by the start's own end too: a bot that exits fails here at once, with what it said.
  await until(
    'leading',
    async () => {
      if (bot.child.child.exitCode !== null) throw new Error(`the bot exited (${bot.child.child.exitCode}) before leading: ${bot.child.stderr().slice(-2000)}`);
      return (await roleOf(bot)) === 'leader' ? true : undefined;
    },
    60_000,
  );
  return { db, fake, proxy, bot, deadlineMs, startMs: Date.now() - t0 };
}

/** A private chat's command as Telegram POSTs it to the webhook; resolves when the webhook answers. */
async function command(r: Replica, updateId: number, chatId: number, text: string, languageCode: string): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${r.webhook}/telegram`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
    body: JSON.stringify({
      update_id: updateId,
      message: {
        message_id: updateId,
        date: Math.floor(Date.now() / 1000),
        chat: { id: chatId, type: 'private', first_name: 'Ada' },
        from: { id: chatId, is_bot: false, first_name: 'Ada', language_code: languageCode },
        text,
        entities: [{ type: 'bot_command', offset: 0, length: text.split(' ')[0]!.length }],
      },
    }),
    signal: AbortSignal.timeout(20_000),
  });
  return res.status;
}

/** What the bot said last, for an assertion's message: a failure shows what the bot was doing. */
const saidBy = (r: Replica) => `the bot said: ${r.child.stderr().slice(-3000)}`;

/**
 * Resolves once the bot has begun handling update `updateId` (its debug line, said before anything of
 * the update runs: the chat type's record and the command's reads go to the database at once).
 */
const handling = (r: Replica, updateId: number) =>
  r.child.waitFor(new RegExp(`^(?=[^\\n]*"msg":"update received")[^\\n]*"updateId":${updateId}\\b`, 'm'), 60_000);

const isAlert = (c: RecordedCall) => c.status === 200 && c.method === 'sendPhoto' && Number(c.chatId) >= 100_000;
const textTo = (fake: FakeTelegram, chatId: number) =>
  fake.calls.filter((c) => c.method === 'sendMessage' && c.chatId === String(chatId)).map((c) => String(c.params.text ?? ''));

describeWithPostgres('a PostgreSQL that stops answering under the running bot', () => {
  test.concurrent('GIVEN the database silent THEN commands are answered "database unreachable" within the deadline, and the alert queued meanwhile goes out once to each chat when it answers again', async ({
    expect,
    onTestFinished,
  }) => {
    const { db, fake, proxy, bot, deadlineMs } = await leadingBot(cleanupsOf(onTestFinished), 'short');

    proxy.silenceAll();
    // The alert is queued by another writer that still reaches the server; the bot's own network is silent.
    expect(await seed(db.url, CHATS)).toBe(CHATS);

    // Each asker hears, in their language, that the database cannot be reached: no silence, no "something went wrong".
    const asked = Date.now();
    const asks = [
      { chat: 7001, text: '/help', lang: 'en', says: /cannot reach its database/ },
      { chat: 7002, text: '/subscribe', lang: 'zh-TW', says: /無法連上資料庫/ },
      { chat: 7003, text: '/status', lang: 'zh-CN', says: /无法连接数据库/ },
    ];
    await Promise.all(asks.map((a, i) => command(bot, 10 + i, a.chat, a.text, a.lang)));
    for (const a of asks) {
      await until(`the answer to ${a.text} in chat ${a.chat}`, () => textTo(fake, a.chat).length > 0 || undefined, 10 * deadlineMs).catch((e: unknown) => {
        throw new Error(`${(e as Error).message}; the bot said ${bot.child.stderr().slice(-2000)}`);
      });
      expect(textTo(fake, a.chat), saidBy(bot)).toEqual([expect.stringMatching(a.says)]);
    }
    // Within a few deadlines of the asking (the process also has its leadership to lose), not never.
    expect(Date.now() - asked, `answered ${Date.now() - asked} ms after the asking, the deadline ${deadlineMs} ms; ${saidBy(bot)}`).toBeLessThan(
      10 * deadlineMs,
    );
    expect(fake.calls.filter(isAlert), saidBy(bot)).toEqual([]);
    expect(bot.child.child.exitCode, saidBy(bot)).toBeNull();

    proxy.speak();
    await until('every chat alerted', () => new Set(fake.calls.filter(isAlert).map((c) => c.chatId)).size === CHATS || undefined, 60_000).catch(
      (e: unknown) => {
        throw new Error(`${(e as Error).message}; the bot said ${bot.child.stderr().slice(-2000)}`);
      },
    );
    // Nothing goes out twice: once no delivery is pending there is nothing left to send, and
    // a second send would have been made before its record.
    await until(
      'every delivery recorded',
      async () => (await adminQuery(db.url, "SELECT count(*)::int AS n FROM outbox WHERE status = 'pending'")).rows[0].n === 0 || undefined,
      60_000,
    ).catch((e: unknown) => {
      throw new Error(`${(e as Error).message}; ${saidBy(bot)}`);
    });
    expect(
      fake.calls.filter(isAlert).map((c) => c.chatId),
      saidBy(bot),
    ).toHaveLength(CHATS);
    // Commands are answered from the database again.
    await command(bot, 20, 7001, '/help', 'en');
    await until('/help answered', () => textTo(fake, 7001).length > 1 || undefined, 15_000).catch((e: unknown) => {
      throw new Error(`${(e as Error).message}; ${saidBy(bot)}`);
    });
    expect(textTo(fake, 7001).at(-1), saidBy(bot)).not.toMatch(/cannot reach its database/);

    const said = bot.child.stderr();
    expect(said, saidBy(bot)).toMatch(/update not handled: the database cannot be reached/);
    // A command meets the silence on a query, or, when the pool had closed its idle connection (a busy
    // machine: the proxy held it past the deadline earlier), on the new connection it opens: either
    // line names the server and the deadline.
    expect(said, saidBy(bot)).toMatch(
      new RegExp(`did not answer (a query within ${spanText(deadlineMs)}|a new connection within [^(]+) \\(DATABASE_URL: postgres://`),
    );
    expect(said, saidBy(bot)).not.toMatch(/"level":"fatal"|\\n\s+at /);
  }, 180_000);
  test.concurrent('GIVEN the database silent with queries waiting on it THEN SIGTERM stops the bot within a few deadlines, not never', async ({
    expect,
    onTestFinished,
  }) => {
    const { fake, proxy, bot, deadlineMs } = await leadingBot(cleanupsOf(onTestFinished), 'short', { LOG_LEVEL: 'debug' });

    proxy.silenceAll();
    // A command waiting on the silent server when the signal comes (and the dispatcher's tick, every second).
    const asking = command(bot, 30, 7101, '/subscribe', 'en').catch(() => 0);
    await handling(bot, 30);
    // Not answered yet: its reads wait on the silent server.
    expect(textTo(fake, 7101), saidBy(bot)).toEqual([]);
    const t0 = Date.now();
    bot.child.child.kill('SIGTERM');
    const exit = await Promise.race([bot.child.exited, new Promise<'still running'>((r) => setTimeout(() => r('still running'), 20 * deadlineMs))]);
    expect(exit, saidBy(bot)).toEqual({ code: 0, signal: null });
    expect(Date.now() - t0, `stopped ${Date.now() - t0} ms after SIGTERM, the deadline ${deadlineMs} ms; ${saidBy(bot)}`).toBeLessThan(15 * deadlineMs);
    expect(bot.child.stderr(), saidBy(bot)).toMatch(/"msg":"stopped/);
    await asking;
    // Room for the start (60 s at most) and twenty deadlines of 5 s at most: the race above fails first.
  }, 180_000);
  test.concurrent('GIVEN the database silent and the default 30 s deadline THEN SIGTERM exits 0 within STOP_TIMEOUT_SECONDS, one line naming what it left, the unsent alerts kept in the outbox', async ({
    expect,
    onTestFinished,
  }) => {
    // The deadline a query waits on a silent server is the default's; the stop's budget is 2 s.
    const { db, fake, proxy, bot, startMs } = await leadingBot(cleanupsOf(onTestFinished), 30_000, { STOP_TIMEOUT_SECONDS: '2', LOG_LEVEL: 'debug' });

    // A tick started after the silence (or skipped, one before it still waiting on the server).
    const ticks = () => bot.child.stderr().match(/"msg":"dispatch: (?:started|previous run still going, tick skipped)"/g)?.length ?? 0;
    proxy.silenceAll();
    const ticked = ticks();
    expect(await seed(db.url, CHATS)).toBe(CHATS);
    // A command waiting on the silent server when the signal comes, and the dispatcher's tick (every
    // second) too: waited for, as a signal within the first second of the lead came before any tick,
    // and the stop then had no duty to wait on (the leadership let go at once).
    const asking = command(bot, 50, 7301, '/subscribe', 'en').catch(() => 0);
    await handling(bot, 50);
    await until('a dispatcher tick on the silent server', () => (ticks() > ticked ? true : undefined), 20_000);
    expect(textTo(fake, 7301), saidBy(bot)).toEqual([]);
    const t0 = Date.now();
    bot.child.child.kill('SIGTERM');
    const exit = await Promise.race([bot.child.exited, new Promise<'still running'>((r) => setTimeout(() => r('still running'), 20_000))]);
    expect(exit, saidBy(bot)).toEqual({ code: 0, signal: null });
    // Within the budget and a little (the signal's handling, the process's exit: 4 s, or as long as
    // this bot took to start and lead, on a machine loaded enough to take longer), far from the 30 s deadline.
    expect(Date.now() - t0, `stopped ${Date.now() - t0} ms after SIGTERM, the start took ${startMs} ms; ${saidBy(bot)}`).toBeLessThan(
      2000 + Math.max(4000, startMs),
    );
    const said = bot.child.stderr();
    // What the stop waits on first is the lead when it still holds it at the signal. The heartbeat
    // (every 2 s, 3 s to answer) lets go of it on the silent server within about 5 s, and on a loaded
    // machine the command's handling above came later than that: the stop then waited first on the
    // start-up work, itself waiting on the database. Either way the database is among what it left.
    const letGo = said.indexOf('standing by: stopped leading');
    const first = letGo !== -1 && letGo < said.indexOf('SIGTERM received') ? '[^",]+' : 'leadership';
    expect(said, saidBy(bot)).toMatch(
      new RegExp(
        `"msg":"stopped after 2 s \\(STOP_TIMEOUT_SECONDS\\) without waiting for ${first}, nor [^"]*database[^"]*: left for the next start \\(unsent alerts stay in the outbox\\)"`,
      ),
    );
    expect(said, saidBy(bot)).not.toMatch(/"msg":"stopped"|"level":"fatal"|\\n\s+at /);
    await asking;
    // Nothing went out, and every alert waits in the outbox for the next start.
    expect(fake.calls.filter(isAlert), saidBy(bot)).toEqual([]);
    const pending = await adminQuery(db.url, "SELECT count(*)::int AS n FROM outbox WHERE status = 'pending'");
    expect(pending.rows[0].n).toBe(CHATS);
  }, 120_000);
  test.concurrent('GIVEN the database silent past grammY’s 10 s webhook wait (the default deadline is 30 s) THEN the webhook is acknowledged at 10 s and the asker still hears "database unreachable" at the deadline; the process does not crash', async ({
    expect,
    onTestFinished,
  }) => {
    // Just past the 10 s webhookCallback waits for an update before answering Telegram.
    const deadlineMs = 11_000;
    const { fake, proxy, bot } = await leadingBot(cleanupsOf(onTestFinished), deadlineMs);

    proxy.silenceAll();
    const asked = Date.now();
    // Telegram is answered 200 when grammY stops waiting (not a 500 it would send again).
    expect(await command(bot, 40, 7201, '/help', 'zh-TW')).toBe(200);
    await until('the answer to /help', () => textTo(fake, 7201).length > 0 || undefined, 3 * deadlineMs).catch((e: unknown) => {
      throw new Error(`${(e as Error).message}; the bot said ${bot.child.stderr().slice(-2000)}`);
    });
    expect(textTo(fake, 7201)).toEqual([expect.stringMatching(/無法連上資料庫/)]);
    expect(Date.now() - asked).toBeGreaterThanOrEqual(deadlineMs - 500);
    expect(bot.child.child.exitCode).toBeNull();
    const said = bot.child.stderr();
    expect(said).toMatch(/update not handled: the database cannot be reached/);
    expect(said).not.toMatch(/"level":"fatal"|\\n\s+at |Unhandled/);
  }, 120_000);
});
