import { onSqlite } from '../../../src/store/engine.ts';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { FakeTelegram, FakeUser } from '../../fakes/telegram.ts';
import { seedAlert, startBot, stopBot, type World } from '../../helpers/telegram-harness.ts';
import { createTelegram, type Telegram } from '../../../src/platforms/telegram/bot.ts';
import { Dispatcher } from '../../../src/alerts/dispatcher.ts';
import { OutboxStore } from '../../../src/store/outbox.ts';
import { allKeys, t } from '../../../src/domain/i18n/index.ts';
import { stopReason } from '../../../src/domain/stop-cause.ts';
import { until } from '../../helpers/replicas.ts';
import { LANGS } from '../../../src/domain/i18n/index.ts';

const ADMIN: FakeUser = { id: 4004, first_name: 'Ada', language_code: 'en' };
const FORUM = -1_000_500;
const TOPIC = 7;

let fake: FakeTelegram;
let world: World;
let tg: Telegram;
let dispatcher: Dispatcher;

beforeEach(async () => {
  ({ fake, world, tg } = await startBot());
  fake.setForum(FORUM);
  fake.setMember(FORUM, ADMIN.id, 'administrator');
  dispatcher = new Dispatcher(new OutboxStore(onSqlite(world.db)), world.deps.subs, { notifiers: [tg.notifier], charts: world.charts, log: world.log });
});
afterEach(() => stopBot({ fake, world, tg }));

/** Sends /subscribe (in `topic`, or in General) and waits for the bot's answer. */
async function subscribe(topic?: number): Promise<void> {
  const before = fake.calls.length;
  fake.textMessage(FORUM, '/subscribe', ADMIN, 'supergroup', topic !== undefined ? { topic } : {});
  await fake.waitFor((c) => (c.method === 'sendMessage' || c.method === 'sendPhoto') && c.chatId === String(FORUM), undefined, before);
}

/** One alert to the forum, drained; the sends it made. */
async function alertNow(): Promise<typeof fake.calls> {
  const before = fake.calls.length;
  await seedAlert(world, [String(FORUM)]);
  await dispatcher.drain();
  return fake.calls.slice(before).filter((c) => c.chatId === String(FORUM) && (c.method === 'sendMessage' || c.method === 'sendPhoto'));
}

