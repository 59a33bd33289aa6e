/**
 * One way to say a wait, for the retry spans (`webhook list`) and the database wait (start's log,
 * /livez): whole minutes and hours as such, anything else under an hour in seconds, never rounded
 * to a minute it is not.
 */
import { expect, test } from 'vitest';
import { spanSaid, waitSaid, WEBHOOK_RETRY_SPAN } from '../../src/domain/retry-span.ts';

test.each([
  [5_000, '5 s'],
  [59_000, '59 s'],
  [60_000, '1 min'],
  [90_000, '90 s'],
  [120_000, '2 min'],
  [30 * 60_000, '30 min'],
  [3_600_000, '1 h'],
  [5_400_000, '1.5 h'],
  [24 * 3_600_000, '24 h'],
])('GIVEN a wait of %d ms THEN it is said %s', (ms, said) => {
  expect(waitSaid(ms)).toBe(said);
});

test('GIVEN the webhook retry span THEN its schedule reads as people say it', () => {
  expect(spanSaid(WEBHOOK_RETRY_SPAN)).toMatch(/^5 s, 5 min, 30 min, 1 h, 2 h, 4 h, .*24 h$/);
});
