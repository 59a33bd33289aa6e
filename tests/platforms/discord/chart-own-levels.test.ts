/**
 * A channel's own levels (/mylevels) on /chart, through the real discord.js Client against the fake
 * Discord, as tests/platforms/telegram/chart-own-levels.test.ts does for Telegram: the channel that
 * set one sees it on its chart (the attachment of the edited reply read back: the level's own purple
 * runs along a row of the plot), and on the chart its range menu brings; a channel with none gets
 * the chart every such channel shares, without the purple line, drawn once.
 */
import { afterEach, beforeEach, expect, test } from 'vitest';
import { startDiscordBot, stopDiscordBot } from '../../helpers/discord-harness.ts';
import {
  botMessage,
  MANAGE_CHANNELS,
  selectInteraction,
  slashInteraction,
  botDmInteraction,
  type FakeDiscord,
  type RecordedRequest,
} from '../../fakes/discord.ts';
import type { Discord } from '../../../src/platforms/discord/client.ts';
import type { World } from '../../helpers/telegram-harness.ts';
import { hexRgb, ownLineShare } from '../../helpers/charts-fixtures.ts';
import { PALETTES } from '../../../src/charts/theme.ts';
import { formatLevelValue } from '../../../src/domain/i18n/format.ts';
import type { Lang } from '../../../src/domain/i18n/index.ts';

const PNG = '\x89PNG';
/** The channel that sets a level of its own, and one that has none. */
const MINE = '700000000000000001';
const PLAIN = '700000000000000002';

let world: World;
let fake: FakeDiscord;
let bot: Discord;

beforeEach(async () => ({ world, fake, bot } = await startDiscordBot()));
afterEach(() => stopDiscordBot({ world, fake, bot }));

async function answerOf(token: string, withEdit: boolean): Promise<{ callback: RecordedRequest; edit?: RecordedRequest }> {
  const [callback] = await fake.waitFor('POST', new RegExp(`^/interactions/\\d+/${token}/callback$`));
  if (!withEdit) return { callback: callback! };
  const [edit] = await fake.waitFor('PATCH', new RegExp(`^/webhooks/\\d+/${token}/messages/@original$`));
  return { callback: callback!, edit: edit! };
}

/** The PNG attached to an edited reply (the embed's image names it). */
function attachedPng(edit: RecordedRequest | undefined): Buffer {
  expect(edit?.files, 'the chart is attached').toHaveLength(1);
  const png = edit!.files[0]!.bytes;
  expect(png.subarray(0, 4).toString('latin1')).toBe(PNG);
  return png;
}

/** /chart spx 1Y in a channel: its edited reply. */
async function chartIn(channelId: string): Promise<RecordedRequest> {
  const { token } = fake.interact(
    slashInteraction({
      name: 'chart',
      channelId,
      options: [
        { name: 'chart', type: 3, value: 'spx' },
        { name: 'range', type: 3, value: '1Y' },
      ],
    }),
  );
  return (await answerOf(token, true)).edit!;
}

test('GIVEN a channel that added its own SPX/Gold level THEN its /chart spx draws it in purple, and its range menu keeps it; a channel without any gets the shared chart, without it', async () => {
  const [r0, g0, b0] = hexRgb(PALETTES.light.custom);
  expect(r0 - g0 > 30 && b0 - g0 > 50, "the palette's own colour is the purple ownLineShare finds").toBe(true);
  const last = (await world.deps.view.ratio('spx-gold')).at(-1)!.value;
  const level = Math.round(last * 1.02 * 100) / 100;

  await answerOf(fake.interact(slashInteraction({ name: 'subscribe', channelId: MINE, permissions: MANAGE_CHANNELS })).token, false);
  const { callback: added } = await answerOf(
    fake.interact(
      slashInteraction({
        name: 'mylevels',
        channelId: MINE,
        permissions: MANAGE_CHANNELS,
        options: [
          { name: 'action', type: 3, value: 'add' },
          { name: 'pair', type: 3, value: 'spx' },
          { name: 'value', type: 10, value: level },
        ],
      }),
    ).token,
    false,
  );
  expect(JSON.stringify(added.body.data)).toContain(formatLevelValue(level));
  expect((await world.deps.subs.get('discord', MINE))?.customLevels).toEqual([{ pair: 'spx-gold', value: level }]);

  // A channel with no level of its own: the shared chart, no purple line.
  const plain = await chartIn(PLAIN);
  expect(await ownLineShare(attachedPng(plain))).toBe(0);
  const rendersBefore = world.charts.stats().renders;

  // The channel with its level: a chart of its own, the level's dotted line across the plot.
  const mine = await chartIn(MINE);
  expect(await ownLineShare(attachedPng(mine))).toBeGreaterThan(0.25);
  expect(world.charts.stats().renders, 'a chart of its own, drawn once').toBe(rendersBefore + 1);

  // Its range menu, 5Y: the chart it brings, edited into the same message, draws the level too.
  const rows = mine.body.components as { components: { custom_id: string }[] }[];
  const select = rows[1]!.components[0]!;
  const message = botMessage(mine.body, { id: '123456789012345690', channelId: MINE });
  const pick = fake.interact(selectInteraction({ customId: select.custom_id, values: ['chart:spx-gold:5Y'], message }));
  const { callback, edit: update } = await answerOf(pick.token, true);
  expect(callback.body.type).toBe(6); // DEFERRED_UPDATE_MESSAGE: the same message
  expect(update!.body.embeds[0].description).toContain('5Y');
  expect(await ownLineShare(attachedPng(update))).toBeGreaterThan(0.25);
});

