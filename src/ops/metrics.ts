/**
 * The process's Prometheus metrics (prom-client), created once in main.ts and handed to the parts
 * that count things. Names follow Prometheus' guide: `goldratio_` prefix, unit in the name,
 * `_total` on counters. Gauges that describe stored state (close ages, ratios, outbox depth) are
 * computed from the store at scrape time, so they are never stale and cost nothing between scrapes;
 * each within PROBE_BOUND_MS (bound.ts), empty when the store has not answered by then.
 * Default process metrics (event-loop lag, memory, GC) come from collectDefaultMetrics.
 * Without the ops server (HTTP_PORT unset) nobody can read them: main.ts then loads none of this
 * (prom-client's loading was 55-100 ms of such a start, and its default metrics keep an event-loop
 * monitor and a GC observer running) and counts into uncountedMetrics() (no-metrics.ts).
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { PROBE_BOUND_MS } from './bound.ts';
import { NO_ANSWER, within } from '../within.ts';
import { OFF_REASONS, offReason } from './platform-off.ts';

export type SendOutcome = 'sent' | 'retried' | 'dead' | 'moved' | 'failed';
/** ok: answered; failed: handling it failed (the user got an apology: busy, disk full, a bug). */
export type CommandOutcome = 'ok' | 'failed';

/** What the scrape-time gauges read; main.ts builds it from the store. */
export interface MetricSources {
  /** Seconds since the last stored close, per instrument (none when no close yet). */
  closeAgeSeconds(): Promise<readonly { instrument: string; seconds: number }[]>;
  /** The latest ratio per pair. */
  ratios(): Promise<readonly { pair: string; value: number }[]>;
  /** Pending outbox rows per platform. */
  outboxDepth(): Promise<readonly { platform: string; pending: number }[]>;
  /** Whether the quotes are older than their schedule allows (what /freshz answers 503 for). */
  quotesStale?(): Promise<boolean>;
  /** Outgoing webhooks by state: delivering, retrying a message, deactivated (store/webhooks.ts webhookStates). */
  webhookStates?(): Promise<readonly { state: string; hooks: number }[]>;
  /**
   * The chat platforms that receive (Telegram, Discord), each with what its readiness says on
   * /readyz now: undefined when up, else the line why not. Asked of this process, no store read.
   */
  platformStates?(): readonly { platform: string; off: string | undefined }[];
  /**
   * Whether this replica cannot lead now (a standby whose election cannot connect, or whose code is
   * older than the schema: Leadership.cannotLead), or undefined before its leadership is up.
   * Asked of this process, no store read.
   */
  cannotLead?(): boolean | undefined;
}

export interface Metrics {
  /** The Content-Type of scrape()'s text. */
  readonly contentType: string;
  quoteFetch(source: string, instrument: string, ok: boolean): void;
  /** A credit of a keyed source's plan spent: one request sent to Twelve Data or FRED (market/credits.ts). */
  quoteCredit(source: string): void;
  eventsDecided(kind: string, n?: number): void;
  send(platform: string, outcome: SendOutcome, seconds?: number): void;
  /** A 429 from a platform (alert send or command reply). */
  rateLimited(platform: string): void;
  command(platform: string, name: string, seconds: number, outcome?: CommandOutcome): void;
  /** A user's command dropped by the flood limiter. */
  floodDropped(platform: string): void;
  /** A Discord alert or digest in an announcement channel: published to the following servers, or not (logged; the send itself counts as sent). */
  crosspost(outcome: 'published' | 'failed'): void;
  chartRender(seconds: number): void;
  chartCacheHit(): void;
  /** This replica became the leader (true) or stopped leading (false): goldratio_leader, goldratio_leader_changes_total. */
  leader(leading: boolean): void;
  /** Start is waiting for PostgreSQL (true) or has opened it (false): goldratio_database_waiting. */
  databaseWaiting(waiting: boolean): void;
  /** Turns on the scrape-time gauges. */
  watch(sources: MetricSources): void;
  /** Prometheus text format. */
  scrape(): Promise<string>;
}

const SEND_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const COMMAND_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const RENDER_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

