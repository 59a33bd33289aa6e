import { afterEach, describe, expect, test } from 'vitest';
import { FakeTelegram, type FakeUser } from '../../fakes/telegram.ts';
import { isTelegramHtml, makeTelegram, makeWorld, telegramEnv, type World } from '../../helpers/telegram-harness.ts';
import type { Telegram } from '../../../src/platforms/telegram/bot.ts';
import { INLINE_CACHE_SECONDS, INLINE_FLOOD_MAX, inlineAsk } from '../../../src/platforms/telegram/inline.ts';
import { t } from '../../../src/domain/i18n/index.ts';
import { QuoteStore } from '../../../src/store/quotes.ts';
import { onSqlite } from '../../../src/store/engine.ts';

const MEI: FakeUser = { id: 3003, first_name: 'Mei', language_code: 'zh-hant' };
const LI: FakeUser = { id: 3004, first_name: 'Li', language_code: 'zh-hans' };
type Result = { type: string; id: string; photo_file_id?: string; caption?: string; title?: string; input_message_content?: { message_text: string } };

let fake: FakeTelegram;
let world: World;
let tg: Telegram;

async function boot(extra: Record<string, string> = {}): Promise<void> {
  fake = await FakeTelegram.start();
  world = makeWorld(telegramEnv(fake, extra));
  tg = makeTelegram(world);
  await tg.start();
}

const results = (params: Record<string, unknown>): Result[] => params.results as Result[];

describe('inline queries: parsing', () => {
  test.each([
    ['', ['spx', 'qqq', 'power']],
    ['  SPX ', ['spx']],
    ['spx-gold', ['spx']],
    ['qqq', ['qqq']],
    ['power', ['power']],
    ['標普', ['spx']],
    ['纳指', ['qqq']],
    ['購買力', ['power']],
    ['btc', undefined],
    // Words after a ratio are /chart's (a range or a span): refused there, if at all.
    ['spx qqq', ['spx']],
    ['qqq 5y', ['qqq']],
  ])('GIVEN %j THEN topics %j', (q, want) => {
    expect(inlineAsk(q)?.topics).toEqual(want);
  });

  test.each([
    ['power 2011-09-06', ['2011-09-06']],
    ['  購買力  2011-09-06   2020-01-02 ', ['2011-09-06', '2020-01-02']],
    ['power', []],
  ])("GIVEN %j THEN the power card with /power's words %j", (q, words) => {
    expect(inlineAsk(q)).toEqual({ topics: ['power'], words });
  });
});

describe('inline queries: a command word first, as typed in a chat', () => {
  test.each([
    ['ratio spx', { topics: ['spx'], words: [] }],
    ['/ratio qqq', { topics: ['qqq'], words: [] }],
    ['/ratio', { topics: ['spx', 'qqq'], words: [] }],
    ['比率 標普', { topics: ['spx'], words: [] }],
    ['／ｒａｔｉｏ　ｑｑｑ', { topics: ['qqq'], words: [] }],
    ['/chart qqq 5y', { topics: ['qqq'], words: ['5y'], chart: true }],
    ['chart spx', { topics: ['spx'], words: [], chart: true }],
    ['/chart', { topics: ['spx', 'qqq'], words: [], chart: true }],
    ['/power 2011', { topics: ['power'], words: ['2011'] }],
    ['/power@goldratio_bot', { topics: ['power'], words: [] }],
  ])('GIVEN %j THEN %j', (q, want) => {
    expect(inlineAsk(q)).toEqual(want);
  });

  test.each(['/levels spx', 'subscribe', '/digest 08:00'])(
    'GIVEN %j (a command inline cannot post) THEN the refusal names it and says what inline posts',
    (q) => {
      expect(inlineAsk(q)).toMatchObject({ why: 'inline.help.command', command: `/${q.replace(/^\//, '').split(' ')[0]}` });
    },
  );
});

