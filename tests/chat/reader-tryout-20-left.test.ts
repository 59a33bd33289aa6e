/**
 * What round 20's English reader found and the review left (brief tidy20), typed into the real bots:
 * /unsubscribe in a forum topic the alerts did not go to, /unsubscribe of the last level left on,
 * a level typed just under a bound, a flag for a zone, and /mute until a named close in a chat with no zone.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FakeUser } from '../fakes/telegram.ts';
import { type RunningBots, startBothBots, stopBothBots } from '../helpers/discord-harness.ts';
import { linesOf, readerTryout } from '../helpers/reader-tryout.ts';
import { nextAnswer } from '../helpers/telegram-harness.ts';
import type { Lang } from '../../src/domain/i18n/index.ts';

const WEDNESDAY_10_NY = Date.parse('2026-11-18T15:00:00Z');
let bots: RunningBots;

beforeAll(async () => {
  bots = await startBothBots(() => WEDNESDAY_10_NY);
});
afterAll(() => stopBothBots(bots));

const { nextChatId, telegram } = readerTryout(() => bots, 21000, 921000000000000001n);

describe('/unsubscribe in a forum topic the alerts do not go to', () => {
  let forum = -1_002_000_000;
  /** A fresh forum whose admin (in `lang`) subscribed in topic 43: what they type in a topic (or General), answered. */
  async function forumOn43(lang: Lang) {
    const chatId = forum--;
    const admin: FakeUser = { id: 7000 - forum, first_name: 'Ada', language_code: lang };
    bots.tgFake.setForum(chatId);
    bots.tgFake.setMember(chatId, admin.id, 'administrator');
    const say = async (text: string, topic?: number) => {
      const from = bots.tgFake.calls.length;
      bots.tgFake.textMessage(chatId, text, admin, 'supergroup', topic !== undefined ? { topic } : {});
      const call = await bots.tgFake.waitFor((c) => (c.method === 'sendMessage' || c.method === 'sendPhoto') && c.chatId === String(chatId), undefined, from);
      return { lines: linesOf(call), thread: call.params.message_thread_id };
    };
    await say('/subscribe', 43);
    return { chatId, say };
  }

  test('GIVEN alerts going to topic 43 WHEN /unsubscribe is sent in topic 42 THEN the whole group is unsubscribed, and the answer says so and where they went', async () => {
    const { chatId, say } = await forumOn43('en');
    const { lines, thread } = await say('/unsubscribe', 42);
    expect(thread).toBe(42);
    expect(lines[0]).toBe(
      'Unsubscribed for the whole group: its alerts went to another topic (where /subscribe was sent), not here, and no topic gets them now.',
    );
    expect(lines.join('\n')).not.toContain('No more alerts here');
    expect((await bots.world.deps.subs.get('telegram', String(chatId)))?.active).toBe(false);
  });

  test('GIVEN alerts going to General WHEN /unsubscribe is sent in a topic THEN it says they went to General', async () => {
    const { say } = await forumOn43('en');
    await say('/subscribe');
    expect((await say('/unsubscribe', 42)).lines[0]).toBe(
      'Unsubscribed for the whole group: its alerts went to General (where /subscribe was sent), not here, and no topic gets them now.',
    );
  });

  test('GIVEN /unsubscribe sent in the alerts’ own topic THEN the plain answer, nothing about another topic', async () => {
    const { say } = await forumOn43('en');
    expect((await say('/unsubscribe', 43)).lines[0]).toBe('Unsubscribed. No more alerts here.');
  });

  test('GIVEN /unsubscribe spx in topic 42 THEN QQQ/Gold stays on, and the answer says the alerts go to another topic', async () => {
    const { say } = await forumOn43('en');
    const { lines } = await say('/unsubscribe spx', 42);
    expect(lines[0]).toBe('No more SPX/Gold alerts here. Still on:');
    expect(lines.at(-1)).toBe('Alerts come to another topic, the one where /subscribe was sent. To have them here, send /subscribe here.');
  });

  test('GIVEN Chinese admins THEN the same said in Chinese', async () => {
    expect((await (await forumOn43('zh-TW')).say('/unsubscribe', 42)).lines[0]).toBe(
      '已為整個群組取消訂閱：通知原本發到另一個話題（傳送 /subscribe 的那個話題），不是這裡；現在任何話題都不會再收到通知。',
    );
    expect((await (await forumOn43('zh-CN')).say('/unsubscribe', 42)).lines[0]).toBe(
      '已为整个群组取消订阅：提醒原本发到另一个话题（发送 /subscribe 的那个话题），不是这里；现在任何话题都不会再收到提醒。',
    );
  });
});

