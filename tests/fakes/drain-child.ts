/**
 * The crash test's child: opens the database, drains the outbox to the fake notifier server,
 * prints "drained <sent>" and exits. Usage: node --import tsx drain-child.ts <db> <url> <concurrency>
 */
import { onSqlite } from '../../src/store/engine.ts';
import { openDatabase } from '../../src/store/db.ts';
import { SubscriptionStore } from '../../src/store/subscriptions.ts';
import { Dispatcher } from '../../src/alerts/dispatcher.ts';
import { OutboxStore } from '../../src/store/outbox.ts';
import { HttpNotifier } from './http-notifier.ts';

const [dbPath, url, concurrency] = process.argv.slice(2);
if (dbPath === undefined || url === undefined) throw new Error('usage: drain-child.ts <db> <url> <concurrency>');
const db = openDatabase(dbPath);
const subs = new SubscriptionStore(onSqlite(db), { approachPct: 3, lang: 'en' });
const dispatcher = new Dispatcher(new OutboxStore(onSqlite(db)), subs, { notifiers: [new HttpNotifier(url)], concurrency: Number(concurrency ?? 8) });
process.stdout.write('ready\n');
const r = await dispatcher.drain();
process.stdout.write(`drained ${r.sent}\n`);
db.close();