describe('Telegram forum topics', () => {
  test('GIVEN /subscribe inside a topic THEN the answer and every alert land in that topic', async () => {
    await subscribe(TOPIC);
    const answer = fake.calls.find((c) => c.chatId === String(FORUM) && c.method === 'sendMessage');
    expect(answer?.params.message_thread_id).toBe(TOPIC);
    expect((await world.deps.subs.get('telegram', String(FORUM)))?.threadId).toBe(TOPIC);
    const sends = await alertNow();
    expect(sends.length).toBeGreaterThan(0);
    expect(sends.every((c) => c.status === 200 && String(c.params.message_thread_id) === String(TOPIC))).toBe(true);
  });

  test('GIVEN /subscribe in General THEN alerts go to the chat itself, as before topics', async () => {
    await subscribe(TOPIC);
    await subscribe();
    expect((await world.deps.subs.get('telegram', String(FORUM)))?.threadId).toBeNull();
    const sends = await alertNow();
    expect(sends.every((c) => c.status === 200 && c.params.message_thread_id === undefined)).toBe(true);
  });

  test('GIVEN alerts go to a topic WHEN /subscribe is sent in General THEN the answer says they moved there and how to move them back', async () => {
    await subscribe(TOPIC);
    const first = fake.calls.find((c) => c.chatId === String(FORUM) && c.method === 'sendMessage');
    expect(String(first?.params.text)).toContain(t('en', 'telegram.topicMoved.toTopic'));
    const before = fake.calls.length;
    await subscribe();
    const answer = fake.calls.slice(before).find((c) => c.chatId === String(FORUM) && c.method === 'sendMessage');
    expect(String(answer?.params.text)).toContain(t('en', 'telegram.topicMoved.toGeneral'));
    // Sent again where they already go: nothing moved, nothing said about it.
    const again = fake.calls.length;
    await subscribe();
    const same = fake.calls.slice(again).find((c) => c.chatId === String(FORUM) && c.method === 'sendMessage');
    expect(String(same?.params.text)).not.toContain(t('en', 'telegram.topicMoved.toGeneral'));
  });

  test('GIVEN /start in a topic WHEN its Subscribe button is pressed THEN the answer and every alert land in that topic, as /subscribe typed there', async () => {
    const before = fake.calls.length;
    fake.textMessage(FORUM, '/start', ADMIN, 'supergroup', { topic: TOPIC });
    const welcome = await fake.waitFor((c) => c.method === 'sendMessage' && c.chatId === String(FORUM), undefined, before);
    expect(welcome.params.message_thread_id).toBe(TOPIC);
    const pressed = fake.calls.length;
    fake.callbackQuery(FORUM, (welcome.result as { message_id: number }).message_id, 'cmd:subscribe', ADMIN);
    const answer = await fake.waitFor((c) => c.method === 'sendMessage' && c.chatId === String(FORUM), undefined, pressed);
    expect(answer.params.message_thread_id).toBe(TOPIC);
    expect(String(answer.params.text)).toContain(t('en', 'telegram.topicMoved.toTopic'));
    expect(await world.deps.subs.get('telegram', String(FORUM))).toMatchObject({ active: true, threadId: TOPIC });
    const sends = await alertNow();
    expect(sends.length).toBeGreaterThan(0);
    expect(sends.every((c) => c.status === 200 && String(c.params.message_thread_id) === String(TOPIC))).toBe(true);
  });

  test.each(['deleted', 'closed'] as const)(
    'GIVEN the topic is %s THEN the alert falls back once to General with a notice, and the chat stays subscribed',
    async (how) => {
      await subscribe(TOPIC);
      fake.closeTopic(FORUM, TOPIC, how);
      const sends = await alertNow();
      // The refused send, the one-line notice, then the alert itself, all outside the topic after the first.
      expect(sends[0]?.status).toBe(400);
      const after = sends.slice(1);
      expect(after.every((c) => c.status === 200 && c.params.message_thread_id === undefined)).toBe(true);
      expect(String(after[0]?.params.text)).toBe(t('en', 'telegram.topicGone.alerts'));
      expect(after.some((c) => c.method === 'sendPhoto')).toBe(true);
      const sub = await world.deps.subs.get('telegram', String(FORUM));
      expect(sub).toMatchObject({ active: true, threadId: null });
      expect(await dispatcher.pending()).toBe(0);
      // The next alert goes straight to General: no refused send, no second notice.
      const next = await alertNow();
      expect(next.every((c) => c.status === 200 && c.params.message_thread_id === undefined)).toBe(true);
      expect(next.some((c) => String(c.params.text) === t('en', 'telegram.topicGone.alerts'))).toBe(false);
    },
  );

  test.each([
    ['zh-TW', '「一般」（General）話題'],
    ['zh-CN', '“常规”（General）话题'],
  ] as const)(
    'GIVEN a %s forum whose topic is deleted THEN the notice names General in Chinese, as the client shows it, with its English name beside it',
    async (lang, general) => {
      const admin: FakeUser = { id: 4005, first_name: 'Mei', language_code: lang };
      fake.setMember(FORUM, admin.id, 'administrator');
      const before = fake.calls.length;
      fake.textMessage(FORUM, '/subscribe', admin, 'supergroup', { topic: TOPIC });
      await fake.waitFor((c) => c.method === 'sendMessage' && c.chatId === String(FORUM), undefined, before);
      expect((await world.deps.subs.get('telegram', String(FORUM)))?.lang).toBe(lang);
      fake.closeTopic(FORUM, TOPIC, 'deleted');
      const notice = String((await alertNow())[1]?.params.text);
      expect(notice).toBe(t(lang, 'telegram.topicGone.alerts'));
      expect(notice).toContain(general);
      // Every notice about General says it so: never the bare English name in a Chinese sentence.
      for (const key of allKeys(lang).filter((k) => k.startsWith('telegram.'))) {
        const text = t(lang, key);
        expect(text.replaceAll(general, '').replace(/「一般」話題|“常规”话题/g, ''), `${lang} ${key}`).not.toContain('General');
      }
    },
  );

  test('GIVEN an alert on its way to a deleted topic WHEN /subscribe is sent in another topic meanwhile THEN the alert lands in the new topic, which stays chosen; no notice says they went to General', async () => {
    await subscribe(TOPIC);
    fake.closeTopic(FORUM, TOPIC, 'deleted');
    // The alert's photo is claimed with the old topic and held on its way; the admin moves the alerts meanwhile.
    fake.slow('sendPhoto', 1500);
    const before = fake.calls.length;
    await seedAlert(world, [String(FORUM)]);
    const drained = dispatcher.drain();
    await until('the photo on its way', () => fake.held.includes('sendPhoto') || undefined, 10_000);
    fake.slow('sendPhoto', 0);
    await subscribe(9);
    await drained;
    const sends = fake.calls.slice(before).filter((c) => c.chatId === String(FORUM) && (c.method === 'sendMessage' || c.method === 'sendPhoto'));
    expect(sends.some((c) => String(c.params.text) === t('en', 'telegram.topicGone.alerts'))).toBe(false);
    const photos = sends.filter((c) => c.method === 'sendPhoto');
    expect(photos.map((c) => [c.status, String(c.params.message_thread_id)])).toEqual([
      [400, String(TOPIC)],
      [200, '9'],
    ]);
    expect((await world.deps.subs.get('telegram', String(FORUM)))?.threadId).toBe(9);
    expect(await dispatcher.pending()).toBe(0);
  });

  test('GIVEN two alerts queued for a chat whose topic was deleted THEN one refused try and one notice, both alerts in General', async () => {
    await subscribe(TOPIC);
    fake.closeTopic(FORUM, TOPIC, 'deleted');
    const before = fake.calls.length;
    // Both rows are claimed with the topic they were queued for, before the first send finds it gone.
    await seedAlert(world, [String(FORUM)], Date.parse('2026-09-03T21:00:00Z'));
    await seedAlert(world, [String(FORUM)], Date.parse('2026-09-04T21:00:00Z'));
    await dispatcher.drain();
    const sends = fake.calls.slice(before).filter((c) => c.chatId === String(FORUM) && (c.method === 'sendMessage' || c.method === 'sendPhoto'));
    expect(sends.filter((c) => c.status !== 200)).toHaveLength(1);
    expect(sends.filter((c) => c.params.message_thread_id !== undefined)).toHaveLength(1);
    expect(sends.filter((c) => String(c.params.text) === t('en', 'telegram.topicGone.alerts'))).toHaveLength(1);
    expect(sends.filter((c) => c.method === 'sendPhoto' && c.status === 200)).toHaveLength(2);
    expect(await dispatcher.pending()).toBe(0);
  });
});

