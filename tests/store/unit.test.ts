/** Units of work written once and run on both engines: one transaction each, all or nothing. */
import { expect, test } from 'vitest';
import { first, prepare, rows, run, runUnit } from '../../src/store/unit.ts';
import type { StoreDb } from '../../src/store/engine.ts';
import { describeOnEngines } from '../helpers/engines.ts';

const counter = (db: StoreDb) => db.k.selectFrom('meta').select('value').where('key', '=', 'counter');

describeOnEngines('units of work', (open, engine) => {
  test('GIVEN a unit that reads, writes and reads its own write THEN it returns what it saw', async () => {
    const db = await open();
    const out = await runUnit(db, function* () {
      yield* run(db.k.insertInto('meta').values({ key: 'counter', value: '1' }));
      const before = yield* first(counter(db));
      const inserted = yield* rows(db.k.insertInto('messages').values({ kind: 'alert', body: '{}', dedupe_key: 'event:7', created_at: 1 }).returning('id'));
      const changed = yield* run(db.k.updateTable('meta').set({ value: '2' }).where('key', '=', 'counter'));
      return { before: before?.value, id: inserted[0]?.id, changes: changed.changes, after: (yield* first(counter(db)))?.value };
    });
    expect(out).toEqual({ before: '1', id: 1, changes: 1, after: '2' });
  });

  test('GIVEN a unit that fails half-way THEN nothing it wrote remains', async () => {
    const db = await open();
    await expect(
      runUnit(db, function* () {
        yield* run(db.k.insertInto('meta').values({ key: 'counter', value: '1' }));
        yield* run(db.k.insertInto('messages').values({ kind: 'alert', body: '{}', dedupe_key: 'event:7', created_at: 1 }));
        // The same dedupe key again: the unique constraint refuses it.
        yield* run(db.k.insertInto('messages').values({ kind: 'alert', body: '{}', dedupe_key: 'event:7', created_at: 2 }));
      }),
    ).rejects.toThrow(/unique|UNIQUE/);
    expect(await db.k.selectFrom('meta').select('key').where('key', '=', 'counter').execute()).toEqual([]);
    expect(await db.k.selectFrom('messages').select('id').execute()).toEqual([]);
  });

  test('GIVEN fifty units at once, each writing atomically THEN none is lost', async () => {
    const db = await open();
    await db.k.insertInto('meta').values({ key: 'counter', value: '0' }).execute();
    await Promise.all(
      Array.from({ length: 50 }, () =>
        runUnit(db, function* () {
          // An atomic increment: correct on PostgreSQL's concurrent transactions too. A literal 1:
          // better-sqlite3 binds a JS number as REAL, and an integer plus a REAL is a REAL ('50.0').
          yield* run(
            db.k
              .updateTable('meta')
              .set((eb) => ({ value: eb.cast(eb(eb.cast('value', 'integer'), '+', eb.lit(1)), 'text') }))
              .where('key', '=', 'counter'),
          );
        }),
      ),
    );
    expect((await counter(db).executeTakeFirst())?.value).toBe('50');
  });

  test('GIVEN a query prepared once THEN each run binds its own values, and literals stay', async () => {
    const db = await open();
    const put = prepare<{ key: string; value: string }>((p) => db.k.insertInto('meta').values({ key: p('key'), value: p('value') }));
    const get = prepare<{ key: string }, { value: string }>((p) =>
      db.k.selectFrom('meta').select('value').where('key', '=', p('key')).where('value', '<>', 'x'),
    );
    const bump = prepare<{ key: string }>((p) =>
      db.k
        .updateTable('meta')
        .set((eb) => ({ value: eb.cast(eb(eb.cast('value', 'integer'), '+', eb.lit(10)), 'text') }))
        .where('key', '=', p('key')),
    );
    const out = await runUnit(db, function* () {
      yield* run(put({ key: 'a', value: '1' }));
      yield* run(put({ key: 'b', value: '2' }));
      const changed = yield* run(bump({ key: 'b' }));
      return {
        a: (yield* first(get({ key: 'a' })))?.value,
        b: (yield* first(get({ key: 'b' })))?.value,
        none: yield* first(get({ key: 'c' })),
        changed: changed.changes,
      };
    });
    expect(out).toEqual({ a: '1', b: '12', none: undefined, changed: 1 });
  });

  if (engine === 'sqlite') {
    test('GIVEN fifty units at once, each reading then writing THEN on SQLite they run one after another (no await inside a transaction)', async () => {
      const db = await open();
      await db.k.insertInto('meta').values({ key: 'counter', value: '0' }).execute();
      await Promise.all(
        Array.from({ length: 50 }, () =>
          runUnit(db, function* () {
            const n = Number((yield* first(counter(db)))?.value);
            yield* run(
              db.k
                .updateTable('meta')
                .set({ value: String(n + 1) })
                .where('key', '=', 'counter'),
            );
          }),
        ),
      );
      expect((await counter(db).executeTakeFirst())?.value).toBe('50');
    });
  }
});
