/**
 * Drains the outbox through the notifiers: per platform a paced queue (RateLimiter) with several
 * sends in flight. The one retry policy lives here: a notifier says what the platform answered
 * (sent, retry maybe after N ms, dead, moved); this file decides when to try again (the
 * platform's own delay, else a doubling backoff, capped), when to give up, and it pauses a whole
 * platform on a global 429. Dead chats are deactivated, moved chats followed.
 *
 * Each part of a multi-part send (photo, then text) is recorded in SQLite as it is delivered, and
 * each row is marked sent right after its own send succeeded: after a crash only the parts in
 * flight at that moment (at most `concurrency` per platform) can repeat. A record that meets
 * another process's write lock (SQLITE_BUSY after busy_timeout), or a full disk (SQLITE_FULL), is
 * tried again until it is stored: a delivery that happened is never taken for a failed send, so
 * nothing goes out twice. A record
 * that fails for another reason stops the drain: no new send starts, and the error goes up only
 * once the sends in flight have settled, so none of the batch is still going out when the next
 * drain takes the same claims.
 */
import { linkedSignal } from '../linked-signal.ts';
import { hostname } from 'node:os';
import type { Logger } from '../log.ts';
import type { ChartPlace, ChartRenderer } from '../domain/chart-request.ts';
import { localize, parseMessage, readsDay, type LocalizedMessage, type Text } from '../domain/message.ts';
import { dateInZone } from '../domain/dates.ts';
import type { Platform } from '../domain/platform.ts';
import type { ChartFile, Notifier, Refuser, SendResult } from './notifier.ts';
import type { OutboxRow, OutboxStore } from '../store/outbox.ts';
import { unfollowedSince } from '../domain/watches.ts';
import { NOW_HOLDS_MS, thenTitle } from '../domain/quiet-summary.ts';
import { isBusy, isDiskFull, isUnreachable } from '../store/busy.ts';
import { DatabaseFileGoneError } from '../store/file-identity.ts';
import type { SubscriptionStore } from '../store/subscriptions.ts';
import { RateLimiter } from './rate-limit.ts';
import { RecordWait } from './record-wait.ts';
import { BatchLease } from './batch-lease.ts';
import { AbortFanOut } from '../abort-fan-out.ts';
import type { Metrics } from '../ops/metrics.ts';
import { quietState, type QuietWindow } from '../domain/quiet-hours.ts';
import { stopReason } from '../domain/stop-cause.ts';
import { fmtAgo } from '../domain/i18n/format.ts';
import { placeKey, t } from '../domain/i18n/index.ts';
import { inEveryLang } from '../domain/i18n/langs.ts';
import { sleep } from '../sleep.ts';
import { oneLine } from '../one-line.ts';
import { lateAtEnd, nextTry, type RetrySpan } from '../domain/retry-span.ts';
import { SendHalted } from './send-halted.ts';

/** Quiet hours (store/quiet.ts QuietStore): each chat's window, holding a row, and releasing what waited. */
export interface QuietHours {
  /** The windows of those of these chats that have one (a claimed batch's, at once). */
  windows(subscriptionIds: readonly number[]): Promise<ReadonlyMap<number, QuietWindow>>;
  /** Of these chats, those with alerts held: when the last of them is released (a claimed batch's, at once). */
  heldUntil(subscriptionIds: readonly number[]): Promise<ReadonlyMap<number, number>>;
  /** Holds these pending rows until their windows end, in one transaction. */
  hold(rows: readonly { readonly id: number; readonly until: number }[]): Promise<void>;
  release(platform: Platform, nowMs: number): Promise<{ readonly chats: number; readonly merged: number }>;
}

/** What the dispatcher does to a chat the platform says is gone or moved (store/subscriptions.ts). */
export type ChatFate = Pick<SubscriptionStore, 'chatGone' | 'move'>;

export interface DispatcherOptions {
  readonly notifiers: readonly Notifier[];
  /** Draws each message's chart, once per (message, language) per drain. Without it, text only. */
  readonly charts?: ChartRenderer;
  readonly chartTheme?: 'light' | 'dark';
  /** Sends in flight per platform. Default 8. */
  readonly concurrency?: number;
  /** After this many failed attempts a row is given up (the chat stays subscribed). Default 10. */
  readonly maxAttempts?: number;
  /** How long a message waits out its platform's outage (SendResult `outage`, a global 429) before it is given up. Default OUTAGE_SPAN_MS, a day. */
  readonly outageSpanMs?: number;
  /** First retry delay when the platform gave none; doubles per attempt. Default 5 s. */
  readonly backoffMs?: number;
  /** The backoff's cap. Default 1 h. */
  readonly maxBackoffMs?: number;
  /** A platform-wide pause up to this long is waited out within the drain; longer ones end it. Default 30 s. */
  readonly maxPauseWaitMs?: number;
  readonly now?: () => number;
  readonly log?: Logger;
  /** Counts each send's outcome and time (src/ops/metrics.ts). */
  readonly metrics?: Pick<Metrics, 'send'>;
  /** Wait between tries of a record that met a busy database. Default 250 ms. */
  readonly busyRetryMs?: number;
  /** Wait between tries of a delivery's record while the database cannot be reached. Default 1 s. */
  readonly unreachableRetryMs?: number;
  /** Chats' quiet hours: an alert due inside its chat's window is held, then sent in one summary. */
  readonly quiet?: QuietHours;
  /** This sender's name on the rows it claims (a replica's), one per dispatcher: its own claims it may take again. Default hostname:pid. */
  readonly owner?: string;
  /** How long a claim holds before another sender may take the row (DEFAULT_LEASE_MS). */
  readonly leaseMs?: number;
  /**
   * This is the only sender on the database: claims another sender left (a process that died)
   * are ended at the first drain, so a restart resends at once what was in flight instead of
   * waiting out the lease, and a busy database is drained without claims. Default: what the
   * store says (OutboxStore.soleSender: SQLite yes, PostgreSQL no).
   */
  readonly sole?: boolean;
  /** Rows claimed at a time. Default: about CLAIM_SECONDS of the platform's pace, at most BATCH. */
  readonly claimBatch?: number;
  /**
   * Asked before each batch and each send: false stops the drain there (a replica that has just
   * stopped leading sends nothing more; what it claimed goes back when the batch ends or its lease
   * does). Default: always.
   */
  readonly canSend?: () => boolean;
}

