/**
 * The one way goldratio fetches from a quote source: undici, a timeout per request, an external
 * abort signal, and retries with capped exponential backoff on 5xx, 429 and network errors.
 * A 429's Retry-After is honoured; any other 4xx is final and handed back for the provider to read.
 */
import { linkedSignal } from '../linked-signal.ts';
import { request } from 'undici';
import type { Logger } from '../log.ts';
import { sleep as timerSleep } from '../sleep.ts';
import { retryAfterMs } from '../domain/retry-after.ts';
import { QuoteSourceError } from './errors.ts';
import { waitSaid } from '../domain/retry-span.ts';
import { isCreditsOut, type CreditBudget } from './credits.ts';

export const BACKOFF_CAP_MS = 60_000;

// Yahoo answers 429 to clients without a browser-like User-Agent (PROVIDERS.md §1).
export const USER_AGENT = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

/** The backoff's wait (src/sleep.ts; tests inject one that returns at once): resolves false when aborted. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<unknown>;

export const realSleep: Sleep = timerSleep;

export interface HttpOptions {
  readonly timeoutMs: number;
  readonly retries: number;
  readonly backoffMs: number;
  /** Injected by tests so backoff costs no wall time. */
  readonly sleep?: Sleep;
  readonly log?: Logger;
  readonly now?: () => number;
  /**
   * The level of the line saying a source is being waited for (`yahoo could not be reached … for
   * ^GSPC; trying again 3 times over the next 7 s (52 s at most, …)`, or an answer slow to come): 'info' where
   * a person watches a fetch that would otherwise look hung (backfill, the bot's first history
   * sync), 'debug' for the scheduled jobs' routine fetches (their failure is said once anyway).
   * Asked per request. Default 'debug'.
   */
  readonly waitNotice?: () => 'info' | 'debug';
  /**
   * Said right after a wait notice at info, when it gives a line (the market's: every source the
   * run waits on, in turn, and by when it has said all, given once per run): the first line of an
   * offline start named yahoo alone, and a newcomer read the next 20 s of its retries as silence.
   */
  readonly agenda?: () => string | undefined;
  /**
   * A keyed source's plan (credits.ts): every try of a request to a metered source takes a credit
   * first, and an answer saying its credits ran out ends the request (no retry), both as CreditsOutError.
   */
  readonly credits?: Pick<CreditBudget, 'take' | 'check' | 'has' | 'waits'>;
}

/** An answer not in after this long is said to be awaited (at waitNotice's level, as the gate below allows). */
export const SLOW_ANSWER_MS = 3000;

/**
 * A source waited on is said when the wait starts, then at most once this often while it goes on,
 * with its failed tries and how long: a backfill's requests to one unreachable host (^GSPC, QQQ,
 * GC=F, …) each said "trying again" about every 7 s, which read as noise, or a loop.
 */
export const WAIT_NOTICE_EVERY_MS = 30_000;
/** How many times a waiting budget asks again a source that itself said its minute's credits ran out: beyond, its key is spent elsewhere. */
export const MINUTE_REFUSALS_WAITED = 3;

/** A source's wait ends when it answers, or when it has not failed for this long (a new wait is said anew). */
const WAIT_FORGOTTEN_MS = 5 * 60_000;

/**
 * The longest the retries after try `attempt` (0-based) can take: each backoff (the first one
 * `firstWait`, a Retry-After perhaps) and each further try timing out.
 */
export function retriesBoundMs(attempt: number, firstWait: number, o: Pick<HttpOptions, 'retries' | 'backoffMs' | 'timeoutMs'>): number {
  let ms = 0;
  for (let a = attempt; a < o.retries; a++) ms += (a === attempt ? firstWait : backoffDelay(a, o.backoffMs)) + o.timeoutMs;
  return ms;
}

export interface HttpRequest {
  readonly source: string;
  /** What is being fetched, for messages: `^GSPC`, `M2SL`. */
  readonly symbol: string;
  readonly url: string;
  readonly signal?: AbortSignal | undefined;
  readonly accept?: string;
}

