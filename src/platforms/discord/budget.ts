/**
 * Discord's global budget (50 requests/s per bot), shared by every REST instance of the bot: the
 * alert notifier's, the Client's (command replies, channel and member look-ups) and the command
 * registration's. It sits in @discordjs/rest's `makeRequest`, so it counts each HTTP request when
 * it really leaves, retries included, after @discordjs/rest's per-route queues.
 *
 * Discord counts a request when it ARRIVES, some time between our start and its answer. Each
 * request holds one of `limit` slots from its start until one second after its answer, the latest
 * it can have arrived; then no second of arrivals can hold more than `limit` requests (all of them
 * would hold a slot at that second's end). Nothing is guessed about when in its round trip it
 * arrived: an earlier version took half the quickest recent round trip off, and the first
 * requests of a broadcast, queued on their way and answered quickly, then freed their slots before
 * their second had passed (bench/discord.ts at 500/s drew a global 429 in half its runs). A slot
 * is held for a second plus a round trip, 96% of the limit at 40 ms.
 *
 * Interaction responses (the callback, and the edits and follow-ups through the interaction's
 * token at `/webhooks/<application>/<token>`) are not bound by the global limit (Discord's rate
 * limits page says so): they pass without a slot and without waiting on a pause, so a broadcast
 * at the whole limit never delays the answer to a command past its 3 s or its 15 minutes.
 *
 * A global 429 (`X-RateLimit-Global`) raises the platform's one PlatformPause (alerts/), which
 * this budget and the dispatcher's pace for Discord both wait on: a REST instance that did not see
 * it waits too, and so does the outbox. Waiters are served first come, first served.
 */
import { PlatformPause } from '../../alerts/platform-pause.ts';
import { sleep } from '../../sleep.ts';
import { discordRequest } from './http-request.ts';

/** What @discordjs/rest calls to make one HTTP request (the shape of `fetch`). */
export type MakeRequest = (url: string, init: RequestInit) => Promise<Response>;

export interface GlobalBudgetOptions {
  /** Requests per second (config.discord.rate). */
  readonly rate: number;
  /** The HTTP call itself (default: http-request.ts, undici's request as a web Response). */
  readonly fetch?: MakeRequest;
  readonly now?: () => number;
  /** How a waiter waits (default: a timer); tests pass a virtual clock's, with its `now`. */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<unknown>;
  /** Told of every 429 any request of the bot got (route, shared or global): the metrics count them. */
  readonly onRateLimited?: () => void;
  /** The application's id: requests to `/webhooks/<it>/<interaction token>` answer interactions and are not charged. */
  readonly applicationId?: string;
}

interface Slot {
  /** When the slot frees: Infinity while the request is in flight. */
  until: number;
}

export class GlobalBudget {
  readonly limit: number;
  /** One second, or 1/rate seconds per request for a fractional rate (DISCORD_RATE=0.5). */
  readonly windowMs: number;
  /** Requests started so far (tests and the benchmark read it). */
  started = 0;
  /** Interaction responses passed through uncharged so far. */
  interactionResponses = 0;
  /** Global 429s seen so far. */
  globalLimited = 0;
  readonly #slots: Slot[] = [];
  readonly #fetch: MakeRequest;
  readonly #now: () => number;
  readonly #sleep: (ms: number, signal?: AbortSignal) => Promise<unknown>;
  readonly #onRateLimited: (() => void) | undefined;
  readonly #uncharged: RegExp;
  /** Discord's global pause: raised here on a global 429, shared with the dispatcher's pace (DiscordNotifier.pause). */
  readonly pause: PlatformPause;
  #tail: Promise<unknown> = Promise.resolve();

  constructor(o: GlobalBudgetOptions) {
    if (!(o.rate > 0)) throw new Error(`bug: the Discord rate must be > 0, got ${o.rate}`);
    this.limit = Math.max(1, Math.floor(o.rate));
    this.windowMs = Math.round((1000 * this.limit) / o.rate);
    this.#fetch = o.fetch ?? discordRequest;
    this.#now = o.now ?? Date.now;
    this.#sleep = o.sleep ?? sleep;
    this.#onRateLimited = o.onRateLimited;
    const webhooks = o.applicationId !== undefined && /^\d+$/.test(o.applicationId) ? `|/webhooks/${o.applicationId}/[^/?]+(?:/[^?]*)?` : '';
    this.#uncharged = new RegExp(`/v\\d+(?:/interactions/\\d+/[^/?]+/callback${webhooks})(?:\\?.*)?$`);
    this.pause = new PlatformPause(this.#now);
  }

  /** Requests holding a slot now (in flight, or answered less than a window ago). */
  get held(): number {
    this.#purge(this.#now());
    return this.#slots.length;
  }

  /** `makeRequest` for @discordjs/rest: a slot, then the request; a global 429 pauses everyone. */
  readonly fetch: MakeRequest = async (url, init) => {
    if (this.#uncharged.test(url)) {
      this.interactionResponses++;
      const res = await this.#fetch(url, init);
      if (res.status === 429) this.#onRateLimited?.();
      return res;
    }
    const slot = await this.#take(init.signal ?? undefined);
    let res: Response;
    try {
      res = await this.#fetch(url, init);
    } finally {
      // Answered, or failed without knowing whether it arrived: now is the latest it could have.
      slot.until = this.#now() + this.windowMs;
    }
    if (res.status === 429) this.#onRateLimited?.();
    if (res.status === 429 && res.headers.get('x-ratelimit-global') !== null) {
      this.globalLimited++;
      // retry_after is float seconds in the body; the Retry-After header is whole seconds.
      const body = (await res
        .clone()
        .json()
        .catch(() => undefined)) as { retry_after?: unknown } | undefined;
      const seconds = typeof body?.retry_after === 'number' ? body.retry_after : Number(res.headers.get('retry-after') ?? 1);
      this.pause.pauseFor(Math.max(0, Number.isFinite(seconds) ? seconds : 1) * 1000);
    }
    return res;
  };

  #purge(now: number): void {
    for (let i = this.#slots.length - 1; i >= 0; i--) if (this.#slots[i]!.until <= now) this.#slots.splice(i, 1);
  }

  #take(signal: AbortSignal | undefined): Promise<Slot> {
    const turn = this.#tail.then(() => this.#wait(signal));
    this.#tail = turn.catch(() => undefined);
    return turn;
  }

  async #wait(signal: AbortSignal | undefined): Promise<Slot> {
    for (;;) {
      if (signal?.aborted) throw signal.reason ?? new Error('aborted');
      const now = this.#now();
      this.#purge(now);
      let wait = this.pause.remaining();
      if (this.#slots.length >= this.limit) {
        const next = Math.min(...this.#slots.map((s) => s.until));
        // Every slot in flight: look again soon (an answer sets its slot's time).
        wait = Math.max(wait, Number.isFinite(next) ? next - now : 5);
      }
      if (wait <= 0) {
        const slot: Slot = { until: Number.POSITIVE_INFINITY };
        this.#slots.push(slot);
        this.started++;
        return slot;
      }
      await this.#sleep(Math.max(1, wait), signal);
    }
  }
}
