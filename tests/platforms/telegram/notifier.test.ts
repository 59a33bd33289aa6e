import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { Api } from 'grammy';
import { FakeTelegram, type Fault } from '../../fakes/telegram.ts';
import { parseTelegramHtml } from '../../fakes/telegram-html.ts';
import { TelegramNotifier, telegramStopCause } from '../../../src/platforms/telegram/notifier.ts';
import { splitText } from '../../../src/chat/split.ts';
import { memoryLogger } from '../../../src/log.ts';
import type { ChartFile, SendResult } from '../../../src/alerts/notifier.ts';
import type { LocalizedMessage } from '../../../src/domain/message.ts';
import { seedAlert, startBot, stopBot, type RunningBot } from '../../helpers/telegram-harness.ts';
import { Dispatcher } from '../../../src/alerts/dispatcher.ts';
import { OutboxStore } from '../../../src/store/outbox.ts';
import { onSqlite } from '../../../src/store/engine.ts';
import { t } from '../../../src/domain/i18n/index.ts';

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(2048, 7)]);

/** One message as the dispatcher hands it over: text lines (no title), maybe a chart, parts delivered so far. */
interface TestAlert {
  readonly messageKey: string;
  readonly text: string;
  readonly chart: ChartFile | undefined;
}
const alert = (id: number, text = 'SPX/Gold broke 2.0 <down> & stayed'): TestAlert => ({
  messageKey: String(id),
  text,
  chart: { png: PNG, filename: `alert-${id}.png` },
});
const localized = (text: string): LocalizedMessage => ({
  lang: 'en',
  title: undefined,
  lines: text.split('\n'),
  fields: [],
  footer: undefined,
  chart: undefined,
  mention: false,
  tone: undefined,
});
/** Parts reported delivered, per chat and message. */
const delivered = new Map<string, number[]>();

function send(n: TelegramNotifier, chatId: string, a: TestAlert, fromPart = 0): Promise<SendResult> {
  const key = `${chatId}/${a.messageKey}`;
  return n.send({
    kind: 'alert',
    chatId,
    lang: 'en',
    message: localized(a.text),
    chart: a.chart,
    messageKey: a.messageKey,
    mention: null,
    fromPart,
    partSent: async (i) => {
      delivered.set(key, [...(delivered.get(key) ?? []), i]);
    },
  });
}

let fake: FakeTelegram;
let notifier: TelegramNotifier;

function makeNotifier(groupPerMinute = 20): TelegramNotifier {
  const api = new Api(fake.token, { apiRoot: fake.apiRoot, timeoutSeconds: 5 });
  return new TelegramNotifier({ api, rate: 25, groupPerMinute, paidBroadcast: false, log: memoryLogger() });
}

beforeEach(async () => {
  delivered.clear();
  fake = await FakeTelegram.start();
  notifier = makeNotifier();
});
afterEach(async () => {
  await fake.close();
});

