/** A message's figures as data (the webhook's `json` body carries them): what each kind of alert says, in no language. */
import { describe, expect, test } from 'vitest';
import { alertMessage, correctionMessage } from '../../src/domain/alert-message.ts';
import { moveMessage } from '../../src/domain/move-message.ts';
import { parseMessage } from '../../src/domain/message.ts';

describe('message data', () => {
  test('GIVEN a move THEN its data names the change, the window and both ends', () => {
    const m = moveMessage({
      date: '2026-11-17',
      pair: 'qqq-gold',
      pct: 10,
      days: 20,
      direction: 'up',
      changePct: 12.5,
      fromDate: '2026-10-20',
      fromValue: 0.2,
      value: 0.225,
    });
    expect(m.data).toEqual({
      type: 'move',
      pair: 'qqq-gold',
      direction: 'up',
      change_pct: 12.5,
      days: 20,
      threshold_pct: 10,
      from_date: '2026-10-20',
      from_value: 0.2,
      date: '2026-11-17',
      value: 0.225,
    });
  });

  test.each([
    [20, '3M'],
    [60, '6M'],
    [150, '1Y'],
    // A year's move filled a 1Y chart edge to edge, its start on the frame: a wider chart shows what came before.
    [252, '5Y'],
    [1260, '10Y'],
  ] as const)('GIVEN a move over %i trading days THEN its chart is %s, wide enough to show where it started', (days, range) => {
    const m = moveMessage({
      date: '2026-11-17',
      pair: 'spx-gold',
      pct: 10,
      days,
      direction: 'up',
      changePct: 12,
      fromDate: '2025-11-17',
      fromValue: 2,
      value: 2.24,
    });
    expect(m.chart).toEqual({ kind: 'ratio', pair: 'spx-gold', range });
  });

  test('GIVEN a corrected close THEN its data says it is a correction, not another break: the ratio before and after', () => {
    const m = correctionMessage({ pair: 'spx-gold', date: '2026-11-17', from: 2.41, to: 2.55, what: 'x' });
    expect(m.data).toEqual({ type: 'correction', pair: 'spx-gold', date: '2026-11-17', from: 2.41, to: 2.55 });
  });

  test('GIVEN a late break THEN its data says when it broke and at what ratio', () => {
    const e = {
      date: '2026-11-17',
      pair: 'spx-gold',
      levelId: 'spx-gold-2.5',
      kind: 'cross-down',
      direction: 'down',
      value: 2.4,
      levelValue: 2.5,
      basis: 'close',
    } as const;
    expect(alertMessage(e, { since: '2026-11-10', value: 2.45, after: '2026-11-05', days: 10 }).data).toMatchObject({ broke_on: '2026-11-10', broke_at: 2.45 });
  });

  test('GIVEN stored messages THEN data reads back; nested data is refused in one line', () => {
    const m = correctionMessage({ pair: 'spx-gold', date: '2026-11-17', from: 2.41, to: 2.55, what: 'x' });
    expect(parseMessage(JSON.stringify(m))).toEqual({ ok: true, message: m });
    expect(parseMessage(JSON.stringify({ lines: [], data: { a: { b: 1 } } }))).toEqual({
      ok: false,
      error: 'message data must be an object of numbers and words',
    });
  });
});
