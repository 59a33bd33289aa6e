/**
 * A migrated (and, for a world, seeded) SQLite database file in one write. Migrating a new file
 * costs 13-18 ms of the migrations (about 80 ms the first time in a process), and seeding a world's
 * 2,400 closes about 30 ms more;
 * hundreds of tests each need one. So the first test in a process that asks for a state builds it
 * once, in memory, through the real openDatabase and stores, and keeps its image (the bytes of the
 * database file); every later one writes that image to its own path, which openDatabase then opens
 * as an existing database at the current version, as a restarted bot would find it.
 *
 * What this skips is the migrations' run on a new file, which tests/store/engines.test.ts
 * ("migrations on SQLite"), tests/store/quotes.test.ts, the upgrade tests and every test that
 * starts the bot on a new DATABASE_PATH keep running.
 */
import { writeFileSync } from 'node:fs';
import { loadConfig } from '../../src/config.ts';
import { openDatabase, type Db } from '../../src/store/db.ts';
import { DEFAULT_APPROACH_KEY } from '../../src/store/subscriptions.ts';

const images = new Map<string, Buffer>();

/**
 * Writes, at `path`, the database `fill` makes on a freshly migrated one (nothing: the migrated
 * schema alone). `key` names that state: the same key is the same image, so a `fill` that depends
 * on anything (a date) puts it in the key. Returns `path`.
 */
export function writeDatabase(path: string, key = 'migrated', fill?: (db: Db) => void): string {
  let image = images.get(key);
  if (image === undefined) {
    const db = openDatabase(':memory:');
    try {
      fill?.(db);
      image = imageOf(db);
    } finally {
      db.close();
    }
    images.set(key, image);
  }
  writeFileSync(path, image);
  return path;
}

/**
 * writeDatabase for a `fill` that awaits (the stores' writes): the real history loaded through
 * QuoteStore (tests/helpers/history.ts `historyFile`), built once per key in a process.
 */
export async function writeDatabaseAsync(path: string, key: string, fill: (db: Db) => Promise<void>): Promise<string> {
  let image = images.get(key);
  if (image === undefined) {
    const db = openDatabase(':memory:');
    try {
      await fill(db);
      image = imageOf(db);
    } finally {
      db.close();
    }
    images.set(key, image);
  }
  writeFileSync(path, image);
  return path;
}

/**
 * What a SubscriptionStore's first use writes on a database without subscriptions: the default
 * approach % (APPROACH_PCT's default) its watches are derived with. Every image holds it, so a
 * world's first command does not write it in a transaction of its own (~1.5 ms of CPU, a WAL
 * begun: thousands of worlds a run). tests/store/sqlite-image.test.ts holds it to what the store
 * writes. With subscriptions in the image the store derives their watches itself, as before.
 */
function asFirstUseLeavesIt(db: Db): void {
  if ((db.prepare('SELECT COUNT(*) AS n FROM subscriptions').get() as { n: number }).n > 0) return;
  db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING').run(DEFAULT_APPROACH_KEY, String(loadConfig({}).approachPct));
}

function imageOf(db: Db): Buffer {
  asFirstUseLeavesIt(db);
  const image = db.serialize();
  // Bytes 18 and 19 of the header are the file format's write and read versions: 2 is WAL, the
  // journal mode openDatabase sets, so opening the file does not convert it (and sync) again.
  image[18] = 2;
  image[19] = 2;
  return image;
}