describe('inline help: says everything inline understands, in each language', () => {
  // Each language's help names the commands and its own words; every example it names is one inline posts a card for.
  test.each([
    ['en', ['spx', 'qqq', 'power 2011-09-06', 'spx 5y', '/ratio qqq', '/chart spx 5y', '/power 2011']],
    ['zh-TW', ['標普', '納指', '購買力 2011', '/ratio qqq', '/chart spx 5y', '/power 2011', '比率 spx']],
    ['zh-CN', ['标普', '纳指', '购买力 2011', '/ratio qqq', '/chart spx 5y', '/power 2011', '比率 spx']],
  ] as const)('GIVEN %s THEN inline.help.body names %j, each a query inline answers with a card', (lang, examples) => {
    const body = t(lang, 'inline.help.body');
    for (const q of examples) {
      expect(body, q).toContain(q);
      expect(inlineAsk(q).topics, q).toBeDefined();
    }
    // The unknown line names the command forms too, not only spx, qqq and power.
    for (const word of ['/ratio', '/chart', '/power']) expect(t(lang, 'inline.help.unknown', { query: 'btc' }), word).toContain(word);
  });
});

describe('Telegram inline mode through grammY against the fake', () => {
  afterEach(async () => {
    await tg.stop();
    await fake.close();
    world.cleanup();
  });

  test('GIVEN @bot spx before any chart was sent THEN an article with the /ratio text, cached briefly and per user', async () => {
    await boot();
    const id = fake.inlineQuery('spx');
    const call = await fake.inlineAnswer(id);
    expect(call.status).toBe(200);
    expect(call.params.cache_time).toBe(INLINE_CACHE_SECONDS);
    expect(call.params.is_personal).toBe(true);
    const [r] = results(call.params);
    expect(r?.type).toBe('article');
    expect(r?.input_message_content?.message_text).toContain(t('en', 'pair.spx-gold'));
    expect(isTelegramHtml(r!.input_message_content!.message_text)).toBe(true);
    // Nothing was uploaded anywhere: there is no chat to upload to.
    expect(fake.uploads()).toHaveLength(0);
  });

  test('GIVEN /ratio spx was answered with a chart THEN @bot spx offers that chart by its file_id (cached_photo)', async () => {
    await boot();
    fake.textMessage(42, '/ratio spx');
    const photo = await fake.waitFor((c) => c.method === 'sendPhoto' && c.chatId === '42');
    const fileId = (photo.result as { photo: { file_id: string }[] }).photo.at(-1)?.file_id;
    const call = await fake.inlineAnswer(fake.inlineQuery('spx'));
    const [r] = results(call.params);
    expect(r).toMatchObject({ type: 'photo', photo_file_id: fileId, parse_mode: 'HTML' });
    // The caption is the /ratio reply's caption, word for word.
    expect(r?.caption).toBe(String(photo.params.caption));
    expect(fake.uploads()).toHaveLength(1);
  });

  test('GIVEN TELEGRAM_INLINE_CHAT_ID THEN each chart is uploaded there once and every answer is a cached photo', async () => {
    await boot({ TELEGRAM_INLINE_CHAT_ID: '-1009999' });
    const first = await fake.inlineAnswer(fake.inlineQuery(''));
    const rs = results(first.params);
    // This world has no M2 series: the power card is its text (the reason there is no figure), no chart.
    expect(rs.map((r) => r.type)).toEqual(['photo', 'photo', 'article']);
    expect(new Set(rs.map((r) => r.id)).size).toBe(3);
    expect(fake.uploads().map((c) => c.chatId)).toEqual(['-1009999', '-1009999']);
    expect(fake.uploads().every((c) => String(c.params.disable_notification) === 'true')).toBe(true);
    // Asked again: the same file_ids, no new upload.
    const again = await fake.inlineAnswer(fake.inlineQuery('qqq'));
    expect(results(again.params)[0]?.photo_file_id).toBe(rs[1]?.photo_file_id);
    expect(fake.uploads()).toHaveLength(2);
  });

  test('GIVEN a user whose language is zh-hant THEN the cards are in Chinese', async () => {
    await boot();
    const call = await fake.inlineAnswer(fake.inlineQuery('power', MEI));
    const [r] = results(call.params);
    expect(r?.title).toBe(t('zh-TW', 'inline.title.power'));
    expect(r?.input_message_content?.message_text).toMatch(/[\u4e00-\u9fff]/);
  });

  test('GIVEN a user whose language is zh-hans THEN the cards are in Simplified Chinese', async () => {
    await boot();
    const call = await fake.inlineAnswer(fake.inlineQuery('spx', LI));
    const [r] = results(call.params);
    expect(r?.title).toBe(t('zh-CN', 'inline.title.spx'));
    expect(r?.input_message_content?.message_text).toContain(t('zh-CN', 'pair.spx-gold'));
  });

  test('GIVEN a user whose private chat with the bot answers in zh-TW (/lang) from a client in English THEN the cards are in zh-TW, and sending /chart qqq 5y to the bot, as the help says, puts the chart the card then offers', async () => {
    await boot();
    const ann: FakeUser = { id: 3005, first_name: 'Ann', language_code: 'en' };
    fake.textMessage(ann.id, '/lang zh-TW', ann);
    await fake.waitFor((c) => c.method === 'sendMessage' && c.chatId === String(ann.id));
    const [before] = results((await fake.inlineAnswer(fake.inlineQuery('qqq 5y', ann))).params);
    expect((before as { description?: string }).description).toBe(t('zh-TW', 'inline.help.chartFirst', { command: '/chart qqq 5y' }));
    // As told: the chart sent in the private chat, in that chat's language.
    fake.textMessage(ann.id, '/chart qqq 5y', ann);
    const photo = await fake.waitFor((c) => c.method === 'sendPhoto' && c.chatId === String(ann.id));
    const [card] = results((await fake.inlineAnswer(fake.inlineQuery('qqq 5y', ann))).params);
    expect(card).toMatchObject({ type: 'photo', photo_file_id: (photo.result as { photo: { file_id: string }[] }).photo.at(-1)?.file_id });
    expect(card?.caption).toBe(String(photo.params.caption));
    const [power] = results((await fake.inlineAnswer(fake.inlineQuery('power', ann))).params);
    expect(power?.title).toBe(t('zh-TW', 'inline.title.power'));
  });

  test('GIVEN @bot power with a base date THEN /power from that date; a date /power refuses THEN the help, saying why', async () => {
    await boot();
    // M2 for the span (this world has none of its own), monthly.
    const months = Array.from({ length: 30 }, (_, i) =>
      new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth() - i, 1)).toISOString().slice(0, 10),
    );
    await new QuoteStore(onSqlite(world.db)).upsertCloses(
      'm2',
      months.map((date, i) => ({ date, close: 22_000 - i * 10, source: 'test' })),
    );
    const base = new Date(Date.now() - 400 * 86_400_000).toISOString().slice(0, 10);
    const [r] = results((await fake.inlineAnswer(fake.inlineQuery(`power ${base}`))).params);
    // Indexed from that day (or the first trading day after it), not from QQQ's launch; the title names that day.
    const from = /Indexed to 100 on (\d{4}-\d{2}-\d{2})/.exec(r?.input_message_content?.message_text ?? '')?.[1];
    expect(r?.title).toBe(`Purchasing power: ${from}`);
    expect(from! >= base && from! <= new Date(Date.parse(base) + 4 * 86_400_000).toISOString().slice(0, 10), r?.input_message_content?.message_text).toBe(true);
    const [refused] = results((await fake.inlineAnswer(fake.inlineQuery('power 2011-02-30', MEI))).params);
    expect(refused).toMatchObject({ type: 'article', id: 'help', title: t('zh-TW', 'inline.help.title') });
    expect((refused as { description?: string }).description).toMatch(/2011-02-30/);
    expect(fake.callsTo('sendMessage')).toHaveLength(0);
    // The title names the days, however they were asked for.
    const year = base.slice(0, 4);
    for (const q of [`power since ${year}`, `power ${year}-${year}`, `power ${year} to ${year}`]) {
      const [card] = results((await fake.inlineAnswer(fake.inlineQuery(q))).params);
      const [, first, last] = /Indexed to 100 on (\d{4}-\d{2}-\d{2}), as of (\d{4}-\d{2}-\d{2})/.exec(card?.input_message_content?.message_text ?? '') ?? [];
      const since = q === `power since ${year}`;
      expect(first! >= `${year}-01-01` && (since || last! <= `${year}-12-31`), q).toBe(true);
      expect(card?.title, q).toBe(since ? `Purchasing power: ${first}` : `Purchasing power: ${first} – ${last}`);
    }
  });

  test("GIVEN @bot qqq 5y or @bot spx with a span THEN /chart's card for it, once the chart is on Telegram; before, how to get it there; words /chart refuses THEN the help, saying why", async () => {
    await boot();
    // Not sent anywhere yet: an inline answer cannot upload it, and a card without its chart is a bare title.
    const [before] = results((await fake.inlineAnswer(fake.inlineQuery('qqq 5y'))).params);
    expect(before).toMatchObject({ type: 'article', id: 'help' });
    expect((before as { description?: string }).description).toBe('That chart is not on Telegram yet: send /chart qqq 5y to the bot first, then post it here.');
    fake.textMessage(43, '/chart qqq 5y');
    const photo = await fake.waitFor((c) => c.method === 'sendPhoto' && c.chatId === '43');
    const [five] = results((await fake.inlineAnswer(fake.inlineQuery('qqq 5y'))).params);
    expect(five).toMatchObject({
      type: 'photo',
      title: 'Chart: QQQ/Gold, 5Y',
      photo_file_id: (photo.result as { photo: { file_id: string }[] }).photo.at(-1)?.file_id,
    });
    expect(five?.caption).toBe('<b>QQQ/Gold, 5Y</b>');
    fake.textMessage(44, '/chart spx 2025 2025', MEI);
    await fake.waitFor((c) => c.method === 'sendPhoto' && c.chatId === '44');
    const [span] = results((await fake.inlineAnswer(fake.inlineQuery('標普 2025 2025', MEI))).params);
    expect(span).toMatchObject({ type: 'photo', title: '圖表：標普500/黃金，2025年1月1日至2025年12月31日' });
    for (const [q, why] of [
      ['spx 5y 2008', /^A range or dates, not both/],
      ['spx qqq', /"qqq"/],
    ] as const) {
      const [refused] = results((await fake.inlineAnswer(fake.inlineQuery(q))).params);
      expect(refused).toMatchObject({ type: 'article', id: 'help' });
      expect((refused as { description?: string }).description).toMatch(why);
    }
  });

  test('GIVEN @bot /chart, chart or 圖表 (both pairs) before either chart is on Telegram THEN answered: how to get each there, one result per pair; once one is sent, its card beside the other’s help', async () => {
    await boot();
    for (const [q, user] of [
      ['/chart', undefined],
      ['chart', undefined],
      ['圖表', MEI],
    ] as const) {
      const call = await fake.inlineAnswer(fake.inlineQuery(q, user));
      expect(call.status, q).toBe(200);
      const rs = results(call.params) as (Result & { description?: string })[];
      expect(rs.map((r) => r.type)).toEqual(['article', 'article']);
      expect(rs.map((r) => r.description)).toEqual(
        ['spx', 'qqq'].map((pair) => t(user === undefined ? 'en' : 'zh-TW', 'inline.help.chartFirst', { command: `/chart ${pair}` })),
      );
    }
    fake.textMessage(43, '/chart qqq');
    await fake.waitFor((c) => c.method === 'sendPhoto' && c.chatId === '43');
    const call = await fake.inlineAnswer(fake.inlineQuery('/chart'));
    expect(call.status).toBe(200);
    expect(results(call.params).map((r) => r.type)).toEqual(['article', 'photo']);
  });

  test('GIVEN a query typed as a chat command (/chart qqq 5y, ratio spx, /levels) THEN the card the command gives; a command inline cannot post is named, with what inline posts', async () => {
    await boot();
    fake.textMessage(45, '/chart qqq 5y');
    const photo = await fake.waitFor((c) => c.method === 'sendPhoto' && c.chatId === '45');
    const [five] = results((await fake.inlineAnswer(fake.inlineQuery('/chart qqq 5y'))).params);
    expect(five).toMatchObject({
      type: 'photo',
      title: 'Chart: QQQ/Gold, 5Y',
      photo_file_id: (photo.result as { photo: { file_id: string }[] }).photo.at(-1)?.file_id,
    });
    const [card] = results((await fake.inlineAnswer(fake.inlineQuery('ratio spx'))).params);
    expect(card).toMatchObject({ id: expect.stringMatching(/^spx:/), title: t('en', 'inline.title.spx') });
    const [levels] = results((await fake.inlineAnswer(fake.inlineQuery('/levels spx', MEI))).params);
    expect(levels).toMatchObject({ type: 'article', id: 'help' });
    expect((levels as { description?: string }).description).toBe(t('zh-TW', 'inline.help.command', { command: '/levels' }));
  });

  test('GIVEN an unknown query THEN one short help result, never an error', async () => {
    await boot();
    const call = await fake.inlineAnswer(fake.inlineQuery('<b>btc</b> to the moon'));
    expect(call.status).toBe(200);
    const rs = results(call.params);
    expect(rs).toHaveLength(1);
    expect(rs[0]).toMatchObject({ type: 'article', id: 'help', title: t('en', 'inline.help.title') });
    expect(isTelegramHtml(rs[0]!.input_message_content!.message_text)).toBe(true);
    expect(fake.callsTo('sendMessage')).toHaveLength(0);
  });

  test('GIVEN a long query with emoji (its echo cut where an emoji is: at 40 characters, or in a refused word past 200) THEN still answered: no emoji cut in half, which Telegram refuses', async () => {
    await boot();
    for (const query of [`${'x'.repeat(39)}🚀🚀`, `power ${'🚀'.repeat(120)}`, `power x${'🚀'.repeat(120)}`, `spx ${'📈'.repeat(120)}`]) {
      const call = await fake.inlineAnswer(fake.inlineQuery(query));
      expect(call.status, query).toBe(200);
      const [help] = results(call.params) as (Result & { description?: string })[];
      expect(help?.id, query).toBe('help');
      expect(help?.description, query).not.toMatch(/\p{Cs}/u);
    }
  });

  test('GIVEN one user sending inline queries faster than the limit THEN the first ones are answered, the next says how long to wait (not cached), the rest get nothing; others and his commands are not slowed', async () => {
    await boot();
    const mei: FakeUser = { ...MEI, id: 3010 };
    const ids = Array.from({ length: INLINE_FLOOD_MAX + 5 }, (_, i) => fake.inlineQuery(i % 2 === 0 ? 'spx' : 'qqq 5y', mei));
    // Another user is answered meanwhile.
    const other = await fake.inlineAnswer(fake.inlineQuery('spx', LI));
    expect(results(other.params)[0]?.type).toBe('article');
    // His own command, queued after the queries, runs after them (one user's updates are in order): by its reply all were handled.
    fake.textMessage(mei.id, '/ratio spx', mei);
    await fake.waitFor((c) => c.method === 'sendPhoto' && c.chatId === String(mei.id));
    const answers = fake.callsTo('answerInlineQuery').filter((c) => ids.includes(c.params.inline_query_id as string));
    expect(answers.map((c) => c.params.inline_query_id)).toEqual(ids.slice(0, INLINE_FLOOD_MAX + 1));
    const notice = answers.at(-1)!;
    expect(notice.params.cache_time).toBe(0);
    const [help] = results(notice.params);
    expect(help).toMatchObject({ type: 'article', id: 'help' });
    expect((help as { description?: string }).description).toMatch(/^查詢太頻繁了：請等待 \d+ 秒後再輸入。$/);
    expect(answers.slice(0, -1).every((c) => c.params.cache_time === INLINE_CACHE_SECONDS)).toBe(true);
  });

  test('GIVEN the upload chat refuses THEN the answer is still given, as text', async () => {
    await boot({ TELEGRAM_INLINE_CHAT_ID: '-1008888' });
    fake.fault('-1008888', { kind: 'kicked' });
    const call = await fake.inlineAnswer(fake.inlineQuery('qqq'));
    expect(call.status).toBe(200);
    expect(results(call.params)[0]?.type).toBe('article');
    expect(world.log.lines.some((l) => l.includes('TELEGRAM_INLINE_CHAT_ID -1008888'))).toBe(true);
  });
});