describe('Telegram forum topics: General closed', () => {
  /** Sends `text` in `topic` and returns the bot's answer to it. */
  async function ask(text: string, topic: number): Promise<string> {
    const before = fake.calls.length;
    fake.textMessage(FORUM, text, ADMIN, 'supergroup', { topic });
    const answer = await fake.waitFor((c) => c.method === 'sendMessage' && c.chatId === String(FORUM), undefined, before);
    return String(answer.params.text);
  }

  test('GIVEN alerts go to General WHEN its admins close General THEN one refused try, the alerts stop, /start in a topic says why, and /subscribe there brings them back to it', async () => {
    await subscribe();
    fake.closeGeneral(FORUM);
    const sends = await alertNow();
    // Not retried ten times with an error each: one refused send, and the chat's alerts end with their cause.
    expect(sends.map((c) => [c.status, c.description])).toEqual([[400, 'Bad Request: TOPIC_CLOSED']]);
    expect(await dispatcher.pending()).toBe(0);
    const sub = await world.deps.subs.get('telegram', String(FORUM));
    expect(sub?.active).toBe(false);
    expect(sub?.deactivatedReason).toBe('closed: Bad Request: TOPIC_CLOSED');
    expect(await ask('/start', TOPIC)).toContain(t('en', 'chat.sub.stopped.closed'));
    expect(await ask('/subscribe', TOPIC)).toContain(t('en', 'chat.sub.resumed'));
    const next = await alertNow();
    expect(next.length).toBeGreaterThan(0);
    expect(next.every((c) => c.status === 200 && String(c.params.message_thread_id) === String(TOPIC))).toBe(true);
  });

  test('GIVEN alerts go to a deleted topic and General is closed THEN they stop with that cause after one try of each, not retried', async () => {
    await subscribe(TOPIC);
    fake.closeTopic(FORUM, TOPIC, 'deleted');
    fake.closeGeneral(FORUM);
    const sends = await alertNow();
    expect(sends.map((c) => c.status)).toEqual([400, 400]);
    expect(await dispatcher.pending()).toBe(0);
    expect(await world.deps.subs.get('telegram', String(FORUM))).toMatchObject({ active: false, deactivatedReason: 'closed: Bad Request: TOPIC_CLOSED' });
  });
});

