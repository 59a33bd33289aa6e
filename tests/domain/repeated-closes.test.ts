import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repeatedCloses, repeatsText, weighRepeats } from '../../src/domain/repeated-closes.ts';
import { goldShutDay } from '../../src/domain/close-calendar.ts';
import { describeWithHistory, HISTORY_DIR, HISTORY_FILES } from '../helpers/history.ts';

const rows = (...closes: number[]) => closes.map((close, i) => ({ date: `2026-02-${String(10 + i).padStart(2, '0')}`, close }));

describe('repeatedCloses', () => {
  test.each([
    ['GIVEN no repeat THEN none', rows(1, 2, 3), undefined, []],
    ['GIVEN one equal to the row before THEN that day', rows(1, 2, 2, 3), undefined, ['2026-02-12']],
    ['GIVEN a run of three THEN its second and third', rows(4992, 4992, 4992, 5000), undefined, ['2026-02-11', '2026-02-12']],
    ['GIVEN the first equal to the stored close before THEN it too', rows(7, 8), 7, ['2026-02-10']],
    ['GIVEN a cent apart THEN none', rows(4670.3, 4670.31), undefined, []],
  ] as const)('%s', (_, r, before, want) => {
    expect(repeatedCloses(r, before)).toEqual(want);
  });

  test('GIVEN more than six THEN the first five and the last', () => {
    const d = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
    expect(repeatsText(d)).toBe('7 (a, b, c, d, e, ..., g)');
    expect(repeatsText(d.slice(0, 2))).toBe('2 (a, b)');
  });
});

describe('weighRepeats', () => {
  const days = (closes: number[]) => closes.map((close, i) => ({ date: `d${String(i).padStart(2, '0')}`, close }));
  test.each([
    ['GIVEN spot gold moving dollars a day, quoted in cents THEN an equal close is carried', [4601.12, 4630.4, 4610.02, 4655.9, 4655.9], true],
    ['GIVEN a pegged price moving cents a day THEN an equal close is a plausible fix', [35.18, 35.16, 35.19, 35.2, 35.2], false],
    ['GIVEN a price quoted in quarters moving a dollar or two THEN a plausible fix', [625.25, 627.5, 626, 625.75, 625.75], false],
    ['GIVEN no move at all before it THEN it cannot be weighed: plausible', [100, 100], false],
  ] as const)('%s', (_, closes, carried) => {
    const r = days([...closes]);
    expect(weighRepeats(r)).toEqual([{ date: r.at(-1)!.date, carried }]);
  });
});

describeWithHistory("the real gold file's repeats, weighed", () => {
  test('GIVEN gold_daily.csv THEN the spot tail since 2025-11-13 repeats are all carried, the pegged years 1968-1970 all plausible fixes', () => {
    const rows = readFileSync(join(HISTORY_DIR, HISTORY_FILES.gold), 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(','))
      .map(([date, close]) => ({ date: date!, close: Number(close) }))
      .filter((r) => goldShutDay(r.date) === undefined);
    const weighed = weighRepeats(rows);
    const tail = weighed.filter((r) => r.date >= '2025-11-13');
    const pegged = weighed.filter((r) => r.date < '1971-01-01');
    expect(tail.length).toBeGreaterThanOrEqual(15);
    expect(tail.every((r) => r.carried)).toBe(true);
    expect(pegged.length).toBeGreaterThan(50);
    expect(pegged.some((r) => r.carried)).toBe(false);
  });
});
