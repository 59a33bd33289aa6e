/**
 * A second real process reading a SQLite file inside a read transaction (a shared lock), as a
 * `goldratio status` or `restore` reading the instance lock's holder does for a moment. Usage:
 * node --import tsx read-holder.ts <file> <ms>. Prints "reading" once it holds the shared lock,
 * then ends its transaction after <ms> and prints "done".
 */
import { Database } from '../../src/store/driver.ts';

const [path, ms] = process.argv.slice(2);
if (path === undefined || ms === undefined) throw new Error('usage: read-holder.ts <file> <ms>');
const db = new Database(path, { readonly: true, fileMustExist: true });
db.exec('BEGIN');
db.prepare('SELECT count(*) AS n FROM sqlite_master').get();
process.stdout.write('reading\n');
setTimeout(() => {
  db.exec('COMMIT');
  db.close();
  process.stdout.write('done\n');
  process.exit(0);
}, Number(ms));
