/**
 * A channel with a linked discussion group: Telegram copies each channel post into the group
 * (is_automatic_forward). A command posted in the channel is the channel's: answered there, once.
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { FakeTelegram, FakeUser } from '../../fakes/telegram.ts';
import { startBot, stopBot, type World } from '../../helpers/telegram-harness.ts';
import type { Telegram } from '../../../src/platforms/telegram/bot.ts';

const CHANNEL = -1_000_777;
const DISCUSSION = -1_000_888;
const BOB: FakeUser = { id: 2002, first_name: 'Bob', username: 'bob', language_code: 'en' };

let fake: FakeTelegram;
let world: World;
let tg: Telegram;
beforeEach(async () => ({ fake, world, tg } = await startBot()));
afterEach(() => stopBot({ fake, world, tg }));

const sendsTo = (chatId: number) => fake.calls.filter((c) => c.chatId === String(chatId) && /^send(Message|Photo)$/.test(c.method));

describe('Telegram: a channel and its discussion group', () => {
  test('GIVEN /ratio and /subscribe posted in a channel, and their copies forwarded into its discussion group (then edited) THEN answered in the channel only: the group gets no second card, no refusal, no subscription', async () => {
    for (const text of ['/ratio', '/subscribe']) {
      const from = fake.calls.length;
      fake.textMessage(CHANNEL, text, BOB, 'channel');
      await fake.waitFor((c) => /^send(Message|Photo)$/.test(c.method) && c.chatId === String(CHANNEL), undefined, from);
    }
    fake.automaticForward(DISCUSSION, CHANNEL, '/ratio');
    fake.automaticForward(DISCUSSION, CHANNEL, '/subscribe');
    fake.automaticForward(DISCUSSION, CHANNEL, '/ratio qqq', { edited: true });
    // A member's own command in the group after the copies (one chat's updates are handled in
    // order): answered, quoting it (the group's fourth message, after the three copies).
    fake.textMessage(DISCUSSION, '/levels', BOB);
    const own = await fake.waitFor(
      (c) => c.chatId === String(DISCUSSION) && (c.params.reply_parameters as { message_id?: number } | undefined)?.message_id === 4,
    );
    expect(sendsTo(DISCUSSION)).toEqual([own]);
    expect(sendsTo(CHANNEL)).toHaveLength(2);
    expect((await world.deps.subs.get('telegram', String(CHANNEL)))?.active).toBe(true);
    expect(await world.deps.subs.get('telegram', String(DISCUSSION))).toBeUndefined();
  });
});