describe('Telegram forum topics when something breaks', () => {
  test('GIVEN a command in a topic fails unexpectedly THEN the apology comes to that topic, quoting the command, not to General', async () => {
    await tg.stop();
    tg = createTelegram({ config: world.config, deps: world.deps, log: world.log, charts: { render: () => Promise.reject(new Error('disk full')) } });
    await tg.start();
    const before = fake.calls.length;
    fake.textMessage(FORUM, '/ratio', ADMIN, 'supergroup', { topic: TOPIC });
    const apology = await fake.waitFor((c) => c.method === 'sendMessage' && c.chatId === String(FORUM), undefined, before);
    expect(String(apology.params.text)).toBe(t('en', 'chat.failed'));
    expect(apology.params.message_thread_id).toBe(TOPIC);
    expect(apology.params.reply_parameters).toMatchObject({ allow_sending_without_reply: true });
  });
});

describe('a command answered in a topic the bot may no longer post in', () => {
  const sendsTo = (before: number) =>
    fake.calls.slice(before).filter((c) => c.chatId === String(FORUM) && (c.method === 'sendMessage' || c.method === 'sendPhoto'));
  const errors = () => world.log.records.filter((r) => r.level === 'error' || r.level === 'warn');

  test.each(['closed', 'deleted'] as const)(
    'GIVEN /help typed by an admin in a topic then %s THEN the answer comes to General, saying why, after one refused try; nothing logged as an error',
    async (how) => {
      fake.closeTopic(FORUM, TOPIC, how);
      const before = fake.calls.length;
      fake.textMessage(FORUM, '/help', ADMIN, 'supergroup', { topic: TOPIC });
      await fake.waitFor((c) => c.method === 'sendMessage' && c.chatId === String(FORUM) && c.status === 200, undefined, before);
      const sends = sendsTo(before);
      expect(sends[0]).toMatchObject({ status: 400, description: how === 'closed' ? 'Bad Request: TOPIC_CLOSED' : 'Bad Request: message thread not found' });
      const answer = sends.filter((c) => c.status === 200);
      expect(answer.length).toBeGreaterThan(0);
      expect(answer.every((c) => c.params.message_thread_id === undefined && c.params.reply_parameters === undefined)).toBe(true);
      expect(answer.map((c) => String(c.params.text)).join('\n')).toContain(t('en', 'telegram.answerInGeneral'));
      expect(errors()).toEqual([]);
    },
  );

  test('GIVEN the topic and General both closed THEN one refused try in each, no apology tried a third time, one line logged at info and none as an error', async () => {
    fake.closeTopic(FORUM, TOPIC, 'closed');
    fake.closeGeneral(FORUM);
    const before = fake.calls.length;
    fake.textMessage(FORUM, '/help', ADMIN, 'supergroup', { topic: TOPIC });
    await until('the refusal logged', () => world.log.records.find((r) => /answer refused/.test(String(r.msg))), 5000);
    await new Promise((r) => setTimeout(r, 200));
    expect(sendsTo(before).map((c) => [c.status, c.params.message_thread_id])).toEqual([
      [400, TOPIC],
      [400, undefined],
    ]);
    expect(errors()).toEqual([]);
    expect(world.log.records.filter((r) => /answer refused/.test(String(r.msg))).map((r) => r.level)).toEqual(['info']);
  });
});

