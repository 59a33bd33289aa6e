/**
 * A writer that dies without closing: opens a database in WAL mode with checkpoints off, commits
 * the SQL it is given (so the commit lives only in the -wal), prints "written", then waits to be
 * killed (SIGKILL: no close, no checkpoint, the -wal and -shm left beside the file, as after a
 * crash). Usage: node crash-writer.ts <db> <sql>
 */
import { Database } from '../../src/store/driver.ts';

const [path, sql] = process.argv.slice(2);
if (path === undefined || sql === undefined) throw new Error('usage: crash-writer.ts <db> <sql>');
const db = new Database(path);
db.pragma('journal_mode = WAL');
db.pragma('wal_autocheckpoint = 0');
db.exec(sql);
process.stdout.write('written\n');
setInterval(() => {}, 60_000);
