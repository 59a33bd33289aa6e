/** Receivers that say a hook is gone for good: deactivated at the first such answer, its messages kept for `webhook test`. */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { seedEvent } from '../../helpers/telegram-harness.ts';
import { drainOnClock, hookWorld, TestClock, type HookWorld } from '../../helpers/webhook-world.ts';
import { runCliInProcess } from '../../helpers/cli.ts';

let w: HookWorld;
beforeEach(async () => {
  w = await hookWorld();
});
afterEach(async () => {
  await w.close();
});

const env = () => ({ DATABASE_PATH: w.world.config.databasePath, DATA_DIR: w.world.config.dataDir });
const outbox = (id: string) =>
  w.world.db.prepare('SELECT status, last_error FROM outbox WHERE chat_id = ? ORDER BY id').all(id) as { status: string; last_error: string | null }[];

describe('a receiver that answers it is gone for good', () => {
  test.each([
    ['any receiver', 'json', 410, '', 'gone', /gone for good: HTTP 410 Gone/],
    ['a deleted Discord webhook', 'discord', 404, '{"message": "Unknown Webhook", "code": 10015}', 'gone', /gone for good: .*Discord 10015 Unknown Webhook/],
    ['a reset Discord webhook', 'discord', 401, '{"message": "Invalid Webhook Token", "code": 50027}', 'gone', /gone for good: .*Discord 50027/],
    [
      "a Discord forum channel's webhook, added without a post's ?thread_id=",
      'discord',
      400,
      '{"message": "Webhooks posted to forum channels must have a thread_name or thread_id", "code": 220001}',
      'gone',
      /gone for good: HTTP 400 \(Discord 220001 a forum channel's webhook posts only into a post: add its address with \?thread_id=/,
    ],
    [
      'a removed Slack webhook',
      'slack',
      404,
      'no_service',
      'gone',
      /gone for good: HTTP 404 no_service \(Slack: the webhook was removed or disabled; add a new one\)/,
    ],
    ['a revoked Slack webhook', 'slack', 403, 'invalid_token', 'gone', /gone for good: HTTP 403 invalid_token/],
    ['a Slack webhook whose channel was deleted', 'slack', 404, 'channel_not_found', 'gone', /gone for good: HTTP 404 channel_not_found/],
    ['a Slack webhook whose workspace is gone', 'slack', 404, 'no_team', 'gone', /gone for good: HTTP 404 no_team/],
    // A setting in Slack, not the hook: it works again once changed there, so not "gone for good".
    [
      'a Slack webhook to an archived channel',
      'slack',
      410,
      'channel_is_archived',
      'blocked',
      /refused until changed in Slack: HTTP 410 channel_is_archived \(Slack: its channel is archived; unarchive it\)/,
    ],
    ['a Slack webhook an admin restricted', 'slack', 403, 'action_prohibited', 'blocked', /refused until changed in Slack: HTTP 403 action_prohibited/],
    [
      'a Slack webhook to #general, where only admins may post',
      'slack',
      403,
      'posting_to_general_channel_denied',
      'blocked',
      /refused until changed in Slack: HTTP 403 posting_to_general_channel_denied/,
    ],
    ['a Slack webhook of a disabled workspace', 'slack', 403, 'team_disabled', 'blocked', /refused until changed in Slack: HTTP 403 team_disabled/],
  ])(
    'GIVEN %s THEN one POST, the hook deactivated with the reason in list and list --json and one log line; the messages kept, sent once after a passing `webhook test`',
    async (_, format, status, body, refusal, why) => {
      const { id } = await w.add('/gone', '--format', format);
      w.rx.answers.set('/gone', { status, body });
      // Two messages waiting: the one refused and one more behind it.
      await seedEvent(w.world, [{ platform: 'webhook', chatId: id }]);
      await seedEvent(w.world, [{ platform: 'webhook', chatId: id }], Date.now() + 1);
      const d = w.dispatcher(w.notifier());
      for (let i = 0; i < 5 && (await d.pending()) > 0; i++) await d.drain();
      expect(w.rx.at('/gone')).toHaveLength(1);
      const sub = await w.world.deps.subs.get('webhook', id);
      expect(sub).toMatchObject({ active: false, refusal });
      const list = await w.cli('webhook', 'list');
      expect(list.stdout).toMatch(new RegExp(`${id} .*DEACTIVATED \\(`));
      expect(list.stdout).toMatch(why);
      expect(list.stdout).toMatch(new RegExp(`2 messages kept: once the receiver takes them again, goldratio webhook test ${id} turns it on and sends them`));
      const listed = JSON.parse((await w.cli('webhook', 'list', '--json')).stdout) as { id: string; active: boolean; deactivatedReason: string }[];
      expect(listed[0]).toMatchObject({ id, active: false, refusal, keptMessages: 2 });
      expect(listed[0]?.deactivatedReason).toMatch(why);
      expect(w.world.log.lines.filter((l) => l.includes(`webhook chat ${id} deactivated`))).toHaveLength(1);
      // Nothing delivered, nothing lost.
      expect(outbox(id).map((r) => r.status)).toEqual(['dead', 'dead']);

      // The receiver is fixed (a Slack channel unarchived): a passing test turns the hook on and its kept messages go out, once each.
      w.rx.answers.set('/gone', { status: 204 });
      const t = await w.cli('webhook', 'test', id);
      expect(t.code, t.stderr).toBe(0);
      expect(t.stdout).toMatch(/active again; the 2 messages kept for it go out now/);
      expect(await w.world.deps.subs.get('webhook', id)).toMatchObject({ active: true, refusal: null });
      for (let i = 0; i < 5 && (await d.pending()) > 0; i++) await d.drain();
      expect(outbox(id).map((r) => r.status)).toEqual(['sent', 'sent']);
      const kinds = w.rx.at('/gone').map((r) => r.headers['x-goldratio-event']);
      expect(kinds).toEqual(['alert', 'test', 'alert', 'alert']);
      expect((await w.cli('webhook', 'list')).stdout).not.toMatch(/kept/);
    },
  );

  test.each([
    ['a plain 404 (a receiver being redeployed)', 'json', 404, 'Not Found'],
    ['a Discord 404 of another code', 'discord', 404, '{"message": "Unknown Channel", "code": 10003}'],
    ['a Slack 400 invalid_payload', 'slack', 400, 'invalid_payload'],
  ])('GIVEN %s THEN it is retried as before: the hook stays active', async (_, format, status, body) => {
    const { id } = await w.add('/maybe', '--format', format);
    w.rx.answers.set('/maybe', { status, body });
    await seedEvent(w.world, [{ platform: 'webhook', chatId: id }]);
    const d = w.dispatcher(w.notifier(), 5000);
    expect(await d.drain()).toMatchObject({ retried: 1, dead: 0 });
    expect((await w.world.deps.subs.get('webhook', id))?.active).toBe(true);
    expect(outbox(id).map((r) => r.status)).toEqual(['pending']);
  });

  test.each([301, 308])(
    'GIVEN a receiver that answers a permanent redirect (%d) THEN one POST, the redirect not followed, the hook deactivated naming the new address (never its token), its messages kept',
    async (status) => {
      const { id } = await w.add('/old');
      w.rx.answers.set('/old', { status, headers: { location: `${w.rx.url('/new')}?token=s3cret` } });
      await seedEvent(w.world, [{ platform: 'webhook', chatId: id }]);
      const d = w.dispatcher(w.notifier(), 5000);
      expect(await d.drain()).toMatchObject({ retried: 0, dead: 1 });
      expect(w.rx.at('/old')).toHaveLength(1);
      expect(w.rx.at('/new')).toHaveLength(0);
      expect(await w.world.deps.subs.get('webhook', id)).toMatchObject({ active: false, refusal: 'gone' });
      const list = await w.cli('webhook', 'list');
      expect(list.stdout).toMatch(
        new RegExp(
          `gone for good: HTTP ${status} moved permanently to http://127\\.0\\.0\\.1:\\d+/new\\?…, not followed: add that address \\(goldratio webhook add\\) and remove this one`,
        ),
      );
      expect(list.stdout).toMatch(/1 message kept/);
      for (const text of [list.stdout, ...w.world.log.lines]) expect(text).not.toContain('s3cret');
    },
  );

  test.each([302, 303, 307])(
    'GIVEN a receiver that answers a temporary redirect (%d) THEN it is retried over the span as before: the hook stays active',
    async (status) => {
      const { id } = await w.add('/away');
      w.rx.answers.set('/away', { status, headers: { location: w.rx.url('/login') } });
      await seedEvent(w.world, [{ platform: 'webhook', chatId: id }]);
      const d = w.dispatcher(w.notifier(), 5000);
      expect(await d.drain()).toMatchObject({ retried: 1, dead: 0 });
      expect((await w.world.deps.subs.get('webhook', id))?.active).toBe(true);
      expect(outbox(id)).toEqual([
        { status: 'pending', last_error: expect.stringMatching(new RegExp(`^HTTP ${status} redirect to .*/login not followed: register the final address$`)) },
      ]);
      expect(w.rx.at('/login')).toHaveLength(0);
    },
  );

  test('GIVEN a hook deactivated after a day of failures THEN a passing test turns it on but sends none of the messages given up', async () => {
    const { id } = await w.add('/down');
    w.rx.answers.set('/down', { status: 500 });
    const clock = new TestClock(Date.now());
    await seedEvent(w.world, [{ platform: 'webhook', chatId: id }], clock.ms);
    const d = w.dispatcher(w.notifier({ now: clock.now }), 1, clock.now);
    await d.drain();
    expect((await w.world.deps.subs.get('webhook', id))?.active).toBe(true);
    // The span's tries, to the last, a day after the first failure.
    await drainOnClock(w.world, d, clock, async () => (await w.world.deps.subs.get('webhook', id))?.active === false);
    w.rx.answers.set('/down', { status: 204 });
    expect((await w.cli('webhook', 'list')).stdout).not.toMatch(/kept/);
    const t = await w.cli('webhook', 'test', id);
    expect(t.stdout).toMatch(/active again$/m);
    expect(await d.pending()).toBe(0);
  });

  test('GIVEN a clock days from the real one THEN the hook is stamped deactivated by it, and `webhook list` on that clock counts "ago" from it', async () => {
    const { id } = await w.add('/gone');
    w.rx.answers.set('/gone', { status: 410 });
    // Far from the real clock: a stamp read from Date.now() would be days off what the list says.
    const clock = new TestClock(Date.parse('2026-03-02T14:30:00Z'));
    await seedEvent(w.world, [{ platform: 'webhook', chatId: id }], clock.ms);
    const d = w.dispatcher(w.notifier({ now: clock.now }), 1, clock.now);
    await d.drain();
    expect(await w.world.deps.subs.get('webhook', id)).toMatchObject({ active: false, deactivatedAt: clock.ms });
    const list = await runCliInProcess(['webhook', 'list'], env(), { nowMs: clock.ms + 3 * 3_600_000 });
    expect(list.stdout).toMatch(new RegExp(`${id} .*DEACTIVATED \\(.*\\) since 2026-03-02T14:30:00.000Z \\(3 h ago\\)`));
    const [hook] = JSON.parse((await runCliInProcess(['webhook', 'list', '--json'], env(), { nowMs: clock.ms })).stdout) as { deactivatedAt: string }[];
    expect(hook?.deactivatedAt).toBe('2026-03-02T14:30:00.000Z');

    // A passing `webhook test` on a later clock brings it back, stamped by that clock, not the real one.
    w.rx.answers.set('/gone', { status: 204 });
    const later = clock.ms + 86_400_000;
    expect((await runCliInProcess(['webhook', 'test', id], env(), { nowMs: later })).code).toBe(0);
    const row = w.world.db.prepare("SELECT active, deactivated_at, updated_at FROM subscriptions WHERE platform = 'webhook' AND chat_id = ?").get(id);
    expect(row).toEqual({ active: 1, deactivated_at: null, updated_at: later });
  });
});
