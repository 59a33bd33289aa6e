/**
 * A Telegram chat named as what it is in what the notifier sends: a group (and a supergroup) as a
 * group (本群組, 本群, this group), a channel as a channel (本頻道, 本频道, this channel), a private chat
 * as a conversation (本對話), by the type the real bot recorded when the chat talked to it
 * (store/chat-types.ts, migration 024). A chat subscribed before types were kept, which has not
 * talked to the bot since, keeps the words it had (本聊天室). Through the real grammY bot, the real
 * dispatcher and notifier against the fake Bot API, the store on SQLite and on PostgreSQL.
 */
import { afterEach, beforeEach, expect, test } from 'vitest';
import { FakeTelegram, type FakeUser } from '../../fakes/telegram.ts';
import { makeWorld, nextText, ownLevelAlert, telegramEnv, type World } from '../../helpers/telegram-harness.ts';
import { describeOnEngines } from '../../helpers/engines.ts';
import { until } from '../../helpers/replicas.ts';
import { createTelegram, type Telegram } from '../../../src/platforms/telegram/bot.ts';
import type { StoreDb } from '../../../src/store/engine.ts';
import { Dispatcher } from '../../../src/alerts/dispatcher.ts';
import { EventStore } from '../../../src/store/events.ts';
import { SubscriptionStore } from '../../../src/store/subscriptions.ts';
import { DigestStore } from '../../../src/store/digests.ts';
import { QuietStore } from '../../../src/store/quiet.ts';
import { MoveStore } from '../../../src/store/moves.ts';
import { MetaStore } from '../../../src/store/meta.ts';
import { ChatTypeStore } from '../../../src/store/chat-types.ts';
import { placeKey, t, type Lang } from '../../../src/domain/i18n/index.ts';
import type { ChatDeps } from '../../../src/chat/context.ts';

let fake: FakeTelegram;
let world: World;
let tg: Telegram | undefined;

beforeEach(async () => {
  fake = await FakeTelegram.start();
  world = makeWorld(telegramEnv(fake));
});
afterEach(async () => {
  await tg?.stop();
  tg = undefined;
  await fake.close();
  world.cleanup();
});

/** The real bot on `db`: every store the commands write on that engine (the market's closes stay the world's). */
async function botOn(db: StoreDb): Promise<{ subs: SubscriptionStore; chatTypes: ChatTypeStore }> {
  const subs = new SubscriptionStore(db, { approachPct: world.config.approachPct, lang: world.config.defaultLang });
  const deps: ChatDeps = { ...world.deps, subs, events: new EventStore(db), digests: new DigestStore(db), quiet: new QuietStore(db), moves: new MoveStore(db) };
  const chatTypes = new ChatTypeStore(db);
  tg = createTelegram({ config: world.config, deps, charts: world.charts, log: world.log, meta: new MetaStore(db), chatTypes });
  await tg.start();
  return { subs, chatTypes };
}

// language, client code, the words of: a group, a channel, a private chat, a chat of no known type
const WORDS: [Lang, string, string, string, string, string][] = [
  ['en', 'en', "This group's level", "This channel's level", "This chat's level", "This chat's level"],
  ['zh-TW', 'zh-TW', '本群組水位', '本頻道水位', '本對話水位', '本聊天室水位'],
  ['zh-CN', 'zh-CN', '本群点位', '本频道点位', '本对话点位', '本聊天点位'],
];

