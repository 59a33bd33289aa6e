/**
 * A pasted page after a command (Telegram's 4,096 characters, Discord's 6,000 in an option) is
 * refused before any reader sees it (chat/define-command.ts MAX_ARGS_TEXT): some readers cost more
 * than the length (a mute's end tried at each split point took seconds on a line of dashes). Through
 * the Telegram fake and the Discord fake, in each language: one line saying the bound and what came,
 * the usage under it, nothing stored. The time it takes is bench/long-input.ts's, not asserted here.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ALL_SEND_PERMISSIONS, MANAGE_CHANNELS, slashInteraction } from '../fakes/discord.ts';
import { parseTelegramHtml } from '../fakes/telegram-html.ts';
import { interactionAnswer, type RunningBots, startBothBots, stopBothBots } from '../helpers/discord-harness.ts';
import { MAX_ARGS_TEXT } from '../../src/chat/define-command.ts';
import type { Lang } from '../../src/domain/i18n/index.ts';
import type { Platform } from '../../src/domain/platform.ts';
import { LANGS } from '../../src/domain/i18n/index.ts';
import { discordLocale } from '../helpers/lang-codes.ts';

let bots: RunningBots;
beforeAll(async () => {
  bots = await startBothBots();
});
afterAll(() => stopBothBots(bots));

/** The refusal's first line, as each language says it: the bound, the length, what came (cut). */
const SAID: Readonly<Record<Lang, (length: string, input: string) => string>> = {
  en: (n, input) => `Too long: a command reads at most ${MAX_ARGS_TEXT} characters after its name, got ${n} ("${input}").`,
  'zh-TW': (n, input) => `內容太長：指令名稱後最多 ${MAX_ARGS_TEXT} 個字元，您輸入了 ${n} 個（「${input}」）。`,
  'zh-CN': (n, input) => `内容太长：命令名称后最多 ${MAX_ARGS_TEXT} 个字符，您输入了 ${n} 个（“${input}”）。`,
};
/** On Discord nothing is typed after a command's name: its options are filled in, and the bound is theirs together. */
const SAID_OPTIONS: Readonly<Record<Lang, (length: string, input: string) => string>> = {
  en: (n, input) => `Too long: a command's options hold at most ${MAX_ARGS_TEXT} characters together, got ${n} ("${input}").`,
  'zh-TW': (n, input) => `內容太長：指令的選項合計最多 ${MAX_ARGS_TEXT} 個字元，您輸入了 ${n} 個（「${input}」）。`,
  'zh-CN': (n, input) => `内容太长：命令的选项合计最多 ${MAX_ARGS_TEXT} 个字符，您输入了 ${n} 个（“${input}”）。`,
};

const MONDAYS = `until ${'monday '.repeat(580)}`.trim();
/** Each: the command, its words on Telegram, its options on Discord, the length counted, the echo. */
const CASES = [
  { command: 'mute', words: MONDAYS, options: { duration: MONDAYS }, length: '4,065', echo: 'until monday monday monday monday monda…' },
  {
    command: 'chart',
    words: `spx ${'-'.repeat(4000)}`,
    options: { chart: 'spx', from: '-'.repeat(5990) },
    length: ['4,004', '5,994'],
    echo: `${'-'.repeat(39)}…`,
  },
  {
    command: 'subscribe',
    words: `spx ${'1:'.repeat(2000)}`,
    options: { pairs: 'spx', levels: '1:'.repeat(2900) },
    length: ['4,004', '5,804'],
    echo: `${'1:'.repeat(19)}1…`,
  },
  {
    command: 'digest',
    words: `08:00 ${'一'.repeat(4000)}`,
    options: { time: '08:00', timezone: '一'.repeat(5900) },
    length: ['4,006', '5,906'],
    echo: `${'一'.repeat(39)}…`,
  },
] as const;
const lengthOn = (c: (typeof CASES)[number], platform: Platform): string =>
  typeof c.length === 'string' ? c.length : c.length[platform === 'telegram' ? 0 : 1];

