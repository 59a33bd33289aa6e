/**
 * The one contract between the composition root and a platform. main.ts knows nothing of any
 * platform: it walks PLATFORM_ADAPTERS (platforms/index.ts), asks each whether the config turns it
 * on, creates the enabled ones with the same PlatformDeps, hands their notifiers to the
 * dispatcher, registers their readiness, starts them behind the running bot and stops them in the
 * reverse order. A new platform is one entry in that list and its own folder (and its name in
 * domain/platform.ts, which the stores and the outbox speak).
 *
 * A platform without commands (an outgoing webhook) is just a notifier: its start resolves
 * `started` at once, stop does nothing, and it has no readiness of its own.
 */
import type { Notifier } from '../alerts/notifier.ts';
import type { ChatDeps } from '../chat/context.ts';
import type { FloodLimiter } from '../chat/flood-limit.ts';
import type { Config } from '../config.ts';
import type { ChartRenderer } from '../domain/chart-request.ts';
import type { Platform } from '../domain/platform.ts';
import type { Logger } from '../log.ts';
import type { Metrics } from '../ops/metrics.ts';
import type { MetaStore } from '../store/meta.ts';
import type { SharedUploads } from '../alerts/upload-once.ts';
import type { StartupResult } from './startup.ts';
import type { TokenBell } from './token-bell.ts';
import { offReason } from '../ops/platform-off.ts';

/** Whether the config turns a platform on; when off, what to tell the operator (nothing when they never asked for it). */
export type Enablement = { readonly on: true } | { readonly on: false; readonly note?: { readonly level: 'info' | 'warn'; readonly text: string } };

/** What every platform is built from: the same for all, nothing platform-specific. */
export interface PlatformDeps {
  readonly config: Config;
  /** What chat/ commands run against. */
  readonly chat: ChatDeps;
  /** Draws (and caches) the charts replies ask for. */
  readonly charts: ChartRenderer;
  /** The meta key/value table, for what an adapter keeps beside a subscription (keys prefixed by its name). */
  readonly meta: MetaStore;
  readonly log: Logger;
  readonly now: () => number;
  readonly metrics: Metrics;
  /** One per process, shared by every platform that takes commands (keyed `<platform>:<user>`). */
  readonly flood: FloodLimiter;
  /** Where the console platform prints (tests capture it); stdout otherwise. */
  readonly out?: (text: string) => void;
  /** Where the console platform reads typed commands (tests write to it); stdin otherwise. */
  readonly input?: NodeJS.ReadableStream;
  /**
   * Replicas share the database (PostgreSQL): what only one process per token may hold (Telegram
   * long polling, the Discord gateway) waits for `leaderOnly.start`, and uploaded charts are shared.
   */
  readonly replicas?: boolean;
  /** Chart uploads shared with the other replicas (store/chart-uploads.ts), per platform. */
  readonly sharedUploads?: (platform: Platform) => SharedUploads;
}

/** A created platform: what main.ts runs and stops. */
export interface PlatformService {
  readonly platform: Platform;
  /** Delivers outbox messages; the dispatcher paces it by its ratePerSecond. */
  readonly notifier: Notifier;
  /**
   * Brings the platform up behind the running bot: resolves `started` once it receives (or at once
   * when there is nothing to receive), `refused` after one log line when no retry can help, or
   * `stopped` when `signal` aborts. Never rejects for the platform's own failures.
   */
  start(signal: AbortSignal): Promise<StartupResult>;
  /** Stops receiving; resolves when the platform's in-flight work is done. Safe before start and twice. */
  stop(): Promise<void>;
  /** For /readyz: undefined when receiving, else one line why not. Omitted: nothing to wait for. */
  readonly readiness?: () => string | undefined;
  /**
   * With replicas, what only the leader holds (Telegram long polling, the Discord gateway):
   * started when this replica leads, stopped when it stops leading. Omitted: nothing of the kind
   * (and on SQLite, one process, start() brings everything up).
   */
  readonly leaderOnly?: {
    start(signal: AbortSignal): Promise<unknown>;
    stop(reason: string): Promise<void>;
  };
  /**
   * Rung by the platform (its notifier, polling or gateway) the moment what decides whether its
   * token is refused changes: a platform with a readiness that can say a refused token has one.
   */
  readonly tokenBell?: TokenBell;
  /**
   * What createPlatforms makes of the readiness and the bell (an adapter leaves it out): the token
   * refused and taken again, said as it happens (ops/token-watch.ts listens).
   */
  readonly token?: TokenEvents;
}

