/**
 * A receiver that refuses one message's body, not the hook: a 413 for a digest too large while the
 * alerts pass, a 422 for one message of a hook that takes the others. That message alone is given
 * up (at once for a 413, after the span's tries within 30 min for a 422), one log line names it, and
 * the hook's next messages go on, in order; `webhook list` names the last one. A receiver refusing
 * everything keeps the day's span. The receiver is real; time is the test's clock.
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { onSqlite } from '../../../src/store/engine.ts';
import { OutboxStore } from '../../../src/store/outbox.ts';
import { seedEvent } from '../../helpers/telegram-harness.ts';
import { hookWorld, TestClock, type HookWorld } from '../../helpers/webhook-world.ts';
import type { Received } from '../../fakes/webhook-receiver.ts';
import { runCliInProcess } from '../../helpers/cli.ts';

const S = 1000;
const MIN = 60 * S;
const H = 60 * MIN;

let w: HookWorld;
beforeEach(async () => {
  w = await hookWorld();
});
afterEach(async () => {
  await w.close();
});

const delivery = (r: Received): string => String(r.headers['x-goldratio-delivery']);
const sentAt = (r: Received): number => Number(r.headers['webhook-timestamp']) * 1000;
const rows = (id: string) =>
  w.world.db
    .prepare('SELECT o.message_id, m.kind, o.status, o.last_error FROM outbox o JOIN messages m ON m.id = o.message_id WHERE o.chat_id = ? ORDER BY o.id')
    .all(id) as {
    message_id: number;
    kind: string;
    status: string;
    last_error: string | null;
  }[];
const list = (nowMs: number) =>
  runCliInProcess(['webhook', 'list'], { DATABASE_PATH: w.world.config.databasePath, DATA_DIR: w.world.config.dataDir }, { nowMs });
const listJson = async (nowMs: number) =>
  JSON.parse(
    (await runCliInProcess(['webhook', 'list', '--json'], { DATABASE_PATH: w.world.config.databasePath, DATA_DIR: w.world.config.dataDir }, { nowMs })).stdout,
  ) as {
    id: string;
    active: boolean;
    lastRefused: { delivery: string; kind: string; error: string; at: string } | null;
    failures: number;
    deactivatedIfFailingAt: string | null;
    givenUpAloneIfRefusedAt: string | null;
  }[];

/** Drains on the clock until `endMs`, moving it to each next try or moment of the test's. */
async function live(clock: TestClock, endMs: number, moments: ReadonlyMap<number, () => Promise<unknown>> = new Map()): Promise<void> {
  const d = w.dispatcher(w.notifier({ now: clock.now }), 1, clock.now);
  for (;;) {
    await d.drain();
    await d.settled();
    const next = w.world.db.prepare("SELECT min(next_at) t FROM outbox WHERE status = 'pending' AND next_at > ?").get(clock.ms) as { t: number | null };
    const at = Math.min(next.t ?? Number.POSITIVE_INFINITY, ...[...moments.keys()].filter((m) => m > clock.ms));
    if (at > endMs) return;
    clock.ms = at;
    await moments.get(at)?.();
  }
}

/** A digest larger than the receiver's body limit below (an alert with its chart is about 80 KB): 1,500 lines. */
async function bigDigest(id: string, nowMs: number): Promise<void> {
  const sub = await w.world.deps.subs.get('webhook', id);
  const lines = Array.from({ length: 1500 }, (_, i) => `line ${i + 1}: SPX/Gold 1.83, QQQ/Gold 0.21, since the last close`);
  await new OutboxStore(onSqlite(w.world.db)).enqueue('digest', { title: 'Daily digest', lines }, [sub!.id], { nowMs });
}