describe('/unsubscribe of a pair when the other has no level left on', () => {
  /** A fresh private chat (in `lang`), subscribed, each of `typed` sent in turn: the last answer's lines and the chat's row. */
  async function typedInTurn(lang: Lang, typed: readonly string[]) {
    const chatId = nextChatId();
    const user: FakeUser = { id: chatId, first_name: 'Ann', language_code: lang };
    let lines: string[] = [];
    for (const text of ['/subscribe', ...typed]) lines = linesOf(await nextAnswer(bots.tgFake, chatId, text, user));
    return { lines, sub: await bots.world.deps.subs.get('telegram', String(chatId)) };
  }
  const spxOff = ['/unsubscribe spx 2.5', '/unsubscribe spx 5.5', '/unsubscribe spx 0.6-0.7'];

  test('GIVEN every SPX/Gold level switched off WHEN /unsubscribe qqq THEN unsubscribed, said so, not "Still on:" above nothing', async () => {
    const { lines, sub } = await typedInTurn('en', [...spxOff, '/unsubscribe qqq']);
    expect(lines[0]).toBe('No more QQQ/Gold alerts here, and no other level was left on: unsubscribed, so no alerts come here now.');
    expect(lines.join('\n')).not.toContain('Still on');
    expect(sub?.active).toBe(false);
  });

  test('GIVEN a level of the chat’s own left on SPX/Gold WHEN /unsubscribe qqq THEN still subscribed, and the summary names that level', async () => {
    const { lines, sub } = await typedInTurn('en', [...spxOff, '/mylevels add spx 1.8', '/unsubscribe qqq']);
    expect(lines[0]).toBe('No more QQQ/Gold alerts here. Still on:');
    expect(lines.join('\n')).toContain("this chat's level 1.8");
    expect(sub?.active).toBe(true);
  });

  test('GIVEN only a /move alert left on SPX/Gold WHEN /unsubscribe qqq THEN still subscribed, and the summary names the move alert', async () => {
    const { lines, sub } = await typedInTurn('en', [...spxOff, '/move spx 3% 5', '/unsubscribe qqq']);
    expect(lines[0]).toBe('No more QQQ/Gold alerts here. Still on:');
    expect(lines.join('\n')).toContain('3%');
    expect(sub?.active).toBe(true);
    expect(sub?.pairs).toEqual(['spx-gold']);
  });

  test('GIVEN Chinese readers THEN the same said in Chinese', async () => {
    expect((await typedInTurn('zh-TW', [...spxOff, '/unsubscribe qqq'])).lines[0]).toBe(
      '這裡不會再收到 QQQ/黃金的通知，且已沒有其他開啟的水位：已取消訂閱，這裡不會再收到通知。',
    );
    expect((await typedInTurn('zh-CN', [...spxOff, '/unsubscribe qqq'])).lines[0]).toBe(
      '这里不会再收到 QQQ/黄金的提醒，且已没有其他开启的点位：已取消订阅，这里不会再收到提醒。',
    );
  });
});

describe('a level typed just under the bound', () => {
  test('GIVEN /mylevels add spx 99.99999 (below 100 as typed) THEN refused for the rounding that makes it 100, not as "must be below 100"', async () => {
    const chatId = nextChatId();
    const user: FakeUser = { id: chatId, first_name: 'Ann', language_code: 'en' };
    await nextAnswer(bots.tgFake, chatId, '/subscribe', user);
    const lines = linesOf(await nextAnswer(bots.tgFake, chatId, '/mylevels add spx 99.99999', user));
    expect(lines[0]).toBe('A level keeps 6 significant digits, so "99.99999" would be kept as 100, and a level must be below 100.');
    expect((await telegram('en', '/mylevels add spx 100'))[0]).not.toContain('6 significant digits');
  });

  test('GIVEN Chinese readers THEN the same said in Chinese', async () => {
    expect((await telegram('zh-TW', '/mylevels add spx 99.99999'))[0]).toContain('「99.99999」會存為 100');
    expect((await telegram('zh-CN', '/mylevels add spx 99.99999'))[0]).toContain('“99.99999”会存为 100');
  });
});
