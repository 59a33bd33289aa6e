/**
 * Issue 12's figures: 100,000 chats due at the same minute (08:00 Asia/Taipei, two languages)
 * become 100,000 digest rows and outbox rows in one transaction; a minute with nobody due costs
 * one indexed lookup. Printed, not asserted.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { onSqlite } from '../src/store/engine.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../src/store/db.ts';
import { DigestStore } from '../src/store/digests.ts';
import type { Message } from '../src/domain/message.ts';
import { measureAsync, report } from './_util.ts';

const CHATS = 100_000;
const DUE = Date.parse('2026-11-18T00:00:00Z'); // Wednesday 08:00 in Taipei, after Tuesday's US close
const DAY = 86_400_000;
/** Three mornings in a row, each after a US close: Wed, Thu, Fri 08:00 in Taipei. */
const MORNINGS = [
  [DUE, '2026-11-17'],
  [DUE + DAY, '2026-11-18'],
  [DUE + 2 * DAY, '2026-11-19'],
] as const;
const MESSAGE: Message = { title: { en: 'goldratio digest', 'zh-TW': 'goldratio 每日摘要' }, lines: ['SPX/Gold 1.698'], chart: { kind: 'digest' } };

const dir = mkdtempSync(join(tmpdir(), 'goldratio-bench-digest-'));
try {
  const db = openDatabase(join(dir, 'digest.db'));
  let t0 = performance.now();
  const insert = db.prepare(
    `INSERT INTO subscriptions (platform, chat_id, active, pairs, level_ids, custom_levels, approach_pct, lang, digest_time, timezone,
       digest_next_due, created_at, updated_at) VALUES (?, ?, 1, '["spx-gold","qqq-gold"]', 'all', '[]', 3, ?, ?, ?, ?, 0, 0)`,
  );
  db.transaction(() => {
    for (let i = 0; i < CHATS; i++) insert.run(i % 3 === 0 ? 'discord' : 'telegram', `chat-${i}`, i % 2 === 0 ? 'en' : 'zh-TW', '08:00', 'Asia/Taipei', DUE);
    // And as many chats due at other minutes of the day, in other zones: they must cost nothing now.
    for (let i = 0; i < CHATS; i++) {
      const minute = 1 + (i % 1439);
      const time = `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
      insert.run('telegram', `other-${i}`, 'en', time, 'UTC', DUE + 30 * DAY + minute * 60_000);
    }
  })();
  report(`setup: ${(2 * CHATS).toLocaleString('en-US')} chats with a digest time`, performance.now() - t0);

  const digests = new DigestStore(onSqlite(db));
  const times: number[] = [];
  for (const [due, close] of MORNINGS) {
    let built = 0;
    t0 = performance.now();
    const r = await digests.enqueueDue(due, close, () => {
      built++;
      return MESSAGE;
    });
    const ms = performance.now() - t0;
    times.push(ms);
    report(
      `${CHATS.toLocaleString('en-US')} chats due at 08:00 Asia/Taipei (${new Date(due).toISOString().slice(0, 10)}) → digest + outbox rows, 1 transaction`,
      ms,
      '< 1 s',
    );
    process.stdout.write(`  queued ${r.queued.toLocaleString('en-US')}, groups ${r.groups}, messages built ${built}, duplicates ${r.duplicates}\n`);
    const again = await digests.enqueueDue(due + 30_000, close, () => MESSAGE);
    process.stdout.write(`  second tick in the same minute: queued ${again.queued}, groups ${again.groups}\n`);
  }
  times.sort((a, b) => a - b);
  report('median of the three mornings', times[1]!, '< 1 s');
  const outbox = (db.prepare("SELECT count(*) AS n FROM outbox WHERE status = 'pending'").get() as { n: number }).n;
  process.stdout.write(`  outbox rows pending: ${outbox.toLocaleString('en-US')}\n`);

  // A minute with nobody due: 100,000 chats wait for tomorrow 08:00, the others for later minutes.
  const idle = await measureAsync(2000, () => digests.enqueueDue(DUE + 2 * DAY + 60_000, '2026-11-19', () => MESSAGE));
  report('a minute with no chat due (200,000 scheduled)', idle.median, '< 1 ms');
  process.stdout.write(
    `  min ${(idle.min * 1000).toFixed(1)} µs, max ${(idle.max * 1000).toFixed(1)} µs; load average ${(await import('node:os'))
      .loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')} on ${(await import('node:os')).cpus().length} cores\n`,
  );
  const plan = db
    .prepare('EXPLAIN QUERY PLAN SELECT count(*) FROM subscriptions WHERE digest_next_due IS NOT NULL AND digest_next_due <= ?')
    .all(DUE + 2 * DAY + 60_000) as { detail: string }[];
  process.stdout.write(`  due lookup: ${plan.map((p) => p.detail).join('; ')}\n`);
  db.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
