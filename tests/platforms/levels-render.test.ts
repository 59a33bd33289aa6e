/**
 * /levels with the era record under each essay level and a chat's twenty own levels is the longest
 * it gets: through the real Telegram and Discord bots against their fakes, every line of the reply
 * arrives whole (no line cut, none left out, none past a platform's limit).
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { findCommand } from '../../src/chat/registry.ts';
import { plainText } from '../../src/chat/reply.ts';
import { MAX_CUSTOM_LEVELS } from '../../src/chat/commands/subscription.ts';
import { onSqlite } from '../../src/store/engine.ts';
import { QuoteStore } from '../../src/store/quotes.ts';
import { slashInteraction } from '../fakes/discord.ts';
import { chatCtx } from '../helpers/chat.ts';
import { interactionAnswer, type RunningBots, startBothBots, stopBothBots } from '../helpers/discord-harness.ts';
import { describeWithHistory, loadHistory } from '../helpers/history.ts';
import { nextAnswer } from '../helpers/telegram-harness.ts';

/** Twenty own levels of six digits, the widest a level prints: 1.23401 … 1.23420. */
const OWN = Array.from({ length: MAX_CUSTOM_LEVELS }, (_, i) => (1.234 + (i + 1) / 100_000).toFixed(5));

describeWithHistory('/levels at its longest on Telegram and Discord', () => {
  let bots: RunningBots;
  beforeAll(async () => {
    bots = await startBothBots();
    await loadHistory(new QuoteStore(onSqlite(bots.world.db)));
  }, 60_000);
  afterAll(() => stopBothBots(bots));

  /** What the chat layer answers this chat: the lines each platform must carry. */
  async function expected(platform: 'telegram' | 'discord', chatId: string, lang: string): Promise<string[]> {
    const ctx = chatCtx({ platform, chatId, userLanguageCode: lang, nowMs: Date.now() });
    // Discord gives options by name (its levels in one text); Telegram, words.
    const subscribe = findCommand('subscribe')!;
    const subscribed =
      platform === 'telegram'
        ? await subscribe.run(bots.world.deps, ctx, ['spx', ...OWN])
        : await subscribe.runNamed(bots.world.deps, ctx, { pairs: 'spx', levels: OWN.join(' ') });
    expect(subscribed.status, plainText(subscribed)).toBe('ok');
    const text = plainText(await findCommand('levels')!.run(bots.world.deps, ctx, []));
    expect(text.match(/↳/g)).toHaveLength(6);
    return text.split('\n').filter((l) => l !== '');
  }

  test.each(['en', 'zh-TW'])('GIVEN Telegram in %s THEN one message, within 4096 characters, with every line whole', async (lang) => {
    const chatId = lang === 'en' ? 9901 : 9902;
    const lines = await expected('telegram', String(chatId), lang);
    const call = await nextAnswer(bots.tgFake, chatId, '/levels', { id: chatId, first_name: 'Lin', language_code: lang });
    const html = String(call.params.text);
    expect(html.length).toBeLessThanOrEqual(4096);
    const shown = html
      .replace(/<[^>]+>/g, '')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, '&')
      .split('\n');
    for (const line of lines) expect(shown, line).toContain(line);
  });

  test.each(['en-US', 'zh-TW'])('GIVEN Discord in %s THEN embeds within their limits, with every line whole', async (locale) => {
    const channelId = locale === 'en-US' ? '733000000000000001' : '733000000000000002';
    const lines = await expected('discord', channelId, locale === 'en-US' ? 'en' : locale);
    const { token } = bots.dcFake.interact(slashInteraction({ name: 'levels', channelId, locale }));
    const answer = await interactionAnswer(bots.dcFake, token);
    const embeds = (answer.body.embeds ?? answer.body.data?.embeds) as { description?: string; title?: string }[];
    expect(embeds.length).toBeLessThanOrEqual(10);
    for (const e of embeds) expect((e.description ?? '').length).toBeLessThanOrEqual(4096);
    expect(embeds.reduce((n, e) => n + (e.description ?? '').length + (e.title ?? '').length, 0)).toBeLessThanOrEqual(6000);
    const shown = embeds
      .map((e) => e.description ?? '')
      .join('\n')
      .replace(/\*\*|`/g, '')
      .replace(/\\(.)/g, '$1')
      .split('\n');
    for (const line of lines) expect(shown, line).toContain(line);
  });
});