describe('Telegram forum topics: a user going too fast', () => {
  test('GIVEN a user sending /help faster than the limit inside a topic THEN the one notice comes to that topic too', async () => {
    const before = fake.calls.length;
    for (let i = 0; i < 12; i++) fake.textMessage(FORUM, '/help', ADMIN, 'supergroup', { topic: TOPIC });
    const slowDown = t('en', 'flood.slow-down', { seconds: 99 }).split('99')[0]!;
    const notice = await fake.waitFor(
      (c) => c.method === 'sendMessage' && c.chatId === String(FORUM) && String(c.params.text).startsWith(slowDown),
      undefined,
      before,
    );
    expect(notice.params.message_thread_id).toBe(TOPIC);
    const sends = fake.calls.slice(before).filter((c) => c.method === 'sendMessage' && c.chatId === String(FORUM));
    expect(sends.every((c) => c.params.message_thread_id === TOPIC)).toBe(true);
  });

  test.each(['closed', 'deleted'] as const)(
    'GIVEN a user sending /help faster than the limit inside a topic since %s THEN the one notice comes to General, saying why, as the answers do; nothing logged as an error',
    async (how) => {
      fake.closeTopic(FORUM, TOPIC, how);
      const before = fake.calls.length;
      for (let i = 0; i < 12; i++) fake.textMessage(FORUM, '/help', ADMIN, 'supergroup', { topic: TOPIC });
      const slowDown = t('en', 'flood.slow-down', { seconds: 99 }).split('99')[0]!;
      const notice = await fake.waitFor(
        (c) => c.method === 'sendMessage' && c.chatId === String(FORUM) && c.status === 200 && String(c.params.text).startsWith(slowDown),
        undefined,
        before,
      );
      expect(notice.params.message_thread_id).toBeUndefined();
      expect(notice.params.reply_parameters).toBeUndefined();
      expect(String(notice.params.text)).toContain(t('en', 'telegram.answerInGeneral'));
      // Told once: one refused try in the topic, one in General.
      const notices = fake.calls.slice(before).filter((c) => c.method === 'sendMessage' && String(c.params.text).startsWith(slowDown));
      expect(notices.map((c) => [c.status, c.params.message_thread_id])).toEqual([
        [400, TOPIC],
        [200, undefined],
      ]);
      expect(world.log.records.filter((r) => r.level === 'error' || r.level === 'warn')).toEqual([]);
    },
  );

  test('GIVEN a user going too fast in a closed topic and General closed too THEN one refused try of the notice in each, logged at info, never as an error', async () => {
    fake.closeTopic(FORUM, TOPIC, 'closed');
    fake.closeGeneral(FORUM);
    const before = fake.calls.length;
    for (let i = 0; i < 12; i++) fake.textMessage(FORUM, '/help', ADMIN, 'supergroup', { topic: TOPIC });
    const slowDown = t('en', 'flood.slow-down', { seconds: 99 }).split('99')[0]!;
    const notices = () => fake.calls.slice(before).filter((c) => c.method === 'sendMessage' && String(c.params.text).startsWith(slowDown));
    await until('the notice refused in General', () => notices().find((c) => c.params.message_thread_id === undefined), 5000);
    await new Promise((r) => setTimeout(r, 200));
    expect(notices().map((c) => [c.status, c.params.message_thread_id])).toEqual([
      [400, TOPIC],
      [400, undefined],
    ]);
    expect(world.log.records.filter((r) => r.level === 'error' || r.level === 'warn')).toEqual([]);
    expect(world.log.records.some((r) => r.level === 'info' && /flood notice goes to General/.test(String(r.msg)))).toBe(true);
  });
});

