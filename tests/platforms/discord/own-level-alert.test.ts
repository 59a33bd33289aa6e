/**
 * An alert on a chat's own level, sent to a Discord server's channel and to a Discord DM: each chart
 * labels the level as that place's, as the replies name it (This channel's level / 本頻道水位 in a
 * server, This chat's level / 本對話水位 in a DM), drawn apart per place (the chart's key holds it),
 * never the channel's chart uploaded again into the DM. Through the real notifier against the fake.
 */
import { afterEach, beforeEach, expect, test } from 'vitest';
import { onSqlite } from '../../../src/store/engine.ts';
import { startDiscordBot, stopDiscordBot } from '../../helpers/discord-harness.ts';
import { type FakeDiscord, botDmInteraction } from '../../fakes/discord.ts';
import { interactionAnswer } from '../../helpers/discord-harness.ts';
import { ownLevelAlert, type World } from '../../helpers/telegram-harness.ts';
import type { Discord } from '../../../src/platforms/discord/client.ts';
import { Dispatcher } from '../../../src/alerts/dispatcher.ts';

const GUILD = '800000000000000001';
const CHANNEL = '700000000000000031';
const DM = '710000000000000031';

let world: World;
let fake: FakeDiscord;
let bot: Discord;

beforeEach(async () => {
  ({ world, fake, bot } = await startDiscordBot());
  fake.channels.set(CHANNEL, { id: CHANNEL, type: 0, guild_id: GUILD, name: 'general' });
  fake.channels.set(DM, { id: DM, type: 1 });
});
afterEach(() => stopDiscordBot({ world, fake, bot }));

/** A break of each chat's own level 1.8 (the chats hold it already), drained once through the bot's notifier. */
async function breakOwnLevel(value: number): Promise<{ readonly date: string }> {
  const { event, outbox } = await ownLevelAlert(onSqlite(world.db), { value });
  const d = new Dispatcher(outbox, world.deps.subs, { notifiers: [bot.notifier], charts: world.charts, log: world.log });
  await d.drain();
  expect(await d.pending()).toBe(0);
  return event;
}

test('GIVEN a break of a level both a server channel and a DM hold as their own THEN each gets a chart of its own place: channel and dm, never the same picture', async () => {
  const value = 1.8;
  for (const chatId of [CHANNEL, DM])
    await world.deps.subs.upsert('discord', chatId, { active: true, lang: 'zh-TW', customLevels: [{ pair: 'spx-gold', value }] });
  const event = await breakOwnLevel(value);

  const fileIn = (chatId: string) => {
    const [post] = fake.calls('POST', new RegExp(`^/channels/${chatId}/messages$`));
    expect(post?.files, `the chart is uploaded to ${chatId}`).toHaveLength(1);
    return post!.files[0]!;
  };
  const inChannel = fileIn(CHANNEL);
  const inDm = fileIn(DM);
  // The chart's name carries its request's key: the place it was drawn for.
  expect(inChannel.filename).toMatch(/-channel-/);
  expect(inDm.filename).toMatch(/-dm-/);
  expect(inDm.bytes.equals(inChannel.bytes)).toBe(false);
  // What each says beside the level (the spec of the same request the dispatcher rendered).
  const label = async (place: 'channel' | 'dm') =>
    JSON.stringify(
      await world.charts.spec(
        { kind: 'alert', pair: 'spx-gold', levelId: 'spx-gold-custom-1.8', date: event.date, value: 1.79, event: 'cross-down', place },
        { lang: 'zh-TW' },
      ),
    );
  expect(await label('channel')).toContain('本頻道水位');
  expect(await label('dm')).toContain('本對話水位');
  // The text beside it names the level so too: never 本聊天室水位 in a channel under a chart that says 本頻道水位.
  const text = (chatId: string) => JSON.stringify(fake.calls('POST', new RegExp(`^/channels/${chatId}/messages$`))[0]!.body.embeds);
  expect(text(CHANNEL)).toContain('本頻道水位');
  expect(text(DM)).toContain('本對話水位');
  for (const chatId of [CHANNEL, DM]) expect(text(chatId)).not.toContain('本聊天室水位');
});

test("GIVEN DMs subscribed through /subscribe there (the interaction names the channel a DM) THEN a drain of their own-level alerts asks Discord nothing about them: no channel look-up, each chart a DM's", async () => {
  const dms = ['710000000000000041', '710000000000000042', '710000000000000043'];
  for (const [n, dm] of dms.entries()) {
    fake.channels.set(dm, { id: dm, type: 1 });
    const { token } = fake.interact(botDmInteraction({ name: 'subscribe', channelId: dm, userId: `60000000000000004${n}` }));
    await interactionAnswer(fake, token);
    await world.deps.subs.upsert('discord', dm, { active: true, customLevels: [{ pair: 'spx-gold', value: 1.8 }] });
  }
  await breakOwnLevel(1.8);
  // One upload, the DMs' picture (the others show its URL), and no look-up of any channel.
  const posts = dms.flatMap((dm) => fake.calls('POST', new RegExp(`^/channels/${dm}/messages$`)));
  expect(posts.map((p) => p.status)).toEqual([200, 200, 200]);
  expect(posts.flatMap((p) => p.files.map((f) => f.filename))).toEqual([expect.stringMatching(/-dm-/)]);
  expect(fake.calls('GET', /^\/channels\/\d+$/)).toEqual([]);
});

test('GIVEN a DM subscribed before its kind was kept THEN its first alert asks once, and the next drain asks nothing', async () => {
  await world.deps.subs.upsert('discord', DM, { active: true, customLevels: [{ pair: 'spx-gold', value: 1.8 }] });
  await breakOwnLevel(1.8);
  expect(fake.calls('GET', new RegExp(`^/channels/${DM}$`))).toHaveLength(1);
  await breakOwnLevel(1.8);
  expect(fake.calls('POST', new RegExp(`^/channels/${DM}/messages$`))).toHaveLength(2);
  expect(fake.calls('GET', new RegExp(`^/channels/${DM}$`))).toHaveLength(1);
});
