/** The edit ledger on a real SQLite file: one application per message, and old messages forgotten. */
import { afterEach, expect, test } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../../src/store/db.ts';
import { onSqlite } from '../../../src/store/engine.ts';
import { MetaStore } from '../../../src/store/meta.ts';
import { metaEditLedger } from '../../../src/platforms/telegram/edit-ledger.ts';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

function ledgerOnDisk() {
  const dir = mkdtempSync(join(tmpdir(), 'goldratio-edits-'));
  const db = openDatabase(join(dir, 'g.db'));
  cleanups.push(
    () => rmSync(dir, { recursive: true, force: true }),
    () => db.close(),
  );
  const meta = new MetaStore(onSqlite(db));
  return { meta, ledger: metaEditLedger(meta) };
}

const T0 = Date.parse('2026-12-05T12:00:00Z');
const S0 = T0 / 1000;

test('GIVEN a refused command THEN one of two edits arriving together applies it; an applied one is never claimed', async () => {
  const { ledger } = ledgerOnDisk();
  await ledger.begin(-1, 10, S0, T0);
  expect(await ledger.claimEdit(-1, 10, S0)).toBe(false); // running, or applied
  await ledger.settle(-1, 10, S0, false);
  expect(await Promise.all([ledger.claimEdit(-1, 10, S0), ledger.claimEdit(-1, 10, S0)])).toEqual([true, false]);
  // The edit was refused too: a further edit may fix it.
  await ledger.settle(-1, 10, S0, false);
  expect(await ledger.claimEdit(-1, 10, S0)).toBe(true);
  await ledger.settle(-1, 10, S0, true);
  expect(await ledger.claimEdit(-1, 10, S0)).toBe(false);
  // A message it never saw (sent before, or as no settings command).
  expect(await ledger.claimEdit(-1, 11, S0)).toBe(false);
});

test('GIVEN messages older than their edits are answered THEN forgotten when a new command is noted', async () => {
  const { meta, ledger } = ledgerOnDisk();
  await ledger.begin(-1, 10, S0, T0);
  await ledger.begin(-2, 5, S0 + 60, T0 + 60_000);
  expect((await meta.withPrefix('telegram.command:')).map((e) => e.key)).toEqual(['telegram.command:-1:10', 'telegram.command:-2:5']);
  await ledger.begin(-3, 7, S0 + 20.5 * 60, T0 + 20.5 * 60_000);
  expect((await meta.withPrefix('telegram.command:')).map((e) => e.key)).toEqual(['telegram.command:-2:5', 'telegram.command:-3:7']);
});
