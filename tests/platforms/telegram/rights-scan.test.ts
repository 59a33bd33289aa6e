/**
 * Chats whose rights came back while the bot was down longer than Telegram keeps updates (24 h): no
 * my_chat_member update ever comes, so the start asks getChatMember for every chat stopped for
 * 'rights' (src/platforms/telegram/rights-scan.ts), at most once a day, through the fake Bot API.
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { FakeTelegram } from '../../fakes/telegram.ts';
import { makeTelegram, startBot, stopBot, type World } from '../../helpers/telegram-harness.ts';
import { createTelegram, type Telegram } from '../../../src/platforms/telegram/bot.ts';
import { t } from '../../../src/domain/i18n/index.ts';
import { until } from '../../helpers/replicas.ts';
import { stopReason } from '../../../src/domain/stop-cause.ts';
import { onSqlite } from '../../../src/store/engine.ts';
import { MetaStore } from '../../../src/store/meta.ts';
import { RIGHTS_SCAN_EVERY_MS, RIGHTS_SCAN_KEY, RIGHTS_SCAN_LEASE_MS } from '../../../src/platforms/telegram/rights-scan.ts';
import type { SubscriptionPatch } from '../../../src/store/subscriptions.ts';
import '../../../src/chat/registry.ts';
import { sleep } from '../../../src/sleep.ts';

const HOUR = 3_600_000;
const muted = { status: 'restricted', is_member: true, can_send_messages: false } as const;

let fake: FakeTelegram;
let world: World;
let tg: Telegram;
let meta: MetaStore;

beforeEach(async () => {
  ({ fake, world, tg } = await startBot());
  meta = new MetaStore(onSqlite(world.db));
});
afterEach(() => stopBot({ fake, world, tg }));

async function stoppedForRights(chatId: string, patch: SubscriptionPatch = {}): Promise<void> {
  await world.deps.subs.upsert('telegram', chatId, patch);
  await world.deps.subs.chatGone('telegram', chatId, stopReason('rights', 'Bad Request: CHAT_SEND_PLAIN_FORBIDDEN'));
}

/** Stops the bot, sets when the last scan was (undefined: never), starts it again; resolves when the start's scan ended (or was skipped), with its log line. */
async function restart(lastScanAt: number | undefined): Promise<string> {
  await tg.stop();
  if (lastScanAt === undefined) await meta.delete(RIGHTS_SCAN_KEY);
  else await meta.set(RIGHTS_SCAN_KEY, String(lastScanAt));
  const from = world.log.lines.length;
  tg = makeTelegram(world);
  await tg.start();
  return until('the rights-back scan', () => world.log.lines.slice(from).find((l) => /rights-back scan(:| cut short)/.test(l)), 10_000);
}

const asked = (chatId: string | number): number => fake.callsTo('getChatMember', chatId).length;
const toldChats = (): string[] => fake.calls.filter((c) => c.method === 'sendMessage').map((c) => String(c.chatId));

