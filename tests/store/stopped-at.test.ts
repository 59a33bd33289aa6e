/**
 * When a chat's alerts stopped (migration 015), on both engines: every deactivation of an active
 * chat records the moment, a stopped chat keeps it through settings changes and later stops, being
 * active again clears it, and a row that never had alerts has none. A database written before 015
 * opens with its stopped rows at NULL: no date is made up for them.
 */
import { afterEach, describe, expect, test, vi } from 'vitest';
import type { StoreDb } from '../../src/store/engine.ts';
import { MIGRATIONS } from '../../src/store/migrations/index.ts';
import { SubscriptionStore } from '../../src/store/subscriptions.ts';
import { describeOnEngines } from '../helpers/engines.ts';
import { describeWithPostgres } from '../helpers/postgres.ts';
import { upgradedStore } from '../helpers/old-store.ts';

afterEach(() => {
  vi.useRealTimers();
});

const T1 = Date.parse('2026-11-03T08:15:00Z');
const T2 = Date.parse('2026-11-10T09:00:00Z');
const T3 = Date.parse('2026-11-20T10:00:00Z');
const at = (ms: number) => vi.setSystemTime(ms);

describeOnEngines('when alerts stopped', (open) => {
  test('GIVEN an active chat THEN each way of stopping it records when, a stopped chat keeps its moment, and being active again clears it', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const subs = new SubscriptionStore(await open(), { approachPct: 3, lang: 'en' });
    at(T1);
    expect((await subs.upsert('telegram', '1', {})).deactivatedAt).toBeNull();
    await subs.chatGone('telegram', '1', 'rights: 50013 Missing Permissions');
    expect((await subs.get('telegram', '1'))?.deactivatedAt).toBe(T1);
    // A later stop, a settings change and the chat's own /unsubscribe: the alerts stopped at T1 all the same.
    at(T2);
    await subs.chatGone('telegram', '1', 'blocked: Forbidden: bot was blocked by the user');
    await subs.upsert('telegram', '1', { lang: 'zh-TW' });
    await subs.deactivate('telegram', '1', 'unsubscribed');
    expect((await subs.get('telegram', '1'))?.deactivatedAt).toBe(T1);
    // Active again: none; stopped again by a patch (/unsubscribe of the last pair): that moment.
    expect((await subs.upsert('telegram', '1', { active: true, deactivatedReason: null })).deactivatedAt).toBeNull();
    at(T3);
    expect((await subs.upsert('telegram', '1', { active: false, deactivatedReason: 'unsubscribed' })).deactivatedAt).toBe(T3);
    expect((await subs.get('telegram', '1'))?.deactivatedAt).toBe(T3);
    // deactivate() on an active chat (a webhook removed, /unsubscribe): now.
    await subs.upsert('telegram', '2', {});
    await subs.deactivate('telegram', '2', 'unsubscribed');
    expect((await subs.get('telegram', '2'))?.deactivatedAt).toBe(T3);
  });

  test('GIVEN a row of settings only (a /lang before any /subscribe) THEN it never had alerts: no moment, even after a stop on it', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const subs = new SubscriptionStore(await open(), { approachPct: 3, lang: 'en' });
    at(T1);
    expect((await subs.ensure('telegram', '3', { active: false, lang: 'zh-CN' })).deactivatedAt).toBeNull();
    await subs.chatGone('telegram', '3', 'removed: bot kicked');
    expect((await subs.get('telegram', '3'))?.deactivatedAt).toBeNull();
  });

  test('GIVEN a group that became a supergroup whose stopped row takes the old one in THEN the merged chat is active, with no moment', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const subs = new SubscriptionStore(await open(), { approachPct: 3, lang: 'en' });
    at(T1);
    await subs.upsert('telegram', '-100', {});
    await subs.ensure('telegram', '-1009', { active: false, lang: 'en' });
    at(T2);
    await subs.move('telegram', '-100', '-1009');
    expect((await subs.get('telegram', '-1009'))?.deactivatedAt).toBeNull();
    expect((await subs.get('telegram', '-100'))?.deactivatedAt).toBe(T2);
  });
});

const BEFORE = MIGRATIONS.filter((m) => m.version < 15);
const ROWS = `INSERT INTO subscriptions (id, platform, chat_id, active, pairs, level_ids, custom_levels, approach_pct, lang, deactivated_reason, created_at, updated_at) VALUES
  (1, 'telegram', '1001', 0, '[]', 'all', '[]', 3, 'en', 'blocked: Forbidden: bot was blocked by the user', 1, 1),
  (2, 'telegram', '1002', 1, '[]', 'all', '[]', 3, 'en', NULL, 1, 1)`;

