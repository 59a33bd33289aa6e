/**
 * The Discord bot: a discord.js Client (Guilds intent only, no privileged intents) running the chat
 * commands, and the alert notifier on its own REST instance; both spend one GlobalBudget. main.ts
 * calls createDiscord only when DISCORD_TOKEN and DISCORD_APPLICATION_ID are set. Logging in never
 * blocks the rest of the bot: an unreachable Discord is retried with backoff in the background
 * (platforms/startup.ts, as Telegram); a refused token is said once; stop() ends an attempt at once.
 */
import { Client, DiscordAPIError, GatewayIntentBits, REST, Routes, type RESTOptions } from 'discord.js';
import type { ChatDeps } from '../../chat/index.ts';
import type { ChartRenderer } from '../../domain/chart-request.ts';
import type { Config } from '../../config.ts';
import type { Logger } from '../../log.ts';
import { oneLine, startWithRetry, type StartupResult } from '../startup.ts';
import type { PlatformService } from '../adapter.ts';
import type { DiscordStore } from '../../store/discord.ts';
import { definitionsHash, slashDefinitions } from './commands.ts';
import { registerHandlers } from './handlers.ts';
import { DiscordNotifier } from './notifier.ts';
import { GlobalBudget } from './budget.ts';
import type { Metrics } from '../../ops/metrics.ts';
import { FloodLimiter } from '../../chat/flood-limit.ts';

export interface DiscordOptions {
  readonly config: Config;
  readonly deps: ChatDeps;
  readonly charts: ChartRenderer;
  readonly store: DiscordStore;
  readonly log: Logger;
  readonly now?: () => number;
  readonly metrics?: Pick<Metrics, 'command' | 'floodDropped' | 'rateLimited' | 'crosspost'>;
  /** The flood limiter shared with the other platforms (a fresh one when not given). */
  readonly flood?: FloodLimiter;
  /** Login retry backoff (tests shorten it). */
  readonly backoff?: { readonly baseMs: number; readonly maxMs: number };
}

export interface Discord extends PlatformService {
  readonly platform: 'discord';
  readonly notifier: DiscordNotifier;
  /** The one global budget every REST instance of the bot spends (alerts, command replies, registration). */
  readonly budget: GlobalBudget;
  /** The current Client (a new one per login attempt). */
  client(): Client | undefined;
  /**
   * Registers the slash commands if they changed and logs in, retrying with capped backoff while
   * Discord is unreachable (a line per attempt); resolves once the client is ready, or when the
   * start was given up (a refused token: one line) or stopped (`signal`, or stop()). The caller
   * runs it in the background: it never holds the rest of the bot.
   */
  start(signal?: AbortSignal): Promise<StartupResult>;
  /** Resolves when the client is ready (tests). */
  ready(): Promise<void>;
  /** Connected to the gateway. */
  receiving(): boolean;
  /** For /readyz: undefined while connected. */
  readiness(): string | undefined;
  /** Stops at any moment: a pending retry is cancelled, a connected client destroyed. */
  stop(): Promise<void>;
}

/** `PUT` the slash commands (global, or one guild: at once, for testing). Returns how many. */
export async function deployCommands(rest: REST, applicationId: string, guildId?: string, signal?: AbortSignal): Promise<number> {
  const body = slashDefinitions();
  await rest.put(guildId === undefined ? Routes.applicationCommands(applicationId) : Routes.applicationGuildCommands(applicationId, guildId), {
    body,
    ...(signal !== undefined ? { signal } : {}),
  });
  return body.length;
}

/**
 * REST options for every Discord call. `makeRequest` is Node's fetch behind the bot's GlobalBudget
 * (budget.ts): @discordjs/rest's own strategy calls its bundled undici 6, which hands Node's
 * FormData to whatever global dispatcher is installed; once market/ has loaded undici 7 that
 * dispatcher cannot read it ("action is not a function") and every upload fails. Node's fetch
 * reads its own FormData and only hands bytes to the dispatcher. @discordjs/rest's own global
 * limiter (a fixed one-second window that, when full, releases every held request at once: a
 * burst across Discord's second) is set above the budget, so the budget is the one that paces.
 */
