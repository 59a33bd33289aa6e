/**
 * Commands copied from a web page or another chat carry invisible characters: a zero-width space
 * (U+200B) beside a word, a word joiner (U+2060), a direction mark (U+200E/F), a soft hyphen. They
 * were part of the word: `/ratio ​spx` answered 'Unknown pair "​spx"', naming as unknown the very
 * word the user sees and typed right. Through the Telegram and Discord fakes, such a command is
 * answered as its visible form is.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FakeUser } from '../fakes/telegram.ts';
import { slashInteraction } from '../fakes/discord.ts';
import { interactionAnswer, type RunningBots, startBothBots, stopBothBots } from '../helpers/discord-harness.ts';
import { nextAnswer } from '../helpers/telegram-harness.ts';

let bots: RunningBots;

beforeAll(async () => (bots = await startBothBots()));
afterAll(() => stopBothBots(bots));

let nextChat = 9800;
/** The bot's answer to `text` in a fresh private chat (after `before` there), tags removed. */
async function telegram(text: string, before: readonly string[] = []): Promise<string> {
  const chatId = nextChat++;
  const user: FakeUser = { id: chatId, first_name: 'Lin', language_code: 'zh-TW' };
  let said = '';
  for (const typed of [...before, text]) {
    const call = await nextAnswer(bots.tgFake, chatId, typed, user);
    said = String(call.params.text ?? call.params.caption ?? '').replace(/<[^>]+>/g, '');
  }
  return said;
}

let nextChannel = 732000000000000001n;
async function discord(name: string, options: Readonly<Record<string, string>>): Promise<string> {
  const channelId = String(nextChannel++);
  const { token } = bots.dcFake.interact(
    slashInteraction({
      name,
      channelId,
      userId: String(nextChannel - 100000000000000000n),
      locale: 'zh-TW',
      options: Object.entries(options).map(([n, value]) => ({ name: n, type: 3, value })),
    }),
  );
  const answer = await interactionAnswer(bots.dcFake, token);
  const embed = answer.body.embeds?.[0] ?? answer.body.data?.embeds?.[0] ?? {};
  return `${embed.title ?? ''}\n${embed.description ?? ''}`;
}

describe('invisible characters in a command are not part of its words', () => {
  test.each([
    ['/ratio \u200bspx', '/ratio spx'],
    ['/ratio\u200bspx', '/ratio spx'],
    ['/chart spx\u200b 5y', '/chart spx 5y'],
    ['/chart \u200e標普\u200f 1年', '/chart spx 1y'],
    ['/ratio sp\u00adx', '/ratio spx'],
    ['/ratio s\u2060px', '/ratio spx'],
    ['spx\u200b', '/ratio spx'],
  ])('GIVEN Telegram %j THEN the answer to %s', async (typed, plain) => {
    expect(await telegram(typed)).toBe(await telegram(plain));
  });

  test('GIVEN a level with a zero-width space after it THEN the level is added', async () => {
    expect(await telegram('/mylevels add spx 1.8\u200b', ['/subscribe'])).toBe(await telegram('/mylevels add spx 1.8', ['/subscribe']));
  });

  test('GIVEN an inline query with one THEN the cards of the visible query', async () => {
    const results = async (query: string) => {
      const id = bots.tgFake.inlineQuery(query, { id: nextChat++, first_name: 'Lin', language_code: 'zh-TW' });
      return ((await bots.tgFake.inlineAnswer(id)).params.results as { title?: string }[]).map((r) => r.title);
    };
    expect(await results('\u200bspx 5y')).toEqual(await results('spx 5y'));
  });

  test('GIVEN Discord options with them THEN the answer to the visible values', async () => {
    expect(await discord('chart', { chart: '\u200bspx', from: '2020\u200b' })).toBe(await discord('chart', { chart: 'spx', from: '2020' }));
  });
});
