/**
 * A retry schedule that spans a time rather than a number of attempts: each try after a message's
 * first failed one comes at a set moment counted from that failure, and a failure at or after the
 * last moment gives it up. The outgoing webhooks' (docs/webhook.md, Delivery): a receiver down for
 * an hour, a night or a weekend day's maintenance gets every message once it answers, as Stripe's
 * and Svix's receivers expect; one down a whole day is taken for gone. Pure: the failure's moment
 * and now are arguments (the first is kept on the outbox row, `failing_since`, so a restart keeps
 * the schedule).
 */

const S = 1000;
const MIN = 60 * S;
const H = 60 * MIN;

export interface RetrySpan {
  /** When each try comes, in ms after the message's first failed try, ascending: the last is the span's end. */
  readonly triesAtMs: readonly number[];
  /** A receiver's own wait (a 429's Retry-After) is kept within these: never hammered, never held for good. */
  readonly minWaitMs: number;
  readonly maxWaitMs: number;
}

/** The webhooks': 5 s, 5 min, 30 min, 1 h, 2 h, 4 h, then every 4 h to 24 h after the first failure. */
export const WEBHOOK_RETRY_SPAN: RetrySpan = {
  triesAtMs: [5 * S, 5 * MIN, 30 * MIN, H, 2 * H, 4 * H, 8 * H, 12 * H, 16 * H, 20 * H, 24 * H],
  minWaitMs: 5 * S,
  maxWaitMs: H,
};

/**
 * How long a webhook message whose body its receiver refuses (a 400 or 422 from a receiver that
 * takes the hook's other messages) is tried before it alone is given up: the span's first tries,
 * 5 s, 5 min and 30 min after the first refusal, in case the receiver's validation is fixed meanwhile.
 */
export const BODY_REFUSAL_MS = 30 * MIN;

/** How long a message may fail before it is given up: the last try's moment. */
export const spanMs = (span: RetrySpan): number => span.triesAtMs[span.triesAtMs.length - 1] ?? 0;

export type NextTry = { readonly giveUp: false; readonly at: number } | { readonly giveUp: true; readonly failingMs: number };

/**
 * After a failed try at `nowMs` of a message failing since `sinceMs`: when to try again, or give
 * up (the span is over). `afterMs`: the receiver said when (a 429's Retry-After): that wait, kept
 * within the span's bounds and never past its end, instead of the schedule's next moment; a 429
 * counts toward the span as any failure does, so a receiver answering 429 forever holds its
 * messages one span, not for good. A try that comes late (the bot was stopped) goes on from the
 * schedule's next moment after now; one past the end that came more than `maxWaitMs` after it was
 * due (`dueMs`) is not the end yet: the receiver was not tried meanwhile, so it gets one more try
 * `maxWaitMs` later, and a bot stopped for days does not give up a receiver at one failure. That
 * try, due past the end, is the last: late too (drains further apart than `maxWaitMs`), it gives up.
 */
export function nextTry(span: RetrySpan, sinceMs: number, nowMs: number, afterMs?: number, dueMs: number = nowMs): NextTry {
  const end = sinceMs + spanMs(span);
  if (lateAtEnd(end, nowMs, dueMs, span.maxWaitMs)) return { giveUp: false, at: nowMs + span.maxWaitMs };
  if (nowMs >= end) return { giveUp: true, failingMs: nowMs - sinceMs };
  if (afterMs !== undefined) return { giveUp: false, at: Math.min(end, nowMs + Math.min(Math.max(afterMs, span.minWaitMs), span.maxWaitMs)) };
  // The end itself is a try: a failure there gives up.
  const at = span.triesAtMs.map((t) => sinceMs + t).find((t) => t > nowMs) ?? end;
  return { giveUp: false, at };
}

/**
 * A failure at or past a span's `endMs` that ends nothing: the try came more than `maxWaitMs` after
 * it was due (`dueMs`; the bot stopped, its host asleep), so the platform was not tried meanwhile and
 * gets one more try. Once: that try is due past the end, so a late one of it (drains further apart
 * than `maxWaitMs`) ends the span. The webhooks' span (nextTry) and a chat platform's outage
 * (alerts/dispatcher.ts #outageRetry) both end this way.
 */
export const lateAtEnd = (endMs: number, nowMs: number, dueMs: number, maxWaitMs: number): boolean =>
  nowMs >= endMs && nowMs - dueMs > maxWaitMs && dueMs <= endMs;

/**
 * When a message failing since `sinceMs`, its next try due at `dueMs`, is given up if every try
 * from now on fails: the moment of its last try, the bot sending from `nowMs` on. Its next try
 * comes at `dueMs`, or now when that has passed (the bot was stopped), and each after it on the
 * schedule: a try late past the end gets its one more try (lateAtEnd), which `webhook list` must
 * count, or it names a moment already past.
 */
export function givenUpAt(span: RetrySpan, sinceMs: number, dueMs: number, nowMs: number): number {
  let due = dueMs;
  let at = Math.max(dueMs, nowMs);
  // Each step moves to a later try of a schedule that ends: a dozen steps at most.
  for (;;) {
    const next = nextTry(span, sinceMs, at, undefined, due);
    if (next.giveUp) return at;
    due = next.at;
    at = next.at;
  }
}

/** The schedule as people read it: `5 s, 5 min, 30 min, 1 h, …, 24 h`. */
export function spanSaid(span: RetrySpan): string {
  return span.triesAtMs.map(waitSaid).join(', ');
}

/**
 * A wait as people read it: `5 s`, `30 min`, `24 h`; one under an hour that is not whole minutes in
 * seconds (`90 s`, never a rounded `2 min`). The database wait (database-wait.ts) and the retry
 * spans say theirs with it.
 */
export function waitSaid(ms: number): string {
  if (ms < MIN || (ms < H && ms % MIN !== 0)) return `${Math.round(ms / S)} s`;
  if (ms < H) return `${ms / MIN} min`;
  return `${Math.round((ms / H) * 10) / 10} h`;
}
