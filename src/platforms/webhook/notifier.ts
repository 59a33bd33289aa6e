/**
 * Delivers outbox messages to outgoing webhooks: one POST per hook and message in the hook's
 * format (payload.ts), or several in order for a long one to a Slack or Discord hook (its parts,
 * each stored once delivered), the `json` body signed with the hook's secret. It runs on the same outbox
 * and dispatcher as Telegram and Discord: it says what the receiver answered and the dispatcher
 * decides when to try again. Redirects are not followed (a 3xx is a failure: the address must be
 * the final one; a 301 or 308 deactivates the hook, gone.ts redirected), every request has a timeout, a 429's Retry-After is honoured for that hook alone.
 * Its retries span a day (WEBHOOK_RETRY_SPAN, the dispatcher's to run): a hook whose oldest
 * undelivered message has failed that whole day is deactivated, and `goldratio webhook list` shows
 * it so, with the last error. An answer that says the hook is gone for good (gone.ts: a 410,
 * Discord's Unknown Webhook, Slack's `no_service`…) deactivates it at once.
 *
 * A refusal about one message's body is not the hook's: a 413 (a digest's inline chart over the
 * receiver's body limit, while alerts pass), or a 400 or 422, from a receiver that has taken a
 * delivery of this hook since the last message it refused so (its address and format work; this
 * body is what it refuses), or for a 413, from one that refused none so yet. That message alone
 * is given up, at once for a 413 (the same body would go again), after the span's tries within
 * BODY_REFUSAL_MS for a 400 or 422 (a receiver's validation may be fixed meanwhile); the hook
 * stays active and its next messages go on, in order.
 * `webhook list` names the last one (lastRefused). A receiver refusing everything (401, 403, 404,
 * 5xx, no answer, or a second message refused with nothing taken between, a 413 too: a body limit
 * below every message's) holds the hook's messages for the day's span as before.
 */
import { networkWords } from './network-words.ts';
import { createHmac } from 'node:crypto';
import type { Delivery, Notifier, SendResult } from '../../alerts/notifier.ts';
import type { LocalizedMessage } from '../../domain/message.ts';
import type { Logger } from '../../log.ts';
import type { Webhook, WebhookStore } from '../../store/webhooks.ts';
import { requestBodies, type Outgoing, type RequestBody } from './payload.ts';
import { checkHookUrl, sentFormat, shownUrl } from './url.ts';
import { notAccepted } from './accepted.ts';
import { post, PostTimeout, refusalSaid, type PostAnswer } from './post.ts';
import { goneForGood, redirected } from './gone.ts';
import type { Refusal } from '../../domain/stop-cause.ts';
import { retryAfterMs } from '../../domain/retry-after.ts';
import { BODY_REFUSAL_MS, WEBHOOK_RETRY_SPAN, type RetrySpan } from '../../domain/retry-span.ts';

/** Read strictly, as the quote sources read it (domain/retry-after.ts). */
export { retryAfterMs };

/**
 * The first header, kept for receivers written before the timestamp: `sha256=<hex HMAC-SHA256 of
 * the raw body>` (the `json` format). It signs no time, so a captured delivery verifies forever:
 * docs/webhook.md tells receivers to move to the Standard Webhooks headers below.
 */
export const SIGNATURE_HEADER = 'x-goldratio-signature-256';
export const EVENT_HEADER = 'x-goldratio-event';
export const DELIVERY_HEADER = 'x-goldratio-delivery';
/** Standard Webhooks (standardwebhooks.com): the delivery id, the Unix seconds of this attempt, and `v1,<base64>` per valid secret. */
export const ID_HEADER = 'webhook-id';
export const TIMESTAMP_HEADER = 'webhook-timestamp';
export const SIGNATURES_HEADER = 'webhook-signature';

export interface WebhookNotifierOptions {
  readonly store: WebhookStore;
  readonly log: Logger;
  /** Requests per second in total, across hooks (WEBHOOK_RATE). */
  readonly rate: number;
  /** A receiver that has not answered after this long has failed this delivery (WEBHOOK_TIMEOUT_SECONDS). */
  readonly timeoutMs: number;
  /** When a failed delivery is tried again, and when the hook is given up (the dispatcher runs it). Default WEBHOOK_RETRY_SPAN. */
  readonly retrySpan?: RetrySpan;
  /** How long a 400 or 422 about one message's body is tried before that message alone is given up. Default BODY_REFUSAL_MS (30 min). */
  readonly bodyRefusalMs?: number;
  /** Hooks posted to at once: each is its own server, so many; a slow one holds only its slot. Default 64. */
  readonly concurrency?: number;
  readonly now?: () => number;
}

