/**
 * A second real process holding SQLite's write lock on a database file, as a running import, a
 * backup or a sqlite3 shell would. Usage: node --import tsx lock-holder.ts <db> <ms>
 * Prints "locked" once it holds the lock (BEGIN IMMEDIATE), "releasing <epoch ms>" as it commits
 * after <ms> (0: until SIGTERM), and "released" once it has.
 */
import { Database } from '../../src/store/driver.ts';

const [path, ms] = process.argv.slice(2);
if (path === undefined) throw new Error('usage: lock-holder.ts <db> <ms>');
const db = new Database(path);
const release = () => {
  // The time first: no write of another process can land before it.
  process.stdout.write(`releasing ${Date.now()}\n`);
  db.exec('COMMIT');
  db.close();
  process.stdout.write('released\n');
  process.exit(0);
};
// The handler before the lock and its "locked": a test may signal the moment it reads that line, and
// a SIGTERM before any listener takes Node's default, an exit by the signal with nothing said (12 of
// 40 holders signalled at once on "locked" at load 10, when this came after). The listener runs on
// the event loop, so never before the synchronous BEGIN below.
process.once('SIGTERM', release);
db.exec('BEGIN IMMEDIATE');
process.stdout.write('locked\n');
if (Number(ms) > 0) setTimeout(release, Number(ms));
else setInterval(() => {}, 60_000);