describeOnEngines('a Telegram chat named as what it is', (open) => {
  test('GIVEN a group, a supergroup, a channel and a private chat that subscribed with an own level, and an old subscription of unknown type THEN each alert names its place as its kind, in each language, its chart drawn for that place', async () => {
    const db = await open();
    const { subs, chatTypes } = await botOn(db);
    const chats: { id: number; lang: Lang; words: string; not: string[] }[] = [];
    let n = 0;
    for (const [lang, code, group, channel, dm, unknown] of WORDS) {
      n += 10;
      const user: FakeUser = { id: 9000 + n, first_name: 'Lin', language_code: code };
      const kinds = [
        { id: -(4100 + n), type: 'group', words: group },
        { id: -(1_000_000_004_100 + n), type: 'supergroup', words: group },
        { id: -(1_000_000_004_200 + n), type: 'channel', words: channel },
        { id: 9000 + n, type: 'private', words: dm },
      ] as const;
      for (const k of kinds) {
        if (k.type === 'group' || k.type === 'supergroup') fake.setMember(k.id, user.id, 'administrator');
        await nextText(fake, k.id, '/subscribe', user, k.type);
        await nextText(fake, k.id, '/mylevels add spx 1.8', user, k.type);
        await subs.upsert('telegram', String(k.id), { lang });
        chats.push({ id: k.id, lang, words: k.words, not: [group, channel, dm, unknown].filter((w) => w !== k.words) });
      }
      // Subscribed by a version that kept no types, and silent since: the words it had.
      const old = -(1_000_000_004_300 + n);
      await subs.upsert('telegram', String(old), { active: true, lang, customLevels: [{ pair: 'spx-gold', value: 1.8 }] });
      chats.push({ id: old, lang, words: unknown, not: [group, channel].filter((w) => w !== unknown) });
    }
    expect(await chatTypes.get('telegram', String(-(1_000_000_004_200 + 10)))).toBe('channel');
    expect(await chatTypes.get('telegram', String(-(1_000_000_004_100 + 10)))).toBe('supergroup');
    expect(await chatTypes.get('telegram', String(-(1_000_000_004_300 + 10)))).toBeUndefined();

    const { outbox } = await ownLevelAlert(db);
    const d = new Dispatcher(outbox, subs, { notifiers: [tg!.notifier], charts: world.charts, log: world.log });
    await d.drain();
    expect(await d.pending()).toBe(0);

    for (const c of chats) {
      const photo = fake.callsTo('sendPhoto', c.id)[0];
      const caption = String(photo?.params.caption);
      expect(caption, `${c.lang} ${c.id}`).toContain(c.words);
      for (const w of c.not) if (w !== c.words) expect(caption, `${c.lang} ${c.id}`).not.toContain(w);
    }
    // Each place's chart drawn for it (its label names the place): a group's is not a channel's picture again.
    const bytesOf = (id: number) => {
      const call = fake.callsTo('sendPhoto', id)[0]!;
      return call.files[0]?.bytes ?? String(call.params.photo);
    };
    const zhTW = chats.filter((c) => c.lang === 'zh-TW');
    const [group, supergroup, channel] = zhTW.map((c) => bytesOf(c.id));
    // A group and a supergroup are both groups: one chart, uploaded by whichever was sent first (the
    // dispatcher sends them side by side), its upload reused by the other (a file_id, no bytes).
    const groups = [group, supergroup];
    expect(groups.map((g) => (Buffer.isBuffer(g) ? 'bytes' : typeof g)).sort()).toEqual(['bytes', 'string']);
    const groupChart = groups.find((g) => Buffer.isBuffer(g)) as Buffer;
    expect(Buffer.isBuffer(channel) && !groupChart.equals(channel)).toBe(true);
  });

  test('GIVEN a quiet-hours summary to a group, a channel, a private chat and a chat of no known type THEN a group’s and a channel’s say what was held for the place, not "while you were away"; the others keep it', async () => {
    const db = await open();
    const { subs } = await botOn(db);
    const user: FakeUser = { id: 9700, first_name: 'Lin', language_code: 'en' };
    const places = [
      { id: -4700, type: 'group', lang: 'en', title: 'Quiet hours are over: 2 alerts held for this group meanwhile, oldest first' },
      { id: -4701, type: 'group', lang: 'zh-TW', title: '勿擾時段結束：期間本群組共有 2 則通知，依時間先後列出' },
      { id: -4702, type: 'group', lang: 'zh-CN', title: '免打扰时段结束：期间本群共有 2 条提醒，按时间先后列出' },
      { id: -1_000_000_004_703, type: 'channel', lang: 'en', title: 'Quiet hours are over: 2 alerts held for this channel meanwhile, oldest first' },
      { id: 9700, type: 'private', lang: 'en', title: 'Quiet hours are over: 2 alerts while you were away, oldest first' },
    ] as const;
    for (const p of places) {
      if (p.type === 'group') fake.setMember(p.id, user.id, 'administrator');
      await nextText(fake, p.id, '/subscribe', user, p.type);
      await nextText(fake, p.id, '/mylevels add spx 1.8', user, p.type);
      await subs.upsert('telegram', String(p.id), { lang: p.lang });
    }
    await subs.upsert('telegram', '-4704', { active: true, lang: 'en', customLevels: [{ pair: 'spx-gold', value: 1.8 }] });
    const { outbox } = await ownLevelAlert(db, { title: { key: 'quiet.summary.title', params: { count: 2 } } });
    await new Dispatcher(outbox, subs, { notifiers: [tg!.notifier], charts: world.charts, log: world.log }).drain();
    const sent = (id: number) => String(fake.callsTo('sendPhoto', id)[0]?.params.caption);
    for (const p of places) expect(sent(p.id)).toContain(p.title);
    expect(sent(-4704)).toContain('Quiet hours are over: 2 alerts while you were away, oldest first');
  });

  test('GIVEN /quiet off letting held alerts out in a group, a channel and a private chat, in each language THEN the summary says they were held for the place there, for "you" (為您) only in the private chat', async () => {
    const db = await open();
    const { subs } = await botOn(db);
    const places = [
      { type: 'group', lang: 'en', title: 'Quiet hours turned off: 2 alerts held for this group until now, oldest first' },
      { type: 'group', lang: 'zh-TW', title: '勿擾時段已關閉：本群組暫存的 2 則通知如下，依時間先後列出' },
      { type: 'group', lang: 'zh-CN', title: '免打扰时段已关闭：本群暂存的 2 条提醒如下，按时间先后列出' },
      { type: 'channel', lang: 'en', title: 'Quiet hours turned off: 2 alerts held for this channel until now, oldest first' },
      { type: 'channel', lang: 'zh-TW', title: '勿擾時段已關閉：本頻道暫存的 2 則通知如下，依時間先後列出' },
      { type: 'channel', lang: 'zh-CN', title: '免打扰时段已关闭：本频道暂存的 2 条提醒如下，按时间先后列出' },
      { type: 'private', lang: 'en', title: 'Quiet hours turned off: 2 alerts held for you until now, oldest first' },
      { type: 'private', lang: 'zh-TW', title: '勿擾時段已關閉：為您暫存的 2 則通知如下，依時間先後列出' },
      { type: 'private', lang: 'zh-CN', title: '免打扰时段已关闭：为您暂存的 2 条提醒如下，按时间先后列出' },
    ] as const;
    const ids: number[] = [];
    for (const [i, p] of places.entries()) {
      const id = p.type === 'private' ? 9800 + i : p.type === 'group' ? -(4800 + i) : -(1_000_000_004_800 + i);
      const user: FakeUser = { id: 9800 + i, first_name: 'Lin', language_code: p.lang };
      if (p.type === 'group') fake.setMember(id, user.id, 'administrator');
      await nextText(fake, id, '/subscribe', user, p.type);
      await nextText(fake, id, '/mylevels add spx 1.8', user, p.type);
      await subs.upsert('telegram', String(id), { lang: p.lang });
      ids.push(id);
    }
    // A chat of no known type (subscribed before types were kept): no "you", no place.
    await subs.upsert('telegram', '-4899', { active: true, lang: 'zh-TW', customLevels: [{ pair: 'spx-gold', value: 1.8 }] });
    const { outbox } = await ownLevelAlert(db, { title: { key: 'quiet.summary.title.off', params: { count: 2 } } });
    await new Dispatcher(outbox, subs, { notifiers: [tg!.notifier], charts: world.charts, log: world.log }).drain();
    const sent = (id: number) => String(fake.callsTo('sendPhoto', id)[0]?.params.caption);
    for (const [i, p] of places.entries()) expect(sent(ids[i]!), `${p.type} ${p.lang}`).toContain(p.title);
    expect(sent(-4899)).toContain('勿擾時段已關閉：暫存至今的 2 則通知如下，依時間先後列出');
  });

  test('GIVEN the bot made an administrator of a channel (my_chat_member), no post there yet THEN the channel is known as a channel', async () => {
    const db = await open();
    const { chatTypes } = await botOn(db);
    fake.botMembership(-1_000_000_004_900, 'channel', { id: 9901, first_name: 'Ann' }, 'left', { status: 'administrator', can_post_messages: true });
    expect(await until('the channel type recorded', () => chatTypes.get('telegram', String(-1_000_000_004_900)), 5000)).toBe('channel');
  });
});

// Every text the notifier sends that names the place (dispatcher.ts placeNamed, charts' levelChartNote,
// notifier.ts's no-photos line), in each place's words: a move alert's watch as an own level's note.
test.each([
  ['en', { group: "This group's move alert", channel: "This channel's move alert", dm: "This chat's move alert" }],
  ['zh-TW', { group: '本群組的急漲急跌通知', channel: '本頻道的急漲急跌通知', dm: '本對話的急漲急跌通知' }],
  ['zh-CN', { group: '本群的急涨急跌提醒', channel: '本频道的急涨急跌提醒', dm: '本对话的急涨急跌提醒' }],
] as const)('GIVEN a move alert or a chat refusing photos in %s THEN its line names a group, a channel and a private chat each by its words', (lang, words) => {
  for (const place of ['group', 'channel', 'dm'] as const) {
    expect(t(lang, placeKey('move.alert.watch', place), { pct: 10, days: 20 }), place).toContain(words[place]);
    if (place !== 'dm')
      expect(t(lang, placeKey('telegram.noPhotos', place)), place).toMatch(place === 'group' ? /this group|本群/ : /this channel|本頻道|本频道/);
  }
  expect(placeKey('move.alert.watch', undefined)).toBe('move.alert.watch');
});