describe('Telegram forum topics: the daily digest', () => {
  /** Sends `text` (in `topic`, or in General) and returns the bot's answer to it. */
  async function send(text: string, topic?: number): Promise<(typeof fake.calls)[number]> {
    const before = fake.calls.length;
    fake.textMessage(FORUM, text, ADMIN, 'supergroup', topic !== undefined ? { topic } : {});
    return fake.waitFor((c) => c.method === 'sendMessage' && c.chatId === String(FORUM), undefined, before);
  }

  test('GIVEN no subscription WHEN /digest is set in a topic THEN the digest goes to that topic; set again in General, to General', async () => {
    const answer = await send('/digest 08:00 Asia/Taipei', TOPIC);
    expect(answer.params.message_thread_id).toBe(TOPIC);
    expect(await world.deps.subs.get('telegram', String(FORUM))).toMatchObject({ active: false, digestTime: '08:00', threadId: TOPIC });
    // Only showing it moves nothing.
    await send('/digest', 9);
    expect((await world.deps.subs.get('telegram', String(FORUM)))?.threadId).toBe(TOPIC);
    // The same setting sent in General moves it there; turning it off moves nothing.
    await send('/digest 08:00 Asia/Taipei');
    expect((await world.deps.subs.get('telegram', String(FORUM)))?.threadId).toBeNull();
    await send('/digest off', TOPIC);
    expect((await world.deps.subs.get('telegram', String(FORUM)))?.threadId).toBeNull();
  });

  test.each([
    [TOPIC, 'telegram.digestWith.topic'],
    [undefined, 'telegram.digestWith.general'],
  ] as const)('GIVEN alerts go to %s WHEN /digest is set in another topic THEN it stays with the alerts, and the answer says where', async (where, key) => {
    await subscribe(where);
    const answer = await send('/digest 08:00 Asia/Taipei', 9);
    expect(String(answer.params.text)).toContain(t('en', key));
    expect((await world.deps.subs.get('telegram', String(FORUM)))?.threadId).toBe(where ?? null);
    // Set where the alerts go: nothing to say.
    const same = await send('/digest 09:00 Asia/Taipei', where);
    expect(String(same.params.text)).not.toContain(t('en', key));
  });
});

describe('Telegram forum topics: /digest in a stopped chat', () => {
  /** Sends `text` (in `topic`, or in General) and returns the bot's answer to it. */
  async function send(text: string, topic?: number): Promise<(typeof fake.calls)[number]> {
    const before = fake.calls.length;
    fake.textMessage(FORUM, text, ADMIN, 'supergroup', topic !== undefined ? { topic } : {});
    return fake.waitFor((c) => c.method === 'sendMessage' && c.chatId === String(FORUM), undefined, before);
  }
  const OTHER = 9;

  test.each(['alerts', 'both'] as const)(
    'GIVEN alerts in a topic, then the bot removed (stop holds %s) WHEN /digest is set in another topic THEN the time is kept, the alerts keep their topic, and /subscribe sent there moves both',
    async (held) => {
      await subscribe(TOPIC);
      if (held === 'both') await world.deps.subs.upsert('telegram', String(FORUM), { digestTime: '08:00' });
      await world.deps.subs.chatGone('telegram', String(FORUM), stopReason('removed', 'Forbidden: bot was kicked from the supergroup chat'));
      expect((await world.deps.subs.get('telegram', String(FORUM)))?.stopHad).toBe(held);

      const answer = await send('/digest 09:00 UTC', OTHER);
      expect(answer.params.message_thread_id).toBe(OTHER);
      const text = String(answer.params.text);
      expect(text).toContain(t('en', 'chat.digest.setStopped', { time: '09:00', zone: 'UTC' }));
      expect(text).toContain(t('en', 'telegram.digestWith.topic'));
      // What the user asked for and no more: the time; the stop and the alerts' topic as they were.
      expect(await world.deps.subs.get('telegram', String(FORUM))).toMatchObject({ active: false, stopHad: held, digestTime: '09:00', threadId: TOPIC });

      // /subscribe in that other topic: both back, both there.
      await subscribe(OTHER);
      expect(await world.deps.subs.get('telegram', String(FORUM))).toMatchObject({ active: true, stopHad: null, digestTime: '09:00', threadId: OTHER });
    },
  );

  test('GIVEN a digest alone set in a topic, then the bot removed WHEN /digest is set in another topic THEN the digest comes back, to that topic', async () => {
    await send('/digest 08:00 UTC', TOPIC);
    await world.deps.subs.chatGone('telegram', String(FORUM), stopReason('removed', 'Forbidden: bot was kicked from the supergroup chat'));
    expect((await world.deps.subs.get('telegram', String(FORUM)))?.stopHad).toBe('digest');

    const answer = await send('/digest 09:00 UTC', OTHER);
    expect(String(answer.params.text)).toContain(t('en', 'chat.digest.resumed'));
    expect(String(answer.params.text)).not.toContain(t('en', 'telegram.digestWith.topic'));
    expect(await world.deps.subs.get('telegram', String(FORUM))).toMatchObject({ active: false, stopHad: null, digestTime: '09:00', threadId: OTHER });
  });
});

