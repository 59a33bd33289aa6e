/**
 * The digest on Discord, end to end on a fixed clock: config → startApp (both platforms) → the
 * real discord.js Client logged in to tests/fakes/discord and a grammY bot to tests/fakes/telegram
 * → /digest typed in each → the digest job → the typed outbox → both notifiers. Also the timezone
 * autocomplete (type 4 → a type 8 callback) and what happens to a typed zone it never offered.
 */
import { escapeMarkdown } from 'discord.js';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../../src/config.ts';
import { memoryLogger } from '../../../src/log.ts';
import { startApp, type App } from '../../../src/main.ts';
import { openDatabase } from '../../../src/store/db.ts';
import { QuoteStore } from '../../../src/store/quotes.ts';
import { onSqlite } from '../../../src/store/engine.ts';
import { MarketView } from '../../../src/store/market-view.ts';
import { COMMON_ZONES } from '../../../src/domain/digest-schedule.ts';
import { digestMessage } from '../../../src/domain/digest.ts';
import { localize } from '../../../src/domain/message.ts';
import { LANGS, t } from '../../../src/domain/i18n/index.ts';
import { digestOf } from '../../../src/store/digest-view.ts';
import { crossingOptions } from '../../../src/store/story-view.ts';
import { autocompleteChoices } from '../../../src/platforms/discord/autocomplete.ts';
import { DiscordNotifier } from '../../../src/platforms/discord/notifier.ts';
import { slashDefinitions } from '../../../src/platforms/discord/commands.ts';
import { FakeDiscord, MANAGE_CHANNELS, slashInteraction, type RecordedRequest } from '../../fakes/discord.ts';
import { FakeTelegram } from '../../fakes/telegram.ts';
import { CLOCK_DRIVEN_ENV } from '../../helpers/app.ts';
import { discordEnv } from '../../helpers/discord-harness.ts';
import { telegramEnv } from '../../helpers/telegram-harness.ts';
import { describeWithHistory, historyFile } from '../../helpers/history.ts';
import { seedCloses } from '../../helpers/digest-closes.ts';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47]);
const GUILD = '800000000000000001';
const EN_1 = '700000000000000011';
const EN_2 = '700000000000000012';
const ZH = '700000000000000013';
const TG_CHAT = 501;

let dir: string;
let tg: FakeTelegram;
let dc: FakeDiscord;
let app: App;
// Monday 2026-11-23, 22:00 UTC: that day's US close (21:00 UTC) is stored.
const clock = { now: Date.parse('2026-11-23T22:00:00Z') };

beforeAll(async () => {
  tg = await FakeTelegram.start();
  dc = await FakeDiscord.start();
  dir = mkdtempSync(join(tmpdir(), 'goldratio-discord-digest-'));
  const config = loadConfig({
    DATABASE_PATH: join(dir, 'g.db'),
    DATA_DIR: dir,
    // No render worker (~0.8 s of CPU to start): the pool has its own tests (charts-pool, main).
    CHART_WORKERS: '0',
    ...telegramEnv(tg),
    ...discordEnv(dc),
    ...CLOCK_DRIVEN_ENV,
  });
  seedCloses(config.databasePath, '2026-11-23');
  app = await startApp(config, memoryLogger('info'), { now: () => clock.now, skipInitialSync: true, out: () => {} });
  await app.ready; // the platforms' starts included: Discord is connected
  // A bound for a start that hangs: the app's start and Discord's login took over 30 s once on a heavily loaded machine.
}, 60_000);

afterAll(async () => {
  await app?.stop();
  await dc?.close();
  await tg?.close();
  rmSync(dir, { recursive: true, force: true });
});

/**
 * Dispatches a slash command and returns its interaction callback (and the edit, when deferred),
 * and the answer as the reader sees it: whether only they see it, and its first embed's text. A
 * gateway command not answered within 2 s is deferred (a loaded machine may get there with any),
 * so a test of what is said reads `answer`, whichever way it came.
 */
async function slash(
  o: Parameters<typeof slashInteraction>[0],
): Promise<{ callback: RecordedRequest; edit?: RecordedRequest; answer: { ephemeral: boolean; text: string; message: RecordedRequest['body'] } }> {
  const { token } = dc.interact(slashInteraction({ guildId: GUILD, ...o }));
  const [callback] = await dc.waitFor('POST', new RegExp(`^/interactions/\\d+/${token}/callback$`));
  const ephemeral = ((callback!.body.data?.flags ?? 0) & 64) === 64;
  if (callback!.body.type !== 5) return { callback: callback!, answer: { ephemeral, text: description(callback!), message: callback!.body.data } };
  const [edit] = await dc.waitFor('PATCH', new RegExp(`^/webhooks/\\d+/${token}/messages/@original$`));
  return { callback: callback!, edit: edit!, answer: { ephemeral, text: description(edit!), message: edit!.body } };
}