async function expectMigrated(db: StoreDb): Promise<void> {
  const subs = new SubscriptionStore(db, { approachPct: 3, lang: 'en' });
  // Stopped before the column: when is not known, and none is made up (not updated_at's 1).
  expect((await subs.get('telegram', '1001'))?.deactivatedAt).toBeNull();
  expect((await subs.get('telegram', '1002'))?.deactivatedAt).toBeNull();
  // Stopping it again (a /unsubscribe there) does not make one up either; the active one's stop is recorded.
  await subs.deactivate('telegram', '1001', 'unsubscribed');
  expect((await subs.get('telegram', '1001'))?.deactivatedAt).toBeNull();
  at(T2);
  await subs.chatGone('telegram', '1002', 'removed: bot kicked');
  expect((await subs.get('telegram', '1002'))?.deactivatedAt).toBe(T2);
}

describe('migration 015 on SQLite', () => {
  test('GIVEN a file written before 015 with a stopped chat THEN it opens with no moment for it, and later stops are recorded', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    await expectMigrated(await upgradedStore('sqlite', BEFORE, [ROWS]));
  });
});

describeWithPostgres('migration 015 on PostgreSQL', () => {
  test('GIVEN a database written before 015 with a stopped chat THEN it opens with no moment for it, and later stops are recorded', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    await expectMigrated(await upgradedStore('postgres', BEFORE, [ROWS]));
  });
});

describeOnEngines('what a stop took (migration 023)', (open) => {
  test('GIVEN chats with alerts, a digest or both THEN a stop keeps what was on, a later stop keeps the first, and /digest lifts only a stop that took the digest alone', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const subs = new SubscriptionStore(await open(), { approachPct: 3, lang: 'en' });
    at(T1);
    await subs.upsert('telegram', 'alerts', {});
    await subs.upsert('telegram', 'both', { digestTime: '08:00' });
    await subs.ensure('telegram', 'digest', { active: false, digestTime: '08:00', lang: 'en' });
    await subs.ensure('telegram', 'nothing', { active: false, lang: 'en' });
    for (const chat of ['alerts', 'both', 'digest', 'nothing']) await subs.chatGone('telegram', chat, 'blocked: Forbidden: bot was blocked by the user');
    const had = async (chat: string) => {
      const s = await subs.get('telegram', chat);
      return { stopHad: s?.stopHad, deactivatedAt: s?.deactivatedAt };
    };
    expect(await had('alerts')).toEqual({ stopHad: 'alerts', deactivatedAt: T1 });
    expect(await had('both')).toEqual({ stopHad: 'both', deactivatedAt: T1 });
    // A digest-only chat's stop has its moment too (said as "Stopped on").
    expect(await had('digest')).toEqual({ stopHad: 'digest', deactivatedAt: T1 });
    expect(await had('nothing')).toEqual({ stopHad: null, deactivatedAt: null });
    // Stopped again later (another refusal): the first stop's account stands.
    at(T2);
    await subs.chatGone('telegram', 'digest', 'removed: bot kicked');
    expect(await had('digest')).toEqual({ stopHad: 'digest', deactivatedAt: T1 });
    // Alerts were taken too: /digest alone lifts nothing there.
    expect(await subs.liftDigestStop('telegram', 'both')).toBe(false);
    expect(await subs.liftDigestStop('telegram', 'alerts')).toBe(false);
    expect(await subs.liftDigestStop('telegram', 'nothing')).toBe(false);
    expect((await subs.get('telegram', 'both'))?.deactivatedReason).toMatch(/^blocked: /);
    expect(await subs.liftDigestStop('telegram', 'digest')).toBe(true);
    expect(await subs.get('telegram', 'digest')).toMatchObject({
      active: false,
      deactivatedReason: null,
      deactivatedAt: null,
      stopHad: null,
      digestTime: '08:00',
    });
    // Active again, or the chat's own /unsubscribe: no stop, nothing taken.
    expect((await subs.upsert('telegram', 'both', { active: true, deactivatedReason: null })).stopHad).toBeNull();
    expect(await had('both')).toEqual({ stopHad: null, deactivatedAt: null });
    await subs.deactivate('telegram', 'alerts', 'unsubscribed');
    expect((await subs.get('telegram', 'alerts'))?.stopHad).toBeNull();
  });
});