describe('a receiver whose body limit refuses the digest while the alerts pass', () => {
  test('GIVEN an alert, a digest over the limit and an alert THEN the digest is given up at its one 413, the alert behind it goes at once, the hook stays active, and the log and `webhook list` name it', async () => {
    const { id } = await w.add('/limited');
    // Express's json() past its default 100 KB: 413 "request entity too large".
    w.rx.judges.set('/limited', (r) => (r.body.length > 100 * 1024 ? { status: 413, body: '{"error":"request entity too large"}' } : undefined));
    const clock = new TestClock(Date.parse('2026-11-17T21:05:00Z'));
    const t0 = clock.ms;
    await seedEvent(w.world, [{ platform: 'webhook', chatId: id }], t0);
    await bigDigest(id, t0 + S);
    await seedEvent(w.world, [{ platform: 'webhook', chatId: id }], t0 + 2 * S);
    clock.ms = t0 + 3 * S;
    await live(clock, t0 + H);
    const got = w.rx.at('/limited');
    const [alert1, digest, alert2] = rows(id);
    // Each once, in order, all in the first drain: nothing waits behind the refused digest.
    expect(got.map(delivery)).toEqual([alert1, digest, alert2].map((r) => `${r!.message_id}.${id}`));
    expect(got.map((r) => sentAt(r) - t0)).toEqual([3 * S, 3 * S, 3 * S]);
    expect(rows(id).map((r) => [r.kind, r.status])).toEqual([
      ['alert', 'sent'],
      ['digest', 'dead'],
      ['alert', 'sent'],
    ]);
    const kb = Math.ceil(got[1]!.body.length / 1024);
    const why = `HTTP 413 Payload Too Large: the receiver refused a body of ${kb} KB (a digest carries its chart inline); let it accept 256 KB`;
    expect(digest!.last_error).toBe(`refused by the receiver: ${why}`);
    expect((await w.world.deps.subs.get('webhook', id))?.active).toBe(true);
    // One warning line: the hook, the message and the receiver's answer.
    const said = w.world.log.lines.filter((l) => l.includes('given up'));
    expect(said).toHaveLength(1);
    expect(said[0]).toContain(
      `webhook chat ${id}: message ${digest!.message_id} (digest) given up, refused by the receiver, which keeps its next messages: ${why}`,
    );
    const shown = (await list(t0 + H)).stdout;
    expect(shown).toContain(`last refused: the digest ${digest!.message_id}.${id} at ${new Date(t0 + 3 * S).toISOString()} (1 h ago), given up alone: ${why}`);
    expect(shown).not.toContain('RETRYING');
    expect((await listJson(t0 + H))[0]).toMatchObject({
      active: true,
      lastRefused: { delivery: `${digest!.message_id}.${id}`, kind: 'digest', error: why, at: new Date(t0 + 3 * S).toISOString() },
    });
  });
});

