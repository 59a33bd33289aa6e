/**
 * Small reader defects found on main (round 15), typed into the Telegram fake and the Discord fake,
 * answered by the real bots: `/digest preview` read as the preview the bot's own replies name; `/digest
 * now Taipei` naming the zone as more than now takes; an edit of `/digest now` into a time applied; a forum's /unsubscribe saying where the digest goes.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FakeUser } from '../fakes/telegram.ts';
import { userInstallInteraction } from '../fakes/discord.ts';
import { type Lang, readerTryout } from '../helpers/reader-tryout.ts';
import { interactionAnswer, type RunningBots, startBothBots, stopBothBots } from '../helpers/discord-harness.ts';
import { nextAnswer } from '../helpers/telegram-harness.ts';

const WEDNESDAY_10_NY = Date.parse('2026-11-18T15:00:00Z');
let bots: RunningBots;

beforeAll(async () => {
  bots = await startBothBots(() => WEDNESDAY_10_NY);
});
afterAll(() => stopBothBots(bots));

const { nextChatId, nextChannelId, telegram, discord: discordLines } = readerTryout(() => bots, 15000, 915000000000000001n);
/** The answer to `/name` with these options in a fresh Discord channel: its embed's title, then its description's lines. */
const discord = (lang: Lang, name: string, options: Readonly<Record<string, string>>) => discordLines(lang, name, options, { title: true });

describe("the digest's preview asked for by that name", () => {
  test.each([
    ['en', '/digest preview', '/digest now'],
    ['en', '/digest Preview.', '/digest now'],
    ['zh-TW', '/digest 預覽', '/digest 現在'],
    ['zh-CN', '/digest 预览', '/digest 现在'],
    ['zh-CN', '/digest 預覽', '/digest 现在'],
  ] as const)('GIVEN Telegram %s "%s" THEN the answer to "%s"', async (lang, typed, now) => {
    const answer = await telegram(lang, typed);
    expect(answer.join('\n')).not.toMatch(/08:30|時間請|时间请/);
    expect(answer).toEqual(await telegram(lang, now));
  });

  test('GIVEN Discord /digest with its time option typed preview THEN the answer to now', async () => {
    const answer = await discord('en', 'digest', { time: 'preview' });
    expect(answer.join('\n')).not.toMatch(/08:30/);
    expect(answer).toEqual(await discord('en', 'digest', { time: 'now' }));
  });
});

describe('a ratio named with gold written after it, no slash', () => {
  test.each([
    ['zh-TW', '/levels 標普黃金', '/levels spx'],
    ['zh-TW', '/levels spx黃金', '/levels spx'],
    ['zh-CN', '/levels spx黄金', '/levels spx'],
    ['zh-CN', '/levels 纳指黄金', '/levels qqq'],
    ['zh-TW', '/levels QQQ黃金', '/levels qqq'],
  ] as const)('GIVEN Telegram %s "%s" THEN the answer to "%s"', async (lang, typed, plain) => {
    const answer = await telegram(lang, typed);
    expect(answer.join('\n')).not.toMatch(/無法辨識|无法识别/);
    expect(answer).toEqual(await telegram(lang, plain));
  });
});