describeOnEngines("a chat's own choice inside a platform stop (endStopPart)", (open) => {
  test('GIVEN stopped chats WHEN /unsubscribe ends the alerts or /digest off the digest THEN the stop keeps the rest with its cause and moment, or ends when nothing is left; a chat not stopped is left alone', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const subs = new SubscriptionStore(await open(), { approachPct: 3, lang: 'en' });
    at(T1);
    await subs.upsert('telegram', 'both', { digestTime: '08:00' });
    await subs.upsert('telegram', 'alerts', {});
    await subs.ensure('telegram', 'digest', { active: false, digestTime: '08:00', lang: 'en' });
    await subs.upsert('telegram', 'both2', { digestTime: '08:00' });
    for (const chat of ['both', 'alerts', 'digest', 'both2']) await subs.chatGone('telegram', chat, 'rights: CHAT_RESTRICTED');
    await subs.upsert('telegram', 'on', {});
    await subs.deactivate('telegram', 'on', 'unsubscribed');
    at(T2);
    const state = async (chat: string) => {
      const s = await subs.get('telegram', chat);
      return s && { reason: s.deactivatedReason, stopHad: s.stopHad, at: s.deactivatedAt, active: s.active };
    };
    // Alerts ended, the digest still held by the stop: its reason stays, so store/digests.ts sends it nothing.
    expect((await subs.endStopPart('telegram', 'both', 'alerts'))?.stopHad).toBe('digest');
    expect(await state('both')).toEqual({ reason: 'rights: CHAT_RESTRICTED', stopHad: 'digest', at: T1, active: false });
    // Nothing left after the alerts: unsubscribed, its moment kept.
    await subs.endStopPart('telegram', 'alerts', 'alerts');
    expect(await state('alerts')).toEqual({ reason: 'unsubscribed', stopHad: null, at: T1, active: false });
    // The digest off: a stop of the digest alone ends (a row of settings only); one of both keeps the alerts.
    await subs.endStopPart('telegram', 'digest', 'digest');
    expect(await state('digest')).toEqual({ reason: null, stopHad: null, at: null, active: false });
    await subs.endStopPart('telegram', 'both2', 'digest');
    expect(await state('both2')).toEqual({ reason: 'rights: CHAT_RESTRICTED', stopHad: 'alerts', at: T1, active: false });
    // No platform stop: nothing written.
    const version = await subs.version();
    expect(await subs.endStopPart('telegram', 'on', 'alerts')).toBeUndefined();
    expect(await subs.endStopPart('telegram', 'none', 'digest')).toBeUndefined();
    expect(await subs.version()).toBe(version);
    expect(await state('on')).toEqual({ reason: 'unsubscribed', stopHad: null, at: T1, active: false });
  });
});

const BEFORE_023 = MIGRATIONS.filter((m) => m.version < 23);
const ROWS_022 = `INSERT INTO subscriptions (id, platform, chat_id, active, pairs, level_ids, custom_levels, approach_pct, lang, deactivated_reason, deactivated_at, digest_time, created_at, updated_at) VALUES
  (1, 'telegram', 'both', 0, '[]', 'all', '[]', 3, 'en', 'blocked: x', 5, '08:00', 1, 1),
  (2, 'telegram', 'alerts', 0, '[]', 'all', '[]', 3, 'en', 'rights: y', 5, NULL, 1, 1),
  (3, 'telegram', 'digest', 0, '[]', 'all', '[]', 3, 'en', 'blocked: x', NULL, '08:00', 1, 1),
  (4, 'telegram', 'old', 0, '[]', 'all', '[]', 3, 'en', 'Forbidden: bot was blocked by the user', NULL, NULL, 1, 1),
  (5, 'telegram', 'unsub', 0, '[]', 'all', '[]', 3, 'en', 'unsubscribed', 5, '08:00', 1, 1),
  (6, 'telegram', 'moved', 0, '[]', 'all', '[]', 3, 'en', 'moved to -1009', 5, NULL, 1, 1),
  (7, 'telegram', 'on', 1, '[]', 'all', '[]', 3, 'en', NULL, NULL, '08:00', 1, 1)`;

async function expectStopHadMigrated(db: StoreDb): Promise<void> {
  const subs = new SubscriptionStore(db, { approachPct: 3, lang: 'en' });
  const had = async (chat: string) => (await subs.get('telegram', chat))?.stopHad;
  // Read from what was known: a moment only where alerts stopped (015); a stop older than 015 with no digest had alerts.
  expect([await had('both'), await had('alerts'), await had('digest'), await had('old')]).toEqual(['both', 'alerts', 'digest', 'alerts']);
  expect([await had('unsub'), await had('moved'), await had('on')]).toEqual([null, null, null]);
}

describe('migration 023 on SQLite', () => {
  test('GIVEN a file written before 023 with stopped chats THEN each stop says what it took, read from what the rows knew', async () => {
    await expectStopHadMigrated(await upgradedStore('sqlite', BEFORE_023, [ROWS_022]));
  });
});

describeWithPostgres('migration 023 on PostgreSQL', () => {
  test('GIVEN a database written before 023 with stopped chats THEN each stop says what it took, read from what the rows knew', async () => {
    await expectStopHadMigrated(await upgradedStore('postgres', BEFORE_023, [ROWS_022]));
  });
});
