/**
 * Chats Telegram stopped (blocked, kicked, the bot's right to post taken), through the real bot
 * against the fake Bot API and a real SQLite file: /unsubscribe never revives a digest the platform
 * stopped, and /subscribe or /digest with a time lift a stop for lost rights only where the Bot API
 * says the bot may post again (getChatMember for the bot itself, the group's permissions); else
 * one line in the chat's language says so, and the stop stays.
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { FakeTelegram, FakeUser, RecordedCall } from '../../fakes/telegram.ts';
import { startBot, stopBot, type World } from '../../helpers/telegram-harness.ts';
import type { Telegram } from '../../../src/platforms/telegram/bot.ts';
import { t, type Lang } from '../../../src/domain/i18n/index.ts';
import { stopReason } from '../../../src/domain/stop-cause.ts';
import { formatMoment } from '../../../src/chat/labels.ts';
import { nextSendingDue } from '../../../src/domain/digest-schedule.ts';
import { until } from '../../helpers/replicas.ts';
import type { Subscription } from '../../../src/store/subscriptions.ts';
import '../../../src/chat/registry.ts';
import { LANGS } from '../../../src/domain/i18n/index.ts';
import { telegramCode } from '../../helpers/lang-codes.ts';

const BOB: FakeUser = { id: 2002, first_name: 'Bob', username: 'bob', language_code: 'en' };
const MEI: FakeUser = { id: 3003, first_name: 'Mei', language_code: 'zh-hant' };
const LIN: FakeUser = { id: 4004, first_name: 'Lin', language_code: 'zh-hans' };
/** A reader of each language: Bob, Mei and Lin for these three, one made from langs.ts for any other. */
const USERS: Partial<Record<Lang, FakeUser>> = { en: BOB, 'zh-TW': MEI, 'zh-CN': LIN };
const userOf = (lang: Lang): FakeUser => USERS[lang] ?? { id: 5005 + LANGS.indexOf(lang), first_name: 'Aki', language_code: telegramCode(lang) };
const muted = { status: 'restricted', is_member: true, can_send_messages: false } as const;

let fake: FakeTelegram;
let world: World;
let tg: Telegram;

beforeEach(async () => ({ fake, world, tg } = await startBot()));
afterEach(() => stopBot({ fake, world, tg }));

/** Sends `text` into `chat` as `user` and resolves with the bot's next sendMessage there (answered or refused). */
async function ask(chat: number, text: string, user: FakeUser): Promise<RecordedCall> {
  const seen = fake.calls.length;
  fake.textMessage(chat, text, user, chat > 0 ? 'private' : 'supergroup');
  return fake.waitFor((c) => c.method === 'sendMessage' && c.chatId === String(chat), undefined, seen);
}

const row = async (chat: number): Promise<Subscription> => (await world.deps.subs.get('telegram', String(chat)))!;

/** A chat with what `had` names on (alerts, a digest at 08:00 UTC, both), in `lang`, then stopped for `reason`. */
async function stopped(chat: number, lang: Lang, had: 'alerts' | 'digest' | 'both', reason: string): Promise<Subscription> {
  const sub = await world.deps.subs.upsert('telegram', String(chat), { lang, active: had !== 'digest' });
  if (had !== 'alerts') await world.deps.digests!.set(sub.id, '08:00', 'UTC', Date.now());
  await world.deps.subs.chatGone('telegram', String(chat), reason);
  const after = await row(chat);
  expect(after).toMatchObject({ active: false, stopHad: had });
  return after;
}

