/**
 * The refused-token watch (ops/token-watch.ts) on a real store, both engines: what `goldratio
 * status` reads (the notes in meta) follows the platform's /readyz line through a moment the store
 * fails, and that moment is said once, not once a try; the platform's ring is heard at once, with
 * no read on a timer.
 */
import { expect, test } from 'vitest';
import { sql } from 'kysely';
import { memoryLogger } from '../../src/log.ts';
import { watchTokenRefusals } from '../../src/ops/token-watch.ts';
import { tokenEvents } from '../../src/platforms/adapter.ts';
import { TokenBell } from '../../src/platforms/token-bell.ts';
import { TokenNotes } from '../../src/store/token-notes.ts';
import type { StoreDb } from '../../src/store/engine.ts';
import { onPostgres } from '../../src/store/engine.ts';
import { openPostgres } from '../../src/store/postgres.ts';
import { describeOnEngines } from '../helpers/engines.ts';
import { describeWithPostgres, freshPgDatabase } from '../helpers/postgres.ts';

const REFUSED = 'off: the Telegram token was refused (401 Unauthorized): check TELEGRAM_BOT_TOKEN';

/** The meta table gone for a moment (a database that fails every write there), and back. */
const metaGone = (db: StoreDb) => sql`ALTER TABLE meta RENAME TO meta_gone`.execute(db.k);
const metaBack = (db: StoreDb) => sql`ALTER TABLE meta_gone RENAME TO meta`.execute(db.k);

function world(db: StoreDb, replicas = true) {
  const platform = { line: undefined as string | undefined };
  const bell = new TokenBell();
  const notes = new TokenNotes(db);
  const log = memoryLogger('debug');
  const lead = { leading: false };
  // No retry of its own within a test: each try after a failure is the test's check().
  const watch = watchTokenRefusals({
    platforms: [{ platform: 'telegram', token: tokenEvents(() => platform.line, bell) }],
    notes,
    by: 'host pid 1',
    replicas,
    leading: () => lead.leading,
    log,
    now: () => 1_000,
    retryMs: 3_600_000,
  });
  return { platform, bell, notes, log, lead, watch };
}