/**
 * A claim's lease: how long a dead sender's rows wait before another sender takes them (two minutes).
 * A live sender does not depend on it being long enough: no fixed lease fits every batch (a webhook
 * may take WEBHOOK_TIMEOUT_SECONDS=120 to answer, a 429's pause comes on top of a slow send, the
 * event loop can stall, OUTBOX_LEASE_SECONDS may be 5), so a sender sharing the outbox extends the
 * lease of its batch's unfinished rows every third of it and starts no send once the lease it
 * knows may have run out (batch-lease.ts). A live sender never loses a row it is sending.
 */
export const DEFAULT_LEASE_MS = 120_000;
/** A chat's own level's id (domain/levels.ts customLevel: `spx-gold-custom-1.8`). */
const CUSTOM_LEVEL_ID = /^(?:spx|qqq)-gold-custom-/;

/** How long a chat's message waits out an outage of its platform (SendResult `outage`) before it is given up: a day. */
export const OUTAGE_SPAN_MS = 24 * 3_600_000;
/** The longest wait between two tries during an outage: the platform back, the bot sees it within this. */
export const OUTAGE_MAX_WAIT_MS = 10 * 60_000;

/**
 * How long a stop waits, past a send's call bound (Notifier.callTimeoutMs), for its outcome's record:
 * a database that answers writes it in milliseconds; one gone silent is not waited for longer.
 */
export const RECORD_GRACE_MS = 2_000;

/** Who refuses one message on a chat platform, and what the chat keeps (Notifier.refuser). */
const CHAT_REFUSER: Refuser = { by: 'the chat', keeps: 'alerts' };
/**
 * A claimed batch is about this many seconds of the platform's pace: sent well within its lease,
 * and what a sender that dies holds back until the lease runs out. The next batch is claimed as
 * soon as a worker finds no lane of this one left, while this one's last sends are still out.
 */
const CLAIM_SECONDS = 4;

export interface DrainResult {
  readonly sent: number;
  readonly retried: number;
  readonly dead: number;
  readonly moved: number;
  readonly failed: number;
  /** Alerts held for a chat's quiet hours (sent later, in one summary). */
  readonly held?: number;
  /** Alerts not sent because their chat unsubscribed, muted or stopped following what they are about after they were queued (stoppedSince). */
  readonly dropped?: number;
}

type Totals = { sent: number; retried: number; dead: number; moved: number; failed: number; held?: number; dropped?: number };

/**
 * Why an alert queued for a chat is no longer for it, or undefined: the chat unsubscribed or muted
 * after the alert was decided (a broadcast to thousands of chats takes minutes, a retried row waits
 * up to the backoff's hour), or stopped following what the alert is about (domain/watches.ts unfollowedSince). Alerts
 * decided during a mute are never queued, and held ones are dropped when their window ends on a
 * muted or stopped chat (store/quiet.ts): a queued one is too. A message a part of which went out is
 * finished; a digest still goes to a chat that only left the alerts, and a correction to a chat that
 * read the alert it corrects (never silence: it must read that it did not hold).
 */
export function stoppedSince(
  row: Pick<OutboxRow, 'kind' | 'partsSent' | 'stopped' | 'mutedUntil' | 'correction' | 'watch'>,
  nowMs: number,
): string | undefined {
  if (row.kind !== 'alert' || row.partsSent > 0 || row.correction) return undefined;
  if (row.stopped) return 'chat unsubscribed before it was sent';
  if (row.mutedUntil !== null && row.mutedUntil > nowMs) return 'chat muted before it was sent';
  return row.watch === null ? undefined : unfollowedSince(row.watch);
}

/** A claimed batch while it is out: what it has not finished, its lease, its records' wait, its lanes not yet done. */
type Batch = { readonly unfinished: Set<number>; readonly claims: BatchLease | undefined; readonly recordUntil: RecordWait; lanes: number };
/** One chat's rows of a batch, sent in order by one worker. */
type Lane = { readonly batch: Batch; readonly rows: OutboxRow[] };
/**
 * A row's message read and its chart drawn, once per (message, language, whole or resumed) per drain: `read(day)` the
 * message in that language on a chat's day (its "(N days ago)", the same for every chat of that
 * day); `readsDay` false when nothing in it depends on the day (every alert today).
 */
type Prepared =
  | {
      readonly read: (day: string | null) => LocalizedMessage;
      readonly readsDay: boolean;
      /** Whether it says its value "then" (an alert sent late): stored with its first part, so the rest says it the same way. */
      readonly saidThen: boolean;
      readonly chart: ChartFile | undefined;
    }
  | { readonly error: string };

/** At most this many rows a claim (4 s at 500/s). At 256, half a second at 500/s, Discord reached only 91% of its limit. */
const BATCH = 2048;
const OUTCOME = { sent: 'sent', retry: 'retried', dead: 'dead', refused: 'failed', moved: 'moved' } as const;

export class Dispatcher {
  readonly #outbox: OutboxStore;
  readonly #subs: ChatFate;
  readonly #notifiers: Map<Platform, { notifier: Notifier; limiter: RateLimiter }>;
  readonly #opts: DispatcherOptions;
  readonly #now: () => number;
  /** Platform → the drain that is sending its rows now. */
  readonly #running = new Map<Platform, Promise<DrainResult>>();
  /** Platform → how to tell its running drain that new rows may be due. */
  readonly #kicks = new Map<Platform, () => void>();
  /** Per distinct window (`23:00-07:00@Asia/Taipei`): quiet or not, its end, and until when the answer holds (quietState). */
  readonly #quietStates = new Map<string, { readonly quiet: boolean; readonly until: number; readonly validUntil: number }>();
  readonly #owner: string;
  readonly #sole: boolean;
  #orphansReleased = false;
  /** The process is stopping: a record waiting for an unreachable database is given up (its claim's lease decides). */
  #abandoned = false;
  /** Aborted by stopTaking: every drain, running or to come, takes no new row. */
  readonly #halt = new AbortController();
  /**
   * Sends on the wire, by row, until their outcome is recorded: when the part being sent started
   * (performance.now(): a real call's time, whatever clock the dispatcher reads) and its call's bound.
   */
  readonly #wire = new Map<number, { since: number; readonly boundMs: number | undefined }>();

