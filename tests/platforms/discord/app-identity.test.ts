/**
 * A database's channels subscribed through one Discord application. A start as another (a wrong
 * DISCORD_APPLICATION_ID and token in production) is refused and sends nothing, because every alert
 * would fail for its channel and unsubscribe it; DISCORD_ACCEPT_NEW_APP makes a meant move.
 */
import { expect, test } from 'vitest';
import { onSqlite } from '../../../src/store/engine.ts';
import type { World } from '../../helpers/telegram-harness.ts';
import { discordEnv, makeDiscord } from '../../helpers/discord-harness.ts';
import { FAKE_APP_ID, type FakeDiscord } from '../../fakes/discord.ts';
import { Dispatcher } from '../../../src/alerts/dispatcher.ts';
import { OutboxStore } from '../../../src/store/outbox.ts';
import { DiscordStore } from '../../../src/store/discord.ts';
import { eachWithFakeDiscord } from '../../helpers/discord-world.ts';

const OTHER_APP = '900000000000000777';
const CHANNEL = '700000000000000101';
let world: World;
let fake: FakeDiscord;

eachWithFakeDiscord((s) => ({ fake, world } = s));

test('GIVEN another application than the channels subscribed through THEN Discord is off with one line, nothing is sent and no channel unsubscribed; DISCORD_ACCEPT_NEW_APP starts it and registers its commands', async () => {
  const store = new DiscordStore(onSqlite(world.db));
  const first = makeDiscord(world, discordEnv(fake));
  expect((await first.start()).kind).toBe('started');
  await first.stop();
  expect(await store.app()).toBe(FAKE_APP_ID);
  const puts = () => fake.calls('PUT', /^\/applications\/\d+\/commands$/).map((r) => r.path);
  expect(puts()).toEqual([`/applications/${FAKE_APP_ID}/commands`]);

  const sub = await world.deps.subs.upsert('discord', CHANNEL);
  const outbox = new OutboxStore(onSqlite(world.db));
  await outbox.enqueue('alert', { title: { en: 'SPX/Gold broke below 2.5' }, lines: ['2.49'] }, [sub.id], { nowMs: Date.now() });

  const wrong = makeDiscord(world, discordEnv(fake, { DISCORD_APPLICATION_ID: OTHER_APP }));
  try {
    // A drain before the start has checked the application (a leader drains as soon as it leads): nothing goes.
    expect(await new Dispatcher(outbox, world.deps.subs, { notifiers: [wrong.notifier] }).drain()).toMatchObject({ sent: 0, dead: 0 });
    expect(fake.calls('POST', /^\/channels\//)).toEqual([]);
    expect(await wrong.start()).toEqual({
      kind: 'refused',
      reason: `DISCORD_APPLICATION_ID is ${OTHER_APP}, but this database's channels subscribed through application ${FAKE_APP_ID}: sending would fail for them and unsubscribe them, so nothing is sent. Use that application's id and token, or set DISCORD_ACCEPT_NEW_APP=true if the move is meant`,
    });
    expect(world.log.lines.filter((l) => /ERROR .*Discord is off: DISCORD_APPLICATION_ID is /.test(l))).toHaveLength(1);
    const dispatcher = new Dispatcher(outbox, world.deps.subs, { notifiers: [wrong.notifier] });
    expect(await dispatcher.drain()).toMatchObject({ sent: 0, retried: 0, dead: 0 });
    expect(fake.calls('POST', /^\/channels\//)).toEqual([]);
    expect((await world.deps.subs.get('discord', CHANNEL))?.active).toBe(true);
    expect(await dispatcher.pending()).toBe(1);
  } finally {
    await wrong.stop();
  }

  const moved = makeDiscord(world, discordEnv(fake, { DISCORD_APPLICATION_ID: OTHER_APP, DISCORD_ACCEPT_NEW_APP: 'true' }));
  try {
    expect((await moved.start()).kind).toBe('started');
    expect(
      world.log.lines.filter((l) => /WARN .*DISCORD_ACCEPT_NEW_APP: this database's channels move from application 900000000000000001/.test(l)),
    ).toHaveLength(1);
    expect(await store.app()).toBe(OTHER_APP);
    // Its commands are registered: the same definitions, a new application.
    expect(puts()).toEqual([`/applications/${FAKE_APP_ID}/commands`, `/applications/${OTHER_APP}/commands`]);
  } finally {
    await moved.stop();
  }
});