export function restOptions(dc: Config['discord'], budget: GlobalBudget = new GlobalBudget({ rate: dc.rate })) {
  return {
    api: dc.apiBase,
    globalRequestsPerSecond: Math.ceil(dc.rate * 1.5),
    timeout: 15_000,
    makeRequest: budget.fetch as unknown as RESTOptions['makeRequest'],
  };
}

/** The alert notifier's REST. Long 429 waits come back to the dispatcher instead of holding a worker. */
export function notifierRest(dc: Config['discord'], token: string, budget?: GlobalBudget): REST {
  return new REST({
    ...restOptions(dc, budget),
    retries: 1,
    rejectOnRateLimit: (r) => r.retryAfter > 5_000,
  }).setToken(token);
}

/**
 * `goldratio deploy-commands`: registers the commands with its own REST and says what went wrong
 * in one line (the CLI prints it; no discord.js outside platforms/).
 */
export async function deployFromCli(dc: Config['discord'], guildId?: string): Promise<{ ok: true; count: number } | { ok: false; error: string }> {
  if (dc.token === undefined || dc.applicationId === undefined) return { ok: false, error: 'deploy-commands needs DISCORD_TOKEN and DISCORD_APPLICATION_ID' };
  const rest = new REST({ ...restOptions(dc), retries: 2 }).setToken(dc.token);
  try {
    return { ok: true, count: await deployCommands(rest, dc.applicationId, guildId) };
  } catch (err) {
    if (err instanceof DiscordAPIError && err.status === 401) return { ok: false, error: 'Discord refused DISCORD_TOKEN (401)' };
    if (err instanceof DiscordAPIError) return { ok: false, error: `Discord refused the commands: ${err.status} ${err.code} ${err.message}` };
    return { ok: false, error: `Discord unreachable at ${dc.apiBase}: ${(err as Error).message}` };
  }
}

/** A token Discord refused: retrying cannot help. */
const isTokenRefused = (err: unknown): boolean =>
  (err as { code?: string }).code === 'TokenInvalid' ||
  (err as { status?: number }).status === 401 ||
  /401|invalid token/i.test(String((err as Error).message));