/** An autocomplete interaction (type 4) on /digest with the timezone option focused. */
async function autocomplete(typed: string, locale = 'en-US'): Promise<RecordedRequest> {
  const payload = slashInteraction({
    name: 'digest',
    locale,
    guildId: GUILD,
    permissions: MANAGE_CHANNELS,
    options: [
      { name: 'time', type: 3, value: '08:00' },
      { name: 'timezone', type: 3, value: typed },
    ],
  });
  const data = payload.data as { options: { focused?: boolean }[] };
  data.options[1]!.focused = true;
  const { token } = dc.interact({ ...payload, type: 4 });
  const [callback] = await dc.waitFor('POST', new RegExp(`^/interactions/\\d+/${token}/callback$`));
  return callback!;
}

const description = (r: RecordedRequest): string => r.body.embeds?.[0]?.description ?? r.body.data?.embeds?.[0]?.description ?? '';
const channelPosts = (channel: string) => dc.calls('POST', new RegExp(`^/channels/${channel}/messages$`)).filter((r) => r.status === 200);

/** The characters Discord counts toward an embed's 6,000. */
function embedSize(e: { title?: string; description?: string; fields?: { name: string; value: string }[]; footer?: { text: string } }): number {
  return (
    (e.title ?? '').length +
    (e.description ?? '').length +
    (e.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0) +
    (e.footer?.text ?? '').length
  );
}

