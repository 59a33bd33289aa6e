/** Shared by the Discord tests and bench: the Telegram harness's world, plus a Discord bot wired to a FakeDiscord (and the Telegram bot beside it, for the tests that ask both platforms). */
import { createDiscord, type Discord, type DiscordOptions } from '../../src/platforms/discord/client.ts';
import { onSqlite } from '../../src/store/engine.ts';
import { DiscordStore } from '../../src/store/discord.ts';
import { loadConfig } from '../../src/config.ts';
import { FAKE_APP_ID, FakeDiscord, type RecordedRequest } from '../fakes/discord.ts';
import { makeTelegram, makeWorld, telegramEnv, type World } from './telegram-harness.ts';
import type { Telegram } from '../../src/platforms/telegram/bot.ts';
import { FakeTelegram } from '../fakes/telegram.ts';
import { WAIT_MS } from '../fakes/wait.ts';
import { sleep } from '../../src/sleep.ts';

export function discordEnv(fake: FakeDiscord, extra: Record<string, string> = {}): Record<string, string> {
  return { DISCORD_TOKEN: fake.token, DISCORD_APPLICATION_ID: FAKE_APP_ID, DISCORD_API_BASE: fake.api, ...extra };
}

/**
 * A Discord bot on the world's database, against the fake at `env`'s DISCORD_API_BASE. Its
 * gateway commands are deferred after TEST_DEFER_MS unless `extra.deferAfterMs` says otherwise;
 * `'real'` is the bot's own GATEWAY_DEFER_MS, as it runs (the tests of the deferral).
 */
export function makeDiscord(
  world: World,
  env: Record<string, string>,
  extra: Partial<
    Pick<
      DiscordOptions,
      'metrics' | 'flood' | 'interactionsPort' | 'gateway' | 'answerMs' | 'rightsBackSettleMs' | 'store' | 'identifyAtOnce' | 'now' | 'backoff'
    >
  > & {
    deferAfterMs?: number | 'real';
  } = {},
): Discord {
  const config = loadConfig({ DATABASE_PATH: world.config.databasePath, DATA_DIR: world.config.dataDir, LOG_LEVEL: 'silent', ...env });
  const { deferAfterMs = TEST_DEFER_MS, ...rest } = extra;
  return createDiscord({
    config,
    deps: { ...world.deps, config },
    charts: world.charts,
    store: new DiscordStore(onSqlite(world.db)),
    log: world.log,
    backoff: { baseMs: 20, maxMs: 100 },
    ...(deferAfterMs === 'real' ? {} : { deferAfterMs }),
    ...rest,
  });
}

/**
 * When the tests' bots (makeDiscord) defer a gateway command not yet answered. Discord's 3 s
 * (GATEWAY_DEFER_MS, 2 s, is what the bot does) would turn the reply of a test asserting a direct
 * answer into an edit whenever a loaded machine (the suite's workers on 2 cores) is that slow; the
 * tests of the deferral itself start a bot with the real figure (`deferAfterMs: 'real'`).
 */
export const TEST_DEFER_MS = 8_000;

/** A world, the fake Discord, and the bot logged in to it and ready. */
export interface RunningDiscord {
  readonly world: World;
  readonly fake: FakeDiscord;
  readonly bot: Discord;
}

/**
 * Starts a world, the fake Discord and the bot (`extra` as makeDiscord takes it), and waits until
 * it is ready: a test file's `beforeEach(async () => ({ world, fake, bot } = await startDiscordBot()))`,
 * with stopDiscordBot after.
 */
export async function startDiscordBot(extra: Parameters<typeof makeDiscord>[2] = {}): Promise<RunningDiscord> {
  const world = makeWorld();
  const fake = await FakeDiscord.start();
  const bot = makeDiscord(world, discordEnv(fake), extra);
  await bot.start();
  await bot.ready();
  return { world, fake, bot };
}

/** Stops what startDiscordBot started: the bot, then the fake, then the world's database and folder. */
export async function stopDiscordBot({ world, fake, bot }: RunningDiscord): Promise<void> {
  await bot.stop();
  await fake.close();
  world.cleanup();
}

/** One world, and both bots on it: Telegram against its fake, Discord against its own. */
export interface RunningBots {
  readonly tgFake: FakeTelegram;
  readonly dcFake: FakeDiscord;
  readonly world: World;
  readonly tg: Telegram;
  readonly dc: Discord;
}

/**
 * Starts both fakes, a world pointed at the Telegram one, the Telegram bot, then the Discord bot on
 * the same world, and waits until Discord is ready: for a test that asks the same thing on both
 * platforms, `beforeAll(async () => (bots = await startBothBots()))`, with stopBothBots after. With `now`,
 * both bots and their charts read their clock from it (a test may move it between messages), and the world's closes end on its day.
 */
export async function startBothBots(now?: () => number): Promise<RunningBots> {
  const tgFake = await FakeTelegram.start();
  const dcFake = await FakeDiscord.start();
  const world = makeWorld(telegramEnv(tgFake), now?.(), now);
  const tg = makeTelegram(world, undefined, now);
  await tg.start();
  const dc = makeDiscord(world, discordEnv(dcFake), now === undefined ? {} : { now });
  await dc.start();
  await dc.ready();
  return { tgFake, dcFake, world, tg, dc };
}

/** Stops what startBothBots started: both bots, then both fakes, then the world's database and folder. */
export async function stopBothBots({ tgFake, dcFake, world, tg, dc }: RunningBots): Promise<void> {
  await dc.stop();
  await tg.stop();
  await dcFake.close();
  await tgFake.close();
  world.cleanup();
}

/** The answer to the interaction of `token`: its callback, or the edit that finishes a deferred one (type 5). */
export async function interactionAnswer(fake: FakeDiscord, token: string, timeoutMs = WAIT_MS): Promise<RecordedRequest> {
  const [callback] = await fake.waitFor('POST', new RegExp(`^/interactions/\\d+/${token}/callback$`), 1, timeoutMs);
  if (callback!.body.type !== 5) return callback!;
  // Deferred (a command not answered within the deferral's time, as a loaded machine's can be):
  // the answer is the placeholder edited, or, when the answer is ephemeral and the placeholder was
  // public, a follow-up (the placeholder then deleted). Waiting for the edit alone missed those.
  const edit = new RegExp(`^/webhooks/\\d+/${token}/messages/@original$`);
  const followUp = new RegExp(`^/webhooks/\\d+/${token}$`);
  const answer = (r: RecordedRequest) => (r.method === 'PATCH' && edit.test(r.path)) || (r.method === 'POST' && followUp.test(r.path));
  const deadline = Date.now() + timeoutMs;
  // Each poll looks only at the requests since the last (see FakeDiscord.waitFor).
  let looked = 0;
  for (;;) {
    for (; looked < fake.requests.length; looked++) if (answer(fake.requests[looked]!)) return fake.requests[looked]!;
    if (Date.now() > deadline)
      throw new Error(`fake discord: no answer to the deferred interaction ${token} within ${timeoutMs} ms (no edit of @original, no follow-up)`);
    await sleep(10);
  }
}

export { seedEvent } from './telegram-harness.ts';

/** `text` as the bot writes it to Discord: each /command registered globally on `fake` as its mention. */
export function mentioned(fake: FakeDiscord, text: string): string {
  const ids = new Map((fake.commands.get('global') as { name: string; id: string }[]).map((c) => [c.name, c.id]));
  return text.replace(/\/([a-z]+)/g, (m, name: string) => (ids.has(name) ? `</${name}:${ids.get(name)}>` : m));
}
