/**
 * A public /chart reply is read by the whole channel, in the language it was asked in. Its buttons
 * pressed by the member who asked for it swap the chart in place; pressed by another member (in a
 * server read in three languages) they answer that member alone, in theirs, and the shared message
 * stays as it was. Through the real client and the fake.
 */
import { afterEach, beforeEach, expect, test } from 'vitest';
import type { World } from '../../helpers/telegram-harness.ts';
import { interactionAnswer, startDiscordBot, stopDiscordBot } from '../../helpers/discord-harness.ts';
import { type FakeDiscord, botMessage, buttonInteraction, slashInteraction } from '../../fakes/discord.ts';
import type { Discord } from '../../../src/platforms/discord/client.ts';

const CHANNEL = '700000000000000601';
const ASKER = '600000000000000601';
let world: World;
let fake: FakeDiscord;
let bot: Discord;

beforeEach(async () => ({ world, fake, bot } = await startDiscordBot()));
afterEach(() => stopDiscordBot({ world, fake, bot }));

/** The asker's /chart in English, as the message the channel sees (with Discord's interaction_metadata naming who asked). */
async function sharedChart(): Promise<Record<string, unknown>> {
  const { id, token } = fake.interact(
    slashInteraction({ name: 'chart', options: [{ name: 'chart', type: 3, value: 'spx' }], locale: 'en-US', userId: ASKER, channelId: CHANNEL }),
  );
  const answer = await interactionAnswer(fake, token);
  const body = (answer.body.data ?? answer.body) as { embeds?: unknown; components?: unknown; flags?: number };
  expect(body.flags ?? 0).toBe(0);
  return {
    ...botMessage(body, { channelId: CHANNEL }),
    interaction_metadata: {
      id,
      type: 2,
      name: 'chart',
      user: { id: ASKER, username: 'alice', discriminator: '0', avatar: null },
      authorizing_integration_owners: { '0': '800000000000000001' },
    },
  };
}

test.each([
  ['zh-CN', '600000000000000602', 'QQQ/黄金'],
  ['zh-TW', '600000000000000603', 'QQQ/黃金'],
] as const)(
  "GIVEN a member's public English /chart WHEN another member (%s) presses QQQ/Gold THEN they alone get that chart in their language; the shared message is not edited",
  async (locale, userId, title) => {
    const message = await sharedChart();
    const { token } = fake.interact(buttonInteraction({ customId: 'chart:qqq-gold:1Y', message, locale, userId, channelId: CHANNEL }));
    const [callback] = await fake.waitFor('POST', new RegExp(`^/interactions/\\d+/${token}/callback$`));
    // A new ephemeral answer (deferred while the chart is drawn), never an update of the pressed message (6 or 7).
    expect(callback!.body.type).toBe(5);
    expect(callback!.body.data.flags).toBe(64);
    const answer = await interactionAnswer(fake, token);
    expect(answer.body.embeds[0].description).toContain(title);
    expect(answer.files[0]!.bytes.subarray(0, 4).toString('latin1')).toBe('\x89PNG');
    expect(fake.calls('PATCH', new RegExp(`^/channels/${CHANNEL}/messages/`))).toHaveLength(0);
  },
);

test("GIVEN a member's public /chart WHEN the member who asked presses QQQ/Gold THEN the message itself is swapped, in English", async () => {
  const message = await sharedChart();
  const { token } = fake.interact(buttonInteraction({ customId: 'chart:qqq-gold:1Y', message, locale: 'zh-TW', userId: ASKER, channelId: CHANNEL }));
  const [callback] = await fake.waitFor('POST', new RegExp(`^/interactions/\\d+/${token}/callback$`));
  expect(callback!.body.type).toBe(6);
  const [edit] = await fake.waitFor('PATCH', new RegExp(`^/webhooks/\\d+/${token}/messages/@original$`));
  // The channel has no language of its own: the asker's press reads in their client's, here zh-TW.
  expect(edit!.body.embeds[0].description).toContain('QQQ/黃金');
});