describe('Telegram forum topics: the group turns topics off', () => {
  test('GIVEN alerts go to a topic WHEN the admins turn topics off THEN the next alert comes to the chat, with a notice that says topics are off (no General to speak of), once', async () => {
    await subscribe(TOPIC);
    fake.topicsOff(FORUM);
    const sends = await alertNow();
    expect(sends[0]).toMatchObject({ status: 400, description: 'Bad Request: message thread not found' });
    const after = sends.slice(1);
    expect(after.every((c) => c.status === 200 && c.params.message_thread_id === undefined)).toBe(true);
    expect(String(after[0]?.params.text)).toBe(t('en', 'telegram.topicsOff.alerts'));
    expect(after.some((c) => c.method === 'sendPhoto')).toBe(true);
    expect(await world.deps.subs.get('telegram', String(FORUM))).toMatchObject({ active: true, threadId: null });
    const next = await alertNow();
    expect(next.every((c) => c.status === 200 && c.params.message_thread_id === undefined)).toBe(true);
    expect(next.some((c) => String(c.params.text) === t('en', 'telegram.topicsOff.alerts'))).toBe(false);
  });

  test('GIVEN alerts go to a topic and topics turned off WHEN /subscribe is sent in the group THEN the answer says topics are off, not that alerts moved to General', async () => {
    await subscribe(TOPIC);
    fake.topicsOff(FORUM);
    const before = fake.calls.length;
    await subscribe();
    const answer = fake.calls.slice(before).find((c) => c.chatId === String(FORUM) && c.method === 'sendMessage');
    expect(String(answer?.params.text)).toContain(t('en', 'telegram.topicsOff.alerts'));
    expect(String(answer?.params.text)).not.toContain('General');
    expect((await world.deps.subs.get('telegram', String(FORUM)))?.threadId).toBeNull();
  });

  test('GIVEN alerts go to a topic and topics turned off WHEN /digest is set in the group THEN the alerts and the digest come to the chat, and the answer says why, not "to the topic"', async () => {
    await subscribe(TOPIC);
    fake.topicsOff(FORUM);
    const before = fake.calls.length;
    fake.textMessage(FORUM, '/digest 08:00 Asia/Taipei', ADMIN, 'supergroup');
    const answer = await fake.waitFor((c) => c.method === 'sendMessage' && c.chatId === String(FORUM), undefined, before);
    expect(answer.status).toBe(200);
    expect(String(answer.params.text)).not.toContain(t('en', 'telegram.digestWith.topic'));
    expect(String(answer.params.text)).toContain(t('en', 'telegram.topicsOff.both'));
    expect((await world.deps.subs.get('telegram', String(FORUM)))?.threadId).toBeNull();
    const sends = await alertNow();
    expect(sends.length).toBeGreaterThan(0);
    expect(sends.every((c) => c.status === 200 && c.params.message_thread_id === undefined)).toBe(true);
  });
});

