/**
 * A reader's tryout on both real bots (tests/chat/reader-tryout-*.test.ts): a command typed into a
 * fresh private Telegram chat, or asked in a fresh Discord channel, by a client in one language, and
 * the answer's lines as the reader reads them.
 */
import type { FakeUser, RecordedCall } from '../fakes/telegram.ts';
import { MANAGE_CHANNELS, slashInteraction } from '../fakes/discord.ts';
import { interactionAnswer, type RunningBots } from './discord-harness.ts';
import { nextAnswer } from './telegram-harness.ts';
import { discordLocale } from './lang-codes.ts';
import type { Lang } from '../../src/domain/i18n/index.ts';

/** The languages of langs.ts (this file named three of its own, so a fourth did not compile the tests using it). */
export type { Lang } from '../../src/domain/i18n/index.ts';

/** A Telegram answer's lines: its tags taken out, `&amp;` read as `&`. */
export const linesOf = (call: RecordedCall): string[] =>
  String(call.params.text ?? call.params.caption ?? '')
    .replace(/<[^>]+>/g, '')
    .replaceAll('&amp;', '&')
    .split('\n');

export interface ReaderTryout {
  /** A private chat's id no other test of the file uses. */
  nextChatId(): number;
  /** A Discord channel's id no other test of the file uses. */
  nextChannelId(): string;
  /** Types `text` into a fresh private Telegram chat of a `lang` reader: the call that answered it. */
  telegramCall(lang: Lang, text: string): Promise<{ readonly chatId: number; readonly user: FakeUser; readonly call: RecordedCall }>;
  /** The same: the answer's lines. */
  telegram(lang: Lang, text: string): Promise<string[]>;
  /**
   * The answer to `/name` with these options in a fresh Discord channel of a `lang` client: its
   * embed's lines, the description's (or the title's where it has none); with `title`, the title
   * first, then the description's.
   */
  discord(lang: Lang, name: string, options: Readonly<Record<string, string>>, opts?: { readonly title?: boolean }): Promise<string[]>;
  /** The choices Discord gets for `typed` in /digest's timezone option of a `lang` client (an autocomplete, in a fresh channel). */
  zoneChoices(typed: string, lang: Lang): Promise<{ name: string; value: string }[]>;
}

/** Tryouts on `bots()` (read when asked: the bots start in a beforeAll), chats from `firstChat`, channels from `firstChannel`. */
export function readerTryout(bots: () => RunningBots, firstChat: number, firstChannel: bigint): ReaderTryout {
  let nextChat = firstChat;
  let nextChannel = firstChannel;
  const tryout: ReaderTryout = {
    nextChatId: () => nextChat++,
    nextChannelId: () => String(nextChannel++),
    async telegramCall(lang, text) {
      const chatId = nextChat++;
      const user: FakeUser = { id: chatId, first_name: 'Lin', language_code: lang };
      return { chatId, user, call: await nextAnswer(bots().tgFake, chatId, text, user) };
    },
    telegram: async (lang, text) => linesOf((await tryout.telegramCall(lang, text)).call),
    async discord(lang, name, options, { title = false } = {}) {
      const { dcFake } = bots();
      const { token } = dcFake.interact(
        slashInteraction({
          name,
          channelId: tryout.nextChannelId(),
          permissions: MANAGE_CHANNELS,
          locale: discordLocale(lang),
          options: Object.entries(options).map(([n, value]) => ({ name: n, type: 3, value })),
        }),
      );
      const answer = await interactionAnswer(dcFake, token);
      const embed = answer.body.embeds?.[0] ?? answer.body.data?.embeds?.[0] ?? {};
      return title ? [String(embed.title ?? ''), ...String(embed.description ?? '').split('\n')] : String(embed.description ?? embed.title ?? '').split('\n');
    },
    async zoneChoices(typed, lang) {
      const { dcFake } = bots();
      const payload = slashInteraction({
        name: 'digest',
        channelId: tryout.nextChannelId(),
        permissions: MANAGE_CHANNELS,
        locale: discordLocale(lang),
        options: [{ name: 'timezone', type: 3, value: typed }],
      });
      (payload.data as { options: { focused?: boolean }[] }).options[0]!.focused = true;
      const { token } = dcFake.interact({ ...payload, type: 4 });
      const [callback] = await dcFake.waitFor('POST', new RegExp(`^/interactions/\\d+/${token}/callback$`));
      return callback!.body.data.choices;
    },
  };
  return tryout;
}
