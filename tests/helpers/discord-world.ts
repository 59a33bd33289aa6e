/**
 * The Discord notifier's tests' setting: a Discord fake and a chat world (telegram-harness.ts
 * makeWorld) for each test, and the alerts' notifier on the fake's REST as the bot makes it.
 */
import { afterEach, beforeEach } from 'vitest';
import type { Logger } from '../../src/log.ts';
import { notifierRest } from '../../src/platforms/discord/client.ts';
import { DiscordNotifier, type DiscordNotifierOptions } from '../../src/platforms/discord/notifier.ts';
import { FakeDiscord } from '../fakes/discord.ts';
import { makeWorld, type World } from './telegram-harness.ts';

/** Starts a Discord fake and makes a world before each test of the file (`set` is given them), and closes both after it. */
export function eachWithFakeDiscord(set: (s: { readonly fake: FakeDiscord; readonly world: World }) => void): void {
  let made: { readonly fake: FakeDiscord; readonly world: World } | undefined;
  beforeEach(async () => {
    made = { fake: await FakeDiscord.start(), world: makeWorld() };
    set(made);
  });
  afterEach(async () => {
    if (made === undefined) return;
    const { fake, world } = made;
    made = undefined;
    await fake.close();
    world.cleanup();
  });
}

/** The fake's REST for the alerts, 50 requests a second, as notifierRest makes it with no bot token configured. */
export const fakeNotifierRest = (fake: FakeDiscord) =>
  notifierRest({ apiBase: fake.api, rate: 50, token: undefined, applicationId: undefined, alertRoleId: undefined }, fake.token);

/** The alerts' DiscordNotifier on `rest` (the fake's by default), 50 a second, logging to `log`; `extra` as the options say. */
export function fakeNotifier(fake: FakeDiscord, log: Logger, extra: Partial<DiscordNotifierOptions> = {}): DiscordNotifier {
  return new DiscordNotifier({ rest: fakeNotifierRest(fake), rate: 50, log, ...extra });
}