/** The chat's settings as stored: none for a chat the bot never kept. */
function settings(platform: Platform, chatId: string): string {
  const db = bots.world.db;
  const sub = db.prepare('SELECT * FROM subscriptions WHERE platform = ? AND chat_id = ?').get(platform, chatId) as { id: number } | undefined;
  if (sub === undefined) return 'none';
  const rows = (table: string) => db.prepare(`SELECT * FROM ${table} WHERE subscription_id = ? ORDER BY 1, 2`).all(sub.id);
  return JSON.stringify([sub, rows('sub_watches'), rows('move_watches')]);
}

describe('GIVEN a command with a pasted page after it THEN one line naming the bound and the length, the usage, nothing stored', () => {
  let n = 0;
  for (const lang of LANGS) {
    for (const c of CASES) {
      for (const subscribed of [false, true]) {
        const who = subscribed ? `a ${lang} chat kept before` : `a new ${lang} chat`;
        test(`telegram /${c.command} in ${who}`, async () => {
          const { tgFake, world } = bots;
          const chat = 510_000 + n++;
          if (subscribed) await world.deps.subs.upsert('telegram', String(chat), { lang });
          const before = settings('telegram', String(chat));
          const from = tgFake.calls.length;
          tgFake.textMessage(chat, `/${c.command} ${c.words}`, { id: chat, first_name: 'Lin', language_code: lang });
          const sent = await tgFake.waitFor((call) => call.method === 'sendMessage' && call.chatId === String(chat), undefined, from);
          const parsed = parseTelegramHtml(String(sent!.params.text));
          const lines = parsed.ok ? parsed.text.split('\n') : [];
          expect(lines[0]).toBe(SAID[lang](lengthOn(c, 'telegram'), c.echo));
          expect(lines).toHaveLength(2);
          expect(lines[1]).toMatch(/^\//);
          expect(settings('telegram', String(chat))).toBe(before);
          if (!subscribed) expect(before).toBe('none');
        });
        test(`discord /${c.command} in ${who}`, async () => {
          const { dcFake, world } = bots;
          const channel = String(740_000_000_000_000_000n + BigInt(n++));
          if (subscribed) await world.deps.subs.upsert('discord', channel, { lang });
          const before = settings('discord', channel);
          const { token } = dcFake.interact(
            slashInteraction({
              name: c.command,
              channelId: channel,
              // A reader of their own: one reader's many commands at once meet the flood limit.
              userId: String(610_000_000_000_000_000n + BigInt(n)),
              locale: discordLocale(lang),
              guildLocale: discordLocale(lang),
              permissions: MANAGE_CHANNELS | ALL_SEND_PERMISSIONS,
              options: Object.entries(c.options).map(([name, value]) => ({ name, type: 3, value })),
            }),
          );
          const answer = await interactionAnswer(dcFake, token);
          const body = (answer.body.data ?? answer.body) as { content?: string; embeds?: { description?: string }[] };
          const text = body.content ?? body.embeds?.[0]?.description ?? '';
          const lines = text.split('\n');
          expect(lines[0]).toBe(SAID_OPTIONS[lang](lengthOn(c, 'discord'), c.echo));
          expect(lines).toHaveLength(2);
          expect(settings('discord', channel)).toBe(before);
          if (!subscribed) expect(before).toBe('none');
        });
      }
    }
  }
});

test(`GIVEN words of exactly ${MAX_ARGS_TEXT} characters THEN they are read (refused as what they say); one more THEN refused as too long`, async () => {
  const { tgFake } = bots;
  const answer = async (chat: number, words: string): Promise<string> => {
    const from = tgFake.calls.length;
    tgFake.textMessage(chat, `/mute ${words}`, { id: chat, first_name: 'Lin', language_code: 'en' });
    const sent = await tgFake.waitFor((call) => call.method === 'sendMessage' && call.chatId === String(chat), undefined, from);
    const parsed = parseTelegramHtml(String(sent.params.text));
    return parsed.ok ? parsed.text.split('\n')[0]! : '';
  };
  const words = `until ${'x'.repeat(MAX_ARGS_TEXT - 6)}`;
  expect(await answer(520_001, words)).toMatch(/^Mute needs a duration/);
  expect(await answer(520_002, `${words}x`)).toBe(SAID.en(String(MAX_ARGS_TEXT + 1), `${'x'.repeat(39)}…`));
});