describe('a receiver that refuses one message as invalid', () => {
  test('GIVEN a hook whose receiver took a message WHEN it answers 422 to the next THEN that one is tried 5 s, 5 min and 30 min after, then given up alone; the one behind it goes then, in order', async () => {
    const { id } = await w.add('/strict');
    const clock = new TestClock(Date.parse('2026-11-17T21:05:00Z'));
    const t0 = clock.ms;
    await seedEvent(w.world, [{ platform: 'webhook', chatId: id }], t0);
    await live(clock, t0);
    const second = await seedEvent(w.world, [{ platform: 'webhook', chatId: id }], t0 + MIN).then(() => rows(id)[1]!);
    const refusedId = `${second.message_id}.${id}`;
    w.rx.judges.set('/strict', (r) =>
      delivery(r) === refusedId ? { status: 422, body: '{"message":"data.value: must be at most 1.5","code":"E_RANGE"}' } : undefined,
    );
    clock.ms = t0 + MIN;
    const third = () => seedEvent(w.world, [{ platform: 'webhook', chatId: id }], t0 + 10 * MIN);
    await live(clock, t0 + 20 * MIN, new Map([[t0 + 10 * MIN, third]]));
    // Meanwhile `webhook list` says it alone is given up at its 30 min try, not the hook at 24 h.
    const iso = (ms: number) => new Date(t0 + ms).toISOString();
    expect((await list(t0 + 20 * MIN)).stdout).toContain(
      `RETRYING a message whose body the receiver refuses (HTTP 422 (data.value: must be at most 1.5 (code E_RANGE))) since ${iso(MIN)} (19 min): next try ${iso(31 * MIN)}, 1 more waiting behind it; still refused at ${iso(31 * MIN)}, it alone is given up, the hook staying active`,
    );
    expect((await listJson(t0 + 20 * MIN))[0]).toMatchObject({ deactivatedIfFailingAt: null, givenUpAloneIfRefusedAt: iso(31 * MIN) });
    await live(clock, t0 + 2 * H);
    const got = w.rx.at('/strict');
    const behind = rows(id)[2]!;
    expect(got.map((r) => [delivery(r), sentAt(r) - t0])).toEqual([
      [`${rows(id)[0]!.message_id}.${id}`, 0],
      [refusedId, MIN],
      [refusedId, MIN + 5 * S],
      [refusedId, MIN + 5 * MIN],
      [refusedId, MIN + 30 * MIN],
      // Decided at 10 min, it waited behind the refused one, and went at its give-up.
      [`${behind.message_id}.${id}`, MIN + 30 * MIN],
    ]);
    expect(rows(id).map((r) => r.status)).toEqual(['sent', 'dead', 'sent']);
    const why = 'HTTP 422 (data.value: must be at most 1.5 (code E_RANGE))';
    expect(rows(id)[1]!.last_error).toBe(`refused by the receiver: ${why}`);
    expect((await w.world.deps.subs.get('webhook', id))?.active).toBe(true);
    expect((await list(clock.ms)).stdout).toContain(`last refused: the alert ${refusedId} at ${new Date(t0 + 31 * MIN).toISOString()}`);
    expect(w.world.log.lines.filter((l) => l.includes('given up'))).toEqual([
      expect.stringContaining(
        `webhook chat ${id}: message ${second.message_id} (alert) given up, refused by the receiver, which keeps its next messages: ${why}`,
      ),
    ]);
  });

  test('GIVEN a message given up alone after its four refusals THEN `webhook list` counts none of them as failing in a row; the next message failing counts from 1', async () => {
    const { id } = await w.add('/strict');
    const clock = new TestClock(Date.parse('2026-11-17T21:05:00Z'));
    const t0 = clock.ms;
    await seedEvent(w.world, [{ platform: 'webhook', chatId: id }], t0);
    await live(clock, t0);
    const second = await seedEvent(w.world, [{ platform: 'webhook', chatId: id }], t0 + MIN).then(() => rows(id)[1]!);
    const refusedId = `${second.message_id}.${id}`;
    w.rx.judges.set('/strict', (r) => (delivery(r) === refusedId ? { status: 422, body: '{"message":"data.value: must be at most 1.5"}' } : undefined));
    clock.ms = t0 + MIN;
    await live(clock, t0 + H);
    expect(w.rx.at('/strict').filter((r) => delivery(r) === refusedId)).toHaveLength(4);
    expect(rows(id).map((r) => r.status)).toEqual(['sent', 'dead']);
    // Given up: nothing of it is failing now, whatever its four tries were.
    const shown = (await list(t0 + H)).stdout.split('\n')[0]!;
    expect(shown).toContain('last HTTP 422');
    expect(shown).not.toContain('failed in a row');
    expect((await listJson(t0 + H))[0]).toMatchObject({ failures: 0 });

    // The next message failing is one failure in a row, not five.
    w.rx.answers.set('/strict', { status: 500, body: 'upstream busy' });
    await seedEvent(w.world, [{ platform: 'webhook', chatId: id }], t0 + H);
    clock.ms = t0 + H;
    await live(clock, t0 + H);
    expect((await list(t0 + H + MIN)).stdout.split('\n')[0]).toContain('(HTTP 500 (upstream busy)), 1 failed in a row  RETRYING');
  });

  test('GIVEN a message refused as invalid WHEN a `webhook test` since is answered 500, then 200 THEN `webhook list` still says its own refusal and that it alone is given up at its 30 min try, as it is', async () => {
    const { id } = await w.add('/strict');
    const clock = new TestClock(Date.parse('2026-11-17T21:05:00Z'));
    const t0 = clock.ms;
    await seedEvent(w.world, [{ platform: 'webhook', chatId: id }], t0);
    await live(clock, t0);
    const second = await seedEvent(w.world, [{ platform: 'webhook', chatId: id }], t0 + MIN).then(() => rows(id)[1]!);
    const refusedId = `${second.message_id}.${id}`;
    let testAnswer = 500;
    w.rx.judges.set('/strict', (r) =>
      delivery(r) === refusedId
        ? { status: 422, body: '{"message":"data.value: must be at most 1.5"}' }
        : r.headers['x-goldratio-event'] === 'test'
          ? { status: testAnswer, body: testAnswer === 500 ? 'upstream busy' : '' }
          : undefined,
    );
    clock.ms = t0 + MIN;
    await live(clock, t0 + 10 * MIN);
    const iso = (ms: number) => new Date(t0 + ms).toISOString();
    const own = 'HTTP 422 (data.value: must be at most 1.5)';
    // The test's 500 is now the hook's last answer; the message's own is still its 422.
    const probed = await runCliInProcess(
      ['webhook', 'test', id],
      { DATABASE_PATH: w.world.config.databasePath, DATA_DIR: w.world.config.dataDir },
      {
        nowMs: t0 + 15 * MIN,
      },
    );
    expect(probed.code).toBe(1);
    const alone = `RETRYING a message whose body the receiver refuses (${own}) since ${iso(MIN)} (19 min): next try ${iso(31 * MIN)}; still refused at ${iso(31 * MIN)}, it alone is given up, the hook staying active`;
    const shown = (await list(t0 + 20 * MIN)).stdout.split('\n')[0]!;
    // The test's answer beside the test's time, the run of the message's three 422s counted apart from it.
    expect(shown).toContain(`last HTTP 500 at ${iso(15 * MIN)} (HTTP 500 (upstream busy)), 3 failed in a row  RETRYING`);
    expect(shown).toContain(alone);
    expect(shown).not.toContain('hook deactivated');
    expect((await listJson(t0 + 20 * MIN))[0]).toMatchObject({
      lastStatus: 500,
      failingLastError: own,
      deactivatedIfFailingAt: null,
      givenUpAloneIfRefusedAt: iso(31 * MIN),
    });
    // A passing test: the message is due now, and still the one refused alone.
    testAnswer = 200;
    clock.ms = t0 + 20 * MIN;
    const passed = await runCliInProcess(
      ['webhook', 'test', id],
      { DATABASE_PATH: w.world.config.databasePath, DATA_DIR: w.world.config.dataDir },
      {
        nowMs: clock.ms,
      },
    );
    expect(passed.code, passed.stderr).toBe(0);
    await live(clock, t0 + 20 * MIN);
    expect((await listJson(clock.ms))[0]).toMatchObject({ failingLastError: own, deactivatedIfFailingAt: null, givenUpAloneIfRefusedAt: iso(31 * MIN) });
    // And the notifier agrees: given up at its 30 min try, the hook active, not tried on for the test's answers.
    await live(clock, t0 + 4 * H);
    const tries = w.rx
      .at('/strict')
      .filter((r) => delivery(r) === refusedId)
      .map((r) => sentAt(r) - t0);
    expect(tries).toEqual([MIN, MIN + 5 * S, MIN + 5 * MIN, 20 * MIN, MIN + 30 * MIN]);
    expect(rows(id).map((r) => r.status)).toEqual(['sent', 'dead']);
    expect((await w.world.deps.subs.get('webhook', id))?.active).toBe(true);
  });

  test('GIVEN a message failing for an outage WHEN the receiver comes back refusing its body THEN its first refusal is tried again, not given up at once for the outage’s hour', async () => {
    const { id } = await w.add('/back');
    const clock = new TestClock(Date.parse('2026-11-17T21:05:00Z'));
    const t0 = clock.ms;
    await seedEvent(w.world, [{ platform: 'webhook', chatId: id }], t0);
    await live(clock, t0);
    // Down 40 min (a 503), then back with a validation that refuses this body.
    w.rx.judges.set('/back', (r) =>
      sentAt(r) < t0 + 41 * MIN ? { status: 503, body: 'maintenance' } : { status: 422, body: '{"error":"value out of range"}' },
    );
    await seedEvent(w.world, [{ platform: 'webhook', chatId: id }], t0 + MIN);
    clock.ms = t0 + MIN;
    await live(clock, t0 + 4 * H);
    const second = `${rows(id)[1]!.message_id}.${id}`;
    // Failing since 1 min: 503 at 1 min, 5 s, 5 min and 30 min after; the first 422 at its 1 h try is
    // tried again at 2 h (30 min and more after it), and given up alone then.
    expect(
      w.rx
        .at('/back')
        .filter((r) => delivery(r) === second)
        .map((r) => sentAt(r) - t0 - MIN),
    ).toEqual([0, 5 * S, 5 * MIN, 30 * MIN, H, 2 * H]);
    expect(rows(id).map((r) => r.status)).toEqual(['sent', 'dead']);
    expect((await w.hooks.get(id))?.lastRefused).toMatchObject({ delivery: second, at: t0 + MIN + 2 * H });
    expect((await w.world.deps.subs.get('webhook', id))?.active).toBe(true);
  });

  test('GIVEN a hook stored before the last delivery taken was kept, whose last answer was a 200 WHEN it answers 422 to one message THEN that one alone is given up, as for a hook added today', async () => {
    const { id } = await w.add('/older');
    const clock = new TestClock(Date.parse('2026-11-17T21:05:00Z'));
    const t0 = clock.ms;
    await seedEvent(w.world, [{ platform: 'webhook', chatId: id }], t0);
    await live(clock, t0);
    // As the code before stored it: the last answer, no lastOkAt.
    const key = `webhook:${id}`;
    const stored = JSON.parse((w.world.db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string }).value) as Record<string, unknown>;
    expect(stored.lastOkAt).toBe(t0);
    delete stored.lastOkAt;
    w.world.db.prepare('UPDATE meta SET value = ? WHERE key = ?').run(JSON.stringify(stored), key);
    await seedEvent(w.world, [{ platform: 'webhook', chatId: id }], t0 + MIN);
    const refusedId = `${rows(id)[1]!.message_id}.${id}`;
    w.rx.judges.set('/older', (r) => (delivery(r) === refusedId ? { status: 422, body: '{"error":"value out of range"}' } : undefined));
    await seedEvent(w.world, [{ platform: 'webhook', chatId: id }], t0 + 2 * MIN);
    clock.ms = t0 + MIN;
    await live(clock, t0 + 2 * H);
    expect(rows(id).map((r) => r.status)).toEqual(['sent', 'dead', 'sent']);
    expect((await w.hooks.get(id))?.lastRefused?.delivery).toBe(refusedId);
  });

  test('GIVEN a hook whose receiver never took a message WHEN it answers 422 THEN that is the hook failing: the day’s span, the next message waiting', async () => {
    const { id } = await w.add('/never');
    w.rx.answers.set('/never', { status: 422, body: '{"error":"unknown schema"}' });
    const clock = new TestClock(Date.parse('2026-11-17T21:05:00Z'));
    const t0 = clock.ms;
    await seedEvent(w.world, [{ platform: 'webhook', chatId: id }], t0);
    await seedEvent(w.world, [{ platform: 'webhook', chatId: id }], t0 + S);
    await live(clock, t0 + 3 * H);
    expect(w.rx.at('/never').map((r) => sentAt(r) - t0)).toEqual([0, 5 * S, 5 * MIN, 30 * MIN, H, 2 * H]);
    expect(rows(id).map((r) => r.status)).toEqual(['pending', 'pending']);
    expect((await list(clock.ms)).stdout).toContain(`still failing at ${new Date(t0 + 24 * H).toISOString()}, it is given up and the hook deactivated`);
  });

  test('GIVEN a message given up for its body WHEN the next is refused too, nothing taken between THEN that is the receiver refusing everything: the day’s span', async () => {
    const { id } = await w.add('/schema');
    const clock = new TestClock(Date.parse('2026-11-17T21:05:00Z'));
    const t0 = clock.ms;
    await seedEvent(w.world, [{ platform: 'webhook', chatId: id }], t0);
    await live(clock, t0);
    // From now on it refuses every body (a new schema deployed).
    w.rx.answers.set('/schema', { status: 422, body: '{"error":"unknown schema"}' });
    await seedEvent(w.world, [{ platform: 'webhook', chatId: id }], t0 + MIN);
    await seedEvent(w.world, [{ platform: 'webhook', chatId: id }], t0 + 2 * MIN);
    clock.ms = t0 + MIN;
    await live(clock, t0 + 4 * H);
    // The first refused is given up at 30 min; the next holds the hook from then on, on the day's schedule.
    expect(rows(id).map((r) => r.status)).toEqual(['sent', 'dead', 'pending']);
    const third = `${rows(id)[2]!.message_id}.${id}`;
    expect(
      w.rx
        .at('/schema')
        .filter((r) => delivery(r) === third)
        .map((r) => sentAt(r) - t0 - 31 * MIN),
    ).toEqual([0, 5 * S, 5 * MIN, 30 * MIN, H, 2 * H]);
    expect((await w.world.deps.subs.get('webhook', id))?.active).toBe(true);
  });
});