describe('Telegram: /unsubscribe in a chat the platform stopped', () => {
  test.each(LANGS)(
    'GIVEN a private chat (%s) with alerts and a digest, blocked and back WHEN /unsubscribe THEN alerts end by its choice, the digest stays stopped (no digest next morning), and the reply says both; /digest with a time brings the digest back alone',
    async (lang) => {
      const chat = 91 + LANGS.indexOf(lang);
      const before = await stopped(chat, lang, 'both', stopReason('blocked', 'Forbidden: bot was blocked by the user'));
      const answer = String((await ask(chat, '/unsubscribe', userOf(lang))).params.text).split('\n');
      expect(answer.slice(0, 2)).toEqual([t(lang, 'chat.unsub.done'), t(lang, 'chat.sub.stoppedDigest.blocked')]);
      // Then since when, and nothing more: no "the daily digest still comes here".
      expect(answer).toHaveLength(3);
      expect(answer[2]).toMatch(/^(Stopped on|停止時間：|停止时间：)/);
      // The stop kept, with its cause and moment, holding the digest alone: store/digests.ts sends it nothing.
      expect(await row(chat)).toMatchObject({
        active: false,
        deactivatedReason: before.deactivatedReason,
        deactivatedAt: before.deactivatedAt,
        stopHad: 'digest',
        digestTime: '08:00',
      });
      expect(String((await ask(chat, '/digest', userOf(lang))).params.text).split('\n')[0]).toBe(
        t(lang, 'chat.digest.onStoppedDigest', { time: '08:00', zone: 'UTC' }),
      );
      const set = String((await ask(chat, '/digest 09:00 UTC', userOf(lang))).params.text).split('\n');
      expect(set[0]).toBe(t(lang, 'chat.digest.resumed'));
      expect(await row(chat)).toMatchObject({ active: false, deactivatedReason: null, stopHad: null, digestTime: '09:00' });
    },
  );

  test('GIVEN a private chat with QQQ alerts and a digest, blocked and back, that sent /unsubscribe WHEN /subscribe THEN it starts afresh as after any /unsubscribe (both pairs), not the stopped subscription, and its digest comes again, said', async () => {
    await world.deps.subs.upsert('telegram', '85', { pairs: ['qqq-gold'], levelIds: ['qqq-gold-0.25'] });
    await world.deps.digests!.set((await row(85)).id, '08:00', 'UTC', Date.now());
    await world.deps.subs.chatGone('telegram', '85', stopReason('blocked', 'Forbidden: bot was blocked by the user'));
    await ask(85, '/unsubscribe', BOB);
    const answer = String((await ask(85, '/subscribe', BOB)).params.text).split('\n');
    expect(answer.slice(0, 2)).toEqual([t('en', 'chat.sub.done'), t('en', 'chat.sub.digestBack', { time: '08:00', zone: 'UTC' })]);
    expect(await row(85)).toMatchObject({
      active: true,
      deactivatedReason: null,
      stopHad: null,
      pairs: ['spx-gold', 'qqq-gold'],
      levelIds: 'all',
      digestTime: '08:00',
    });
  });

  test('GIVEN a private chat whose digest alone was stopped (blocked) WHEN /unsubscribe THEN nothing changes and it says no alerts are on and the digest is stopped, not "still comes"', async () => {
    const before = await stopped(84, 'en', 'digest', stopReason('blocked', 'bot kicked'));
    const answer = String((await ask(84, '/unsubscribe', BOB)).params.text).split('\n');
    expect(answer.slice(0, 2)).toEqual([t('en', 'chat.sub.none'), t('en', 'chat.sub.stoppedDigest.blocked')]);
    expect(await row(84)).toEqual(before);
  });

  test('GIVEN a group with alerts alone, its bot removed and added back WHEN /unsubscribe THEN it is unsubscribed (no stop left), and a later /subscribe starts afresh', async () => {
    await stopped(-851, 'en', 'alerts', stopReason('removed', 'bot kicked'));
    fake.setMember(-851, BOB.id, 'administrator');
    expect(String((await ask(-851, '/unsubscribe', BOB)).params.text).split('\n')).toEqual([t('en', 'chat.unsub.done')]);
    expect(await row(-851)).toMatchObject({ active: false, deactivatedReason: 'unsubscribed', stopHad: null });
    expect(String((await ask(-851, '/subscribe', BOB)).params.text).split('\n')[0]).toBe(t('en', 'chat.sub.done'));
    expect(await row(-851)).toMatchObject({ active: true, deactivatedReason: null, pairs: ['spx-gold', 'qqq-gold'], levelIds: 'all' });
  });
});

