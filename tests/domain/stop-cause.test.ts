import { describe, expect, test } from 'vitest';
import { stopCause, stopDetail, stopReason } from '../../src/domain/stop-cause.ts';

describe('why alerts stopped', () => {
  test.each([
    [stopReason('rights', '50013 Missing Permissions'), 'rights'],
    [stopReason('closed', '50083 Thread is archived'), 'closed'],
    ['blocked: Forbidden: bot was blocked by the user', 'blocked'],
    // A stop kept before causes were, or with a word that is no cause: still a stop.
    ['Forbidden: bot was blocked by the user', 'gone'],
    ['nonsense: words', 'gone'],
    // No stop: the chat's own choice, a move, an operator's removal, an active chat.
    ['unsubscribed', undefined],
    ['moved to -100123', undefined],
    ['webhook removed', undefined],
    [null, undefined],
    ['', undefined],
  ])('GIVEN the kept reason %j THEN the cause is %s', (reason, cause) => {
    expect(stopCause(reason)).toBe(cause);
  });

  test('GIVEN a kept reason THEN an operator reads the platform’s words without the cause', () => {
    expect(stopDetail('gone: 3 failed deliveries in a row; last: HTTP 500')).toBe('3 failed deliveries in a row; last: HTTP 500');
    expect(stopDetail('Forbidden: bot was blocked by the user')).toBe('Forbidden: bot was blocked by the user');
  });
});