/**
 * The label beside a chat's own level names the place as the replies do (/mylevels: this channel's
 * in a server, this chat's in a DM; 本頻道 / 本對話, 本频道 / 本对话), not "This chat's level" in a
 * channel; a channel and a DM with the same level get charts of their own (the cache key holds the place).
 */
test('GIVEN the same own level in a server channel and in a DM THEN each /chart is its own chart, labelled "This channel\'s level" and "This chat\'s level" (本頻道水位 / 本對話水位, 本频道点位 / 本对话点位)', async () => {
  const last = (await world.deps.view.ratio('spx-gold')).at(-1)!.value;
  const level = Math.round(last * 1.02 * 100) / 100;
  const DM = '710000000000000009';
  const add = [
    { name: 'action', type: 3, value: 'add' },
    { name: 'pair', type: 3, value: 'spx' },
    { name: 'value', type: 10, value: level },
  ];
  const chartOptions = [
    { name: 'chart', type: 3, value: 'spx' },
    { name: 'range', type: 3, value: '1Y' },
  ];
  await answerOf(fake.interact(slashInteraction({ name: 'subscribe', channelId: MINE, permissions: MANAGE_CHANNELS })).token, false);
  await answerOf(fake.interact(slashInteraction({ name: 'mylevels', channelId: MINE, permissions: MANAGE_CHANNELS, options: add })).token, false);
  await answerOf(fake.interact(botDmInteraction({ name: 'subscribe', channelId: DM })).token, false);
  await answerOf(fake.interact(botDmInteraction({ name: 'mylevels', channelId: DM, options: add })).token, false);
  expect((await world.deps.subs.get('discord', DM))?.customLevels).toEqual([{ pair: 'spx-gold', value: level }]);

  const inChannel = attachedPng(await chartIn(MINE));
  const rendersBefore = world.charts.stats().renders;
  const { token } = fake.interact(botDmInteraction({ name: 'chart', channelId: DM, options: chartOptions }));
  const inDm = attachedPng((await answerOf(token, true)).edit);
  expect(world.charts.stats().renders, "the DM's chart is drawn for it, not the channel's served from the cache").toBe(rendersBefore + 1);
  expect(inDm.equals(inChannel)).toBe(false);

  // What each of those charts says beside the level, in each language: the place, as the replies name it.
  const labels = async (place: 'channel' | 'dm', lang: Lang) =>
    JSON.stringify(await world.charts.spec({ kind: 'ratio', pair: 'spx-gold', range: '1Y', own: [level], place }, { lang }));
  expect(await labels('channel', 'en')).toContain("This channel's level");
  expect(await labels('dm', 'en')).toContain("This chat's level");
  expect(await labels('channel', 'zh-TW')).toContain('本頻道水位');
  expect(await labels('dm', 'zh-TW')).toContain('本對話水位');
  expect(await labels('channel', 'zh-CN')).toContain('本频道点位');
  expect(await labels('dm', 'zh-CN')).toContain('本对话点位');
  expect(await labels('channel', 'zh-TW')).not.toContain('本聊天室');
});