describe('TelegramNotifier against the fake Bot API', () => {
  test('GIVEN one alert sent to 30 chats at once THEN the chart is uploaded exactly once and reused by file_id', async () => {
    const chats = Array.from({ length: 30 }, (_, i) => String(1000 + i));
    const results = await Promise.all(chats.map((c) => send(notifier, c, alert(1))));
    expect(results.every((r) => r.kind === 'sent')).toBe(true);
    const uploads = fake.uploads();
    expect(uploads).toHaveLength(1);
    expect(notifier.uploads).toBe(1);
    expect(uploads[0]?.files[0]?.bytes.subarray(0, 8)).toEqual(PNG.subarray(0, 8));
    const photos = fake.callsTo('sendPhoto');
    expect(photos).toHaveLength(30);
    const reusedIds = new Set(photos.filter((c) => c.files.length === 0).map((c) => c.params.photo));
    expect(reusedIds.size).toBe(1);
    expect(photos.map((c) => c.params.caption)).toEqual(Array(30).fill('SPX/Gold broke 2.0 &lt;down&gt; &amp; stayed'));
    expect(photos.every((c) => c.params.parse_mode === 'HTML')).toBe(true);
  });

  test('GIVEN the first chat to upload is blocked THEN another chat uploads and the rest reuse its file_id', async () => {
    fake.fault('2000', { kind: 'blocked' });
    const chats = ['2000', '2001', '2002', '2003'];
    const results = await Promise.all(chats.map((c) => send(notifier, c, alert(2))));
    expect(results[0]).toMatchObject({ kind: 'dead', reason: 'Forbidden: bot was blocked by the user' });
    expect(results.slice(1).every((r) => r.kind === 'sent')).toBe(true);
    expect(fake.uploads()).toHaveLength(1);
  });

  test('GIVEN a group that takes no photos from members, the first to upload THEN it gets the alert as text with a line saying why, and the others the photo', async () => {
    fake.fault('-2100', { kind: 'bad-request', description: 'not enough rights to send photos to the chat' }, { methods: ['sendPhoto'] });
    const results = await Promise.all(['-2100', '2101', '2102'].map((c) => send(notifier, c, alert(40))));
    expect(results).toEqual(Array(3).fill({ kind: 'sent' }));
    const [text] = fake.callsTo('sendMessage', '-2100');
    expect(text?.params.text).toBe('SPX/Gold broke 2.0 &lt;down&gt; &amp; stayed\n\n<i>The chart is left out: this chat does not let the bot send photos.</i>');
    expect(
      fake
        .callsTo('sendPhoto')
        .filter((c) => c.status === 200)
        .map((c) => c.chatId)
        .sort(),
    ).toEqual(['2101', '2102']);
    expect(fake.uploads()).toHaveLength(1);
  });

  test('GIVEN the upload answers 429 while other chats wait for it THEN they all retry later without calling the API', async () => {
    fake.fault('*', { kind: 'too-many', retryAfter: 3 }, { times: 1 });
    const results = await Promise.all(['21', '22', '23', '24'].map((c) => send(notifier, c, alert(31))));
    expect(results).toEqual(Array(4).fill({ kind: 'retry', afterMs: 3000, reason: 'Too Many Requests: retry after 3', global: true }));
    expect(fake.callsTo('sendPhoto')).toHaveLength(1);
  });

  test('GIVEN one event with a chart per language THEN each chart is uploaded once, and an equal chart in a new Buffer is reused', async () => {
    const zh = Buffer.concat([PNG, Buffer.from('zh')]);
    expect(await send(notifier, '11', alert(30))).toEqual({ kind: 'sent' });
    expect(await send(notifier, '12', { messageKey: '30', text: '中文', chart: { png: zh, filename: 'a.png' } })).toEqual({ kind: 'sent' });
    expect(await send(notifier, '13', { messageKey: '30', text: 'again', chart: { png: Buffer.from(PNG), filename: 'a.png' } })).toEqual({ kind: 'sent' });
    expect(fake.uploads().map((c) => c.chatId)).toEqual(['11', '12']);
  });

  test.each<[string, Fault, SendResult['kind'], Record<string, unknown>]>([
    ['429', { kind: 'too-many', retryAfter: 7 }, 'retry', { afterMs: 7000, global: true }],
    ['blocked (403)', { kind: 'blocked' }, 'dead', { cause: 'blocked' }],
    ['kicked (403)', { kind: 'kicked' }, 'dead', { cause: 'removed', reason: 'Forbidden: bot was kicked from the group chat' }],
    ['chat not found (400)', { kind: 'not-found' }, 'dead', { cause: 'gone', reason: 'Bad Request: chat not found' }],
    ['migrated to a supergroup', { kind: 'migrated', to: -1001234567890 }, 'moved', { newChatId: '-1001234567890' }],
    // The bot's right to post taken (a channel's Post Messages, a group that lets members say nothing): a 400, and as final as a 403.
    [
      'no right to post in the channel (400)',
      { kind: 'bad-request', description: 'need administrator rights in the channel chat' },
      'dead',
      { cause: 'rights', reason: 'Bad Request: need administrator rights in the channel chat' },
    ],
    [
      'no right to send text in the group (400)',
      { kind: 'bad-request', description: 'not enough rights to send text messages to the chat' },
      'dead',
      { cause: 'rights' },
    ],
    ['no right to send in the group (400)', { kind: 'bad-request', description: 'have no rights to send a message' }, 'dead', { cause: 'rights' }],
    [
      'admin rights needed (400)',
      { kind: 'bad-request', description: 'CHAT_ADMIN_REQUIRED' },
      'dead',
      { cause: 'rights', reason: 'Bad Request: CHAT_ADMIN_REQUIRED' },
    ],
    ['writing forbidden (400)', { kind: 'bad-request', description: 'CHAT_WRITE_FORBIDDEN' }, 'dead', { cause: 'rights' }],
    // Lost rights Telegram names by their MTProto code: each as final as a 403, never ten retries with an error logged each.
    [
      'restricted by Telegram (400)',
      { kind: 'bad-request', description: 'CHAT_RESTRICTED' },
      'dead',
      { cause: 'rights', reason: 'Bad Request: CHAT_RESTRICTED' },
    ],
    ['a discussion group asking to join first (400)', { kind: 'bad-request', description: 'CHAT_GUEST_SEND_FORBIDDEN' }, 'dead', { cause: 'rights' }],
    ['banned from posting in the channel (400)', { kind: 'bad-request', description: 'USER_BANNED_IN_CHANNEL' }, 'dead', { cause: 'rights' }],
    [
      'a private channel the bot left (400)',
      { kind: 'bad-request', description: 'CHANNEL_PRIVATE' },
      'dead',
      { cause: 'removed', reason: 'Bad Request: CHANNEL_PRIVATE' },
    ],
    [
      'a chat id Telegram does not know (400)',
      { kind: 'bad-request', description: 'PEER_ID_INVALID' },
      'dead',
      { cause: 'gone', reason: 'Bad Request: PEER_ID_INVALID' },
    ],
    ['a deactivated group (400)', { kind: 'bad-request', description: 'group is deactivated' }, 'dead', { cause: 'gone' }],
    [
      'not a member of the channel (403)',
      { kind: 'forbidden', description: 'bot is not a member of the channel chat' },
      'dead',
      { cause: 'removed', reason: 'Forbidden: bot is not a member of the channel chat' },
    ],
    // 5xx and network errors: Telegram's or the network's outage, not the chat's, waited out by the
    // dispatcher without spending the message's attempts (tests/alerts/outage.test.ts).
    ['502', { kind: 'server' }, 'retry', { outage: true }],
    ['network error', { kind: 'network' }, 'retry', { outage: true }],
    // The token revoked while running: the bot's failure, every chat's alike; was an unknown 400's
    // retry, its attempts counted (every queued message given up after ten), an error line a chat.
    [
      'a refused token (401, revoked in @BotFather while running)',
      { kind: 'unauthorized' },
      'retry',
      {
        outage: true,
        global: true,
        reason: 'the Telegram token was refused (401 Unauthorized): revoked in @BotFather? Set TELEGRAM_BOT_TOKEN and restart goldratio',
      },
    ],
    // Any other 400 is a bad request of ours: no outage, its attempts are counted.
    ['an unknown 400', { kind: 'bad-request', description: 'message text is empty' }, 'retry', { reason: 'Bad Request: message text is empty' }],
  ])('GIVEN the API answers %s THEN the result is %s', async (_name, fault, kind, extra) => {
    fake.fault('-42', fault, { times: 1 });
    const result = await send(notifier, '-42', alert(3));
    expect(result).toMatchObject({ kind, ...extra });
    if (kind === 'retry' && !('global' in extra)) {
      expect(result).not.toHaveProperty('global');
      expect(result).not.toHaveProperty('afterMs');
    }
    if (kind === 'retry' && !('outage' in extra)) expect(result).not.toHaveProperty('outage');
  });

  test('GIVEN a token Telegram answers 404 Not Found (the bot deleted in @BotFather: getMe and getUpdates read it as the token refused) THEN a send is the same outage of the token, no error line', async () => {
    const log = memoryLogger('debug');
    const api = new Api('123456:a-token-telegram-no-longer-knows', { apiRoot: fake.apiRoot, timeoutSeconds: 5 });
    const n = new TelegramNotifier({ api, rate: 25, groupPerMinute: 20, paidBroadcast: false, log });
    expect(await send(n, '-44', alert(3))).toEqual({
      kind: 'retry',
      outage: true,
      global: true,
      reason: 'the Telegram token was refused (404 Not Found): revoked or the bot deleted in @BotFather? Set TELEGRAM_BOT_TOKEN and restart goldratio',
    });
    expect(log.lines.filter((l) => /ERROR/.test(l))).toEqual([]);
  });

  test('GIVEN the connection dropped mid-request THEN the outage says why (the socket’s reason, not only grammY’s "Network request failed"), never the token', async () => {
    fake.fault('-43', { kind: 'network' }, { times: 1 });
    const result = await send(notifier, '-43', alert(3));
    expect(result).toMatchObject({ kind: 'retry', outage: true });
    const reason = (result as { reason: string }).reason;
    expect(reason).toMatch(/^Network request for 'send\w+' failed! \((?:socket hang up|ECONNRESET|other side closed)/);
    expect(reason).not.toContain(fake.token);
  });

  test.each([
    ['Forbidden: bot was blocked by the user', 'blocked'],
    ['Forbidden: bot was kicked from the supergroup chat', 'removed'],
    ['Forbidden: bot is not a member of the channel chat', 'removed'],
    ['Forbidden: need administrator rights in the channel chat', 'rights'],
    ['Forbidden: CHAT_WRITE_FORBIDDEN', 'rights'],
    ['Bad Request: CHAT_ADMIN_REQUIRED', 'rights'],
    ['Bad Request: TOPIC_CLOSED', 'closed'],
    ['Bad Request: CHAT_SEND_PLAIN_FORBIDDEN', 'rights'],
    ['Bad Request: CHAT_RESTRICTED', 'rights'],
    ['Bad Request: USER_BANNED_IN_CHANNEL', 'rights'],
    ['Bad Request: CHANNEL_PRIVATE', 'removed'],
    ['Bad Request: PEER_ID_INVALID', 'gone'],
    ['Forbidden: user is deactivated', 'gone'],
    ['Bad Request: chat not found', 'gone'],
  ])('GIVEN Telegram refuses a chat with %j THEN the cause the chat is told later is %s', (description, cause) => {
    expect(telegramStopCause(description)).toBe(cause);
  });
  test('GIVEN a group that lets members send photos but no text (400 CHAT_SEND_PLAIN_FORBIDDEN) THEN an alert with its chart goes as a photo, and one that is text alone is refused alone (the chat kept), nothing logged as our error; a group that takes neither is stopped with the cause rights', async () => {
    const log = memoryLogger('debug');
    const api = new Api(fake.token, { apiRoot: fake.apiRoot, timeoutSeconds: 5 });
    const n = new TelegramNotifier({ api, rate: 25, groupPerMinute: 20, paidBroadcast: false, log });
    fake.fault('-2200', { kind: 'bad-request', description: 'CHAT_SEND_PLAIN_FORBIDDEN' }, { methods: ['sendMessage'] });
    expect(await send(n, '-2200', alert(41))).toEqual({ kind: 'sent' });
    expect(await send(n, '-2200', { ...alert(42), chart: undefined })).toEqual({ kind: 'refused', reason: 'Bad Request: CHAT_SEND_PLAIN_FORBIDDEN' });
    expect(fake.callsTo('sendMessage', '-2200')).toHaveLength(1);
    // Neither photos nor text: its photo refused, then its text.
    fake.fault('-2201', { kind: 'bad-request', description: 'not enough rights to send photos to the chat' }, { methods: ['sendPhoto'] });
    fake.fault('-2201', { kind: 'bad-request', description: 'not enough rights to send text messages to the chat' }, { methods: ['sendMessage'] });
    expect(await send(n, '-2201', alert(46))).toEqual({
      kind: 'dead',
      cause: 'rights',
      reason: 'Bad Request: not enough rights to send text messages to the chat',
    });
    expect(log.lines.filter((l) => /ERROR/.test(l))).toEqual([]);
  });

  test('GIVEN a group that takes photos but no text (400 CHAT_SEND_PLAIN_FORBIDDEN) and an alert over 1024 characters THEN it goes as the photo alone, its caption fitted with its headline, ratio and level lines and "…" where cut, the chat kept; the next one the same at once', async () => {
    const log = memoryLogger('debug');
    const api = new Api(fake.token, { apiRoot: fake.apiRoot, timeoutSeconds: 5 });
    const n = new TelegramNotifier({ api, rate: 25, groupPerMinute: 20, paidBroadcast: false, log });
    fake.fault('-2300', { kind: 'bad-request', description: 'CHAT_SEND_PLAIN_FORBIDDEN' }, { methods: ['sendMessage'] });
    // A story of flag-emoji sentences: a cut inside one would be half a flag.
    const story = Array.from({ length: 12 }, (_, i) => `第${i + 1}段：🇹🇼 ${'比值在 2.5 支撐附近反覆測試，未能站穩 & 收在 <下方>。'.repeat(3)}`);
    const message: LocalizedMessage = {
      lang: 'zh-TW',
      title: 'SPX/Gold 跌破 2.5 支撐（1.83）',
      lines: ['比值 1.83，距離 2.5 支撐 -26.8%', '2.5：文章的長期支撐', ...story],
      fields: [],
      footer: undefined,
      chart: undefined,
      mention: false,
      tone: 'down',
    };
    const delivery = (key: string) => ({
      kind: 'alert' as const,
      chatId: '-2300',
      lang: 'zh-TW' as const,
      message,
      chart: { png: PNG, filename: `alert-${key}.png` },
      messageKey: key,
      mention: null,
      fromPart: 0,
      partSent: async () => {},
    });
    const visible = (html: unknown) => {
      const parsed = parseTelegramHtml(String(html));
      if (!parsed.ok) throw new Error(parsed.description);
      return parsed.text;
    };
    const whole = [message.title, ...message.lines].join('\n');
    expect(whole.length).toBeGreaterThan(1024);

    expect(await n.send(delivery('43'))).toEqual({ kind: 'sent' });
    const [edit] = fake.callsTo('editMessageCaption', '-2300');
    expect(edit?.status).toBe(200);
    const fitted = visible(edit?.params.caption);
    expect(fitted.length).toBeLessThanOrEqual(1024);
    expect(fitted.startsWith(`${message.title}\n${message.lines[0]}\n${message.lines[1]}\n${story[0]}`)).toBe(true);
    expect(fitted.endsWith('…')).toBe(true);
    // Whole lines, then one cut between whole graphemes (no half flag, no half escape).
    const cut = fitted.split('\n').at(-1)!.replace(/…$/, '');
    expect(whole.startsWith(fitted.replace(/…$/, ''))).toBe(true);
    expect([...(/\p{Regional_Indicator}*$/u.exec(cut)?.[0] ?? '')].length % 2).toBe(0);
    const [photo] = fake.callsTo('sendPhoto', '-2300');
    expect(edit?.params.message_id).toBe((photo?.result as { message_id: number } | undefined)?.message_id);

    // Known now: the next long alert is one photo with the fitted caption, no text tried, no edit.
    const before = fake.calls.length;
    expect(await n.send(delivery('44'))).toEqual({ kind: 'sent' });
    const after = fake.calls.slice(before);
    expect(after.map((c) => [c.method, c.status])).toEqual([['sendPhoto', 200]]);
    expect(visible(after[0]?.params.caption)).toBe(fitted);
    // A resume after its photo went out (a crash before the row was stored): the photo was the alert, nothing more goes.
    const resumed = fake.calls.length;
    expect(await n.send({ ...delivery('45'), fromPart: 1 })).toEqual({ kind: 'sent' });
    expect(fake.calls.slice(resumed)).toEqual([]);
    expect(log.lines.filter((l) => /ERROR|WARN/.test(l))).toEqual([]);
  });

  test('GIVEN a text over 1024 characters THEN the caption holds the first part and the rest follows as a message', async () => {
    const long = `Level 2.0 <broken>\n${'a & b '.repeat(300)}`;
    expect(await send(notifier, '7', alert(6, long))).toEqual({ kind: 'sent' });
    const [photo] = fake.callsTo('sendPhoto', '7');
    const [text] = fake.callsTo('sendMessage', '7');
    const caption = String(photo?.params.caption);
    const unescapeHtml = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
    expect(unescapeHtml(caption).length).toBeLessThanOrEqual(1024);
    expect(caption.startsWith('Level 2.0 &lt;broken&gt;')).toBe(true);
    expect(`${unescapeHtml(caption)}\n${unescapeHtml(String(text?.params.text))}`).toBe(long);
  });

  test('GIVEN the follow-up message fails after the photo went out THEN the photo was reported, and a resume sends only the follow-up (the last part is reported by the outcome)', async () => {
    fake.fault('8', { kind: 'too-many', retryAfter: 1 }, { times: 1, methods: ['sendMessage'] });
    const long = 'x '.repeat(700);
    expect(await send(notifier, '8', alert(7, long))).toMatchObject({ kind: 'retry', global: true, afterMs: 1000 });
    expect(delivered.get('8/7')).toEqual([0]);
    await new Promise((r) => setTimeout(r, 1_000)); // the fake keeps real time
    // The dispatcher stored part 0 as delivered and resumes at part 1.
    expect(await send(notifier, '8', alert(7, long), 1)).toEqual({ kind: 'sent' });
    expect(delivered.get('8/7')).toEqual([0]);
    expect(fake.violations).toEqual([]);
    expect(fake.callsTo('sendPhoto', '8')).toHaveLength(1);
    expect(fake.callsTo('sendMessage', '8').filter((c) => c.status === 200)).toHaveLength(1);
  });

  test('GIVEN a group already sent its limit this minute THEN the next alert waits without calling the API', async () => {
    notifier = makeNotifier(2);
    expect(await send(notifier, '-100', alert(8))).toEqual({ kind: 'sent' });
    expect(await send(notifier, '-100', alert(9))).toEqual({ kind: 'sent' });
    const third = await send(notifier, '-100', alert(10));
    expect(third).toMatchObject({ kind: 'retry' });
    expect(third.kind === 'retry' && (third.afterMs ?? 0) > 50_000 && (third.afterMs ?? 0) <= 60_000).toBe(true);
    expect(fake.callsTo('sendPhoto', '-100')).toHaveLength(2);
    // A private chat is not limited per minute.
    for (let i = 0; i < 3; i++) expect(await send(notifier, '100', alert(11 + i))).toEqual({ kind: 'sent' });
  });

  test('GIVEN an alert without chart THEN it goes as an escaped HTML message', async () => {
    expect(await send(notifier, '9', { messageKey: '20', text: 'QQQ/Gold < 0.1', chart: undefined })).toEqual({ kind: 'sent' });
    expect(fake.callsTo('sendMessage', '9')[0]?.params).toMatchObject({ text: 'QQQ/Gold &lt; 0.1', parse_mode: 'HTML' });
  });
});

describe('splitText', () => {
  test.each([
    ['short text stays whole', 'hello', 10, ['hello']],
    ['cuts at a line break', 'aaaa\nbbbb\ncc', 10, ['aaaa\nbbbb', 'cc']],
    ['cuts at a space when no line break fits', 'aaa bbb ccc', 8, ['aaa bbb', 'ccc']],
    ['hard cut without whitespace', 'abcdefghij', 4, ['abcd', 'efgh', 'ij']],
    ['never splits a surrogate pair', 'abc😀def', 4, ['abc', '😀de', 'f']],
  ])('%s', (_name, text, max, expected) => {
    expect(splitText(text, max, max)).toEqual(expected);
  });
});

describe('a chat that takes no photos, through the bot as main.ts wires it', () => {
  let bot: RunningBot;
  beforeEach(async () => {
    bot = await startBot();
  });
  afterEach(() => stopBot(bot));

  test('GIVEN a group that lets the bot send text but not photos THEN every alert comes as text, and the line saying why the chart is left out comes once, not under each alert', async () => {
    const { fake, world, tg } = bot;
    const group = '-2200';
    fake.fault(group, { kind: 'bad-request', description: 'not enough rights to send photos to the chat' }, { methods: ['sendPhoto'] });
    const dispatcher = new Dispatcher(new OutboxStore(onSqlite(world.db)), world.deps.subs, { notifiers: [tg.notifier], charts: world.charts, log: world.log });
    const note = t('en', 'telegram.noPhotos');
    for (const day of ['2026-09-03', '2026-09-04', '2026-09-08']) {
      await seedAlert(world, [group], Date.parse(`${day}T21:00:00Z`));
      await dispatcher.drain();
    }
    const texts = fake
      .callsTo('sendMessage', group)
      .filter((c) => c.status === 200)
      .map((c) => String(c.params.text));
    expect(texts).toHaveLength(3);
    expect(texts.map((x) => x.includes(note))).toEqual([true, false, false]);
    expect(await dispatcher.pending()).toBe(0);
    expect((await world.deps.subs.get('telegram', group))?.active).toBe(true);
  });

  test('GIVEN a group and a channel the bot has heard from, taking no photos THEN the line saying why the chart is left out names the group as a group, the channel as a channel', async () => {
    const { fake, world, tg } = bot;
    const dispatcher = new Dispatcher(new OutboxStore(onSqlite(world.db)), world.deps.subs, { notifiers: [tg.notifier], charts: world.charts, log: world.log });
    const places = [
      { chat: -2210, type: 'supergroup', words: 'The chart is left out: this group does not let the bot send photos.' },
      { chat: -2211, type: 'channel', words: 'The chart is left out: this channel does not let the bot send photos.' },
    ] as const;
    for (const p of places) {
      fake.fault(String(p.chat), { kind: 'bad-request', description: 'not enough rights to send photos to the chat' }, { methods: ['sendPhoto'] });
      // Any update from the chat: the bot keeps its type (store/chat-types.ts).
      fake.textMessage(p.chat, '/start', { id: 2210, first_name: 'Lin', language_code: 'en' }, p.type);
      await fake.waitFor((c) => c.method === 'sendMessage' && c.chatId === String(p.chat));
    }
    await seedAlert(
      world,
      places.map((p) => String(p.chat)),
    );
    await dispatcher.drain();
    for (const p of places) {
      const alert = fake
        .callsTo('sendMessage', p.chat)
        .filter((c) => c.status === 200)
        .at(-1);
      expect(String(alert?.params.text), p.type).toContain(p.words);
    }
  });

  test('GIVEN a group that lets the bot send photos but no text THEN a message of text alone (a quiet-hours summary) is refused alone, and the alert after it comes, with its chart, in the same drain; the chat keeps its alerts', async () => {
    const { fake, world, tg } = bot;
    const group = '-2600';
    fake.fault(group, { kind: 'bad-request', description: 'CHAT_SEND_PLAIN_FORBIDDEN' }, { methods: ['sendMessage'] });
    const sub = (await world.deps.subs.upsert('telegram', group, {}))!;
    const outbox = new OutboxStore(onSqlite(world.db));
    const dispatcher = new Dispatcher(outbox, world.deps.subs, { notifiers: [tg.notifier], charts: world.charts, log: world.log });
    await outbox.enqueue('alert', { title: '2 alerts during quiet hours', lines: ['SPX/Gold broke 2.5', 'QQQ/Gold broke 0.25'] }, [sub.id]);
    await seedAlert(world, [group]);
    await dispatcher.drain();
    expect(fake.callsTo('sendMessage', group).map((c) => c.status)).toEqual([400]);
    expect(fake.callsTo('sendPhoto', group).map((c) => c.status)).toEqual([200]);
    expect(await dispatcher.pending()).toBe(0);
    expect((await world.deps.subs.get('telegram', group))?.active).toBe(true);
    expect(world.log.records.some((r) => r.level === 'warn' && /refused by the chat, which keeps its alerts/.test(String(r.msg)))).toBe(true);
  });

  test('GIVEN a group that lets the bot send photos but no text THEN a digest too long for a caption comes as its chart with the caption fitted, and the chat keeps its alerts', async () => {
    const { fake, world, tg } = bot;
    const group = '-2500';
    fake.fault(group, { kind: 'bad-request', description: 'CHAT_SEND_PLAIN_FORBIDDEN' }, { methods: ['sendMessage'] });
    const sub = (await world.deps.subs.upsert('telegram', group, { lang: 'zh-TW' }))!;
    const outbox = new OutboxStore(onSqlite(world.db));
    const dispatcher = new Dispatcher(outbox, world.deps.subs, { notifiers: [tg.notifier], charts: world.charts, log: world.log });
    const story = Array.from({ length: 10 }, (_, i) => `標普500/黃金 故事 ${i + 1}：${'自上次突破以來，比率三度回測 2.5 壓力未果。'.repeat(4)}`);
    await outbox.enqueue(
      'digest',
      {
        title: '每日摘要',
        lines: ['標普500/黃金 1.664 · 單日 -0.08%', '↑ 2.5（+50.3%）· ↓ 0.6–0.7（-57.9%）', ...story],
        chart: { kind: 'digest' },
        tone: 'neutral',
      },
      [sub.id],
    );
    await dispatcher.drain();
    expect(fake.callsTo('sendPhoto', group).map((c) => c.status)).toEqual([200]);
    const [edit] = fake.callsTo('editMessageCaption', group);
    const caption = String(edit?.params.caption);
    expect(caption.startsWith('<b>每日摘要</b>\n標普500/黃金 1.664 · 單日 -0.08%\n↑ 2.5（+50.3%）· ↓ 0.6–0.7（-57.9%）\n')).toBe(true);
    expect(caption.endsWith('…')).toBe(true);
    expect(await dispatcher.pending()).toBe(0);
    expect((await world.deps.subs.get('telegram', group))?.active).toBe(true);
  });
});
