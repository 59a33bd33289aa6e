/**
 * RecordWait's two lines for a batch whose records wait for the database: the first names the
 * deliveries out, the last accounts for the same ones, whether each waited or was written at its
 * first try after the database came back, and comes only once every one of them is written.
 */
import { expect, test } from 'vitest';
import { RecordWait } from '../../src/alerts/record-wait.ts';
import { memoryLogger } from '../../src/log.ts';

const said = (log: ReturnType<typeof memoryLogger>) => log.records.map((r) => `${String(r.level)} ${String(r.msg)}`);

test('GIVEN 3 deliveries out, one record meeting the outage and two written after it THEN the last line counts all 3, once the third is written', () => {
  const log = memoryLogger('info');
  let now = 0;
  const wait = new RecordWait(
    'telegram',
    () => 60_000,
    () => {},
    log,
    () => now,
  );
  for (const id of [1, 2, 3]) wait.sending(id);
  wait.unreachable(1, 'connect ECONNREFUSED');
  wait.unreachable(1, 'connect ECONNREFUSED');
  now = 3_000;
  wait.written(1);
  wait.settled(1);
  wait.settled(2);
  expect(said(log)).toHaveLength(1);
  wait.settled(3);
  expect(said(log)).toEqual([
    expect.stringMatching(
      /^warn telegram: the database cannot be reached \(connect ECONNREFUSED\) to record what was sent: 3 deliveries \(sent, or still sending\) wait/,
    ),
    'info telegram: the database is back: 3 deliveries recorded after 3 s (1 waited; the other 2 were recorded at the first try)',
  ]);
});

test('GIVEN every record of the batch waiting THEN the last line says they were recorded, without the split', () => {
  const log = memoryLogger('info');
  const wait = new RecordWait(
    'discord',
    () => 60_000,
    () => {},
    log,
    () => 0,
  );
  for (const id of [7, 8]) wait.sending(id);
  for (const id of [7, 8]) wait.busy(id);
  for (const id of [7, 8]) {
    wait.written(id);
    wait.settled(id);
  }
  expect(said(log)).toEqual([
    expect.stringMatching(/^warn discord: the database is busy .*: 2 deliveries \(sent, or still sending\) wait$/),
    'info discord: the database took the waiting records: 2 deliveries recorded after 0 s',
  ]);
});

test('GIVEN a dead row marked while the database was busy (never sent) THEN its written record closes the spell', () => {
  const log = memoryLogger('info');
  const wait = new RecordWait(
    'telegram',
    () => 60_000,
    () => {},
    log,
    () => 0,
  );
  wait.busy(5);
  wait.written(5);
  expect(said(log)).toEqual([expect.stringMatching(/^warn /), 'info telegram: the database took the waiting records: 1 delivery recorded after 0 s']);
});
