/**
 * The SQLite images the tests start from (tests/helpers/sqlite-image.ts) are what a bot's first
 * start leaves in a new file: the migrations' rows, and what the subscription store's first use
 * writes (the default approach %), so that first use writes nothing more.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { openDatabase, type Db } from '../../src/store/db.ts';
import { onSqlite } from '../../src/store/engine.ts';
import { SubscriptionStore } from '../../src/store/subscriptions.ts';
import { discardDb } from '../helpers/discard-db.ts';
import { writeDatabase } from '../helpers/sqlite-image.ts';

const config = loadConfig({});
const dirs: { db: Db; dir: string }[] = [];
afterEach(() => {
  for (const { db, dir } of dirs.splice(0)) discardDb(db, dir);
});

function open(image: boolean): Db {
  const dir = mkdtempSync(join(tmpdir(), 'goldratio-image-'));
  const path = join(dir, 'g.db');
  const db = openDatabase(image ? writeDatabase(path) : path);
  dirs.push({ db, dir });
  return db;
}
const firstUse = (db: Db) => new SubscriptionStore(onSqlite(db), { approachPct: config.approachPct, lang: config.defaultLang }).ready();
const meta = (db: Db) => db.prepare('SELECT key, value FROM meta ORDER BY key').all();
const changes = (db: Db) => (db.prepare('SELECT total_changes() AS n').get() as { n: number }).n;

test("GIVEN a new file migrated and the subscription store's first use THEN the image's meta rows are the same", async () => {
  const migrated = open(false);
  await firstUse(migrated);
  expect(meta(open(true))).toEqual(meta(migrated));
});

test("GIVEN a database from the image THEN the subscription store's first use writes nothing", async () => {
  const db = open(true);
  const before = changes(db);
  await firstUse(db);
  expect(changes(db)).toBe(before);
});