export function createDiscord(o: DiscordOptions): Discord {
  const dc = o.config.discord;
  if (dc.token === undefined || dc.applicationId === undefined) throw new Error('createDiscord needs DISCORD_TOKEN and DISCORD_APPLICATION_ID');
  const token = dc.token;
  const appId = dc.applicationId;
  const log = o.log.child('discord');
  const flood = o.flood ?? new FloodLimiter();
  // One budget for the alerts and the commands: a burst of replies during a broadcast cannot push
  // the bot over Discord's global limit, and a global 429 seen by one pauses the other.
  const budget = new GlobalBudget({ rate: dc.rate, ...(o.metrics ? { onRateLimited: () => o.metrics?.rateLimited('discord') } : {}) });
  const rest = notifierRest(dc, token, budget);
  const notifier = new DiscordNotifier({
    rest,
    rate: dc.rate,
    pause: budget.pause,
    log: log.child('notifier'),
    ...(dc.alertRoleId !== undefined ? { defaultRole: dc.alertRoleId } : {}),
    ...(o.metrics ? { metrics: o.metrics } : {}),
    channelType: async (channelId) => {
      const known = await o.store.channel(channelId);
      if (known?.type !== undefined) return known.type;
      // A channel subscribed before its type was kept: asked once, then remembered.
      const ch = (await rest.get(Routes.channel(channelId))) as { type: number; guild_id?: string };
      const guildId = known?.guildId ?? ch.guild_id;
      if (guildId !== undefined) await o.store.setChannel(channelId, { guildId, type: ch.type });
      return ch.type;
    },
  });
  const abort = new AbortController();
  /** Ends a pending attempt: stop(), or the caller's signal given to start(). */
  let running: AbortSignal = abort.signal;
  let current: Client | undefined;
  let loop: Promise<StartupResult> | undefined;
  let readyWaiters: (() => void)[] = [];
  let isReady = false;

  async function registerIfChanged(): Promise<void> {
    const hash = definitionsHash();
    if ((await o.store.commandsHash('global')) === hash) return;
    try {
      const n = await deployCommands(new REST(restOptions(dc, budget)).setToken(token), appId, undefined, running);
      if (running.aborted) return;
      await o.store.setCommandsHash('global', hash);
      log.info(`registered ${n} slash commands (their definition changed)`);
    } catch (err) {
      // Unreachable (network, 5xx): the attempt fails and is retried, registration with it.
      if (isTokenRefused(err) || running.aborted || !(err instanceof DiscordAPIError)) throw err;
      // Discord answered and refused the definitions: log in without them; the next start tries again.
      log.warn(
        `Discord refused the slash commands (${err.status} ${err.code}: ${oneLine(err)}); the bot runs with the registered ones, and the next start tries again`,
      );
    }
  }

  /** One try: register the commands if they changed, then log in. Ends at once when stopped. */
  async function attempt(): Promise<void> {
    const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: restOptions(dc, budget) });
    registerHandlers(client, {
      chat: o.deps,
      charts: o.charts,
      store: o.store,
      log,
      ...(o.now ? { now: o.now } : {}),
      ...(o.metrics ? { metrics: o.metrics } : {}),
      flood,
    });
    client.once('clientReady', () => {
      isReady = true;
      for (const f of readyWaiters.splice(0)) f();
      log.info('Discord bot connected', { user: client.user?.tag });
    });
    current = client;
    try {
      await unlessAborted(
        running,
        (async () => {
          await registerIfChanged();
          await client.login(token);
          // Up means ready for interactions, as Telegram's start means receiving.
          if (!isReady) await new Promise<void>((resolve) => readyWaiters.push(resolve));
        })(),
      );
    } catch (err) {
      current = undefined;
      await client.destroy().catch(() => undefined);
      if (isTokenRefused(err) || running.aborted) throw err;
      throw new Error(`unreachable at ${dc.apiBase} (${oneLine(err)})`);
    }
  }

  /** As Telegram's: a line per failed attempt, capped backoff, a refused token said once, Ctrl-C at any moment. */
  async function run(signal: AbortSignal): Promise<StartupResult> {
    const { baseMs, maxMs } = o.backoff ?? { baseMs: 1000, maxMs: 60_000 };
    return startWithRetry({
      name: 'Discord',
      log,
      signal,
      firstDelayMs: baseMs,
      maxDelayMs: maxMs,
      attempt,
      fatal: (err) => (isTokenRefused(err) ? 'Discord refused DISCORD_TOKEN (401): check the bot token in the Developer Portal' : undefined),
    });
  }

  const receiving = (): boolean => current?.isReady() === true;
  return {
    platform: 'discord',
    notifier,
    budget,
    client: () => current,
    start(signal) {
      if (loop !== undefined) return loop;
      running = signal === undefined ? abort.signal : AbortSignal.any([abort.signal, signal]);
      loop = run(running).catch((err: unknown): StartupResult => {
        log.error(`Discord stopped: ${oneLine(err)}`);
        return { kind: 'refused', reason: oneLine(err) };
      });
      return loop;
    },
    receiving,
    readiness: () => (receiving() ? undefined : 'not connected to the gateway'),
    ready: () => (isReady ? Promise.resolve() : new Promise((resolve) => readyWaiters.push(resolve))),
    async stop() {
      abort.abort();
      readyWaiters = [];
      await current?.destroy().catch(() => undefined);
      await loop;
      await current?.destroy().catch(() => undefined);
      current = undefined;
    },
  };
}

/** `p`, or a rejection as soon as `signal` aborts (p's own outcome is then ignored). */
function unlessAborted<T>(signal: AbortSignal, p: Promise<T>): Promise<T> {
  p.catch(() => undefined);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new Error('stopped'));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
