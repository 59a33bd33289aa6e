/**
 * The webhook multi-part crash test's child: drains the outbox through the real webhook notifier
 * to the local receiver. With `kill`, the process SIGKILLs itself the moment the notifier is about
 * to POST the second part of a send, i.e. after part 0 went out (and was stored) and before part 1:
 * a crash exactly between two parts of one long message.
 * Usage: node <bundle> <db> [kill]
 */
import { onSqlite } from '../../src/store/engine.ts';
import { openDatabase, type Db } from '../../src/store/db.ts';
import { MetaStore } from '../../src/store/meta.ts';
import { WebhookStore } from '../../src/store/webhooks.ts';
import { WebhookNotifier } from '../../src/platforms/webhook/notifier.ts';
import { memoryLogger } from '../../src/log.ts';
import { drainOnce } from './drain-once.ts';

/** The child's notifier (the restart's too, without `kill`): the real one, but dying as it starts the second part's POST. */
export function partNotifier(db: Db, kill: boolean): WebhookNotifier {
  const store = new WebhookStore(new MetaStore(onSqlite(db)));
  class Dying extends WebhookNotifier {
    override post(...args: Parameters<WebhookNotifier['post']>): ReturnType<WebhookNotifier['post']> {
      if (kill && args[3] === 1) process.kill(process.pid, 'SIGKILL');
      return super.post(...args);
    }
  }
  return new Dying({ store, log: memoryLogger(), rate: 1000, timeoutMs: 5000 });
}

const [dbPath, kill] = process.argv.slice(2);
if (dbPath !== undefined) {
  const db = openDatabase(dbPath);
  await drainOnce(db, partNotifier(db, kill === 'kill'));
}