export interface HttpResponse {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

export interface HttpClient {
  /** Resolves with any 2xx or final 4xx answer; rejects with QuoteSourceError once retries are spent. */
  get(req: HttpRequest): Promise<HttpResponse>;
}

/** Delay before retry number `attempt` (0-based): base, 2×base, 4×base … capped at 60 s. */
export function backoffDelay(attempt: number, baseMs: number): number {
  return Math.min(BACKOFF_CAP_MS, baseMs * 2 ** attempt);
}

/** Retry-After as milliseconds, read strictly (domain/retry-after.ts): undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  return retryAfterMs(value, nowMs);
}

/** API keys travel in query strings: never let one reach a log line or an error message. */
export function redactUrl(url: string): string {
  return url.replace(/([?&](?:api_?key|apikey|token)=)[^&]*/gi, '$1***');
}

interface RawResponse extends HttpResponse {
  readonly retryAfter: string | undefined;
}

export function createHttpClient(opts: HttpOptions): HttpClient {
  const sleep = opts.sleep ?? realSleep;
  const now = opts.now ?? Date.now;
  const log = opts.log;
  // Per source, the wait under way: since when, its failed tries (every request's), when it was last
  // said and last failed. Cleared when the source answers.
  const waits = new Map<string, { since: number; tries: number; saidAt: number | undefined; lastAt: number }>();
  const waitOf = (source: string, at: number) => {
    const w = waits.get(source);
    if (w !== undefined && at - w.lastAt <= WAIT_FORGOTTEN_MS) return w;
    const fresh = { since: at, tries: 0, saidAt: undefined, lastAt: at };
    waits.set(source, fresh);
    return fresh;
  };

  async function once(req: HttpRequest, slow: () => void): Promise<RawResponse> {
    const timeout = AbortSignal.timeout(opts.timeoutMs);
    // Unlinked after the request: the scheduler's signal, passed to every job, lives as long as the process.
    const linked = req.signal === undefined ? undefined : linkedSignal([req.signal, timeout]);
    const timer = opts.timeoutMs > SLOW_ANSWER_MS ? setTimeout(slow, SLOW_ANSWER_MS) : undefined;
    try {
      return await answer(req, linked?.signal ?? timeout);
    } finally {
      clearTimeout(timer);
      linked?.dispose();
    }
  }

  async function answer(req: HttpRequest, signal: AbortSignal): Promise<RawResponse> {
    const res = await request(req.url, {
      method: 'GET',
      headers: {
        'user-agent': USER_AGENT,
        accept: req.accept ?? '*/*',
        'accept-language': 'en-US,en;q=0.9',
      },
      signal,
    });
    const body = await res.body.text();
    const ct = res.headers['content-type'];
    return { status: res.statusCode, contentType: header(ct) ?? '', body, retryAfter: header(res.headers['retry-after']) };
  }

  return {
    async get(req) {
      const { source, symbol } = req;
      // A wait on this source is said where someone watches (waitNotice): a line within seconds when
      // it does not answer, then at most one per WAIT_NOTICE_EVERY_MS however many requests wait on
      // it, never one per try (each try's is at debug). `line` gets what the wait has cost so far
      // ('' the first time).
      const notice = (line: (sofar: string) => string) => {
        if (opts.waitNotice?.() !== 'info') return;
        const at = now();
        const w = waitOf(source, at);
        if (w.saidAt !== undefined && at - w.saidAt < WAIT_NOTICE_EVERY_MS) return;
        const sofar = w.saidAt === undefined ? '' : `; ${w.tries} tr${w.tries === 1 ? 'y' : 'ies'} of ${source} failed over ${waitSaid(at - w.since)}`;
        w.saidAt = at;
        log?.info(line(sofar), { url: redactUrl(req.url) });
        const agenda = opts.agenda?.();
        if (agenda !== undefined) log?.info(agenda);
      };
      let refusedMinutes = 0;
      for (let attempt = 0; ; attempt++) {
        if (req.signal?.aborted) {
          throw new QuoteSourceError(`${source} request for ${symbol} was aborted`, { source, symbol, retryable: false, cause: req.signal.reason });
        }
        let failure: QuoteSourceError;
        let wait = backoffDelay(attempt, opts.backoffMs);
        // Out of credits: thrown here, before a request that would spend one (and outside the try below: no retry);
        // a waiting budget (backfill) waits for the minute's credits here instead.
        await opts.credits?.take(source, symbol, req.signal);
        try {
          const res = await once(req, () =>
            notice(
              (sofar) =>
                `${source} has not answered for ${symbol} in ${waitSaid(SLOW_ANSWER_MS)}${sofar}; waiting up to ${waitSaid(opts.timeoutMs)}${
                  attempt < opts.retries
                    ? `, then trying again up to ${opts.retries - attempt} time${opts.retries - attempt === 1 ? '' : 's'} (${waitSaid(retriesBoundMs(attempt, backoffDelay(attempt, opts.backoffMs), opts))} more at most)`
                    : ''
                }`,
            ),
          );
          // Its own "run out of API credits" (HTTP 200 or 429) is final: retrying it spends more.
          if (opts.credits?.has(source) === true) {
            const { retryAfter: _r, ...seen } = res;
            await opts.credits.check(source, symbol, seen);
          }
          if (res.status !== 429 && res.status < 500) {
            // It answers: a wait on it from now on is a new one, said as such.
            waits.delete(source);
            const { retryAfter: _ignored, ...plain } = res;
            return plain;
          }
          failure = new QuoteSourceError(`${source} answered ${res.status} for ${symbol}`, { source, symbol, retryable: true, status: res.status });
          if (res.status === 429) wait = parseRetryAfter(res.retryAfter, now()) ?? wait;
        } catch (e) {
          if (isCreditsOut(e)) {
            // The source's own "credits of the minute run out" (its key shared with another client): a
            // waiting budget asks again once that minute is over (the take above waits), a few times at most.
            if (e.scope === 'minute' && opts.credits?.waits === true && refusedMinutes++ < MINUTE_REFUSALS_WAITED) {
              attempt--;
              continue;
            }
            throw e;
          }
          if (req.signal?.aborted) {
            throw new QuoteSourceError(`${source} request for ${symbol} was aborted`, { source, symbol, retryable: false, cause: e });
          }
          const timedOut = e instanceof Error && (e.name === 'TimeoutError' || (e.name === 'AbortError' && String(e.message).includes('timeout')));
          const why = timedOut || isTimeoutCause(e) ? `did not answer within ${opts.timeoutMs} ms` : `could not be reached (${describe(e)})`;
          failure = new QuoteSourceError(`${source} ${why} for ${symbol}`, { source, symbol, retryable: true, cause: e });
        }
        const w = waitOf(source, now());
        w.tries++;
        w.lastAt = now();
        if (attempt >= opts.retries) throw failure;
        if (wait > BACKOFF_CAP_MS) {
          // A server asking for more than the cap is better retried by the next scheduled run.
          throw new QuoteSourceError(`${failure.message} (asks to retry after ${Math.round(wait / 1000)} s)`, {
            source,
            symbol,
            retryable: true,
            ...(failure.status === undefined ? {} : { status: failure.status }),
          });
        }
        log?.debug(`${failure.message}; retry ${attempt + 1}/${opts.retries} in ${wait} ms`, { url: redactUrl(req.url) });
        notice(
          (sofar) =>
            `${failure.message}${sofar}; trying again ${opts.retries - attempt} time${opts.retries - attempt === 1 ? '' : 's'} over the next ${waitSaid(retriesBoundMs(attempt, wait, { ...opts, timeoutMs: 0 }))} (${waitSaid(retriesBoundMs(attempt, wait, opts))} at most, should each try wait out its ${waitSaid(opts.timeoutMs)} timeout)`,
        );
        if ((await sleep(wait, req.signal)) === false) {
          throw new QuoteSourceError(`${source} request for ${symbol} was aborted`, { source, symbol, retryable: false, cause: req.signal?.reason });
        }
      }
    },
  };
}

function header(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

function isTimeoutCause(e: unknown): boolean {
  // undici rejects with the signal's reason: a DOMException named TimeoutError.
  return typeof e === 'object' && e !== null && (e as { name?: unknown }).name === 'TimeoutError';
}

function describe(e: unknown): string {
  if (e instanceof Error) {
    const code = (e as { code?: unknown }).code;
    return typeof code === 'string' ? `${code}: ${e.message}` : e.message;
  }
  return String(e);
}

/** A non-2xx answer that the provider did not recognise is final: `yahoo answered 403 for ^GSPC`. */
export function expectOk(res: HttpResponse, req: Pick<HttpRequest, 'source' | 'symbol'>): void {
  if (res.status >= 200 && res.status < 300) return;
  throw new QuoteSourceError(`${req.source} answered ${res.status} for ${req.symbol}`, {
    source: req.source,
    symbol: req.symbol,
    retryable: false,
    status: res.status,
  });
}

/** True when a body is an HTML page (a Cloudflare challenge, a login wall, an error page). */
export function looksLikeHtml(res: HttpResponse): boolean {
  return /text\/html/i.test(res.contentType) || /^\s*</.test(res.body);
}

/** Parses a JSON body, naming the problem when it is empty, HTML or malformed. */
export function parseJsonBody(res: HttpResponse, req: Pick<HttpRequest, 'source' | 'symbol'>): unknown {
  const fail = (what: string) =>
    new QuoteSourceError(`${req.source} answered ${what} for ${req.symbol}`, { source: req.source, symbol: req.symbol, retryable: false, status: res.status });
  if (res.body.trim() === '') throw fail('an empty body');
  if (looksLikeHtml(res)) throw fail('HTML instead of JSON');
  try {
    return JSON.parse(res.body) as unknown;
  } catch (e) {
    throw new QuoteSourceError(`${req.source} answered malformed JSON for ${req.symbol}`, {
      source: req.source,
      symbol: req.symbol,
      retryable: false,
      status: res.status,
      cause: e,
    });
  }
}