export function createMetrics(opts: { defaults?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (opts.defaults !== false) collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const fetched = new Counter({
    name: 'goldratio_quotes_fetched_total',
    help: 'Quote fetches that succeeded, per source and instrument',
    labelNames: ['source', 'instrument'],
    registers,
  });
  const failed = new Counter({
    name: 'goldratio_quotes_failed_total',
    help: 'Quote fetches that failed, per source and instrument',
    labelNames: ['source', 'instrument'],
    registers,
  });
  const credits = new Counter({
    name: 'goldratio_quote_credits_used_total',
    help: "Credits of a keyed quote source's plan spent (a request sent), per source: TWELVEDATA_CREDITS_PER_MINUTE/_PER_DAY, FRED_REQUESTS_PER_MINUTE",
    labelNames: ['source'],
    registers,
  });
  const events = new Counter({
    name: 'goldratio_events_decided_total',
    help: 'Alert events decided (level breaks, approaches, moves), per kind',
    labelNames: ['kind'],
    registers,
  });
  const sends = new Counter({ name: 'goldratio_sends_total', help: 'Alert sends per platform and outcome', labelNames: ['platform', 'outcome'], registers });
  const sendSeconds = new Histogram({
    name: 'goldratio_send_duration_seconds',
    help: 'Time of one alert send',
    labelNames: ['platform'],
    buckets: SEND_BUCKETS,
    registers,
  });
  const limited = new Counter({
    name: 'goldratio_rate_limited_total',
    help: '429 Too Many Requests answers, per platform',
    labelNames: ['platform'],
    registers,
  });
  const commands = new Counter({
    name: 'goldratio_commands_total',
    help: 'Chat commands handled, per platform, command and outcome (ok: answered; failed: it failed and the user got an apology)',
    labelNames: ['platform', 'command', 'outcome'],
    registers,
  });
  const commandSeconds = new Histogram({
    name: 'goldratio_command_duration_seconds',
    help: 'From a command received to its answer sent',
    labelNames: ['platform', 'command'],
    buckets: COMMAND_BUCKETS,
    registers,
  });
  const flood = new Counter({
    name: 'goldratio_flood_dropped_total',
    help: 'Commands dropped because their sender went too fast',
    labelNames: ['platform'],
    registers,
  });
  const renderSeconds = new Histogram({
    name: 'goldratio_chart_render_duration_seconds',
    help: 'Time to render one chart',
    buckets: RENDER_BUCKETS,
    registers,
  });
  const cacheHits = new Counter({
    name: 'goldratio_chart_cache_hits_total',
    help: 'Chart requests answered from the cache (or a render in flight)',
    registers,
  });

  const crossposts = new Counter({
    name: 'goldratio_discord_crossposts_total',
    help: 'Messages in Discord announcement channels published to following servers (outcome: published, failed)',
    labelNames: ['outcome'],
    registers,
  });

  const leader = new Gauge({
    name: 'goldratio_leader',
    help: 'Whether this replica leads (runs the scheduler, the dispatcher and the platforms’ connections): 1 or 0',
    registers,
  });
  const leaderChanges = new Counter({
    name: 'goldratio_leader_changes_total',
    help: 'Times this replica became the leader or stopped leading',
    registers,
  });

  const databaseWaiting = new Gauge({
    name: 'goldratio_database_waiting',
    help: 'Whether start is still waiting for PostgreSQL to answer (1), or has opened it (0); the other goldratio_ gauges are empty meanwhile',
    registers,
  });

  let sources: MetricSources | undefined;
  // What a gauge reads from the store, or undefined: a store that cannot answer (PostgreSQL lost), or
  // not within the bound (a silent network), leaves the gauge empty. A rejection would fail the whole
  // scrape, every series with it (the process's, the sends'), and a scrape that never ends would
  // leave Prometheus nothing either: it would read the target down.
  const read = async <T>(f: (s: MetricSources) => Promise<T> | undefined): Promise<T | undefined> => {
    const asked = sources === undefined ? undefined : f(sources);
    if (asked === undefined) return undefined;
    const got = await within(PROBE_BOUND_MS, asked).catch(() => undefined);
    return got === NO_ANSWER ? undefined : got;
  };
  new Gauge({
    name: 'goldratio_last_close_age_seconds',
    help: 'Seconds since the last stored close, per instrument',
    labelNames: ['instrument'],
    registers,
    async collect() {
      const ages = (await read((s) => s.closeAgeSeconds())) ?? [];
      this.reset();
      for (const r of ages) this.set({ instrument: r.instrument }, r.seconds);
    },
  });
  new Gauge({
    name: 'goldratio_quotes_stale',
    help: 'Whether the quotes are older than their schedule allows (1; /freshz says which) or fresh (0); empty while the store cannot be read',
    registers,
    async collect() {
      this.reset();
      // A store that cannot answer leaves it empty (unknown), not 0: an alert on "== 1" must not read "fresh" then.
      const stale = await read((s) => s.quotesStale?.());
      // reset() leaves a gauge without labels at 0: its one series is removed to be empty.
      if (stale === undefined) this.remove();
      else this.set(stale ? 1 : 0);
    },
  });
  new Gauge({
    name: 'goldratio_pair_ratio',
    help: 'The latest ratio of each pair (SPX/Gold, QQQ/Gold)',
    labelNames: ['pair'],
    registers,
    async collect() {
      const ratios = (await read((s) => s.ratios())) ?? [];
      this.reset();
      for (const r of ratios) this.set({ pair: r.pair }, r.value);
    },
  });
  new Gauge({
    name: 'goldratio_outbox_pending_messages',
    help: 'Alert messages waiting in the outbox, per platform',
    labelNames: ['platform'],
    registers,
    async collect() {
      const depth = (await read((s) => s.outboxDepth())) ?? [];
      this.reset();
      for (const r of depth) this.set({ platform: r.platform }, r.pending);
    },
  });

  new Gauge({
    name: 'goldratio_webhooks',
    help: 'Outgoing webhooks by state: ok, failing (a message being retried, `goldratio webhook list` says since when), deactivated (given up after a day of failures, or refused for good)',
    labelNames: ['state'],
    registers,
    async collect() {
      const states = (await read((s) => s.webhookStates?.())) ?? [];
      this.reset();
      for (const r of states) this.set({ state: r.state }, r.hooks);
    },
  });

  new Gauge({
    name: 'goldratio_platform_up',
    help: 'Whether each chat platform that receives (telegram, discord) is up on this replica (1), or off (0; goldratio_platform_off_reason says why, /readyz in words)',
    labelNames: ['platform'],
    registers,
    collect() {
      this.reset();
      for (const p of sources?.platformStates?.() ?? []) this.set({ platform: p.platform }, p.off === undefined ? 1 : 0);
    },
  });
  new Gauge({
    name: 'goldratio_platform_off_reason',
    help: `Why a chat platform is off on this replica: 1 on the reason that holds (${OFF_REASONS.join(', ')}), 0 on the others; all 0 while it is up`,
    labelNames: ['platform', 'reason'],
    registers,
    collect() {
      this.reset();
      for (const p of sources?.platformStates?.() ?? []) {
        const now = p.off === undefined ? undefined : offReason(p.off);
        for (const reason of OFF_REASONS) this.set({ platform: p.platform, reason }, reason === now ? 1 : 0);
      }
    },
  });

  new Gauge({
    name: 'goldratio_cannot_lead',
    help: 'Whether this replica cannot lead now (1: a standby whose leader election cannot connect, or whose code is older than the schema; /readyz says why), or could (0); empty while start waits for PostgreSQL',
    registers,
    collect() {
      const cannot = sources?.cannotLead?.();
      // Before the leadership is up there is nothing to say: empty, not a 0 that reads "could lead".
      if (cannot === undefined) this.remove();
      else this.set(cannot ? 1 : 0);
    },
  });

  return {
    contentType: registry.contentType,
    quoteFetch: (source, instrument, ok) => (ok ? fetched : failed).inc({ source, instrument }),
    quoteCredit: (source) => credits.inc({ source }),
    eventsDecided: (kind, n = 1) => events.inc({ kind }, n),
    send(platform, outcome, seconds) {
      sends.inc({ platform, outcome });
      if (seconds !== undefined) sendSeconds.observe({ platform }, seconds);
    },
    rateLimited: (platform) => limited.inc({ platform }),
    command(platform, name, seconds, outcome = 'ok') {
      commands.inc({ platform, command: name, outcome });
      commandSeconds.observe({ platform, command: name }, seconds);
    },
    floodDropped: (platform) => flood.inc({ platform }),
    crosspost: (outcome) => crossposts.inc({ outcome }),
    chartRender: (seconds) => renderSeconds.observe(seconds),
    chartCacheHit: () => cacheHits.inc(),
    leader(leading) {
      leader.set(leading ? 1 : 0);
      leaderChanges.inc();
    },
    databaseWaiting: (waiting) => databaseWaiting.set(waiting ? 1 : 0),
    watch(s) {
      sources = s;
    },
    scrape: () => registry.metrics(),
  };
}

/** Seconds since `t0` (from performance.now()). */
export function secondsSince(t0: number): number {
  return (performance.now() - t0) / 1000;
}
