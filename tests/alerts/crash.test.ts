import { onSqlite } from '../../src/store/engine.ts';
import { describe, test } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../../src/store/db.ts';
import { SubscriptionStore } from '../../src/store/subscriptions.ts';
import { AlertPipeline } from '../../src/alerts/pipeline.ts';
import { DecisionStore } from '../../src/store/decisions.ts';
import { OutboxStore } from '../../src/store/outbox.ts';
import { startNotifierServer, type NotifierServer } from '../fakes/notifier-server.ts';
import { childScript } from '../helpers/child-script.ts';

const CHILD = fileURLToPath(new URL('../fakes/drain-child.ts', import.meta.url));
/** Enough chats that the kill lands mid-broadcast with room on both sides; more only takes longer. */
const CHATS = 300;
const KILL_AT = 100;

/** Runs the child; with `killAt`, SIGKILLs it once the server has recorded that many deliveries. */
function runChild(dbPath: string, server: NotifierServer, concurrency: number, killAt?: number) {
  return new Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [childScript(CHILD), dbPath, server.url, String(concurrency)], {
      cwd: fileURLToPath(new URL('../..', import.meta.url)),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    server.onDelivery =
      killAt === undefined
        ? undefined
        : (count) => {
            if (count >= killAt && child.exitCode === null && !child.killed) child.kill('SIGKILL');
          };
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve({ code, signal, out }));
  });
}

describe('crash during a broadcast', () => {
  // The two at once: each waits mostly on its children (their start, their sends one by one), each
  // on its own database, server and children.
  test.for([1, 8])(
    'GIVEN %i send(s) in flight and a SIGKILL mid-broadcast THEN after a restart every chat has the alert, at most that many twice',
    { concurrent: true, timeout: 60_000 },
    async (concurrency, { expect, onTestFinished }) => {
      const dir = mkdtempSync(join(tmpdir(), 'goldratio-crash-'));
      const dbPath = join(dir, 'crash.db');
      const server = await startNotifierServer();
      onTestFinished(async () => {
        await server.close();
        rmSync(dir, { recursive: true, force: true });
      });

      const db = openDatabase(dbPath);
      const subs = new SubscriptionStore(onSqlite(db), { approachPct: 3, lang: 'en' });
      db.exec('BEGIN IMMEDIATE');
      for (let i = 0; i < CHATS; i++) await subs.upsert('telegram', `chat-${i}`);
      db.exec('COMMIT');
      const pipeline = new AlertPipeline(new DecisionStore(onSqlite(db)), subs, { approachPct: 3, hysteresisPct: 1 });
      await pipeline.tick('spx-gold', { date: '2024-01-02', value: 2.3 }, 'close');
      const r = await pipeline.tick('spx-gold', { date: '2024-01-03', value: 2.6 }, 'close');
      expect(r.queued).toBe(CHATS);
      db.close();

      const first = await runChild(dbPath, server, concurrency, KILL_AT);
      expect(first.signal).toBe('SIGKILL');
      const afterKill = server.deliveries.length;
      expect(afterKill).toBeGreaterThanOrEqual(KILL_AT);
      expect(afterKill).toBeLessThan(CHATS);

      const second = await runChild(dbPath, server, concurrency);
      expect(second.code, second.out).toBe(0);

      const perChat = new Map<string, number>();
      for (const d of server.deliveries) perChat.set(d.chatId, (perChat.get(d.chatId) ?? 0) + 1);
      expect(perChat.size).toBe(CHATS);
      const twice = [...perChat.values()].filter((n) => n > 1);
      expect(twice.every((n) => n === 2)).toBe(true);
      expect(twice.length).toBeLessThanOrEqual(concurrency);
      const check = openDatabase(dbPath);
      expect(await new OutboxStore(onSqlite(check)).pendingCount()).toBe(0);
      check.close();
    },
  );
});