describe('/digest timezone autocomplete', () => {
  test('the definition asks Discord to autocomplete the zone (and gives no choices there, which Discord forbids together)', () => {
    const digest = slashDefinitions().find((d) => d.name === 'digest')!;
    const zone = digest.options.find((o) => o.name === 'timezone')!;
    expect(zone.autocomplete).toBe(true);
    expect(zone.choices).toBeUndefined();
    for (const d of slashDefinitions())
      for (const o of d.options) expect(o.autocomplete === true && o.choices !== undefined, `${d.name} ${o.name}`).toBe(false);
  });

  test('GIVEN "taipei" typed THEN a type 8 callback with Asia/Taipei; nothing typed THEN the common zones first; at most 25 choices', async () => {
    const taipei = await autocomplete('taipei');
    expect(taipei.body.type).toBe(8); // APPLICATION_COMMAND_AUTOCOMPLETE_RESULT
    // Each place named with its offset at the (fixed) clock's now, in the user's language's brackets.
    expect(taipei.body.data.choices).toEqual([{ name: 'Taipei (UTC+8)', value: 'Asia/Taipei' }]);
    expect((await autocomplete('kolkata')).body.data.choices[0]).toEqual({ name: 'India (UTC+5:30)', value: 'Asia/Kolkata' });
    expect((await autocomplete('kathmandu', 'zh-TW')).body.data.choices[0]).toEqual({ name: '加德滿都（UTC+5:45）', value: 'Asia/Kathmandu' });
    expect((await autocomplete('adelaide', 'zh-CN')).body.data.choices[0]).toEqual({ name: '阿德莱德（UTC+10:30）', value: 'Australia/Adelaide' });
    expect((await autocomplete('UTC+3:30')).body.data.choices[0]).toEqual({ name: 'UTC+3:30', value: 'UTC+3:30' });

    const empty = await autocomplete('');
    expect(empty.body.type).toBe(8);
    expect(empty.body.data.choices).toHaveLength(25);
    expect(empty.body.data.choices.slice(0, COMMON_ZONES.length).map((c: { value: string }) => c.value)).toEqual([...COMMON_ZONES]);

    const america = await autocomplete('America/');
    expect(america.body.data.choices).toHaveLength(25);
    expect(america.body.data.choices.every((c: { value: string }) => c.value.startsWith('America/'))).toBe(true);
    expect(america.body.data.choices.find((c: { value: string }) => c.value === 'America/New_York')?.name).toBe('New York (UTC-5)');

    // Typed with a Chinese IME in full-width mode: the same suggestions.
    expect((await autocomplete('ｔａｉｐｅｉ', 'zh-TW')).body.data.choices).toEqual([{ name: '台北（UTC+8）', value: 'Asia/Taipei' }]);

    // A name no zone has: an empty list, still answered (Discord shows "no options").
    expect((await autocomplete('Mars/Base')).body.data.choices).toEqual([]);
  });

  test.each([
    ['en', 'new', ['America/New_York', 'America/North_Dakota/New_Salem', 'Asia/Kolkata', 'America/St_Johns']],
    ['zh-TW', 'new y', ['America/New_York']],
    ['zh-CN', 'los', ['America/Los_Angeles']],
    ['zh-TW', '台北', ['Asia/Taipei']],
    ['zh-CN', 'tai', ['Asia/Taipei']],
    ['en', 'lon', ['Europe/London', 'Arctic/Longyearbyen', 'America/Blanc-Sablon', 'America/Miquelon']],
    ['en', 'syd', ['Australia/Sydney']],
    ['zh-TW', 'utc+8', ['Etc/GMT-8']],
    ['en', 'est', ['America/New_York']],
    ['en', 'india', ['Asia/Kolkata', 'America/Indiana/Indianapolis']],
    ['en', 'kiev', ['Europe/Kyiv']],
  ] as const)(
    'GIVEN a %s client typing the timezone %j THEN the place it names, then the cities whose name starts so, before other names that only start so (New Delhi after New York)',
    (lang, typed, first) => {
      expect(
        autocompleteChoices('digest', 'timezone', typed, lang, Date.parse('2026-01-10T00:00:00Z'))
          .slice(0, first.length)
          .map((c) => c.value),
      ).toEqual(first);
    },
  );

  test("GIVEN /help's command being typed THEN the command it names first (in any language, misspelt, a word people try), then those it begins or is in; nothing typed THEN all", () => {
    const values = (typed: string) => autocompleteChoices('help', 'command', typed).map((c) => c.value);
    expect(values('dig')).toEqual(['digest']);
    expect(values('摘要')).toEqual(['digest']);
    expect(values('stauts')).toEqual(['status']);
    expect(values('price')).toEqual(['ratio']);
    expect(values('/un')).toEqual(['unsubscribe', 'unmute']);
    expect(values('')).toHaveLength(slashDefinitions().length);
    expect(values('zzz')).toEqual([]);
  });

  test.each([
    ['zh-CN', '點位', '点位', ['levels', 'mylevels']],
    ['zh-CN', '訂閱', '订阅', ['subscribe', 'unsubscribe']],
    ['zh-TW', '订阅', '訂閱', ['subscribe', 'unsubscribe']],
    ['en', 'ＵＮ', 'un', ['unsubscribe', 'unmute']],
  ] as const)("GIVEN /help's command typed in a %s client as %s THEN the choices %s gives, in either script or full-width", (lang, typed, plain, values) => {
    const choices = (text: string) => autocompleteChoices('help', 'command', text, lang).map((c) => c.value);
    expect(choices(plain)).toEqual(values);
    expect(choices(typed)).toEqual(values);
  });

  test.each([
    ['en', 'sub', { name: 'subscribe', value: 'subscribe' }],
    ['zh-TW', '訂', { name: '訂閱', value: 'subscribe' }],
    ['zh-CN', '/订', { name: '订阅', value: 'subscribe' }],
  ] as const)(
    "GIVEN /help's command typed in a %s client THEN each choice is named as that client's slash menu names the command (no mention is drawn there), its value the declared name",
    (lang, typed, first) => {
      expect(autocompleteChoices('help', 'command', typed, lang)[0]).toEqual(first);
      const all = autocompleteChoices('help', 'command', '', lang);
      expect(all.find((c) => c.value === 'digest')?.name).toBe(lang === 'en' ? 'digest' : '摘要');
    },
  );

  test('GIVEN an option or command that does not autocomplete, or absurd input THEN no choices and no throw', () => {
    expect(autocompleteChoices('digest', 'time', '08')).toEqual([]);
    expect(autocompleteChoices('nosuch', 'timezone', 'Asia')).toEqual([]);
    expect(autocompleteChoices('digest', 'timezone', 'x'.repeat(10_000))).toEqual([]);
    expect(autocompleteChoices('digest', 'timezone', 'Europe/').length).toBeLessThanOrEqual(25);
  });

  test('GIVEN /digest time:08:00 timezone:Mars/Base typed anyway THEN the usage line, ephemeral, nothing stored', async () => {
    const channel = '700000000000000099';
    const { answer } = await slash({
      name: 'digest',
      channelId: channel,
      permissions: MANAGE_CHANNELS,
      options: [
        { name: 'time', type: 3, value: '08:00' },
        { name: 'timezone', type: 3, value: 'Mars/Base' },
      ],
    });
    expect(answer.ephemeral).toBe(true);
    expect(answer.text).toContain('Unknown time zone "Mars/Base"');
    expect(answer.text).toContain('`/digest [time:HH:MM|off|now] [timezone:e.g. Asia/Taipei]`');
    expect(app.db.prepare('SELECT count(*) AS n FROM subscriptions WHERE chat_id = ?').get(channel)).toEqual({ n: 0 });
  });

  test('GIVEN /digest now by a member without Manage Channels THEN refused, ephemeral, no digest drawn; a channel manager gets the preview', async () => {
    const { callback, answer } = await slash({
      name: 'digest',
      channelId: '700000000000000098',
      permissions: 0n,
      options: [{ name: 'time', type: 3, value: 'now' }],
    });
    expect(answer.ephemeral).toBe(true);
    expect(answer.text).toMatch(/Manage Channels/);
    expect(answer.message.embeds[0].image).toBeUndefined();
    expect(callback.files).toHaveLength(0);

    const ok = await slash({
      name: 'digest',
      channelId: '700000000000000098',
      permissions: MANAGE_CHANNELS,
      options: [{ name: 'time', type: 3, value: 'now' }],
    });
    expect(ok.callback.body.type).toBe(5);
    expect(description(ok.edit!)).toContain('US close of 2026-11-23');
    expect(ok.edit!.files[0]!.bytes.subarray(0, 4).equals(PNG)).toBe(true);
  });
});