describeOnEngines('the refused-token watch', (open) => {
  test('GIVEN the store fails the moment a token is taken again THEN the note goes at the next read, so status does not name a refusal that ended', async () => {
    const db = await open();
    const w = world(db);
    w.platform.line = REFUSED;
    await w.watch.check();
    expect((await w.notes.all()).map((n) => [n.platform, n.by])).toEqual([['telegram', 'host pid 1']]);

    // Taken again while the store cannot remove the note.
    w.platform.line = undefined;
    await metaGone(db);
    await w.watch.check();
    await metaBack(db);
    await w.watch.check();
    expect(await w.notes.all()).toEqual([]);
    await w.watch.stop();
  });

  test('GIVEN the store failing for several reads THEN one line says so, and one more when the notes are kept again', async () => {
    const db = await open();
    const w = world(db);
    w.platform.line = REFUSED;
    await metaGone(db);
    for (let i = 0; i < 5; i++) await w.watch.check();
    await metaBack(db);
    await w.watch.check();
    const said = w.log.lines.filter((l) => l.includes('token notes'));
    expect(said).toHaveLength(2);
    expect(said[0]).toMatch(/token notes: .*meta.*; tried again every 3600 s$/);
    expect(said[1]).toMatch(/token notes: kept again$/);
    expect((await w.notes.all()).map((n) => n.reason)).toEqual([REFUSED]);
    await w.watch.stop();
  });

  for (const replicas of [true, false])
    test(`GIVEN a note left by a killed process of this one's name (a container's pid 1, its host kept) THEN the start removes it, so status does not name a refusal nobody has (${replicas ? 'replicas' : 'one process'})`, async () => {
      const db = await open();
      const notes = new TokenNotes(db);
      await notes.put({ platform: 'telegram', by: 'host pid 1', reason: REFUSED, since: 500, leads: true });
      await notes.put({ platform: 'discord', by: 'host pid 1', reason: REFUSED, since: 500, leads: true });
      await notes.put({ platform: 'telegram', by: 'other pid 9', reason: REFUSED, since: 500, leads: false });
      const w = world(db, replicas);
      await w.watch.check();
      // Another replica's note is its own to remove (status names it only while it is connected); on SQLite, the one process per file, nobody else's.
      expect((await w.notes.all()).map((n) => n.by)).toEqual(replicas ? ['other pid 9'] : []);
      // What this process says afterwards is kept as before.
      w.platform.line = REFUSED;
      await w.watch.check();
      expect((await w.notes.all()).map((n) => `${n.platform} ${n.by} ${n.since}`)).toEqual(
        replicas ? ['telegram host pid 1 1000', 'telegram other pid 9 500'] : ['telegram host pid 1 1000'],
      );
      await w.watch.stop();
    });

  test("GIVEN a leader whose platform rings a refused token THEN the note, the log line and /readyz's say it at once, with no read of the line on a timer; a ring of the token taken again removes it", async () => {
    const db = await open();
    const w = world(db);
    await w.watch.check();
    w.lead.leading = true;
    w.watch.leadChanged();
    await w.watch.settled();

    // Nothing rung: nothing read (the line is not polled).
    w.platform.line = REFUSED;
    await w.watch.settled();
    expect(await w.notes.all()).toEqual([]);

    // Rung: heard at once, no check() of the test's.
    w.bell.ring();
    await w.watch.settled();
    expect((await w.notes.all()).map((n) => [n.platform, n.reason, n.leads])).toEqual([['telegram', REFUSED, true]]);
    expect(w.log.lines.filter((l) => l.includes('keeping the lead'))).toHaveLength(1);
    expect(w.watch.leadNote()).toMatch(/^the lead is kept with telegram's token refused/);
    // A ring that changes nothing writes nothing more and says nothing more.
    w.bell.ring();
    await w.watch.settled();
    expect(w.log.lines.filter((l) => l.includes('keeping the lead'))).toHaveLength(1);

    // The lead let go: the note says so at once.
    w.lead.leading = false;
    w.watch.leadChanged();
    await w.watch.settled();
    expect((await w.notes.all()).map((n) => n.leads)).toEqual([false]);
    expect(w.watch.leadNote()).toBeUndefined();

    w.platform.line = undefined;
    w.bell.ring();
    await w.watch.settled();
    expect(await w.notes.all()).toEqual([]);
    await w.watch.stop();
  });
});

describeWithPostgres('the refused-token watch of a replica whose note was pruned', () => {
  test('GIVEN the retention job pruned its note while it was not connected THEN its next token check writes it again, and so does its reconnect; said once each', async ({
    onTestFinished,
  }) => {
    const d = await freshPgDatabase({ migrated: true });
    onTestFinished(() => d.drop());
    const pg = await openPostgres(d.url, { what: 'GOLDRATIO_TEST_PG_URL', max: 2 });
    onTestFinished(() => pg.close());
    const db = onPostgres(pg);
    const w = world(db);
    w.platform.line = REFUSED;
    await w.watch.check();
    const note = async () => (await w.notes.all()).map((n) => `${n.platform} ${n.by} ${n.since} ${n.reason}`);
    const kept = [`telegram host pid 1 1000 ${REFUSED}`];
    expect(await note()).toEqual(kept);
    const rewritten = () => w.log.lines.filter((l) => l.includes('note was gone'));

    // Pruned: 'host pid 1' is no session on the server, and its note is older than the cut-off.
    expect(await w.notes.pruneGone(2_000)).toBe(1);
    expect(await note()).toEqual([]);
    // The refusal unchanged, its next check (a ring) finds the note gone and writes it again, as it was.
    w.bell.ring();
    await w.watch.settled();
    expect(await note()).toEqual(kept);
    expect(rewritten()).toHaveLength(1);
    // A check that finds it there writes and says nothing.
    w.bell.ring();
    await w.watch.settled();
    expect(rewritten()).toHaveLength(1);

    // Pruned again; the replica's election reaches the server again (leadership.ts onReached).
    await w.notes.pruneGone(2_000);
    w.watch.reached();
    await w.watch.settled();
    expect(await note()).toEqual(kept);
    expect(rewritten()).toHaveLength(2);
    await w.watch.stop();
    expect(await note()).toEqual([]);
  });
});