  constructor(outbox: OutboxStore, subs: ChatFate, opts: DispatcherOptions) {
    this.#outbox = outbox;
    this.#subs = subs;
    this.#opts = opts;
    this.#now = opts.now ?? Date.now;
    this.#owner = opts.owner ?? `${hostname()}:${process.pid}`;
    this.#sole = opts.sole ?? outbox.soleSender;
    this.#notifiers = new Map(opts.notifiers.map((n) => [n.platform, { notifier: n, limiter: new RateLimiter(n.ratePerSecond, this.#now, n.pause) }]));
  }

  /** Rows waiting to be sent (all platforms). */
  pending(): Promise<number> {
    return this.#outbox.pendingCount();
  }

  /** The delay before try number `attempts + 1` when the platform named none. */
  backoff(attempts: number): number {
    return Math.min((this.#opts.backoffMs ?? 5_000) * 2 ** Math.max(0, attempts - 1), this.#opts.maxBackoffMs ?? 3_600_000);
  }

  /**
   * Sends every row that is due now, then resolves. Rows rescheduled for later wait for the next
   * drain. Calling drain while one runs returns the running one. Abort stops taking new rows;
   * the sends in flight finish and are recorded.
   */
  async drain(signal?: AbortSignal): Promise<DrainResult> {
    const halt = this.#halt.signal;
    // Each platform drains on its own: a platform still busy from an earlier call (a slow webhook
    // receiver) keeps going and this call does not wait for it, so it never holds up the others.
    const idle = [...this.#notifiers.keys()].filter((p) => !this.#running.has(p));
    // A running drain's workers that found nothing due come back for what was enqueued since.
    for (const kick of this.#kicks.values()) kick();
    const others = [...new Set(this.#running.values())];
    if (idle.length === 0) {
      if (others.length === 1) return others[0]!;
      return Promise.all(others).then(() => ({ sent: 0, retried: 0, dead: 0, moved: 0, failed: 0 }));
    }
    // Declared first: the run frees its own platforms, which it finds by comparing with itself.
    let run!: Promise<DrainResult>;
    run = (async (): Promise<DrainResult> => {
      if (this.#sole && !this.#orphansReleased) {
        try {
          const n = await this.#outbox.releaseOthers(this.#owner);
          this.#orphansReleased = true;
          if (n > 0) this.#opts.log?.info(`${n} outbox row(s) claimed by an earlier process are due again`);
        } catch (e) {
          // Busy: a sole sender drains without claims meanwhile (#take), and the next drain tries again.
          if (!isBusy(e)) throw e;
        }
      }
      await this.#releaseQuiet(idle);
      const pending = await this.#outbox.pendingPlatforms();
      const todo = idle.filter((p) => pending.includes(p));
      // Platforms with nothing to send are free again at once: a later drain need not wait for this one.
      for (const p of idle) if (!todo.includes(p) && this.#running.get(p) === run) this.#running.delete(p);
      if (todo.length === 0) {
        if (others.length === 1) return others[0]!;
        await Promise.all(others);
        return { sent: 0, retried: 0, dead: 0, moved: 0, failed: 0 };
      }
      // A platform is free again as soon as its own part of this run is done (everything sent, or
      // nothing it may send: Telegram before its start has said who it is): the next drain() sends
      // its new rows at once, not once the slowest platform of this run (a webhook receiver taking
      // its WEBHOOK_TIMEOUT_SECONDS) has finished.
      const free = (p: Platform) => {
        if (this.#running.get(p) === run) this.#running.delete(p);
      };
      if (signal === undefined) return this.#drain(todo, halt, free);
      // Unlinked after the drain: the halt and the scheduler's signal live as long as the process.
      const until = linkedSignal([signal, halt]);
      try {
        return await this.#drain(todo, until.signal, free);
      } finally {
        until.dispose();
      }
    })().finally(() => {
      for (const p of idle) if (this.#running.get(p) === run) this.#running.delete(p);
    });
    for (const p of idle) this.#running.set(p, run);
    return run;
  }

  /** Held alerts whose window ended become pending again (one summary per chat) before the queues are read. */
  async #releaseQuiet(platforms: readonly Platform[]): Promise<void> {
    const quiet = this.#opts.quiet;
    if (quiet === undefined) return;
    for (const p of platforms) {
      try {
        await quiet.release(p, this.#now());
      } catch (e) {
        if (!isBusy(e)) throw e;
        // Still held, still safe: the next drain releases them.
        this.#opts.log?.warn(`${p}: the database is busy (another process holds its write lock); held alerts are released at the next drain`);
      }
    }
  }

  /**
   * For a process that stops: the records of deliveries still waiting for an unreachable database
   * are given up now instead of at their claim's end (those chats may get the message again from
   * the next sender).
   */
  abandonUnrecorded(): void {
    this.#abandoned = true;
  }

  /**
   * For a process whose stop is running out of time: every drain, running or to come, takes no new
   * row; the sends in flight finish and are recorded. Cut off later, a send already on the wire but
   * not yet recorded would go again from the next start.
   */
  stopTaking(): void {
    this.#halt.abort();
  }

  /**
   * The sends on the wire whose call has a bound (Notifier.callTimeoutMs) and how much longer the
   * last of them may take, its record included (RECORD_GRACE_MS): a stop waits that long for them
   * rather than end the process while one may have reached the platform unrecorded, which the next
   * start would send again. After stopTaking no part starts, so the answer only shrinks.
   */
  onTheWire(): { readonly sends: number; readonly forMs: number } {
    const now = performance.now();
    let sends = 0;
    let until = now;
    for (const w of this.#wire.values()) {
      if (w.boundMs === undefined) continue;
      const end = w.since + w.boundMs + RECORD_GRACE_MS;
      if (end <= now) continue;
      sends += 1;
      until = Math.max(until, end);
    }
    return { sends, forMs: until - now };
  }

  /** Resolves when every drain in progress (every platform's) has finished: for shutdown. */
  async settled(): Promise<void> {
    while (this.#running.size > 0) await Promise.allSettled([...this.#running.values()]);
  }

  async #drain(platforms: readonly Platform[], signal: AbortSignal | undefined, free: (p: Platform) => void): Promise<DrainResult> {
    const totals: Totals = { sent: 0, retried: 0, dead: 0, moved: 0, failed: 0 };
    const prepared = new Map<string, Promise<Prepared>>();
    // Whether a message names the chat as its place would (a chart or note of a chat's own level
    // `spx-gold-custom-1.8`, a move alert's watch), read once per message.
    const places = new Map<OutboxRow['messageId'], boolean>();
    const namesPlace = (row: OutboxRow): boolean => {
      let names = places.get(row.messageId);
      if (names === undefined) {
        const parsed = parseMessage(row.body);
        names =
          parsed.ok &&
          ((parsed.message.chart?.kind === 'alert' && CUSTOM_LEVEL_ID.test(parsed.message.chart.levelId)) ||
            parsed.message.lines.some((l) => placeNamed(l) !== undefined) ||
            placedTitle(parsed.message.title) !== undefined);
        places.set(row.messageId, names);
      }
      return names;
    };
    const prepare = async (row: OutboxRow): Promise<Prepared> => {
      // A chart of a chat's own level labels it as the place's (a Discord channel's, a DM's, a Telegram group's): asked of
      // the platform for such a message only, and prepared apart per place.
      const place = namesPlace(row) ? await this.#notifiers.get(row.platform)?.notifier.chartPlace?.(row.chatId) : undefined;
      // A resumed row reads as its first part began (#prepare: "then" or "now" as that part said), so it
      // is prepared apart from the same message sent whole to another chat in this drain, whose tense is
      // decided by the clock now.
      const key = `${row.messageId}/${row.lang}/${row.partsSent === 0 ? 'whole' : row.partsThen === true ? 'resumed-then' : 'resumed-now'}/${place ?? ''}`;
      let p = prepared.get(key);
      if (p === undefined) {
        p = this.#prepare(row, this.#now(), place);
        prepared.set(key, p);
      }
      return p;
    };
    const quiet = this.#opts.quiet;
    // Each claimed alert whose chat's quiet window holds now, with that window's end, looked up
    // for the whole batch at once. Digests are not held: their hour is the chat's own choice.
    // An alert for a chat with alerts still held waits with them, whatever the clock says now: a
    // chat's alerts arrive in order. (The wall clock may leave the window and come back into it:
    // 01:30-02:30 New York is left at 02:00 EDT, the clock going back to 01:00 EST, while what was
    // held from 01:30 EDT waits for 02:30 EST.)
    const holdUntil = async (due: readonly OutboxRow[]): Promise<Map<number, number>> => {
      const until = new Map<number, number>();
      if (quiet === undefined) return until;
      const alerts = due.filter((row) => row.kind === 'alert');
      if (alerts.length === 0) return until;
      const chats = alerts.map((row) => row.subscriptionId);
      const [windows, waiting] = await Promise.all([quiet.windows(chats), quiet.heldUntil(chats)]);
      for (const row of alerts) {
        const w = windows.get(row.subscriptionId);
        const ends = [w === undefined ? undefined : this.#quietUntil(w), waiting.get(row.subscriptionId)].filter((t) => t !== undefined);
        if (ends.length > 0) until.set(row.id, Math.max(...ends));
      }
      return until;
    };
    // Every send waiting for its slot listens for the drain's end through this one listener.
    const fan = new AbortFanOut(signal);
    try {
      await Promise.all(platforms.map((p) => this.#drainPlatform(p, prepare, holdUntil, totals, fan, signal).finally(() => free(p))));
    } finally {
      fan.close();
    }
    if (totals.sent + totals.retried + totals.dead + totals.moved + totals.failed + (totals.held ?? 0) + (totals.dropped ?? 0) > 0) {
      this.#opts.log?.info('outbox drained', { ...totals });
    }
    return totals;
  }

  async #drainPlatform(
    platform: Platform,
    prepare: (row: OutboxRow) => Promise<Prepared>,
    holdUntil: (due: readonly OutboxRow[]) => Promise<Map<number, number>>,
    totals: Totals,
    fan: AbortFanOut,
    signal?: AbortSignal,
  ): Promise<void> {
    const { notifier, limiter } = this.#notifiers.get(platform)!;
    // A platform that must not be sent to (Notifier.off) keeps its rows, untried.
    if (notifier.off?.() !== undefined) return;
    const concurrency = Math.max(1, notifier.concurrency ?? this.#opts.concurrency ?? 8);
    const maxPause = this.#opts.maxPauseWaitMs ?? 30_000;
    let stop = false;
    const movedOnce = new Set<number>();
    const lease = { owner: this.#owner, leaseMs: this.#opts.leaseMs ?? DEFAULT_LEASE_MS };
    const batch = Math.max(1, this.#opts.claimBatch ?? Math.min(BATCH, Math.max(concurrency, Math.ceil(notifier.ratePerSecond * CLAIM_SECONDS))));
    const canSend = this.#opts.canSend ?? (() => true);
    const going = () => !stop && !signal?.aborted && canSend();
    // The claimed batches still out. A worker that finds no lane left claims the next batch while
    // the others' sends are still in flight, so one slow send (a webhook receiver taking its
    // WEBHOOK_TIMEOUT_SECONDS, a hanging request) holds its own chat back, never every other chat's
    // next message. A batch stays open (and its rows out of every later claim) until the last of
    // its lanes is done and its unsent rows are released.
    const open = new Set<Batch>();
    const lanes: Lane[] = [];
    /** The claim in progress, shared by the workers waiting for lanes: whether it brought any. */
    let claiming: Promise<boolean> | undefined;
    /** The last claim found nothing due, and nothing finished since that could change it. */
    let dry = false;
    /** drain() calls while this one runs (the kick below): a claim that ran before the last of them may have missed rows. */
    let kicked = 0;
    const claimNext = async (): Promise<boolean> => {
      if (!going()) return false;
      const claimedAt = this.#now();
      const kickedBefore = kicked;
      // What this sender still holds from earlier batches is not taken again (and holds its chats' later rows).
      const except = [...open].flatMap((b) => [...b.unfinished]);
      const due = await this.#take(platform, batch, lease, except);
      if (due === undefined || due.length === 0) {
        // A drain() asked while this claim was out (its rows enqueued after the claim read the queue,
        // or before its answer came back) finds this worker on its way to stop: it claims again for
        // them, or they would wait for the next scheduled drain. Not after a failed claim (undefined).
        if (due !== undefined && kicked !== kickedBefore) return claimNext();
        dry = true;
        return false;
      }
      // Claimed rows this batch has not recorded an outcome for: their claims end with the batch.
      const unfinished = new Set(due.map((r) => r.id));
      // Shared with other senders: the lease of what is not finished is extended while the batch is
      // out, and a send starts only while it holds (batch-lease.ts). A sole sender has nobody to
      // lose a row to (and may have read its rows unclaimed, the database busy).
      const claims = this.#sole
        ? undefined
        : new BatchLease({ platform, outbox: this.#outbox, ...lease, claimedAt, unfinished, now: this.#now, log: this.#opts.log });
      // A delivery's record that meets an unreachable database is tried again until the claim ends:
      // before then no other sender takes the row, so once it is written nobody sends it again.
      const leaseEnd = claims === undefined ? () => claimedAt + lease.leaseMs : () => claims.end;
      const b: Batch = { unfinished, claims, recordUntil: new RecordWait(platform, leaseEnd, () => (stop = true), this.#opts.log, this.#now), lanes: 0 };
      open.add(b);
      // Alerts for chats in their quiet hours leave the queue first, in one write.
      const held: { id: number; until: number }[] = [];
      const queue: OutboxRow[] = [];
      const holding = await holdUntil(due);
      for (const row of due) {
        const until = holding.get(row.id);
        if (until !== undefined) held.push({ id: row.id, until });
        else queue.push(row);
      }
      if (held.length > 0) {
        try {
          for (const h of held) claims?.finishing(h.id);
          await this.#opts.quiet?.hold(held);
          for (const h of held) unfinished.delete(h.id);
          await this.#outbox.release(
            held.map((h) => h.id),
            lease.owner,
          );
          totals.held = (totals.held ?? 0) + held.length;
        } catch (e) {
          if (!isBusy(e)) throw e;
          // Not held yet, so they stay pending and come back in the next batch: this drain sends
          // the rest of the batch and stops, and the next drain holds them (never sends them now).
          this.#opts.log?.warn(
            `${platform}: the database is busy (another process holds its write lock); ${held.length} quiet-hours alerts are held at the next drain`,
          );
          stop = true;
        }
      }
      // One chat's rows go one after another, in queue order (its alerts in the order of their dates:
      // a catch-up queues them so), while the workers send to different chats side by side. A row that
      // is not sent (a retry, a pause) holds the chat's later rows back: released with the batch, and
      // claimed only once it is out of the way (store/outbox-claims.ts).
      const byChat = new Map<string, OutboxRow[]>();
      for (const row of queue) {
        const lane = byChat.get(row.chatId);
        if (lane === undefined) byChat.set(row.chatId, [row]);
        else lane.push(row);
      }
      for (const rows of byChat.values()) lanes.push({ batch: b, rows: rows.sort((x, y) => x.id - y.id) });
      b.lanes = byChat.size;
      if (b.lanes === 0) await close(b);
      return true;
    };
    /** The batch's last lane is done: what it did not send is released, and only then may a claim take it. */
    const close = async (b: Batch): Promise<void> => {
      // Its extensions end first: a renewal and the release updating the same rows at once, on two
      // PostgreSQL connections, would each wait for the other's row locks.
      await b.claims?.stop();
      try {
        if (b.unfinished.size > 0) {
          try {
            // Only what is still this sender's: a row another sender took keeps its claim.
            await this.#outbox.release([...b.unfinished], lease.owner);
          } catch (e) {
            // Busy: the claims stay, and run out by themselves; this sender takes its own again at once.
            if (!isBusy(e)) throw e;
          }
        }
      } finally {
        open.delete(b);
        // Rows it released, or retried meanwhile, may be due: the next worker without a lane looks.
        dry = false;
      }
    };
    /** Sends a chat's rows in order; false when one was not sent and the rest wait. */
    const sendLane = async ({ batch: b, rows: lane }: Lane, waitSignal: AbortSignal | undefined): Promise<boolean> => {
      const { unfinished, claims, recordUntil } = b;
      for (const row of lane) {
        if (stop || signal?.aborted) return false;
        const stopped = stoppedSince(row, this.#now());
        if (stopped !== undefined && claims?.lost(row.id) !== true) {
          claims?.finishing(row.id);
          await this.#stored(row, () => this.#outbox.markDead(row.id, stopped), recordUntil, false);
          unfinished.delete(row.id);
          totals.dropped = (totals.dropped ?? 0) + 1;
          continue;
        }
        // A slot in the pace; a global pause that comes while this row waits or is prepared
        // holds it too, so no send starts during a 429's retry_after.
        let p: Prepared | undefined;
        for (;;) {
          if (!(await limiter.take(waitSignal, maxPause))) {
            p = undefined;
            break;
          }
          const pauses = limiter.pauses;
          p = await prepare(row);
          if (limiter.pauses === pauses) break;
        }
        if (!canSend()) {
          stop = true;
          break;
        }
        // Taken by another sender once the lease ran out: its chat's later rows wait for that send.
        if (claims?.lost(row.id) === true) return false;
        // The lease may have run out (an event loop stalled, the database unreachable to extend
        // it): another sender may take the row at any moment, so this batch stops here.
        if (claims !== undefined && !claims.allows(row.id)) {
          stop = true;
          break;
        }
        if (p === undefined || signal?.aborted) {
          // Paused for long (a global 429): this row and the rest wait for a later drain.
          if (limiter.pausedUntil > this.#now()) {
            claims?.finishing(row.id);
            await this.#outbox.defer(row.id, limiter.pausedUntil, 'platform paused');
            unfinished.delete(row.id);
          }
          stop = true;
          break;
        }
        if ('error' in p) {
          claims?.finishing(row.id);
          await this.#stored(row, () => this.#outbox.markDead(row.id, p.error), recordUntil, false);
          unfinished.delete(row.id);
          this.#opts.log?.error(`outbox row ${row.id} cannot be sent: ${p.error}`);
          totals.failed++;
          continue;
        }
        // The chat's day, which the message's ages count to: a message resumed after a part went out
        // keeps the day of its first part, so it goes on with the same words however late the rest goes.
        const day = p.readsDay ? (row.partsDay ?? dateInZone(new Date(this.#now()), notifier.readerZone ?? row.zone)) : null;
        const message = p.read(day);
        let result: SendResult;
        const t0 = performance.now();
        // What partSent could not store yet (the database busy): stored before the outcome.
        let unstoredParts: number | undefined;
        // A part went out in this send: the platform answered, so a failure after it starts a failing spell of its own.
        let delivered = false;
        // The process stopped taking after a part went out: the rest goes from the next start.
        let halted = false;
        recordUntil.sending(row.id);
        const wire = { since: performance.now(), boundMs: notifier.callTimeoutMs };
        this.#wire.set(row.id, wire);
        try {
          try {
            result = await notifier.send({
              kind: row.kind,
              chatId: row.chatId,
              lang: row.lang,
              message,
              chart: p.chart,
              messageKey: String(row.messageId),
              mention: message.mention ? row.mention : null,
              threadId: row.threadId,
              fromPart: row.partsSent,
              failingSince: row.failingSince,
              lastError: row.lastError,
              partSent: async (index) => {
                delivered = true;
                try {
                  await this.#outbox.markPartsSent(row.id, index + 1, row.lang, { day, saidThen: p.saidThen });
                  unstoredParts = undefined;
                } catch (e) {
                  if (!isBusy(e) && !isDiskFull(e)) throw e;
                  // The part is out: carry on, and store it below, however long that takes.
                  if (unstoredParts === undefined) {
                    if (isDiskFull(e)) recordUntil.full(row.id);
                    else recordUntil.busy(row.id);
                  }
                  unstoredParts = index + 1;
                }
                // A stop running out of time: no new part starts (each part's call is what a stop waits for).
                if (this.#halt.signal.aborted) {
                  halted = true;
                  throw new SendHalted();
                }
                wire.since = performance.now();
              },
            });
          } catch (e) {
            if (!halted) this.#opts.log?.error(`${platform} send to ${row.chatId} threw`, { error: String(e) });
            result = { kind: 'retry', reason: e instanceof Error ? e.message : String(e) };
          }
          if (unstoredParts !== undefined) {
            const parts = unstoredParts;
            await this.#stored(row, () => this.#outbox.markPartsSent(row.id, parts, row.lang, { day, saidThen: p.saidThen }), recordUntil, true);
          }
          if (halted) {
            // Its delivered parts are stored; the row stays unfinished, so the batch's end releases
            // its claim and the next start sends the rest, from the first part not delivered.
            recordUntil.settled(row.id);
            return false;
          }
          const recorded = delivered ? { ...row, failingSince: null } : row;
          // A moved row's record keeps its claim (a second move's reschedule ends it): finishing either way.
          claims?.finishing(row.id);
          await this.#stored(row, () => this.#record(recorded, result, limiter, totals, movedOnce), recordUntil, result.kind === 'sent');
          recordUntil.settled(row.id);
        } finally {
          this.#wire.delete(row.id);
        }
        // A moved row stays due for the new chat: its claim ends with the batch, so the next one takes it.
        if (result.kind !== 'moved') unfinished.delete(row.id);
        this.#opts.metrics?.send(platform, OUTCOME[result.kind], (performance.now() - t0) / 1000);
        // A row the chat refused alone is done with: the chat's next rows go on.
        if (result.kind !== 'sent' && result.kind !== 'refused') return false;
      }
      return true;
    };
    let failed = false;
    const workers = new Set<Promise<void>>();
    const worker = async () => {
      const own = fan.child();
      try {
        while (going()) {
          const lane = lanes.shift();
          if (lane === undefined) {
            if (claiming === undefined) {
              if (dry) break;
              claiming = claimNext().finally(() => (claiming = undefined));
            }
            if (!(await claiming)) break;
            continue;
          }
          try {
            await sendLane(lane, own.signal);
          } finally {
            // After a failure the batch stays open: its claims are left as they are (below).
            if (--lane.batch.lanes === 0 && !failed) await close(lane.batch);
          }
        }
      } catch (e) {
        // The others take no new row: this drain must not end while they still send, because the
        // next one may take this batch's claims again (they are this sender's own).
        stop = true;
        failed = true;
        throw e;
      } finally {
        own.done();
      }
    };
    const start = (n: number) => {
      for (let i = 0; i < n; i++) {
        const w = worker();
        workers.add(w);
        void w.then(
          () => workers.delete(w),
          () => workers.delete(w),
        );
      }
    };
    // drain() while this one runs (new rows enqueued): the workers that ran dry come back for them.
    this.#kicks.set(platform, () => {
      kicked += 1;
      dry = false;
      if (going()) start(concurrency - workers.size);
    });
    start(concurrency);
    const errors: unknown[] = [];
    try {
      // Every worker settles before an error goes up: no send of this batch outlives the drain.
      while (workers.size > 0) for (const r of await Promise.allSettled([...workers])) if (r.status === 'rejected') errors.push(r.reason);
    } finally {
      this.#kicks.delete(platform);
      // Batches a stop or a failure left open: no more extensions. After a failure their claims stay
      // (this sender's own, taken again at the next drain); after a stop their unsent rows go back.
      for (const b of [...open]) {
        if (errors.length === 0) await close(b);
        else await b.claims?.stop();
      }
    }
    if (errors.length > 0) throw errors[0];
  }

  /**
   * The next batch, claimed. A claim is a write: when another process holds SQLite's write lock
   * (an import, a backup), a sole sender's store reads the due rows instead (OutboxStore.claim);
   * another sender leaves them to the next drain (undefined).
   */
  async #take(platform: Platform, batch: number, lease: { owner: string; leaseMs: number }, except: readonly number[]): Promise<OutboxRow[] | undefined> {
    try {
      return await this.#outbox.claim(platform, this.#now(), batch, lease, except);
    } catch (e) {
      // The database file deleted or replaced under the bot: nothing is sent until a restart (said
      // once as an error, and by /readyz, store/file-identity.ts), each drain meanwhile a quiet no-op.
      if (e instanceof DatabaseFileGoneError) return undefined;
      if (!isBusy(e)) throw e;
      this.#opts.log?.warn(`${platform}: the database is busy (another process holds its write lock); the outbox is drained at the next drain`);
      return undefined;
    }
  }

  /**
   * Runs `write` until SQLite takes it: another process holding the write lock longer than
   * busy_timeout (an import, a backup, a sqlite3 shell) delays the record, it does not lose it. A
   * delivery's record (`waitsForServer`) also waits for an unreachable server, within the claim.
   */
  async #stored(row: OutboxRow, write: () => void | Promise<void>, wait: RecordWait, waitsForServer: boolean): Promise<void> {
    let down = false;
    let busy = false;
    for (;;) {
      try {
        await write();
        // Said once for the batch, when every delivery its first line named is written (record-wait.ts).
        if (down || busy) wait.written(row.id);
        return;
      } catch (e) {
        if (waitsForServer && isUnreachable(e) && !this.#abandoned && this.#now() < wait.until) {
          // Delivered, not yet recorded: no new send starts, and this record waits for the server.
          wait.unreachable(row.id, oneLine(e));
          down = true;
          await sleep(this.#opts.unreachableRetryMs ?? 1000);
          continue;
        }
        // A full disk: what was delivered waits for room (a sole sender: however long that takes, no
        // other sender can take the row; a shared one: within its claim), rather than being sent again
        // once the disk is freed. No new send starts meanwhile: none could be recorded.
        if (waitsForServer && isDiskFull(e) && !this.#abandoned && (this.#sole || this.#now() < wait.until)) {
          wait.full(row.id);
          down = true;
          await sleep(this.#opts.unreachableRetryMs ?? 1000);
          continue;
        }
        if (!isBusy(e)) throw e;
        busy = true;
        wait.busy(row.id);
        await sleep(this.#opts.busyRetryMs ?? 250);
      }
    }
  }

  /** The end of the window when it holds now, else undefined; asked once per distinct window while the answer lasts. */
  #quietUntil(w: QuietWindow): number | undefined {
    const now = this.#now();
    const key = `${w.start}-${w.end}@${w.zone}`;
    let s = this.#quietStates.get(key);
    // Kept until an instant, not a wall-clock time: in a repeated hour a kept answer must still be what a fresh look says.
    if (s === undefined || now >= s.validUntil) {
      if (this.#quietStates.size > 10_000) this.#quietStates.clear();
      s = quietState(now, w);
      this.#quietStates.set(key, s);
    }
    return s.quiet ? s.until : undefined;
  }

  /** Records one send's outcome: the one place that decides retries. */
  async #record(row: OutboxRow, result: SendResult, limiter: RateLimiter, totals: Totals, movedOnce: Set<number>): Promise<void> {
    const now = this.#now();
    switch (result.kind) {
      case 'sent':
        await this.#outbox.markSent(row.id, now);
        totals.sent++;
        return;
      case 'retry': {
        const span = this.#notifiers.get(row.platform)?.notifier.retrySpan;
        if (span !== undefined) return this.#spanRetry(row, result, span, now, totals);
        if (result.attempt === false) {
          // A wait the platform set (a bot timed out in a Discord server for up to 28 days, a refusal
          // waited out): no attempt spent, but not for ever. Once it has waited OUTAGE_SPAN_MS since its
          // first such answer it is given up, the chat kept, as an outage's message is: an alert weeks
          // late would tell of a market long gone.
          const span = this.#opts.outageSpanMs ?? OUTAGE_SPAN_MS;
          if (row.failingSince !== null && now - row.failingSince >= span) {
            const hours = Math.round((now - row.failingSince) / 3_600_000);
            await this.#outbox.markDead(row.id, `gave up after waiting ${hours} h: ${result.reason}`);
            this.#opts.log?.warn(`${row.platform} chat ${row.chatId}: gave up on message ${row.messageId} after waiting ${hours} h`, { reason: result.reason });
            totals.failed++;
            return;
          }
          const wait = Math.min(Math.max(result.afterMs ?? 0, this.backoff(1)), this.#opts.maxBackoffMs ?? 3_600_000);
          await this.#outbox.failedTry(row.id, now + wait, result.reason, now, false);
          totals.retried++;
          return;
        }
        if (result.outage === true || result.global === true) return this.#outageRetry(row, result, limiter, now, totals);
        const attempts = row.attempts + 1;
        if (attempts >= (this.#opts.maxAttempts ?? 10)) {
          await this.#outbox.markDead(row.id, `gave up after ${attempts} attempts: ${result.reason}`);
          this.#opts.log?.warn(`${row.platform} chat ${row.chatId}: gave up on message ${row.messageId}`, { reason: result.reason });
          totals.failed++;
          return;
        }
        // For one chat, never sooner than the backoff.
        const wait = Math.max(result.afterMs ?? 0, this.backoff(attempts));
        await this.#outbox.reschedule(row.id, now + wait, result.reason);
        totals.retried++;
        return;
      }
      case 'dead':
        await this.#outbox.markDead(row.id, result.reason, result.refusal !== undefined);
        await this.#subs.chatGone(row.platform, row.chatId, stopReason(result.cause, result.reason), result.refusal ?? null);
        this.#opts.log?.info(`${row.platform} chat ${row.chatId} deactivated: ${result.reason}`);
        totals.dead++;
        return;
      case 'refused': {
        // Said as the platform names who refused (a webhook's receiver, which takes the hook's next messages).
        const { by, keeps } = this.#notifiers.get(row.platform)?.notifier.refuser ?? CHAT_REFUSER;
        await this.#outbox.markDead(row.id, `refused by ${by}: ${result.reason}`);
        // One line with the refusal's words: the operator reading the log learns which message and why.
        this.#opts.log?.warn(
          `${row.platform} chat ${row.chatId}: message ${row.messageId} (${row.kind}) given up, refused by ${by}, which keeps its ${keeps}: ${result.reason}`,
          { reason: result.reason },
        );
        totals.failed++;
        return;
      }
      case 'moved':
        // The row moves with the subscription and stays due: the next batch sends it to the new
        // chat. A second move of the same row in one drain waits (a platform bouncing chats).
        await this.#subs.move(row.platform, row.chatId, result.newChatId);
        if (movedOnce.has(row.id)) await this.#outbox.reschedule(row.id, now + this.backoff(1), 'moved twice');
        movedOnce.add(row.id);
        totals.moved++;
        return;
    }
  }

  /**
   * A failed try that was the platform's or the network's, not the chat's (an outage, a global
   * 429): no attempt spent, so a long outage does not give up every queued message after the ten
   * attempts' 43 minutes. Tried again after the platform's own wait, else a wait as long as it has
   * been failing (5 s, 5 s, 10 s, 20 s … doubling) capped at OUTAGE_MAX_WAIT_MS, so the bot sees
   * the platform back within minutes; given up once it has failed for OUTAGE_SPAN_MS, the chat kept
   * (but for a try that came more than OUTAGE_MAX_WAIT_MS late, after a stop: one more try then).
   * A global 429 pauses the platform's whole queue (in the limiter, which outlives the drain).
   */
  async #outageRetry(row: OutboxRow, result: Extract<SendResult, { kind: 'retry' }>, limiter: RateLimiter, now: number, totals: Totals): Promise<void> {
    const since = row.failingSince ?? now;
    const failing = now - since;
    const end = since + (this.#opts.outageSpanMs ?? OUTAGE_SPAN_MS);
    const over = now >= end;
    // A try that came much later than it was due ends nothing, once, as a webhook's span (retry-span.ts lateAtEnd).
    if (over && !lateAtEnd(end, now, row.dueAt, OUTAGE_MAX_WAIT_MS)) {
      const reason = `gave up: the platform failed for ${fmtAgo(failing, 'en')} since ${new Date(since).toISOString()}; last: ${result.reason}`;
      await this.#outbox.markDead(row.id, reason);
      this.#opts.log?.warn(`${row.platform} chat ${row.chatId}: gave up on message ${row.messageId}`, { reason });
      totals.failed++;
      return;
    }
    // Within the day, never past its end: only the one more try is due after it.
    const wait = result.afterMs ?? (over ? OUTAGE_MAX_WAIT_MS : Math.min(Math.max(failing, this.backoff(1)), OUTAGE_MAX_WAIT_MS, end - now));
    await this.#outbox.failedTry(row.id, now + wait, result.reason, since, false);
    if (result.global === true) limiter.pauseUntil(now + wait);
    totals.retried++;
  }

  /**
   * A failed try on a platform whose retries span a time (webhooks): the next of its moments after
   * the row's first failure, or the receiver's own wait (a 429), counted in the same span; a failure
   * at the span's end gives the message up and deactivates the chat, whose later messages waited
   * behind it all along (a chat's rows go in order) and go with it.
   */
  async #spanRetry(row: OutboxRow, result: Extract<SendResult, { kind: 'retry' }>, span: RetrySpan, now: number, totals: Totals): Promise<void> {
    const since = row.failingSince ?? now;
    const next = nextTry(span, since, now, result.afterMs, row.dueAt);
    if (!next.giveUp) {
      await this.#outbox.failedTry(row.id, next.at, result.reason, since, result.attempt !== false);
      totals.retried++;
      return;
    }
    const reason = `failing for ${fmtAgo(next.failingMs, 'en')} since ${new Date(since).toISOString()}; last: ${result.reason}`;
    await this.#outbox.markDead(row.id, `gave up: ${reason}`);
    await this.#subs.chatGone(row.platform, row.chatId, stopReason('gone', reason));
    this.#opts.log?.warn(`${row.platform} chat ${row.chatId} deactivated: ${reason}`);
    totals.dead++;
  }

  async #prepare(row: OutboxRow, now: number, place?: ChartPlace): Promise<Prepared> {
    const parsed = parseMessage(row.body);
    if (!parsed.ok) return { error: parsed.error };
    // An alert that reaches the chat long after it was decided (held alone through quiet hours, a
    // platform down, retried) says its value then, not "now" (domain/quiet-summary.ts thenTitle);
    // one a part of which went out goes on as that part began (outbox.parts_then), so it speaks in
    // one tense and its parts split as they did ("then" and "now" differ in length: a line moved).
    // A row whose parts went out before that was recorded (null) goes on saying "now", as it did.
    const late = row.partsSent === 0 ? now - row.decidedAt > NOW_HOLDS_MS : row.partsThen === true;
    const stale = row.kind === 'alert' && parsed.message.title !== undefined && late;
    const m0 = stale ? { ...parsed.message, title: thenTitle(parsed.message.title!) } : parsed.message;
    // The chat named as its place names it (This channel's level, This channel's move alert), as its chart's label does.
    // A quiet-hours summary in a group or channel says what was held for the place, not "while you were away".
    const m =
      place === undefined
        ? m0
        : {
            ...m0,
            lines: m0.lines.map((l) => placeNamed(l, place) ?? l),
            ...(m0.title !== undefined ? { title: placedTitle(m0.title, place) ?? m0.title } : {}),
          };
    const byDay = new Map<string | null, LocalizedMessage>();
    const read = (day: string | null): LocalizedMessage => {
      let l = byDay.get(day);
      if (l === undefined) {
        l = localize(m, row.lang, day === null ? {} : { today: day });
        byDay.set(day, l);
      }
      return l;
    };
    let chart: ChartFile | undefined;
    if (m.chart !== undefined && this.#opts.charts !== undefined) {
      try {
        const request = place !== undefined && m.chart.kind === 'alert' ? { ...m.chart, place } : m.chart;
        const c = await this.#opts.charts.render(request, { lang: row.lang, ...(this.#opts.chartTheme ? { theme: this.#opts.chartTheme } : {}) });
        chart = { png: c.png, filename: c.filename };
      } catch (e) {
        // A chart is a nice-to-have: the message goes out as text.
        this.#opts.log?.warn(`chart for message ${row.messageId} failed; sending text only`, { error: String(e) });
      }
    }
    return { read, readsDay: readsDay(m), saidThen: stale, chart };
  }
}

/**
 * Sends in flight per platform for these notifiers: about rate × round trip (~100 ms), or a fast
 * pace cannot be reached; at least 8. The console's pace (it protects nothing) does not count.
 */
export function sendConcurrency(notifiers: readonly Notifier[]): number {
  return Math.max(8, Math.ceil(Math.max(0, ...notifiers.filter((n) => n.platform !== 'console').map((n) => n.ratePerSecond)) * 0.1));
}

/**
 * A line that names the chat, as the place names it (`<key>.channel`, `<key>.dm`): a move alert's
 * watch (a key line, domain/move-message.ts) and a chat's own level's note (its text in every
 * language, domain/levels.ts). Without `place`: whether the line is one; undefined for any other.
 */
function placeNamed(l: Text, place?: ChartPlace): Text | undefined {
  if (typeof l !== 'object') return undefined;
  if ('key' in l && l.key === MOVE_WATCH) return place === undefined ? l : { ...l, key: `${MOVE_WATCH}.${place}` };
  if ('en' in l && l.en === t('en', OWN_LEVEL_NOTE)) return place === undefined ? l : inEveryLang((lang) => t(lang, `${OWN_LEVEL_NOTE}.${place}`));
  return undefined;
}
/**
 * A title read apart per place (the quiet-hours summary's, at the window's end or at /quiet off), as
 * `placeNamed` reads a line; undefined for any other.
 */
function placedTitle(title: Text | undefined, place?: ChartPlace): Text | undefined {
  if (typeof title !== 'object' || !('key' in title) || typeof title.key !== 'string' || !QUIET_SUMMARY_TITLES.has(title.key)) return undefined;
  return place === undefined ? title : { ...title, key: placeKey(title.key, place) };
}
const QUIET_SUMMARY_TITLES: ReadonlySet<string> = new Set(['quiet.summary.title', 'quiet.summary.title.off']);
const MOVE_WATCH = 'move.alert.watch';
const OWN_LEVEL_NOTE = 'level.note.custom';