describe('/digest now in a Telegram group', () => {
  test('GIVEN a member who is not an admin THEN refused, no digest posted to the group; an admin gets it posted', async () => {
    const bob = { id: 2002, first_name: 'Bob', language_code: 'en' };
    tg.setMember(-600, bob.id, 'member');
    tg.textMessage(-600, '/digest now', bob, 'supergroup');
    const refusal = await tg.waitFor((c) => c.method === 'sendMessage' && c.chatId === '-600');
    expect(String(refusal.params.text)).toBe(t('en', 'chat.denied.preview.group'));
    expect(String(refusal.params.text)).toContain('of this group can send the digest preview here: it goes to everyone in the group.');
    expect(tg.callsTo('getChatMember', -600)[0]?.params).toMatchObject({ user_id: bob.id });
    expect(tg.callsTo('sendPhoto', -600)).toHaveLength(0);

    tg.setMember(-601, bob.id, 'administrator');
    tg.textMessage(-601, '/digest now', bob, 'supergroup');
    const photo = await tg.waitFor((c) => c.method === 'sendPhoto' && c.chatId === '-601');
    expect(String(photo.params.caption)).toContain('US close of 2026-11-23');
  });
});

describe('the digest on Discord and Telegram', () => {
  test('GIVEN two en channels, one zh-TW channel and a Telegram chat at 08:00 Asia/Taipei THEN each gets one digest embed (both ratios, the purchasing-power line, the chart), one upload per language', {
    timeout: 60_000,
  }, async () => {
    for (const [channel, locale] of [
      [EN_1, 'en-US'],
      [EN_2, 'en-GB'],
      [ZH, 'zh-TW'],
    ] as const) {
      const { answer } = await slash({
        name: 'digest',
        channelId: channel,
        locale,
        permissions: MANAGE_CHANNELS,
        options: [
          { name: 'time', type: 3, value: '08:00' },
          { name: 'timezone', type: 3, value: 'Asia/Taipei' },
        ],
      });
      expect(answer.ephemeral).toBe(true);
    }
    expect((await slash({ name: 'digest', channelId: EN_1, permissions: 0n })).answer.text).toBe(
      'Daily digest at 08:00 (Taipei time). Next: 2026-11-24 08:00 (Taipei time).',
    );
    const before = tg.callsTo('sendMessage', TG_CHAT).length;
    tg.textMessage(TG_CHAT, '/digest 08:00 Asia/Taipei', { id: TG_CHAT, first_name: 'U', language_code: 'en' });
    await tg.waitFor((c) => c.method === 'sendMessage' && tg.callsTo('sendMessage', TG_CHAT).length > before);

    // 08:00 in Taipei on Tuesday: Monday's US close. Then the same minute again, and later ticks: nothing more.
    for (const t of ['2026-11-24T00:00:00Z', '2026-11-24T00:00:30Z', '2026-11-24T01:00:00Z', '2026-11-24T12:00:00Z']) {
      clock.now = Date.parse(t);
      await app.scheduler.trigger('digest', { now: new Date(clock.now) });
    }

    expect(tg.callsTo('sendPhoto', TG_CHAT).filter((c) => c.status === 200)).toHaveLength(1);
    const posts = [EN_1, EN_2, ZH].map((c) => channelPosts(c));
    expect(posts.map((p) => p.length)).toEqual([1, 1, 1]);
    const [en1, en2, zh] = posts.map((p) => p[0]!);

    // One upload per language: one of the two en channels uploads, the other shows its CDN URL.
    const [uploader, reuser] = en1!.files.length > 0 ? [en1!, en2!] : [en2!, en1!];
    expect(uploader.files).toHaveLength(1);
    expect(uploader.files[0]!.bytes.subarray(0, 4).equals(PNG)).toBe(true);
    expect(uploader.body.embeds[0].image.url).toBe(`attachment://${uploader.files[0]!.filename}`);
    expect(reuser.files).toHaveLength(0);
    const uploaderChannel = uploader.path.split('/')[2];
    expect(reuser.body.embeds[0].image.url).toMatch(new RegExp(`^https://cdn\\.discordapp\\.com/attachments/${uploaderChannel}/\\d+/.+\\.png$`));
    expect(zh!.files).toHaveLength(1);
    expect(zh!.files[0]!.bytes.subarray(0, 4).equals(PNG)).toBe(true);

    for (const p of [en1!, en2!]) {
      const e = p.body.embeds[0];
      expect(e.title).toBe('goldratio digest · US close of 2026-11-23');
      expect(e.description).toMatch(/^SPX\/Gold 1\.\d{3} · 1D [+-]/);
      expect(e.description).toContain('\nQQQ/Gold 0.1');
      // A change under 10% has a decimal (-0.04%, not "0%" beside a verdict), one under 0.005% reads <0.01%.
      expect(e.description).toMatch(/\nS&P 500 [+-]?<?[\d,.]+% in USD, [+-]?<?[\d,.]+% in gold, \+?<?[\d,.]+% (above|below) M2\n/);
      expect(p.body.allowed_mentions).toEqual({ parse: [] });
    }
    const ze = zh!.body.embeds[0];
    expect(ze.title).toBe('goldratio 每日摘要 · 美股2026年11月23日收盤');
    expect(ze.description).toMatch(/^標普500\/黃金 1\.\d{3}/);
    expect(ze.description).toMatch(/\n標普500：美元計價 [+-]?<?[\d,.]+%，黃金計價 [+-]?<?[\d,.]+%，(跑贏|落後) M2/);
    for (const p of [en1!, en2!, zh!]) {
      expect(p.body.embeds[0].description.length).toBeLessThanOrEqual(4096);
      expect(embedSize(p.body.embeds[0])).toBeLessThanOrEqual(6000);
    }

    // Every digest row went out, once per chat; one stored message shared by both platforms.
    expect(
      app.db
        .prepare(
          "SELECT s.platform, o.status, count(*) AS n FROM outbox o JOIN messages m ON m.id = o.message_id JOIN subscriptions s ON s.id = o.subscription_id WHERE m.kind = 'digest' GROUP BY s.platform, o.status ORDER BY s.platform",
        )
        .all(),
    ).toEqual([
      { platform: 'discord', status: 'sent', n: 3 },
      { platform: 'telegram', status: 'sent', n: 1 },
    ]);
    expect(app.db.prepare("SELECT count(*) AS n FROM messages WHERE kind = 'digest'").get()).toEqual({ n: 1 });
  });
});

describeWithHistory('the real digest fits one Discord embed', () => {
  test('in en and zh-TW: description ≤ 4,096, title ≤ 256, all ≤ 6,000 characters, nothing cut', async () => {
    const hdir = mkdtempSync(join(tmpdir(), 'goldratio-discord-digest-real-'));
    const db = openDatabase(await historyFile(join(hdir, 'h.db')));
    try {
      const d = (await digestOf(new MarketView(new QuoteStore(onSqlite(db))), crossingOptions(loadConfig({}))))!;
      for (const lang of LANGS) {
        const m = localize(digestMessage(d), lang);
        const e = (DiscordNotifier.body(m, undefined, 'https://cdn.discordapp.com/x.png').embeds as { description: string; title: string }[])[0]!;
        expect(e.description.length, lang).toBeLessThanOrEqual(4096);
        expect(e.title.length, lang).toBeLessThanOrEqual(256);
        expect(embedSize(e), lang).toBeLessThanOrEqual(6000);
        // Nothing was cut: the whole digest is the description, so no second part is needed.
        expect(e.description, lang).toBe(escapeMarkdown(m.lines.join('\n')));
      }
    } finally {
      db.close();
      rmSync(hdir, { recursive: true, force: true });
    }
  });
});