describe('Telegram: lifting a stop for lost rights asks the Bot API whether the bot may post', () => {
  test.each(LANGS)(
    'GIVEN a group (%s) stopped for rights whose bot is still restricted WHEN an admin sends /subscribe or presses Subscribe THEN the stop stays, and one line says why (the send itself refused, as Telegram refuses it; the press answered in its notice)',
    async (lang) => {
      const chat = -861 - LANGS.indexOf(lang);
      const user = userOf(lang);
      const before = await stopped(chat, lang, 'alerts', stopReason('rights', 'Bad Request: CHAT_SEND_PLAIN_FORBIDDEN'));
      fake.setMember(chat, user.id, 'administrator');
      fake.setMember(chat, fake.botId, muted);
      const line = t(lang, 'chat.noRights.subscribe.alerts');
      const refused = await ask(chat, '/subscribe', user);
      expect(refused).toMatchObject({ status: 400, params: expect.objectContaining({ text: line }) });
      expect(fake.callsTo('getChatMember', chat).some((c) => c.params.user_id === fake.botId)).toBe(true);
      expect(await row(chat)).toEqual(before);
      // The group refused it: the asker is told in their private chat with the bot, saying why, with no button (a press there would act on that chat).
      const privately = await fake.waitFor((c) => c.method === 'sendMessage' && c.chatId === String(user.id));
      expect(String(privately.params.text).split('\n')).toEqual([`<i>${t(lang, 'telegram.answeredPrivately', { chat: `Chat ${chat}` })}</i>`, line]);
      expect(privately.params.reply_markup).toBeUndefined();
      // The Subscribe button under the rights-back note (or /start's welcome): the presser is told in the notice.
      fake.callbackQuery(chat, 1, 'cmd:subscribe', user);
      const notice = await fake.waitFor((c) => c.method === 'answerCallbackQuery' && c.params.text !== undefined);
      expect(notice.params.text).toBe(line);
      expect(await row(chat)).toEqual(before);
      // Its right to post given back: /subscribe resumes as it was.
      fake.setMember(chat, fake.botId, 'member');
      const resumed = await ask(chat, '/subscribe', user);
      expect(resumed.status).toBe(200);
      expect(String(resumed.params.text).split('\n')[0]).toBe(t(lang, 'chat.sub.resumed'));
      expect(await row(chat)).toMatchObject({ active: true, deactivatedReason: null, stopHad: null });
    },
  );

  test('GIVEN a group whose digest alone stopped for rights, the bot a member where members may not send WHEN /digest with a time THEN nothing is set and one line says so; once members may send, the digest comes again', async () => {
    const before = await stopped(-871, 'zh-TW', 'digest', stopReason('rights', 'Bad Request: not enough rights to send text messages to the chat'));
    fake.setMember(-871, MEI.id, 'administrator');
    fake.setPermissions(-871, { can_send_messages: false });
    // Mei never started the bot in private: the answer cannot go there either, and the refusal is one info line.
    fake.fault(MEI.id, { kind: 'forbidden', description: "Forbidden: bot can't initiate conversation with a user" });
    const refused = await ask(-871, '/digest 09:00 UTC', MEI);
    expect(refused).toMatchObject({ status: 400, params: expect.objectContaining({ text: t('zh-TW', 'chat.noRights.digest') }) });
    await fake.waitFor((c) => c.method === 'sendMessage' && c.chatId === String(MEI.id));
    await until('the refusal logged', () => world.log.records.find((r) => /answer refused/.test(String(r.msg))), 5000);
    expect(world.log.records.filter((r) => r.level === 'error' || r.level === 'warn')).toEqual([]);
    fake.clearFaults();
    expect(fake.callsTo('getChat', -871)).toHaveLength(1);
    expect(await row(-871)).toEqual(before);
    fake.setPermissions(-871, { can_send_messages: true });
    const set = await ask(-871, '/digest 09:00 UTC', MEI);
    expect(String(set.params.text).split('\n')[0]).toBe(t('zh-TW', 'chat.digest.resumed'));
    expect(await row(-871)).toMatchObject({ active: false, deactivatedReason: null, stopHad: null, digestTime: '09:00' });
  });

  test('GIVEN a channel with alerts and a digest stopped for rights, the bot an admin without Post Messages WHEN /subscribe is posted THEN the stop stays and the refusal names both', async () => {
    const chat = -1008810;
    await world.deps.subs.upsert('telegram', String(chat), { lang: 'zh-CN' });
    await world.deps.digests!.set((await row(chat)).id, '08:00', 'UTC', Date.now());
    await world.deps.subs.chatGone('telegram', String(chat), stopReason('rights', 'Bad Request: need administrator rights in the channel chat'));
    const before = await row(chat);
    expect(before.stopHad).toBe('both');
    fake.setMember(chat, fake.botId, { status: 'administrator', can_post_messages: false });
    fake.textMessage(chat, '/subscribe', LIN, 'channel');
    const refused = await fake.waitFor((c) => c.method === 'sendMessage' && c.chatId === String(chat));
    expect(refused).toMatchObject({ status: 400, params: expect.objectContaining({ text: t('zh-CN', 'chat.noRights.subscribe.both') }) });
    expect(await row(chat)).toEqual(before);
  });

  test('GIVEN a group with alerts and a digest stopped for rights, the bot kicked since WHEN /subscribe THEN its membership says it may not post: the stop stays and the refusal names both', async () => {
    const before = await stopped(-881, 'zh-CN', 'both', stopReason('rights', 'Bad Request: CHAT_RESTRICTED'));
    fake.setMember(-881, LIN.id, 'administrator');
    fake.setMember(-881, fake.botId, 'kicked');
    const refused = await ask(-881, '/subscribe', LIN);
    expect(refused).toMatchObject({ status: 403, params: expect.objectContaining({ text: t('zh-CN', 'chat.noRights.subscribe.both') }) });
    expect(await row(-881)).toEqual(before);
  });

  test('GIVEN a group stopped for another cause (removed, added back) WHEN /subscribe THEN no rights are asked: it resumes, and the digest it had is said to come again', async () => {
    await stopped(-891, 'en', 'both', stopReason('removed', 'bot kicked'));
    fake.setMember(-891, BOB.id, 'administrator');
    const answer = String((await ask(-891, '/subscribe', BOB)).params.text).split('\n');
    expect(answer.slice(0, 2)).toEqual([t('en', 'chat.sub.resumed'), t('en', 'chat.sub.digestBack', { time: '08:00', zone: 'UTC' })]);
    expect(fake.callsTo('getChatMember', -891).filter((c) => c.params.user_id === fake.botId)).toHaveLength(0);
    const sub = await row(-891);
    expect(sub).toMatchObject({ active: true, stopHad: null, digestTime: '08:00' });
    // The next digest that goes out (not a slot with no close before it: a weekend's, on a real clock).
    const d = (await world.deps.digests!.get(sub.id))!;
    const next = nextSendingDue(d.nextDue!, '08:00', 'UTC', d.lastClose);
    expect(String((await ask(-891, '/digest', BOB)).params.text)).toBe(
      t('en', 'chat.digest.on', { time: '08:00', zone: 'UTC', next: formatMoment(next, 'UTC', 'en') }),
    );
  });
});