describe('now or off given a time zone too', () => {
  test.each([
    ['en', '/digest now Taipei', '"Taipei" is more than this command takes.'],
    ['en', '/digest off Asia/Taipei', '"Asia/Taipei" is more than this command takes.'],
    ['zh-TW', '/digest 現在 台北', '此指令用不到「台北」。'],
  ] as const)('GIVEN Telegram %s "%s" THEN the zone is named as more than it takes, not "now" as no time', async (lang, typed, first) => {
    const answer = await telegram(lang, typed);
    expect(answer[0]).toBe(first);
    expect(answer[1]).toMatch(/^\/digest /);
  });

  test('GIVEN Discord /digest time:now with a timezone THEN the same, in its option form', async () => {
    const answer = await discord('en', 'digest', { time: 'now', timezone: 'Taipei' });
    expect(answer[1]).toBe('"Taipei" is more than this command takes.');
    expect(answer[2]).toMatch(/^`\/digest \[time:/);
  });
});

describe('an edit of a settings command that only read', () => {
  /** Sends `first` in a fresh private chat, waits for its answer, edits that message to `edit`: the edit's answer. */
  async function edited(lang: Lang, first: string, edit: string): Promise<string> {
    const chatId = nextChatId();
    const user: FakeUser = { id: chatId, first_name: 'Lin', language_code: lang };
    await nextAnswer(bots.tgFake, chatId, first, user);
    const from = bots.tgFake.calls.length;
    // The chat's first message (the fake numbers each chat's messages from 1).
    bots.tgFake.editedMessage(chatId, 1, edit, user, 20);
    const call = await bots.tgFake.waitFor((c) => c.method === 'sendMessage' && c.chatId === String(chatId), undefined, from);
    return String(call.params.text);
  }

  test.each([
    ['en', '/digest', '/digest 08:00 Taipei', 'Daily digest set for 08:00 (Taipei time).'],
    ['en', '/digest now', '/digest 08:00 Taipei', 'Daily digest set for 08:00 (Taipei time).'],
    ['zh-CN', '/digest 现在', '/digest 08:00 上海', '每日摘要已设为 08:00（北京时间）。'],
  ] as const)('GIVEN %s "%s" (it set nothing) edited to "%s" THEN applied', async (lang, first, edit, said) => {
    expect(await edited(lang, first, edit)).toContain(said);
  });

  test('GIVEN a digest set, its message edited to another time THEN still not applied twice', async () => {
    expect(await edited('en', '/digest 08:00 Taipei', '/digest 09:00 Taipei')).toMatch(/^Not applied/);
  });
});

describe("/help of one command in a Discord user install's DM", () => {
  /** The embed's lines answering /help command:`command` in a DM of a user who installed the app to their account. */
  async function dmHelp(lang: Lang, command: string): Promise<string[]> {
    const { token } = bots.dcFake.interact(
      userInstallInteraction({
        name: 'help',
        context: 1,
        channelId: nextChannelId(),
        userId: String(600000000000150000n + BigInt(nextChatId() % 1000)),
        locale: lang === 'en' ? 'en-US' : lang,
        options: [{ name: 'command', type: 3, value: command }],
      }),
    );
    const answer = await interactionAnswer(bots.dcFake, token);
    const embed = answer.body.embeds?.[0] ?? answer.body.data?.embeds?.[0] ?? {};
    return String(embed.description ?? '').split('\n');
  }

  test('GIVEN /help subscribe there THEN it says only the reading commands work here, not what a server member may change', async () => {
    const lines = await dmHelp('en', 'subscribe');
    expect(lines.at(-1)).toBe('*Here only the commands that read work. Alerts, the daily digest and the settings need goldratio added to a server.*');
    expect(lines.join('\n')).not.toMatch(/Manage Channels/);
  });

  test.each([
    ['en', 'subscribe', [], 'Here only the commands that read work.'],
    ['zh-TW', 'digest', [{ name: 'time', type: 3, value: '08:00' }], '這裡只能使用查詢類指令。'],
    ['zh-CN', 'quiet', [{ name: 'hours', type: 3, value: '23-7' }], '这里只能使用查询类命令。'],
  ] as const)(
    "GIVEN (%s) /%s sent there all the same (a registration wider than this version's) THEN it is refused as /help there says, nothing stored",
    async (lang, name, options, said) => {
      const channelId = nextChannelId();
      const { token } = bots.dcFake.interact(
        userInstallInteraction({
          name,
          context: 1,
          channelId,
          userId: String(600000000000160000n + BigInt(nextChatId() % 1000)),
          locale: lang === 'en' ? 'en-US' : lang,
          options: [...options],
        }),
      );
      expect(JSON.stringify((await interactionAnswer(bots.dcFake, token)).body)).toContain(said);
      expect(await bots.world.deps.subs.get('discord', channelId)).toBeUndefined();
    },
  );

  test('GIVEN /help levels there THEN no such note: it works here', async () => {
    expect((await dmHelp('zh-TW', 'levels')).join('\n')).not.toMatch(/伺服器/);
  });
});

describe('a forum group unsubscribed in another topic than its digest', () => {
  let nextGroup = -1001500000000;
  /** Types each command into a fresh forum supergroup as its admin, in that topic (undefined: General): the last answer's text. */
  async function forum(lang: Lang, steps: readonly (readonly [string, number | undefined])[]): Promise<string> {
    const chatId = nextGroup--;
    const user: FakeUser = { id: -chatId, first_name: 'Ana', language_code: lang };
    bots.tgFake.setForum(chatId);
    bots.tgFake.setMember(chatId, user.id, 'administrator');
    let text = '';
    for (const [command, topic] of steps) {
      const from = bots.tgFake.calls.length;
      bots.tgFake.textMessage(chatId, command, user, 'supergroup', topic === undefined ? {} : { topic });
      const call = await bots.tgFake.waitFor((c) => c.method === 'sendMessage' && c.chatId === String(chatId), undefined, from);
      text = String(call.params.text).replace(/<[^>]+>/g, '');
    }
    return text;
  }

  test('GIVEN alerts and the digest in topic 42, /unsubscribe in General THEN the digest is said to go to that topic, not here', async () => {
    const answer = await forum('en', [
      ['/subscribe', 42],
      ['/digest 08:00 Taipei', 42],
      ['/unsubscribe', undefined],
    ]);
    expect(answer).not.toMatch(/comes here/);
    expect(answer).toContain('The daily digest goes to another topic, the one it was set in, not here. To have it here, send /digest 08:00 here.');
  });

  test('GIVEN the same in Chinese, the digest set in General and /unsubscribe in topic 7 THEN General is named', async () => {
    const answer = await forum('zh-TW', [
      ['/subscribe', undefined],
      ['/digest 07:30 Taipei', undefined],
      ['/unsubscribe', 7],
    ]);
    expect(answer).not.toMatch(/送到這裡/);
    expect(answer).toContain('每日摘要發到「一般」（General）話題（設定它的地方），不是這裡。若要改發到這裡，請在這裡傳送 /digest 07:30。');
  });

  test('GIVEN /unsubscribe sent in the topic the digest goes to THEN no note about another place', async () => {
    const answer = await forum('zh-CN', [
      ['/subscribe', 42],
      ['/digest 08:00 上海', 42],
      ['/unsubscribe', 42],
    ]);
    expect(answer).toContain('每日摘要仍会在 08:00（北京时间）送达');
    expect(answer).not.toMatch(/话题/);
  });
});
