/**
 * src/store/driver.ts: the better-sqlite3 major that suits the running Node is the one loaded
 * (12 on Node 20, which 13 crashes; 13 on Node 22+, where 12 aborts at exit under 24). `.ci/run`
 * runs this file on the system Node and again on Node 24, so both branches are exercised.
 */
import { describe, expect, test } from 'vitest';
import { createRequire } from 'node:module';
import { Database, DRIVER_ADVICE, NODE_MAJOR, SQLITE_DRIVER, SqliteDriverError, driverAdvice } from '../../src/store/driver.ts';

const require = createRequire(import.meta.url);

describe('the SQLite driver', () => {
  test('GIVEN the running Node THEN the better-sqlite3 major made for it is loaded', () => {
    expect(NODE_MAJOR).toBe(Number(process.version.slice(1).split('.')[0]));
    if (NODE_MAJOR >= 22) {
      expect(SQLITE_DRIVER).toEqual({ packageName: 'better-sqlite3-13', version: expect.stringMatching(/^13\./) });
    } else {
      expect(SQLITE_DRIVER).toEqual({ packageName: 'better-sqlite3', version: expect.stringMatching(/^12\./) });
    }
    expect(Object.getPrototypeOf(Database)).toBe(require(SQLITE_DRIVER.packageName));
  });

  test('GIVEN the picked driver WHEN statements run THEN it answers, and closes cleanly', () => {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE t (x INTEGER)');
    const insert = db.prepare('INSERT INTO t VALUES (?)');
    db.transaction(() => {
      for (let i = 1; i <= 100; i++) insert.run(i);
    })();
    expect(db.prepare('SELECT count(*) AS n, sum(x) AS s FROM t').get()).toEqual({ n: 100, s: 5050 });
    db.close();
    expect(db.open).toBe(false);
  });

  test.each([
    { without13: false, says: 'the SQLite driver (better-sqlite3) was built for another Node than this one (vX): run `npm rebuild better-sqlite3`' },
    {
      without13: true,
      says: 'the SQLite driver (better-sqlite3) was built for another Node than this one (vX): run `npm install` (it adds better-sqlite3-13, the driver for this Node)',
    },
  ])('GIVEN 12 built for another Node, 13 left out: $without13 THEN the line says what to run', ({ without13, says }) => {
    const e = new SqliteDriverError('better-sqlite3', 'built for another Node', { without13 });
    expect(e.message.replace(process.version, 'vX')).toBe(says);
  });

  // Installed on Node 20 (13, optional, left out), then `npm rebuild` on 24: 12 loads, and aborts the
  // process as it exits. The start says what to run; the Node and what became of 13 are the input.
  test.each([
    { node: 20, without13: undefined, says: undefined },
    { node: 20, without13: { missing: true }, says: undefined },
    { node: 22, without13: undefined, says: undefined },
    { node: 24, without13: undefined, says: undefined },
    {
      node: 22,
      without13: { missing: true },
      says: 'the SQLite driver for Node 22 (better-sqlite3-13) is not installed (node_modules was installed on an older Node): better-sqlite3 12 runs instead; run `npm install` to add it',
    },
    {
      node: 24,
      without13: { missing: true },
      says: 'the SQLite driver for Node 24 (better-sqlite3-13) is not installed (node_modules was installed on an older Node): better-sqlite3 12 runs instead, which on Node 24 can abort the process as it exits (WiseLibs/better-sqlite3#1515); run `npm install` to add it',
    },
    {
      node: 24,
      without13: { missing: false, error: 'libc.musl-x86_64.so.1: cannot open shared object file' },
      says: 'the SQLite driver for Node 24 (better-sqlite3-13) could not be loaded (libc.musl-x86_64.so.1: cannot open shared object file): better-sqlite3 12 runs instead, which on Node 24 can abort the process as it exits (WiseLibs/better-sqlite3#1515); run `npm rebuild better-sqlite3-13`, or `npm install`',
    },
  ] as const)('GIVEN Node $node and 13 $without13 THEN the start says: $says', ({ node, without13, says }) => {
    expect(driverAdvice(node, without13)).toBe(says);
  });

  test('GIVEN this install (13 installed wherever this Node wants it) THEN the start says nothing of the driver', () => {
    expect(DRIVER_ADVICE).toBeUndefined();
  });
});
