/** Shared by the Discord tests and bench: the Telegram harness's world, plus a Discord bot wired to a FakeDiscord. */
import { createDiscord, type Discord } from '../src/platforms/discord/client.ts';
import { DiscordStore } from '../src/store/discord.ts';
import { OutboxStore } from '../src/store/outbox.ts';
import { alertMessage } from '../src/domain/alert-message.ts';
import { loadConfig } from '../src/config.ts';
import { FAKE_APP_ID, type FakeDiscord } from './fakes/discord.ts';
import type { World } from './telegram-harness.ts';

export function discordEnv(fake: FakeDiscord, extra: Record<string, string> = {}): Record<string, string> {
  return { DISCORD_TOKEN: fake.token, DISCORD_APPLICATION_ID: FAKE_APP_ID, DISCORD_API_BASE: fake.api, ...extra };
}

export function makeDiscord(world: World, env: Record<string, string>): Discord {
  const config = loadConfig({ DATABASE_PATH: world.config.databasePath, DATA_DIR: world.config.dataDir, LOG_LEVEL: 'silent', ...env });
  return createDiscord({
    config,
    deps: { ...world.deps, config },
    charts: world.charts,
    store: new DiscordStore(world.db),
    log: world.log,
    backoff: { baseMs: 20, maxMs: 100 },
  });
}

/** Subscribes `channels` on `platform` and records one level event fanned out to every subscriber; returns its id. */
export function seedEvent(world: World, subscribers: readonly { platform: 'discord' | 'telegram'; chatId: string }[], nowMs = Date.now()): number {
  const outbox = new OutboxStore(world.db);
  return world.db.transaction(() => {
    for (const s of subscribers) world.deps.subs.upsert(s.platform, s.chatId);
    const date = new Date(nowMs).toISOString().slice(0, 10);
    const id = world.deps.events.insert({
      date,
      pair: 'spx-gold',
      levelId: 'spx-gold-2.5',
      watchKey: 'spx-gold-2.5',
      kind: 'cross-down',
      direction: 'down',
      value: 1.83,
      levelValue: 2.5,
      basis: 'close',
      createdAt: nowMs,
    });
    const message = outbox.addMessage('alert', alertMessage(world.deps.events.byId(id)!), `event:${id}`, nowMs);
    outbox.fanOut(message, 'spx-gold-2.5', false, nowMs);
    return id;
  })();
}