/** A platform's token refused and taken again, as it happens: one contract for every platform. */
export interface TokenEvents {
  /** The platform's /readyz line while its token is refused (goldratio_platform_off_reason token_refused), else undefined. */
  refused(): string | undefined;
  /**
   * Calls `listener(line)` the moment the token is refused (or the line naming the refusal changes),
   * `listener(undefined)` the moment it is taken again; returns what stops it.
   */
  listen(listener: (refused: string | undefined) => void): () => void;
}

/** One entry of the list: a platform's name, its switch in the config, and how to build it. */
export interface PlatformAdapter {
  readonly platform: Platform;
  /**
   * People talk to it in chats (Telegram, Discord): once one is on, the console's default
   * subscription is retired (start-up.ts consoleDefault). The console and outgoing webhooks are not.
   */
  readonly chatBot: boolean;
  enabled(config: Config): Enablement;
  /**
   * Builds the platform. An adapter whose client library is heavy loads it here, not at the top of
   * its module, so a bot without that platform never pays for it (discord.js alone is about 1 s of
   * CPU to load, grammY 0.2 s: most of a start's).
   */
  create(deps: PlatformDeps): PlatformService | Promise<PlatformService>;
}

/** The adapters the config turns on, created in the list's order; an off one says why once (if the operator half-asked for it). */
export async function createPlatforms(adapters: readonly PlatformAdapter[], deps: PlatformDeps): Promise<PlatformService[]> {
  const services: PlatformService[] = [];
  for (const adapter of adapters) {
    const e = adapter.enabled(deps.config);
    if (e.on) services.push(namingRefusal(await adapter.create(deps)));
    else if (e.note !== undefined) deps.log[e.note.level](e.note.text);
  }
  return services;
}

/**
 * The service with a readiness that, once its start gave up for good (a refused token, a port in
 * use), says so on /readyz: `off: the Telegram token was refused (401 Unauthorized): check
 * TELEGRAM_BOT_TOKEN`, where the platform alone can only say it receives nothing; and while its
 * notifier's sends are refused the token (Notifier.tokenRefused), `not sending: …`, cleared when a
 * send is taken again.
 */
function namingRefusal(p: PlatformService): PlatformService {
  if (p.readiness === undefined) return p;
  const own = p.readiness;
  let refused: string | undefined;
  // A send's 401 (the token revoked while running) is said before the platform's own word: polling
  // or the gateway may not have met it yet (a long poll waiting, a webhook still receiving).
  const readiness = (): string | undefined => {
    if (refused !== undefined) return `off: ${refused}`;
    const sends = p.notifier.tokenRefused?.();
    return sends !== undefined ? `not sending: ${sends}` : own();
  };
  const token = tokenEvents(readiness, p.tokenBell);
  return {
    platform: p.platform,
    notifier: p.notifier,
    start: async (signal) => {
      const r = await p.start(signal);
      refused = r.kind === 'refused' ? r.reason : undefined;
      p.tokenBell?.ring();
      return r;
    },
    stop: () => p.stop(),
    readiness,
    ...(p.leaderOnly ? { leaderOnly: p.leaderOnly } : {}),
    ...(p.tokenBell ? { tokenBell: p.tokenBell } : {}),
    token,
  };
}

/**
 * The token's refusal read from the /readyz line (the line goldratio_platform_off_reason reads, so
 * the two never disagree), said to the listeners when a ring finds it changed. Without a bell (a
 * platform that cannot have its token refused while running) nothing is ever said.
 */
export function tokenEvents(readiness: () => string | undefined, bell: TokenBell | undefined): TokenEvents {
  const refused = (): string | undefined => {
    const line = readiness();
    return line !== undefined && offReason(line) === 'token_refused' ? line : undefined;
  };
  return {
    refused,
    listen(listener) {
      if (bell === undefined) return () => undefined;
      let said = refused();
      return bell.listen(() => {
        const now = refused();
        if (now === said) return;
        said = now;
        listener(now);
      });
    },
  };
}

/** A service that receives nothing (the console, an outgoing webhook): up at once, nothing to stop. */
export function sendOnly(platform: Platform, notifier: Notifier): PlatformService {
  return { platform, notifier, start: async () => ({ kind: 'started', attempts: 1 }), stop: async () => {} };
}