describe('Telegram forum topics: a chat with a digest alone', () => {
  /**
   * A digest for the forum, drained; the sends it made. Queued as the digest job queues it
   * (store/digests.ts): to a chat with a digest time whether or not it takes alerts.
   */
  async function digestNow(): Promise<typeof fake.calls> {
    const before = fake.calls.length;
    const sub = (await world.deps.subs.get('telegram', String(FORUM)))!;
    const outbox = new OutboxStore(onSqlite(world.db));
    const { messageId } = await outbox.enqueue('digest', { title: 'Daily digest', lines: ['SPX/Gold 1.664 · day -0.08%'], tone: 'neutral' }, [], {
      dedupeKey: `digest:${before}`,
    });
    world.db
      .prepare('INSERT INTO outbox (message_id, subscription_id, platform, chat_id, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(messageId, sub.id, 'telegram', String(FORUM), Date.now());
    await dispatcher.drain();
    return fake.calls.slice(before).filter((c) => c.chatId === String(FORUM) && (c.method === 'sendMessage' || c.method === 'sendPhoto'));
  }
  async function digestInTopic(lang = 'en'): Promise<void> {
    const before = fake.calls.length;
    fake.textMessage(FORUM, '/digest 08:00 Asia/Taipei', { ...ADMIN, language_code: lang }, 'supergroup', { topic: TOPIC });
    await fake.waitFor((c) => c.method === 'sendMessage' && c.chatId === String(FORUM), undefined, before);
    expect(await world.deps.subs.get('telegram', String(FORUM))).toMatchObject({ active: false, digestTime: '08:00', threadId: TOPIC });
  }

  test.each(LANGS)(
    'GIVEN a digest alone set in a topic (%s) WHEN the admins turn topics off THEN the digest comes to the chat with a notice about the digest, not about alerts',
    async (lang) => {
      await digestInTopic(lang);
      const chatLang = (await world.deps.subs.get('telegram', String(FORUM)))!.lang;
      expect(chatLang).toBe(lang);
      fake.topicsOff(FORUM);
      const sends = await digestNow();
      expect(sends[0]).toMatchObject({ status: 400, description: 'Bad Request: message thread not found' });
      const notice = String(sends[1]?.params.text);
      expect(notice).toBe(t(chatLang, 'telegram.topicsOff.digest'));
      expect(notice).not.toBe(t(chatLang, 'telegram.topicsOff.alerts'));
      expect(String(sends[2]?.params.text)).toContain('SPX/Gold 1.664');
      expect(sends.slice(1).every((c) => c.status === 200 && c.params.message_thread_id === undefined)).toBe(true);
    },
  );

  test('GIVEN a digest alone set in a topic WHEN that topic is deleted THEN the notice says the digest comes to General, and how to move it back', async () => {
    await digestInTopic();
    fake.closeTopic(FORUM, TOPIC, 'deleted');
    const sends = await digestNow();
    expect(sends[0]?.status).toBe(400);
    expect(String(sends[1]?.params.text)).toBe(t('en', 'telegram.topicGone.digest'));
    expect(String(sends[1]?.params.text)).toMatch(/digest/);
    expect(String(sends[1]?.params.text)).not.toMatch(/alerts/i);
  });

  test('GIVEN alerts and a digest in a topic WHEN the admins turn topics off THEN the notice names both', async () => {
    await subscribe(TOPIC);
    await world.deps.subs.upsert('telegram', String(FORUM), { digestTime: '08:00' });
    fake.topicsOff(FORUM);
    const sends = await alertNow();
    expect(String(sends[1]?.params.text)).toBe(t('en', 'telegram.topicsOff.both'));
  });
});

describe('Telegram forum topics: where the alerts go, said where the settings are read', () => {
  /** Sends `text` (in `topic`, or in General) and returns the text of the bot's answer. */
  async function ask(text: string, topic?: number, user: FakeUser = ADMIN): Promise<string> {
    const before = fake.calls.length;
    fake.textMessage(FORUM, text, user, 'supergroup', topic !== undefined ? { topic } : {});
    const answer = await fake.waitFor((c) => c.method === 'sendMessage' && c.chatId === String(FORUM), undefined, before);
    return String(answer.params.text);
  }

  test('GIVEN alerts go to a topic WHEN /mylevels is read in another topic or in General THEN it says they go to another topic; read in theirs, nothing more', async () => {
    await subscribe(TOPIC);
    expect(await ask('/mylevels', 9)).toContain(t('en', 'telegram.alertsIn.topic'));
    expect(await ask('/mylevels')).toContain(t('en', 'telegram.alertsIn.topic'));
    const own = await ask('/mylevels', TOPIC);
    expect(own).not.toContain(t('en', 'telegram.alertsIn.topic'));
    expect(own).not.toContain(t('en', 'telegram.alertsIn.general'));
  });

  test('GIVEN alerts go to General WHEN a zh-TW member reads /mylevels in a topic THEN it says, in Chinese, that they go to General', async () => {
    const MEI: FakeUser = { id: 4005, first_name: 'Mei', language_code: 'zh-hant' };
    await subscribe();
    await ask('/lang zh-TW', 9);
    expect(await ask('/mylevels', 9, MEI)).toContain(t('zh-TW', 'telegram.alertsIn.general'));
    expect(await ask('/mylevels', undefined, MEI)).not.toContain(t('zh-TW', 'telegram.alertsIn.general'));
  });

  test('GIVEN no alerts (unsubscribed) WHEN /mylevels is read in a topic THEN no line about where they go', async () => {
    await subscribe(TOPIC);
    await ask('/unsubscribe', TOPIC);
    const text = await ask('/mylevels', 9);
    expect(text).not.toContain(t('en', 'telegram.alertsIn.topic'));
  });
});