describe('Telegram start: chats whose rights came back while the bot was down more than a day', () => {
  test('GIVEN chats stopped for rights WHEN the bot starts with no scan ever (or one over a day old) THEN each where it may post again is told once, with no my_chat_member; restricted, active, told today, refused chats are not; a restart right after asks nothing', async () => {
    await stoppedForRights('-740', { lang: 'zh-TW', threadId: 3 });
    await stoppedForRights('-741');
    fake.setMember(-741, fake.botId, muted);
    await world.deps.subs.upsert('telegram', '-742', {});
    await stoppedForRights('-743');
    await meta.set('telegram.rights_back:-743', String(Date.now() - HOUR));
    await stoppedForRights('-744');
    fake.fault(-744, { kind: 'not-found' }, { methods: ['getChatMember'] });
    await stoppedForRights('-745');
    fake.fault(-745, { kind: 'kicked' }, { methods: ['getChatMember'] });
    // After the refused ones: still asked, and told (restricted, but allowed to send).
    await stoppedForRights('-746');
    fake.setMember(-746, fake.botId, { status: 'restricted', is_member: true, can_send_messages: true });
    await world.deps.subs.upsert('telegram', '-747', {});
    await world.deps.subs.chatGone('telegram', '-747', stopReason('removed', 'bot kicked'));
    // Channels: an admin without Post Messages may not post; with it, may.
    await stoppedForRights('-1007480');
    fake.setMember(-1007480, fake.botId, { status: 'administrator', can_post_messages: false });
    await stoppedForRights('-1007481');
    fake.setMember(-1007481, fake.botId, { status: 'administrator', can_post_messages: true });

    const line = await restart(undefined);
    expect(line).toContain('8 chat(s) stopped for lost rights, 7 asked, 3 told');
    expect(toldChats().sort()).toEqual(['-1007481', '-740', '-746']);
    const told = fake.callsTo('sendMessage', -740)[0]!;
    expect(String(told.params.text)).toMatch(new RegExp(`^${t('zh-TW', 'chat.sub.rightsBack.group')}\\n`));
    expect(told.params.message_thread_id).toBe(3);
    expect(told.params.reply_markup).toEqual({ inline_keyboard: [[{ text: t('zh-TW', 'chat.button.subscribe'), callback_data: 'cmd:subscribe' }]] });
    expect(String(fake.callsTo('sendMessage', -1007481)[0]!.params.text)).toMatch(new RegExp(`^${t('en', 'chat.sub.rightsBack')}\\n`));
    expect(fake.callsTo('getChatMember', -740)[0]!.params.user_id).toBe(fake.botId);
    expect([-740, -741, -742, -743, -744, -745, -746, -747, -1007480, -1007481].map(asked)).toEqual([1, 1, 0, 0, 1, 1, 1, 0, 1, 1]);
    expect(world.log.lines.filter((l) => /in chat -74[45], skipped \((400 Bad Request: chat not found|403 Forbidden: bot was kicked)/.test(l))).toHaveLength(2);
    // Nothing resumed unasked.
    expect((await world.deps.subs.get('telegram', '-740'))?.active).toBe(false);

    // A restart right after: Telegram's queue covers the gap, nothing is asked.
    const calls = fake.callsTo('getChatMember').length;
    expect(await restart(Date.now() - HOUR)).toContain('done within a day');
    expect(fake.callsTo('getChatMember')).toHaveLength(calls);

    // Running for days, then restarted: one scan; told today, not again; -741's rights came back since.
    fake.setMember(-741, fake.botId, 'member');
    expect(await restart(Date.now() - 25 * HOUR)).toContain('4 asked, 1 told');
    expect([-740, -741, -746, -1007481].map(asked)).toEqual([1, 2, 1, 1]);
    expect(toldChats().sort()).toEqual(['-1007481', '-740', '-741', '-746']);
    expect(await restart(Date.now() - HOUR)).toContain('done within a day');
  });

  test('GIVEN the rights came back within the hours before a start over a day after the last scan THEN the pending my_chat_member and the scan tell the chat once between them', async () => {
    await stoppedForRights('-780');
    await tg.stop();
    fake.botMembership(-780, 'supergroup', { id: 5005, first_name: 'Kai' }, muted, 'member');
    // Each send held: the update's message and the scan's would both be under way.
    fake.slow('sendMessage', 500);
    expect(await restart(Date.now() - 25 * HOUR)).toContain('1 asked');
    await until('the update handled', () => fake.callsTo('sendMessage', -780).length > 0 || undefined, 10_000);
    await sleep(700);
    expect(fake.callsTo('sendMessage', -780)).toHaveLength(1);
  });

  test('GIVEN the scan could not send its message THEN the chat is not noted as told: the next my_chat_member rise tells it', async () => {
    await stoppedForRights('-800');
    fake.fault(-800, { kind: 'forbidden', description: 'bot is not a member of the supergroup chat' }, { times: 1, methods: ['sendMessage'] });
    expect(await restart(undefined)).toContain('1 asked, 0 told');
    expect(world.log.lines.some((l) => l.includes('could not tell chat -800 that its alerts stopped: Forbidden: bot is not a member'))).toBe(true);
    fake.botMembership(-800, 'supergroup', { id: 5005, first_name: 'Kai' }, muted, 'member');
    const told = await fake.waitFor((c) => c.method === 'sendMessage' && c.chatId === '-800' && c.status === 200);
    expect(String(told.params.text)).toMatch(new RegExp(`^${t('en', 'chat.sub.rightsBack')}\\n`));
  });

  test('GIVEN a 429 on getChatMember THEN the scan waits its retry_after and asks again; the calls are paced', async () => {
    for (const id of ['-750', '-751', '-752', '-753']) await stoppedForRights(id);
    fake.fault(-751, { kind: 'too-many', retryAfter: 1 }, { times: 1, methods: ['getChatMember'] });
    expect(await restart(undefined)).toContain('4 asked, 4 told');
    const [refused, again] = fake.callsTo('getChatMember', -751);
    expect(refused?.status).toBe(429);
    expect(again!.at - refused!.at).toBeGreaterThanOrEqual(950);
    const times = fake.callsTo('getChatMember').map((c) => c.at);
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(40);
    expect(toldChats().sort()).toEqual(['-750', '-751', '-752', '-753']);
  });

  test('GIVEN the bot stops during the scan THEN it stops at once, tells nobody more, and the next start scans again', async () => {
    for (const id of ['-760', '-761']) await stoppedForRights(id);
    fake.fault(-760, { kind: 'too-many', retryAfter: 30 }, { times: 1, methods: ['getChatMember'] });
    await tg.stop();
    await meta.delete(RIGHTS_SCAN_KEY);
    tg = makeTelegram(world);
    await tg.start();
    await until('the 429', () => asked(-760) === 1 || undefined, 10_000);
    const stopping = Date.now();
    await tg.stop();
    expect(Date.now() - stopping).toBeLessThan(5_000);
    expect(world.log.lines.some((l) => l.includes('rights-back scan cut short (the bot stopped)'))).toBe(true);
    expect(toldChats()).toEqual([]);
    expect(Number(await meta.get(RIGHTS_SCAN_KEY))).toBe(0);
    const from = world.log.lines.length;
    tg = makeTelegram(world);
    await tg.start();
    await until('the next scan', () => world.log.lines.slice(from).find((l) => l.includes('2 told')), 10_000);
    expect(toldChats().sort()).toEqual(['-760', '-761']);
  });

  test('GIVEN replicas serving a webhook, each starting at once THEN one scan between them: each chat asked and told once', async () => {
    for (const id of ['-790', '-791']) await stoppedForRights(id);
    await tg.stop();
    await meta.delete(RIGHTS_SCAN_KEY);
    const config = { ...world.config, telegram: { ...world.config.telegram, webhookUrl: 'https://bot.example.org/tg/hook', webhookSecret: 'hook-secret' } };
    const replica = () =>
      createTelegram({
        config,
        deps: world.deps,
        charts: world.charts,
        log: world.log,
        meta: new MetaStore(onSqlite(world.db)),
        replicas: true,
        webhookPort: 0,
      });
    const [a, b] = [replica(), replica()];
    const from = world.log.lines.length;
    await Promise.all([a.start(), b.start()]);
    await until('the scan', () => world.log.lines.slice(from).find((l) => l.includes('2 asked, 2 told')), 10_000);
    await until(
      'the other replica',
      () => world.log.lines.slice(from).find((l) => /rights-back scan: (done within a day|under way in another process)/.test(l)),
      10_000,
    );
    await Promise.all([a.stop(), b.stop()]);
    expect([asked(-790), asked(-791)]).toEqual([1, 1]);
    expect(toldChats().sort()).toEqual(['-790', '-791']);
  });

  test('GIVEN replicas in polling mode THEN a standby scans nothing; the leader scans once it polls', async () => {
    await stoppedForRights('-770');
    await tg.stop();
    await meta.delete(RIGHTS_SCAN_KEY);
    tg = createTelegram({ config: world.config, deps: world.deps, charts: world.charts, log: world.log, meta, replicas: true });
    await tg.start();
    await sleep(300);
    expect(asked(-770)).toBe(0);
    expect(await meta.get(RIGHTS_SCAN_KEY)).toBeUndefined();
    await tg.leaderOnly?.start(new AbortController().signal);
    await fake.waitFor((c) => c.method === 'sendMessage' && c.chatId === '-770');
    expect(asked(-770)).toBe(1);
    await tg.leaderOnly?.stop('stopping');
  });
});

describe('Telegram start scan: groups upgraded to a supergroup while the bot was away', () => {
  const migrated = (from: number, to: number): void => fake.fault(from, { kind: 'migrated', to }, { methods: ['getChatMember'] });

  test('GIVEN a group stopped for rights that became a supergroup WHEN the scan asks it THEN its subscription moves to the new id, once, and the new chat is asked and told there', async () => {
    await stoppedForRights('-820', { lang: 'zh-CN' });
    migrated(-820, -100820);
    const line = await restart(undefined);
    expect(line).toContain('1 chat(s) stopped for lost rights, 2 asked, 1 told, 1 moved to their supergroup');
    expect(await world.deps.subs.get('telegram', '-820')).toBeUndefined();
    const sub = await world.deps.subs.get('telegram', '-100820');
    expect(sub?.active).toBe(false);
    expect(sub?.lang).toBe('zh-CN');
    expect(toldChats()).toEqual(['-100820']);
    expect(String(fake.callsTo('sendMessage', -100820)[0]!.params.text)).toMatch(new RegExp(`^${t('zh-CN', 'chat.sub.rightsBack.group')}\\n`));
    expect([asked(-820), asked(-100820)]).toEqual([1, 1]);
    expect(world.log.lines.some((l) => l.includes('chat -820 became supergroup -100820 while the bot was away'))).toBe(true);
    // A day later: the subscription is the supergroup's, told today, so nothing is asked twice.
    expect(await restart(Date.now() - 25 * HOUR)).toContain('1 chat(s) stopped for lost rights, 0 asked, 0 told');
    expect([asked(-820), asked(-100820)]).toEqual([1, 1]);
  });

  test('GIVEN the supergroup subscribed anew meanwhile, or a chat that says it moved twice THEN the active one is told nothing, the second move is skipped with one line, the others still asked', async () => {
    await stoppedForRights('-821');
    migrated(-821, -100821);
    await world.deps.subs.upsert('telegram', '-100821', {});
    await stoppedForRights('-822');
    migrated(-822, -100822);
    migrated(-100822, -100823);
    await stoppedForRights('-823');
    const line = await restart(undefined);
    expect(line).toContain('3 chat(s) stopped for lost rights, 5 asked, 1 told, 2 moved to their supergroup');
    expect(toldChats()).toEqual(['-823']);
    expect((await world.deps.subs.get('telegram', '-100821'))?.active).toBe(true);
    expect((await world.deps.subs.get('telegram', '-821'))?.active).toBe(false);
    expect((await world.deps.subs.get('telegram', '-100822'))?.active).toBe(false);
    expect(await world.deps.subs.get('telegram', '-100823')).toBeUndefined();
    expect(asked(-100823)).toBe(0);
    expect(world.log.lines.filter((l) => l.includes('in chat -100822, skipped (it says it moved again, to -100823)'))).toHaveLength(1);
  });
});

describe('Telegram start scan: what it logs, and a process that died mid-scan', () => {
  test('GIVEN no chat stopped for lost rights THEN the scan says so at debug level; one that asked says it at info', async () => {
    const idle = await restart(undefined);
    expect(idle).toMatch(/ DEBUG .*rights-back scan: 0 chat\(s\) stopped for lost rights, 0 asked, 0 told$/);
    await stoppedForRights('-830');
    expect(await restart(undefined)).toMatch(/ INFO .*rights-back scan: 1 chat\(s\) stopped for lost rights, 1 asked, 1 told$/);
  });

  test('GIVEN a scan claim left running by a process that died THEN a start after its lease scans again and records its end; a claim renewed within the lease is left to its scan', async () => {
    await stoppedForRights('-840');
    await tg.stop();
    const from = world.log.lines.length;
    await meta.set(RIGHTS_SCAN_KEY, `${Date.now() - 60_000}.0`);
    tg = makeTelegram(world);
    await tg.start();
    await until('the skip', () => world.log.lines.slice(from).find((l) => l.includes('rights-back scan: under way in another process')), 10_000);
    expect(asked(-840)).toBe(0);
    await tg.stop();

    await meta.set(RIGHTS_SCAN_KEY, `${Date.now() - RIGHTS_SCAN_LEASE_MS - 1_000}.0`);
    const again = world.log.lines.length;
    tg = makeTelegram(world);
    const startedAt = Date.now();
    await tg.start();
    const line = await until('the scan', () => world.log.lines.slice(again).find((l) => /rights-back scan(:| cut short)/.test(l)), 10_000);
    expect(line).toContain('1 asked, 1 told');
    expect(world.log.lines.slice(again).some((l) => l.includes('the last rights-back scan ended with its process, mid-scan'))).toBe(true);
    expect(toldChats()).toEqual(['-840']);
    const done = Number(await meta.get(RIGHTS_SCAN_KEY));
    expect(done).toBeGreaterThanOrEqual(startedAt);
    expect(done).toBeLessThanOrEqual(Date.now());
  });
});

describe('Telegram start scan: its claim is a lease renewed as it goes', () => {
  test('GIVEN a long scan THEN its claim is renewed past a quarter of the lease; WHEN another start took it over meanwhile (this one stalled past it) THEN this one stops, tells nobody more, and leaves the other its claim', async () => {
    for (const id of ['-850', '-851', '-852']) await stoppedForRights(id);
    await tg.stop();
    await meta.delete(RIGHTS_SCAN_KEY);
    let offset = 0;
    const from = world.log.lines.length;
    // Each message held: the test moves the clock while the scan is between two chats.
    fake.slow('sendMessage', 400);
    tg = createTelegram({ config: world.config, deps: world.deps, charts: world.charts, log: world.log, meta, now: () => Date.now() + offset });
    const startedAt = Date.now();
    await tg.start();
    await until('the first question', () => asked(-850) === 1 || undefined, 10_000);
    expect(await meta.get(RIGHTS_SCAN_KEY)).toMatch(/^\d+\.0$/);
    const first = Number(await meta.get(RIGHTS_SCAN_KEY));
    expect(first).toBeGreaterThanOrEqual(startedAt);
    // A quarter of the lease later, as the next chat is asked: renewed.
    offset = RIGHTS_SCAN_LEASE_MS / 4;
    await until('the second question', () => asked(-851) === 1 || undefined, 10_000);
    const renewed = Number(await meta.get(RIGHTS_SCAN_KEY));
    expect(renewed).toBeGreaterThanOrEqual(first + RIGHTS_SCAN_LEASE_MS / 4);
    // Another start found the lease lapsed and took the scan over; this one learns it at its next renewal.
    await meta.set(RIGHTS_SCAN_KEY, '9999999999999.0');
    offset = RIGHTS_SCAN_LEASE_MS;
    const line = await until('the end', () => world.log.lines.slice(from).find((l) => /rights-back scan(:| cut short)/.test(l)), 10_000);
    expect(line).toContain('rights-back scan cut short (another start took the scan over) after 2 chat(s)');
    expect(asked(-852)).toBe(0);
    expect(await meta.get(RIGHTS_SCAN_KEY)).toBe('9999999999999.0');
    expect(toldChats().sort()).toEqual(['-850', '-851']);
  });
});

describe('Telegram start scan: an older goldratio beside it in a rolling deploy', () => {
  /** The claim of a goldratio from before the lease (git show fd42b8e:src/platforms/telegram/rights-scan.ts), as it wrote it. */
  const olderClaim = (startedAt: number) => (value: string | undefined) => {
    const at = Number(value);
    return value !== undefined && Number.isFinite(at) && at > startedAt - RIGHTS_SCAN_EVERY_MS ? undefined : String(startedAt);
  };

  test('GIVEN a scan under way WHEN an older replica starts THEN it reads the lease as a scan done today and leaves it: one scan, each chat told once', async () => {
    for (const id of ['-860', '-861']) await stoppedForRights(id);
    await tg.stop();
    await meta.delete(RIGHTS_SCAN_KEY);
    const from = world.log.lines.length;
    fake.slow('sendMessage', 300);
    tg = makeTelegram(world);
    await tg.start();
    await until('the first question', () => asked(-860) === 1 || undefined, 10_000);
    const lease = await meta.get(RIGHTS_SCAN_KEY);
    // The older replica's own claim, a compare-and-set on the same key: it takes nothing.
    expect(await meta.update(RIGHTS_SCAN_KEY, olderClaim(Date.now())), `the lease ${lease}`).toBeUndefined();
    expect(await meta.get(RIGHTS_SCAN_KEY)).toBe(lease);
    const line = await until('the end', () => world.log.lines.slice(from).find((l) => /rights-back scan(:| cut short)/.test(l)), 10_000);
    expect(line).toContain('2 asked, 2 told');
    expect(toldChats().sort()).toEqual(['-860', '-861']);
  });

  test('GIVEN the lease of a scan whose process died THEN an older replica waits out its day, as for a scan that ended; this version scans again after the lease', async () => {
    const now = Date.now();
    await meta.set(RIGHTS_SCAN_KEY, `${now - RIGHTS_SCAN_LEASE_MS - 1_000}.0`);
    expect(await meta.update(RIGHTS_SCAN_KEY, olderClaim(now))).toBeUndefined();
    await meta.set(RIGHTS_SCAN_KEY, `${now - RIGHTS_SCAN_EVERY_MS - 1_000}.0`);
    expect(await meta.update(RIGHTS_SCAN_KEY, olderClaim(now))).toBe(String(now));
  });

  test('GIVEN the key as this code first wrote its lease (running@<ms>) THEN it is still read as a lease: left while renewed', async () => {
    await stoppedForRights('-870');
    await tg.stop();
    const from = world.log.lines.length;
    await meta.set(RIGHTS_SCAN_KEY, `running@${Date.now() - 60_000}`);
    tg = makeTelegram(world);
    await tg.start();
    await until('the skip', () => world.log.lines.slice(from).find((l) => l.includes('rights-back scan: under way in another process')), 10_000);
    expect(asked(-870)).toBe(0);
  });
});