describe('a receiver that refuses everything', () => {
  test.each([
    [401, 'unauthorized'],
    [403, 'forbidden'],
    [404, 'not found'],
    [500, 'oops'],
  ])('GIVEN a hook that took a message WHEN the receiver answers %d THEN the hook’s span holds its messages, none given up alone', async (status, body) => {
    const { id } = await w.add('/down');
    const clock = new TestClock(Date.parse('2026-11-17T21:05:00Z'));
    const t0 = clock.ms;
    await seedEvent(w.world, [{ platform: 'webhook', chatId: id }], t0);
    await live(clock, t0);
    w.rx.answers.set('/down', { status, body });
    await seedEvent(w.world, [{ platform: 'webhook', chatId: id }], t0 + MIN);
    await seedEvent(w.world, [{ platform: 'webhook', chatId: id }], t0 + 2 * MIN);
    clock.ms = t0 + MIN;
    await live(clock, t0 + 3 * H);
    expect(rows(id).map((r) => r.status)).toEqual(['sent', 'pending', 'pending']);
    expect((await w.hooks.get(id))?.lastRefused ?? null).toBeNull();
  });
});

describe('a receiver whose body limit refuses every message', () => {
  test('GIVEN a hook that never took a message WHEN the receiver answers 413 to each THEN the first is given up alone, the next is the hook failing: the day’s span holds it', async () => {
    const { id } = await w.add('/tiny');
    // A body limit below any message's (a proxy's client_max_body_size of 1k): every POST is refused.
    w.rx.answers.set('/tiny', { status: 413, body: 'request entity too large' });
    const clock = new TestClock(Date.parse('2026-11-17T21:05:00Z'));
    const t0 = clock.ms;
    await seedEvent(w.world, [{ platform: 'webhook', chatId: id }], t0);
    await seedEvent(w.world, [{ platform: 'webhook', chatId: id }], t0 + S);
    await live(clock, t0 + 3 * H);
    const [first, second] = rows(id);
    // The first at its one 413 (a new hook's first message may be a digest over Express's 100 KB, the alerts passing).
    expect(first!.status).toBe('dead');
    expect((await w.hooks.get(id))?.lastRefused?.delivery).toBe(`${first!.message_id}.${id}`);
    // The second, refused with nothing taken since: the hook's span from its first try, at once after the first.
    expect(
      w.rx
        .at('/tiny')
        .filter((r) => delivery(r) === `${second!.message_id}.${id}`)
        .map((r) => sentAt(r) - t0),
    ).toEqual([0, 5 * S, 5 * MIN, 30 * MIN, H, 2 * H]);
    expect(second!.status).toBe('pending');
    expect((await list(clock.ms)).stdout).toContain(`still failing at ${new Date(t0 + 24 * H).toISOString()}, it is given up and the hook deactivated`);
  });

  test('GIVEN a message given up for a 413 WHEN the next is refused with 413 too, nothing taken between THEN the hook’s span holds it, and the hook is deactivated at the day’s end', async () => {
    const { id } = await w.add('/shrunk');
    const clock = new TestClock(Date.parse('2026-11-17T21:05:00Z'));
    const t0 = clock.ms;
    await seedEvent(w.world, [{ platform: 'webhook', chatId: id }], t0);
    await live(clock, t0);
    // From now on its limit is below every message's.
    w.rx.answers.set('/shrunk', { status: 413, body: 'request entity too large' });
    await seedEvent(w.world, [{ platform: 'webhook', chatId: id }], t0 + MIN);
    await seedEvent(w.world, [{ platform: 'webhook', chatId: id }], t0 + 2 * MIN);
    clock.ms = t0 + MIN;
    await live(clock, t0 + 26 * H);
    // The first is given up alone at its 413; the next is the hook's failure: tried the day long, then given up with the hook.
    const [, refused, held] = rows(id);
    expect(refused!.last_error).toMatch(/^refused by the receiver: HTTP 413 /);
    expect(held!.last_error).toMatch(/^gave up: failing for 24 h since .*HTTP 413 /);
    expect((await w.hooks.get(id))?.lastRefused?.delivery).toBe(`${refused!.message_id}.${id}`);
    expect(w.rx.at('/shrunk').filter((r) => delivery(r) === `${held!.message_id}.${id}`).length).toBeGreaterThan(5);
    expect((await w.world.deps.subs.get('webhook', id))?.active).toBe(false);
  });
});
