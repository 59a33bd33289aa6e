/**
 * A writer that dies without closing: opens a database in WAL mode with checkpoints off, commits
 * the SQL it is given (so the commit lives only in the -wal), prints "written", then waits to be
 * killed (SIGKILL: no close, no checkpoint, the -wal and -shm left beside the file, as after a
 * crash). It prints the journal mode and the -wal's size, for a test that finds none. Usage: node crash-writer.ts <db> <sql>
 */
import { statSync } from 'node:fs';
import { Database } from '../../src/store/driver.ts';

const [path, sql] = process.argv.slice(2);
if (path === undefined || sql === undefined) throw new Error('usage: crash-writer.ts <db> <sql>');
const db = new Database(path);
const mode = db.pragma('journal_mode = WAL', { simple: true });
db.pragma('wal_autocheckpoint = 0');
db.exec(sql);
process.stdout.write(`written (journal ${mode}, -wal ${statSync(`${path}-wal`).size} bytes)\n`);
// The interval holds the connection: a collected Database closes it, and SQLite's last close
// checkpoints and deletes the -wal (CI, on Node 24 under load, found no -wal after the kill).
setInterval(() => db.open, 60_000);