/** The signature a receiver recomputes: HMAC-SHA256 of the exact body bytes with the hook's secret. */
export function signBody(secret: string, body: string | Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/**
 * Standard Webhooks' signature: HMAC-SHA256 of `<id>.<timestamp>.<body>`, base64, as `v1,<sig>`,
 * one per secret given (the new one first during a rotation's grace), space-separated. The key is
 * the secret's text, as for the first header (a library wanting `whsec_…` is given `whsecOf`).
 */
export function signDelivery(secrets: readonly string[], id: string, timestampSec: number, body: string | Buffer): string {
  return secrets.map((s) => `v1,${createHmac('sha256', s).update(`${id}.${timestampSec}.`).update(body).digest('base64')}`).join(' ');
}

/** The secret as Standard Webhooks' libraries take it: `whsec_` and the base64 of the key's bytes (the secret's text). */
export const whsecOf = (secret: string): string => `whsec_${Buffer.from(secret, 'utf8').toString('base64')}`;

/**
 * The secrets that sign now: the hook's, and during a rotation's grace the one it replaced, which
 * alone signs the first header (a receiver still on it has the old secret until it moves).
 */
export function signingSecrets(hook: Webhook, nowMs: number): { readonly all: readonly string[]; readonly legacy: string } {
  const previous = hook.previousSecret ?? null;
  if (previous === null || (hook.previousUntil ?? 0) <= nowMs) return { all: [hook.secret], legacy: hook.secret };
  return { all: [hook.secret, previous], legacy: previous };
}

const header = (res: PostAnswer, name: string): string | null => {
  const v = res.headers[name];
  return v === undefined ? null : Array.isArray(v) ? (v[0] ?? null) : v;
};

/**
 * A message's words, as #body's key holds them. A LocalizedMessage is never changed once read, and
 * the dispatcher reads one per (message, language, day) for every hook of a drain: its words are
 * joined once, not again at each part's count and POST to each hook.
 */
const words = new WeakMap<LocalizedMessage, string>();
const wordsOf = (m: LocalizedMessage): string => {
  let w = words.get(m);
  if (w === undefined) {
    w = [m.title ?? '', ...m.lines, ...m.fields.flatMap((f) => [f.name, f.value]), m.footer ?? ''].join('\n');
    words.set(m, w);
  }
  return w;
};

/** What a refused body was, as a 413's line names it: a digest (about 160 KB) is refused where an alert is not. */
const INLINE_CHART: Readonly<Record<Outgoing['kind'], string>> = { alert: 'an alert', digest: 'a digest', test: 'a message' };
/** What a refused body carried its chart as: a test says which message it stands for (`webhook test --digest` sends a digest). */
const inlineChart = (o: Outgoing): string =>
  o.kind !== 'test'
    ? INLINE_CHART[o.kind]
    : o.message.data?.sample === 'digest'
      ? 'a digest'
      : o.message.data?.sample !== undefined
        ? 'an alert'
        : INLINE_CHART.test;

/** The first part's id is the message's to this hook; a later part's (Slack, Discord) adds its number: `….2`. */
const deliveryId = (messageKey: string, hookId: string, part: number): string => `${messageKey}.${hookId}${part > 0 ? `.${part + 1}` : ''}`;

/**
 * The receiver has taken a delivery of this hook since the last message it refused for its body:
 * its address and format work, so a 400 or 422 now is about one message. Two refused with nothing
 * taken between is a receiver refusing everything (a new schema, a wrong format, a body limit below
 * every message's): the hook's span. A 413 is one body's on a hook that took nothing yet too (a new
 * hook's first message a digest over Express's 100 KB), unless one was given up so already.
 */
const takesOthers = (hook: Webhook): boolean => hook.lastOkAt != null && hook.lastOkAt > (hook.lastRefused?.at ?? Number.NEGATIVE_INFINITY);

/** A status that may be about one message's body rather than the hook (with takesOthers): 400 or 422. */
const refusesBody = (status: number | null): boolean => status === 400 || status === 422;

/**
 * A message's last try (its outbox.last_error, this notifier's reason: `HTTP 422 (…)`) was a 400 or
 * 422: read from the message's own row, not the hook's last answer, which a `webhook test` or
 * another message may have set since.
 */
const refusedBodyBefore = (lastError: string | null | undefined): boolean => /^HTTP (?:400|422)\b/.test(lastError ?? '');

/**
 * The message a hook keeps failing (its last try's reason `lastError`) is one whose body the
 * receiver refuses, tried again before it alone is given up (`webhook list`'s RETRYING line): its
 * own last try a 400 or 422, from a receiver that takes the hook's others.
 */
export const refusedAlone = (hook: Webhook, lastError: string | null): boolean => refusedBodyBefore(lastError) && takesOthers(hook);

export class WebhookNotifier implements Notifier {
  readonly platform = 'webhook' as const;
  /** A hook has no reader's clock: the ages in its texts count to UTC's day (docs/webhook.md). */
  readonly readerZone = 'UTC';
  /** A receiver that refuses one message's body takes the hook's next ones (see the top). */
  readonly refuser = { by: 'the receiver', keeps: 'next messages' };
  readonly ratePerSecond: number;
  readonly concurrency: number;
  /** WEBHOOK_TIMEOUT_SECONDS: one POST, its retry on a stale kept-alive socket included (post.ts). */
  readonly callTimeoutMs: number;
  readonly retrySpan: RetrySpan;
  readonly #o: WebhookNotifierOptions;
  readonly #now: () => number;
  /** Bodies by message, language and format: built once for all hooks (the json one carries the chart in base64). */
  readonly #bodies = new Map<string, Promise<readonly RequestBody[]>>();
  /** Slack or Discord hooks whose last 2xx came from something else (accepted.ts), said once until one is delivered. */
  readonly #answeredByOther = new Set<string>();

  constructor(options: WebhookNotifierOptions) {
    this.#o = options;
    this.#now = options.now ?? Date.now;
    this.ratePerSecond = options.rate;
    this.callTimeoutMs = options.timeoutMs;
    this.concurrency = options.concurrency ?? 64;
    this.retrySpan = options.retrySpan ?? WEBHOOK_RETRY_SPAN;
  }

  async send(d: Delivery): Promise<SendResult> {
    const hook = await this.#o.store.get(d.chatId);
    if (hook === undefined) return { kind: 'dead', cause: 'removed', reason: 'webhook removed' };
    const o: Outgoing = { kind: d.kind, messageKey: d.messageKey, lang: d.lang, message: d.message, chart: d.chart };
    // A message longer than one Slack or Discord message holds goes as several POSTs, in order.
    // Each part is stored once delivered (partSent) before the next one starts: a retry, or a
    // restart after a crash, resumes at the first part not delivered, so none goes twice or is lost.
    const count = await this.#count(hook, o);
    // A part taken in this send: the receiver answered, so a refusal after it counts its tries anew (as the dispatcher's span does).
    let failingSince = d.failingSince ?? null;
    for (let i = d.fromPart; i < count; i++) {
      const r = await this.post(hook, o, false, i);
      if (!r.ok) return r.body === true ? this.#bodyRefused(hook, d, i, failingSince, r) : this.#result(r);
      if (i < count - 1) await d.partSent(i);
      failingSince = null;
    }
    return { kind: 'sent' };
  }

  /**
   * The receiver refused this message's body (see the top): given up now for a 413 or once it has
   * been tried BODY_REFUSAL_MS (the span's tries at 5 s, 5 min and 30 min) and refused at its try
   * before this one too, the hook kept; else tried again on the span's schedule, its next messages
   * waiting, in order, for those few tries.
   */
  async #bodyRefused(hook: Webhook, d: Delivery, part: number, since: number | null, r: { status: number; error: string }): Promise<SendResult> {
    const now = this.#now();
    // Its first refusal is tried again however long it failed before (a receiver back from an outage,
    // its validation refusing this body): this message's last try was no such refusal. Its own, as
    // its row keeps it: the hook's last answer may be a `webhook test`'s since.
    const first = since === null || !refusedBodyBefore(d.lastError);
    if (r.status !== 413 && (first || now - since < (this.#o.bodyRefusalMs ?? BODY_REFUSAL_MS))) return { kind: 'retry', reason: r.error };
    await this.#o.store.refused(hook.id, { delivery: deliveryId(d.messageKey, hook.id, part), kind: d.kind, error: r.error, at: now });
    return { kind: 'refused', reason: r.error };
  }

  /**
   * `webhook test`: the message as a real one goes, every part in order (a long Slack or Discord
   * message is several POSTs), each a probe (a failure is the hook's last answer, not one of the
   * run that deactivates it). Stops at the first part that fails, as a real send does: the parts
   * after it are not posted. One outcome per part posted, with its time.
   */
  async probe(
    hook: Webhook,
    o: Outgoing,
  ): Promise<{ readonly count: number; readonly parts: readonly ({ readonly ms: number } & Awaited<ReturnType<WebhookNotifier['post']>>)[] }> {
    const count = await this.#count(hook, o);
    const parts = [];
    for (let i = 0; i < count; i++) {
      const t0 = performance.now();
      const r = await this.post(hook, o, true, i);
      parts.push({ ...r, ms: Math.round(performance.now() - t0) });
      if (!r.ok) break;
    }
    return { count, parts };
  }

  /** How many POSTs the message takes to this hook (1 when its bodies cannot be built: the POST says why). */
  async #count(hook: Webhook, o: Outgoing): Promise<number> {
    try {
      return Math.max(1, (await this.#body(hook, o)).length);
    } catch {
      return 1;
    }
  }

  #result(r: { error: string; retryAfterMs?: number; gone?: Refusal }): SendResult {
    // A 429: the receiver is up and said when to come back; not one of the message's attempts, but
    // within the retry span all the same (a receiver answering 429 for good is given up with it).
    if (r.retryAfterMs !== undefined) return { kind: 'retry', afterMs: r.retryAfterMs, reason: r.error, attempt: false };
    // The receiver said no retry can deliver: deactivated now, its messages kept for `webhook test` (gone.ts).
    if (r.gone !== undefined) return { kind: 'dead', cause: 'gone', reason: r.error, refusal: r.gone };
    // Tried again on the span's schedule; the dispatcher gives the hook up at the span's end.
    return { kind: 'retry', reason: r.error };
  }

  /**
   * One POST of a message to a hook, recorded on the hook (its failure run, its last answer).
   * `webhook test` uses it directly (`probe`: a failure is its last answer but no delivery of the
   * run that deactivates the hook; a success ends the run, the receiver works). A 429 is not
   * counted as a failure: the receiver is up and said when to come back.
   */
  async post(
    hook: Webhook,
    o: Outgoing,
    probe = false,
    part = 0,
  ): Promise<
    { ok: true; status: number } | { ok: false; status: number; error: string; failures: number; retryAfterMs?: number; gone?: Refusal; body?: true }
  > {
    const checked = checkHookUrl(hook.url);
    if (!checked.ok) return this.#failed(probe, hook, 0, checked.error);
    let res: PostAnswer;
    let size = 0;
    try {
      const bodies = await this.#body(hook, o);
      const { body, contentType } = bodies[Math.min(part, bodies.length - 1)]!;
      size = Buffer.byteLength(body);
      const delivery = deliveryId(o.messageKey, hook.id, part);
      const nowMs = this.#now();
      // Signed at each attempt, so a retry carries a fresh time (and the same id).
      const ts = Math.floor(nowMs / 1000);
      const secrets = signingSecrets(hook, nowMs);
      const headers: Record<string, string> = {
        'user-agent': 'goldratio-webhook/1',
        'content-type': contentType,
        [EVENT_HEADER]: o.kind,
        [DELIVERY_HEADER]: delivery,
        ...(hook.format === 'json'
          ? {
              [SIGNATURE_HEADER]: signBody(secrets.legacy, body),
              [ID_HEADER]: delivery,
              [TIMESTAMP_HEADER]: String(ts),
              [SIGNATURES_HEADER]: signDelivery(secrets.all, delivery, ts, body),
            }
          : {}),
      };
      res = await post(checked.url, body, headers, this.#o.timeoutMs, { okBody: hook.format !== 'json' });
    } catch (e) {
      const why = e instanceof PostTimeout ? e.message : networkWords(e as NodeJS.ErrnoException);
      return this.#failed(probe, hook, 0, why);
    }
    if (res.status >= 200 && res.status < 300) {
      // A page answering in Slack's or Discord's place (a captive portal's login) is not delivered: retried, said.
      const other = notAccepted(sentFormat(hook), res.status, header(res, 'content-type') ?? undefined, res.okBody);
      if (other !== undefined) {
        // Said once while it lasts (a failing hook is otherwise quiet until given up: `webhook list` has it).
        if (!this.#answeredByOther.has(hook.id)) this.#o.log.warn(`webhook ${hook.id}: ${other}; not delivered, retried`);
        this.#answeredByOther.add(hook.id);
        return this.#failed(probe, hook, res.status, other);
      }
      this.#answeredByOther.delete(hook.id);
      await this.#o.store.succeeded(hook.id, res.status, this.#now());
      return { ok: true, status: res.status };
    }
    if (res.status === 429) {
      const after = retryAfterMs(header(res, 'retry-after'), this.#now());
      const error = 'HTTP 429 Too Many Requests';
      // The last answer `webhook list` shows (an operator asking why nothing arrives), the failure run left as it is.
      const failures = await this.#o.store.noted(hook.id, 429, error, this.#now());
      return { ok: false, status: 429, error, failures, retryAfterMs: after ?? 60_000 };
    }
    if (res.status >= 300 && res.status < 400) {
      const to = header(res, 'location');
      // The target is the receiver's to choose: it may carry credentials or a token, never logged or stored.
      const r = redirected(res.status, to !== null ? shownUrl(to, hook.url) : null);
      const failed = await this.#failed(probe, hook, res.status, r.reason);
      return r.refusal === undefined ? failed : { ...failed, gone: r.refusal };
    }
    if (res.status === 413)
      // A body limit is the receiver's setting (Express's json() takes 100 KB): the operator is told which size to allow.
      return {
        ...(await this.#failed(
          probe,
          hook,
          413,
          `HTTP 413 Payload Too Large: the receiver refused a body of ${Math.ceil(size / 1024)} KB (${inlineChart(o)} carries its chart inline); let it accept 256 KB`,
        )),
        // One body's unless one was given up so with nothing taken since: a limit below every message's (a proxy's
        // 1 KB) refuses them all, and giving each up at once would lose every message, the hook never deactivated.
        ...(hook.lastRefused == null || takesOthers(hook) ? { body: true as const } : {}),
      };
    const gone = goneForGood(sentFormat(hook), res.status, res.body);
    if (gone !== undefined) return { ...(await this.#failed(probe, hook, res.status, gone.reason)), gone: gone.refusal };
    // A refusal's own words name what to fix (Discord's forum channel asks for ?thread_id=, Slack's invalid_blocks).
    const said = refusalSaid(res.body, checked.url, sentFormat(hook));
    const failed = await this.#failed(probe, hook, res.status, `HTTP ${res.status}${said === '' ? '' : ` (${said})`}`);
    return refusesBody(res.status) && takesOthers(hook) ? { ...failed, body: true } : failed;
  }

  #body(hook: Webhook, o: Outgoing): Promise<readonly RequestBody[]> {
    // By its words too: a message retried long after it was decided says its value "then"
    // (alerts/dispatcher.ts), and reads differently on another day (a digest's "(N days ago)",
    // domain/message.ts DaysSince): a retry must not post the body made before.
    const format = sentFormat(hook);
    const key = `${o.messageKey}:${o.lang}:${format}:${o.chart?.filename ?? ''}:${wordsOf(o.message)}`;
    let b = this.#bodies.get(key);
    if (b === undefined) {
      b = requestBodies(format, o);
      this.#bodies.set(key, b);
      if (this.#bodies.size > 16) this.#bodies.delete(this.#bodies.keys().next().value as string);
    }
    return b;
  }

  async #failed(probe: boolean, hook: Webhook, status: number, error: string): Promise<{ ok: false; status: number; error: string; failures: number }> {
    const failures = probe ? await this.#o.store.noted(hook.id, status, error, this.#now()) : await this.#o.store.failed(hook.id, status, error, this.#now());
    this.#o.log.debug('webhook delivery failed', { hook: hook.id, status, error, failures });
    return { ok: false, status, error, failures };
  }
}
