/**
 * A chat that asked its alerts to stop (/unsubscribe), the platform stopping nothing: /quiet and
 * /digest still set and show what they did, and each reply carries one line saying that no alerts
 * come here now and that /subscribe turns them on; the digest's line that it alone still comes
 * (it does: /unsubscribe keeps it). A chat whose alerts come hears no such line. Through grammY
 * polling the Telegram fake, and the real discord.js client against the Discord fake (a channel's
 * words, not a chat's).
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { FakeTelegram, FakeUser } from '../fakes/telegram.ts';
import { nextAnswer, startBot, stopBot, type World } from '../helpers/telegram-harness.ts';
import { interactionAnswer, mentioned, startDiscordBot, stopDiscordBot } from '../helpers/discord-harness.ts';
import { type FakeDiscord, MANAGE_CHANNELS, slashInteraction } from '../fakes/discord.ts';
import type { Telegram } from '../../src/platforms/telegram/bot.ts';
import type { Discord } from '../../src/platforms/discord/client.ts';
import { t, type Lang } from '../../src/domain/i18n/index.ts';

const LANGS: [string, Lang][] = [
  ['en', 'en'],
  ['zh-hant', 'zh-TW'],
  ['zh-cn', 'zh-CN'],
];

const plain = (s: unknown): string =>
  String(s ?? '')
    .replace(/<[^>]+>/g, '')
    .replaceAll('&#39;', "'")
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&');

describe('Telegram', () => {
  let fake: FakeTelegram;
  let world: World;
  let tg: Telegram;
  beforeEach(async () => ({ fake, world, tg } = await startBot()));
  afterEach(() => stopBot({ fake, world, tg }));

  let nextChat = 7300;

  test.each(LANGS)(
    'GIVEN a private chat (%s) that unsubscribed THEN /quiet and /digest say no alerts come here and what turns them on, once each',
    async (code, lang) => {
      const chat = nextChat++;
      const reader: FakeUser = { id: chat, first_name: 'Lin', language_code: code };
      const ask = async (text: string) => plain((await nextAnswer(fake, chat, text, reader)).params.text);
      const off = t(lang, 'chat.alertsOff.dm');
      const digestOnly = t(lang, 'chat.alertsOff.digestOnly.dm');

      // Subscribed: nothing of the kind said.
      await ask('/subscribe spx');
      expect(await ask('/quiet 23:00-07:00 Asia/Taipei')).not.toContain(off);
      expect(await ask('/digest 08:00 Asia/Taipei')).not.toContain(digestOnly);

      expect(await ask('/unsubscribe')).toContain(t(lang, 'chat.unsub.done'));
      expect((await world.deps.subs.get('telegram', String(chat)))?.active).toBe(false);

      const quietSet = await ask('/quiet 22:00-06:00 Asia/Taipei');
      expect(quietSet).toContain(t(lang, 'quiet.set', { start: '22:00', end: '06:00', zone: t(lang, 'zone.clock.Asia/Taipei') }));
      expect(quietSet.split(off).length - 1).toBe(1);
      expect((await ask('/quiet')).split(off).length - 1).toBe(1);

      // The digest still comes (its next send is still said): the line says it alone does.
      const digestSet = await ask('/digest 07:30 Asia/Taipei');
      expect(digestSet.split('\n')[0]).toContain(
        t(lang, 'chat.digest.set', { time: '07:30', zone: t(lang, 'zone.clock.Asia/Taipei'), next: '\u0000' }).split('\u0000')[0],
      );
      expect(digestSet).not.toContain(off);
      expect(digestSet.split(digestOnly).length - 1).toBe(1);
      expect((await ask('/digest')).split(digestOnly).length - 1).toBe(1);
      expect((await world.deps.digests!.get((await world.deps.subs.get('telegram', String(chat)))!.id))?.time).toBe('07:30');

      // Subscribed again: the line is gone.
      await ask('/subscribe spx');
      expect(await ask('/quiet')).not.toContain(off);
      expect(await ask('/digest')).not.toContain(digestOnly);
    },
  );

  test.each(LANGS)(
    'GIVEN a private chat (%s) that unsubscribed, its quiet hours on now THEN /quiet says no alerts come, never that alerts are held until the end',
    async (code, lang) => {
      const chat = nextChat++;
      const reader: FakeUser = { id: chat, first_name: 'Lin', language_code: code };
      const ask = async (text: string) => plain((await nextAnswer(fake, chat, text, reader)).params.text);
      // Hours around this moment, in UTC: quiet now whenever the test runs.
      const hour = new Date().getUTCHours();
      const hh = (h: number) => `${String((h + 24) % 24).padStart(2, '0')}:00`;
      const span = `${hh(hour - 1)}-${hh(hour + 2)}`;
      const held = t(lang, 'quiet.now', { until: '\u0000' }).split('\u0000')[0]!;

      // Subscribed: the hours hold the alerts, and say so.
      await ask('/subscribe spx');
      expect(await ask(`/quiet ${span} UTC`)).toContain(held);
      expect(await ask('/quiet')).toContain(held);

      await ask('/unsubscribe');
      const set = await ask(`/quiet ${span} UTC`);
      expect(set).toContain(t(lang, 'chat.alertsOff.dm'));
      expect(set).not.toContain(held);
      const shown = await ask('/quiet');
      expect(shown).toContain(t(lang, 'chat.alertsOff.dm'));
      expect(shown).not.toContain(held);
    },
  );
});

describe('Discord', () => {
  let world: World;
  let fake: FakeDiscord;
  let bot: Discord;
  beforeEach(async () => ({ world, fake, bot } = await startDiscordBot()));
  afterEach(() => stopDiscordBot({ world, fake, bot }));

  let nextChannel = 773000000000000001n;

  test.each([
    ['en-US', 'en'],
    ['zh-TW', 'zh-TW'],
    ['zh-CN', 'zh-CN'],
  ] as [string, Lang][])(
    'GIVEN a server channel (%s) that unsubscribed THEN /quiet and /digest say no alerts come to this channel and what turns them on',
    async (locale, lang) => {
      const channelId = String(nextChannel++);
      const say = async (name: string, options: Record<string, string> = {}): Promise<string> => {
        const { token } = fake.interact(
          slashInteraction({
            name,
            locale,
            channelId,
            permissions: MANAGE_CHANNELS,
            options: Object.entries(options).map(([n, value]) => ({ name: n, type: 3, value })),
          }),
        );
        const a = (await interactionAnswer(fake, token)).body as {
          data?: { content?: string; embeds?: { description?: string }[] };
          content?: string;
          embeds?: { description?: string }[];
        };
        const d = a.data ?? a;
        return [d.content ?? '', ...(d.embeds ?? []).map((e) => e.description ?? '')].join('\n');
      };
      await say('subscribe');
      await expect.poll(async () => (await world.deps.subs.get('discord', channelId))?.active).toBe(true);
      await say('unsubscribe');
      await expect.poll(async () => (await world.deps.subs.get('discord', channelId))?.active).toBe(false);

      const quiet = await say('quiet', { hours: '23:00-07:00', timezone: 'Asia/Taipei' });
      // The command as Discord shows it: a mention one clicks.
      expect(quiet).toContain(mentioned(fake, t(lang, 'chat.alertsOff.discord')));
      expect(quiet).not.toContain(mentioned(fake, t(lang, 'chat.alertsOff')));
      const digest = await say('digest', { time: '08:00', timezone: 'Asia/Taipei' });
      expect(digest).toContain(mentioned(fake, t(lang, 'chat.alertsOff.digestOnly.discord')));
    },
  );
});
