/**
 * Discord channels the platform stopped, through the real discord.js Client against the fake and a
 * real SQLite file: /unsubscribe ends the alerts and leaves a stopped digest stopped (said so), and
 * /subscribe in a channel stopped for rights is refused, the stop kept, while the bot still may not
 * post there (handlers.ts checkBotCan, before the command runs).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { World } from '../../helpers/telegram-harness.ts';
import { interactionAnswer, mentioned, startDiscordBot, stopDiscordBot } from '../../helpers/discord-harness.ts';
import { MANAGE_CHANNELS, slashInteraction, type FakeDiscord } from '../../fakes/discord.ts';
import type { Discord } from '../../../src/platforms/discord/client.ts';
import { t, type Lang } from '../../../src/domain/i18n/index.ts';
import { stopReason } from '../../../src/domain/stop-cause.ts';
import type { Subscription } from '../../../src/store/subscriptions.ts';
import { LANGS } from '../../../src/domain/i18n/index.ts';
import { discordLocale } from '../../helpers/lang-codes.ts';

const CHANNEL = '700000000000000001';
/** View Channel and Read Message History, no Send Messages. */
const CANNOT_SEND = (1n << 10n) | (1n << 16n);

let world: World;
let fake: FakeDiscord;
let bot: Discord;

beforeEach(async () => ({ world, fake, bot } = await startDiscordBot()));
afterEach(() => stopDiscordBot({ world, fake, bot }));

const row = async (): Promise<Subscription> => (await world.deps.subs.get('discord', CHANNEL))!;

/** The channel, in `lang`, with alerts and a digest at 08:00 UTC, stopped for `reason`. */
async function stoppedBoth(lang: Lang, reason: string): Promise<Subscription> {
  const sub = await world.deps.subs.upsert('discord', CHANNEL, { lang });
  await world.deps.digests!.set(sub.id, '08:00', 'UTC', Date.now());
  await world.deps.subs.chatGone('discord', CHANNEL, reason);
  return row();
}

/** The embed's description lines of a command's immediate answer. */
async function ask(name: string, lang: Lang, appPermissions?: bigint): Promise<{ lines: string[]; flags: number }> {
  const { token } = fake.interact(
    slashInteraction({ name, permissions: MANAGE_CHANNELS, locale: discordLocale(lang), ...(appPermissions !== undefined ? { appPermissions } : {}) }),
  );
  const answer = await interactionAnswer(fake, token);
  const data = answer.body.data ?? answer.body;
  return { lines: String(data.embeds?.[0]?.description ?? data.content ?? '').split('\n'), flags: Number(data.flags ?? 0) };
}

describe('Discord: a channel the platform stopped', () => {
  it.each(LANGS)(
    'GIVEN a channel (%s) with alerts and a digest, its bot removed and back WHEN /unsubscribe THEN the alerts end, the digest stays stopped and the answer says so (not "the digest still comes")',
    async (lang) => {
      const before = await stoppedBoth(lang, stopReason('removed', 'GUILD_DELETE'));
      const { lines } = await ask('unsubscribe', lang);
      expect(lines.slice(0, 2)).toEqual([t(lang, 'chat.unsub.done'), mentioned(fake, t(lang, 'chat.sub.stoppedDigest.removed'))]);
      expect(lines).toHaveLength(3);
      expect(await row()).toMatchObject({
        active: false,
        deactivatedReason: before.deactivatedReason,
        deactivatedAt: before.deactivatedAt,
        stopHad: 'digest',
        digestTime: '08:00',
      });
    },
  );

  it('GIVEN a channel stopped for rights where the bot still may not send WHEN /subscribe THEN refused before it runs, the stop kept; once it may, both come back, the digest said', async () => {
    const before = await stoppedBoth('en', stopReason('rights', '50013 Missing Permissions'));
    const refused = await ask('subscribe', 'en', CANNOT_SEND);
    expect(refused.flags & 64).toBe(64);
    expect(refused.lines.join('\n')).toContain(t('en', 'discord.perm.SendMessages'));
    expect(await row()).toEqual(before);
    const { lines } = await ask('subscribe', 'en');
    expect(lines.slice(0, 2)).toEqual([t('en', 'chat.sub.resumed'), t('en', 'chat.sub.digestBack', { time: '08:00', zone: 'UTC' })]);
    expect(await row()).toMatchObject({ active: true, deactivatedReason: null, stopHad: null, digestTime: '08:00' });
  });
});
