/**
 * The Discord bot: a discord.js Client (Guilds intent only, no privileged intents) running the chat
 * commands, and the alert notifier on its own REST instance; both spend one GlobalBudget. main.ts
 * calls createDiscord only when DISCORD_TOKEN and DISCORD_APPLICATION_ID are set. Logging in never
 * blocks the rest of the bot: an unreachable Discord is retried with backoff in the background
 * (platforms/startup.ts, as Telegram); a refused token is said once; stop() ends an attempt at once.
 */
import { TokenBell } from '../token-bell.ts';
import type { SharedUploads } from '../../alerts/upload-once.ts';
import { Client, DiscordAPIError, GatewayIntentBits, HTTPError, REST, Routes, type RESTOptions } from 'discord.js';
import type { ChatDeps } from '../../chat/index.ts';
import type { ChartRenderer } from '../../domain/chart-request.ts';
import type { Config } from '../../config.ts';
import type { Logger } from '../../log.ts';
import { NoAnswerError, RetryState, START_ANSWER_MS, startWithRetry, type StartupResult } from '../startup.ts';
import { oneLine } from '../../one-line.ts';
import { linkedSignal } from '../../linked-signal.ts';
import type { PlatformService } from '../adapter.ts';
import { Owner, OwnerChanged } from '../owner.ts';
import type { DiscordStore } from '../../store/discord.ts';
import { registrationHash, slashDefinitions } from './commands.ts';
import { registerHandlers, type HandlerDeps } from './handlers.ts';
import { registerRightsBack } from './rights-back.ts';
import { httpInteractions } from './http-interactions.ts';
import { EndpointListenError, INTERACTIONS_PATH, startInteractionsEndpoint, type InteractionsEndpoint } from './interactions-endpoint.ts';
import { DiscordNotifier } from './notifier.ts';
import { channelRights } from './channel-rights.ts';
import { restRights } from './rest-rights.ts';
import { CommandIds } from './command-ids.ts';
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
  /** How long one call of the start may go unanswered (default START_ANSWER_MS; tests shorten it). */
  readonly answerMs?: number;
  /** Tests: the Interactions Endpoint listens on this port (0 = any) instead of DISCORD_INTERACTIONS_PORT. */
  readonly interactionsPort?: number;
  /** Tests: how long an HTTP interaction may go unanswered before the endpoint defers it (http-interactions.ts). */
  readonly deferAfterMs?: number;
  /**
   * Whether start() logs in to the gateway (default true). False for a replica that is not the
   * leader: it answers commands at the Interactions Endpoint, and gateway.start() logs in once it leads.
   */
  readonly gateway?: boolean;
  /** Chart uploads shared with the other replicas (alerts/upload-once.ts). */
  readonly sharedUploads?: SharedUploads;
  /** Tests: how long after a permission change its server is checked (rights-back.ts RIGHTS_BACK_SETTLE_MS). */
  readonly rightsBackSettleMs?: number;
  /**
   * Tests: no wait between two identifies of the gateway (a session ended, then a new one). Without
   * it, discord.js waits Discord's limit, 5 to 6.5 s after the last identify (SimpleIdentifyThrottler).
   */
  readonly identifyAtOnce?: boolean;
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
  /**
   * The gateway on its own, for the leader alone (one gateway session per token): start() logs in
   * in the background with start()'s retries and resolves when connected, refused or stopped;
   * stop() closes it, the Interactions Endpoint staying up.
   */
  readonly gateway: {
    start(): Promise<StartupResult>;
    stop(reason: string): Promise<void>;
  };
  /** The Interactions Endpoint's bound port, once listening (with DISCORD_PUBLIC_KEY). */
  endpointPort(): number | undefined;
  /** For /readyz: undefined while connected. */
  readiness(): string | undefined;
  /** Stops at any moment: a pending retry is cancelled, a connected client destroyed. */
  stop(): Promise<void>;
}

/** `PUT` the slash commands (global, or one guild: at once, for testing). Returns how many; `ids` learns the ids Discord gave them. */
export async function deployCommands(rest: REST, applicationId: string, guildId?: string, signal?: AbortSignal, ids?: CommandIds): Promise<number> {
  const body = slashDefinitions();
  const answer = await rest.put(guildId === undefined ? Routes.applicationCommands(applicationId) : Routes.applicationGuildCommands(applicationId, guildId), {
    body,
    ...(signal !== undefined ? { signal } : {}),
  });
  ids?.learn(answer);
  return body.length;
}

/**
 * REST options for every Discord call. `makeRequest` is the bot's GlobalBudget (budget.ts) over
 * http-request.ts: undici 7's request, and Node's fetch for uploads. Not @discordjs/rest's own
 * strategy: it calls its bundled undici 6, which hands Node's FormData to whatever global
 * dispatcher is installed; once market/ has loaded undici 7 that dispatcher cannot read it
 * ("action is not a function") and every upload fails. Node's fetch reads its own FormData and
 * only hands bytes to the dispatcher. @discordjs/rest's own global
 * limiter (a fixed one-second window that, when full, releases every held request at once: a
 * burst across Discord's second) is set above the budget, so the budget is the one that paces.
 */
/**
 * How long one Discord REST call may take before @discordjs/rest aborts it: what a stop waits for
 * an alert on the wire (Notifier.callTimeoutMs). The notifier's REST retries an abort once; that
 * second try, if a stop leaves it, carries the same enforced nonce, so Discord answers a send again
 * from the next start with the message already made.
 */
export const REST_CALL_MS = 15_000;

export function restOptions(
  dc: Omit<Config['discord'], 'publicKey' | 'interactionsPort' | 'acceptNewApp'>,
  budget: GlobalBudget = new GlobalBudget({ rate: dc.rate }),
) {
  return {
    api: dc.apiBase,
    globalRequestsPerSecond: Math.ceil(dc.rate * 1.5),
    timeout: REST_CALL_MS,
    makeRequest: budget.fetch as unknown as RESTOptions['makeRequest'],
  };
}

/** The alert notifier's REST. Long 429 waits come back to the dispatcher instead of holding a worker. */
export function notifierRest(dc: Omit<Config['discord'], 'publicKey' | 'interactionsPort' | 'acceptNewApp'>, token: string, budget?: GlobalBudget): REST {
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
export async function deployFromCli(
  dc: Config['discord'],
  guildId?: string,
): Promise<{ ok: true; count: number } | { ok: false; error: string; unreachable?: true }> {
  if (dc.token === undefined || dc.applicationId === undefined) return { ok: false, error: 'deploy-commands needs DISCORD_TOKEN and DISCORD_APPLICATION_ID' };
  const rest = new REST({ ...restOptions(dc), retries: 2 }).setToken(dc.token);
  try {
    return { ok: true, count: await deployCommands(rest, dc.applicationId, guildId) };
  } catch (err) {
    if (err instanceof DiscordAPIError && err.status === 401) return { ok: false, error: 'Discord refused DISCORD_TOKEN (401)' };
    // Discord's own outage (after the REST client's retries): the network's failure, not the setup's.
    if ((err instanceof DiscordAPIError || err instanceof HTTPError) && err.status >= 500) {
      return { ok: false, error: `Discord failed to answer (${err.status} ${err.message}): try again later`, unreachable: true };
    }
    if (err instanceof DiscordAPIError) return { ok: false, error: `Discord refused the commands: ${err.status} ${err.code} ${err.message}` };
    return { ok: false, error: `Discord unreachable at ${dc.apiBase}: ${(err as Error).message}`, unreachable: true };
  }
}

/**
 * A token Discord refused: retrying cannot help. A 401 in a message counts only as a number of its
 * own ("401: Unauthorized"), never inside another (a port such as 43401), and never for the
 * endpoint's own listen error.
 */
const isTokenRefused = (err: unknown): boolean =>
  !(err instanceof EndpointListenError) &&
  !(err instanceof OwnerChanged) &&
  ((err as { code?: string }).code === 'TokenInvalid' ||
    (err as { status?: number }).status === 401 ||
    /\b401\b|invalid token/i.test(String((err as Error).message)));

/** How soon the commands of one scope may be asked again after a command used with an unknown id (command-ids.ts). */
export const REFRESH_MIN_MS = 60_000;

/** The gateway a leader runs (gateway.start()), and why it was given up (a refused token) if it was. */
interface GatewayRun {
  readonly abort: AbortController;
  readonly loop: Promise<StartupResult>;
  /** Undoes its signal's link to the start's (gateway.stop, stop). */
  readonly unlink: () => void;
  refused?: string;
}

export function createDiscord(o: DiscordOptions): Discord {
  const dc = o.config.discord;
  if (dc.token === undefined || dc.applicationId === undefined) throw new Error('createDiscord needs DISCORD_TOKEN and DISCORD_APPLICATION_ID');
  const token = dc.token;
  const appId = dc.applicationId;
  const log = o.log.child('discord');
  // The application this database's channels subscribed through (platforms/owner.ts).
  const owner = new Owner({ get: () => o.store.app(), set: (v) => o.store.setApp(v) }, dc.acceptNewApp, log);
  const flood = o.flood ?? new FloodLimiter();
  // One budget for the alerts and the commands: a burst of replies during a broadcast cannot push
  // the bot over Discord's global limit, and a global 429 seen by one pauses the other.
  const budget = new GlobalBudget({ rate: dc.rate, applicationId: appId, ...(o.metrics ? { onRateLimited: () => o.metrics?.rateLimited('discord') } : {}) });
  const rest = notifierRest(dc, token, budget);
  // The registered commands' ids: replies and alerts name a command as a mention of it.
  const commandIds = new CommandIds();
  /** The bot's user id (the gateway's, else asked once): whose rights askRights reads. */
  let botId: string | undefined;
  // Rung by the notifier and the gateway when the token's refusal may have changed.
  const tokenBell = new TokenBell();
  const notifier = new DiscordNotifier({
    rest,
    tokenBell,
    callTimeoutMs: REST_CALL_MS,
    commandIds: commandIds.map,
    rate: dc.rate,
    pause: budget.pause,
    log: log.child('notifier'),
    ...(o.sharedUploads ? { sharedUploads: o.sharedUploads } : {}),
    ...(dc.alertRoleId !== undefined ? { defaultRole: dc.alertRoleId } : {}),
    ...(o.metrics ? { metrics: o.metrics } : {}),
    off: () => owner.refused(),
    // The leader's gateway Client, the one that sends: its cache, no request.
    permissions: (channelId) => channelRights(current, channelId),
    // A channel the cache does not hold, or holds behind a right taken: Discord asked, after a refusal only.
    askRights: async (channelId) => {
      botId ??= current?.user?.id ?? ((await rest.get(Routes.user())) as { id: string }).id;
      return restRights(rest, channelId, botId);
    },
    guildOf: async (channelId) => {
      const channel = current?.channels.cache.get(channelId);
      if (channel !== undefined && 'guild' in channel) return channel.guild.id;
      return (await o.store.channel(channelId))?.guildId;
    },
    ...(o.now ? { now: o.now } : {}),
    unexplainedStore: { all: () => o.store.unexplained(), set: (channelId, row) => o.store.setUnexplained(channelId, row) },
    roleName: async (channelId, roleId) => {
      // A server the cache holds has every role it has (GUILD_ROLE_CREATE/UPDATE/DELETE keep it):
      // a role not there was deleted, and asking Discord would say the same.
      const channel = current?.channels.cache.get(channelId);
      if (channel !== undefined && 'guild' in channel) return channel.guild.roles.cache.get(roleId)?.name;
      const guildId = (await o.store.channel(channelId))?.guildId;
      if (guildId === undefined) return undefined;
      const roles = (await rest.get(Routes.guildRoles(guildId))) as { id: string; name: string }[];
      return roles.find((r) => r.id === roleId)?.name;
    },
    channelType: async (channelId) => {
      const known = await o.store.channel(channelId);
      if (known?.type !== undefined) return known.type;
      // A channel subscribed before its type was kept: asked once, then remembered (a DM's too, without a guild).
      const ch = (await rest.get(Routes.channel(channelId))) as { type: number; guild_id?: string };
      const guildId = known?.guildId ?? ch.guild_id;
      await o.store.setChannel(channelId, { ...(guildId !== undefined ? { guildId } : {}), type: ch.type });
      return ch.type;
    },
  });
  const handlerDeps: HandlerDeps = {
    chat: o.deps,
    charts: o.charts,
    store: o.store,
    log,
    commandIds,
    commandUsed: (name, id, guildId) => {
      if (commandIds.seen(name, id, guildId) !== 'fresh') refreshIds(guildId);
    },
    ...(o.now ? { now: o.now } : {}),
    ...(o.metrics ? { metrics: o.metrics } : {}),
    flood,
    // Discord delivers an interaction either to the endpoint or over the gateway, never both; kept
    // anyway, so a process that gets one both ways answers it once.
    ...(dc.publicKey !== undefined ? { firstTime: answeredOnce() } : {}),
  };
  const http =
    dc.publicKey === undefined
      ? undefined
      : httpInteractions({
          deps: handlerDeps,
          token,
          applicationId: appId,
          rest: restOptions(dc, budget),
          makeRequest: budget.fetch,
          log: log.child('interactions'),
          ...(o.deferAfterMs !== undefined ? { deferAfterMs: o.deferAfterMs } : {}),
        });
  let endpoint: InteractionsEndpoint | undefined;
  const abort = new AbortController();
  /**
   * Ends a pending attempt: stop(), or the caller's signal given to start(). Linked (linked-signal.ts),
   * not AbortSignal.any: a backoff asleep on it counts as the caller's run's (run-signal.ts), so that
   * run's stop ends it at once, and nothing is left behind in the process-long signals on Node 20.
   */
  let running: AbortSignal = abort.signal;
  /** start()'s link to its caller's signal, undone at stop(). */
  let startLink: { dispose(): void } | undefined;
  let current: Client | undefined;
  let loop: Promise<StartupResult> | undefined;
  let readyWaiters: (() => void)[] = [];
  let isReady = false;
  /**
   * Why the gateway closed for good while running (a close code discord.js does not reconnect
   * after: 4004, the token reset in the Developer Portal), for /readyz; its Client stays "ready".
   */
  let gatewayLost: { readonly client: Client; readonly why: string } | undefined;
  /** The gateway run by gateway.start() (a leader's), apart from start()'s. */
  let gatewayRun: GatewayRun | undefined;
  const withGateway = o.gateway ?? true;
  // The start's own calls (registration, the bot's user, the gateway's address): one try each,
  // START_ANSWER_MS at most, the start's backoff retrying the whole attempt. The Client's REST (15 s
  // a request, tried four times) would keep a Discord that takes the connection and says nothing
  // silent for a minute, then say "This operation was aborted".
  const answerMs = o.answerMs ?? START_ANSWER_MS;
  const startRest = new REST({ ...restOptions(dc, budget), timeout: answerMs, retries: 0 }).setToken(token);
  /** The start's call a stop cut short (`PUT /applications/…/commands`), said in the start's last line. */
  let cutShort: string | undefined;
  /** One call of the start through startRest; its silence said as where, what and how long. */
  async function startCall<T>(what: string, signal: AbortSignal, call: (rest: REST) => Promise<T>): Promise<T> {
    // Noted as the stop comes: the attempt (unlessAborted) ends before this call's own rejection.
    const onAbort = () => (cutShort = what);
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      return await call(startRest);
    } catch (err) {
      // @discordjs/rest ends a request at its timeout with an AbortError; the start's own stop aborts too.
      if (!signal.aborted && (err as { name?: unknown } | null)?.name === 'AbortError') throw new NoAnswerError(dc.apiBase, what, answerMs, { cause: err });
      throw err;
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  async function registerIfChanged(): Promise<void> {
    const hash = registrationHash(appId);
    if ((await o.store.commandsHash('global')) === hash) return learnIds();
    try {
      const signal = running;
      const n = await startCall(`PUT ${Routes.applicationCommands(appId)}`, signal, (rest) => deployCommands(rest, appId, undefined, signal, commandIds));
      if (running.aborted) return;
      await o.store.setCommandsHash('global', hash);
      log.info(`registered ${n} slash commands (their definition changed, or this application had none)`);
    } catch (err) {
      // Unreachable (network, 5xx): the attempt fails and is retried, registration with it.
      if (isTokenRefused(err) || running.aborted || !(err instanceof DiscordAPIError)) throw err;
      // Discord answered and refused the definitions: log in without them; the next start tries again.
      log.warn(
        `Discord refused the slash commands (${err.status} ${err.code}: ${oneLine(err)}); the bot runs with the registered ones, and the next start tries again`,
      );
    }
  }

  /**
   * The ids of the commands registered by an earlier start, asked once. Without them a reply names
   * a command by its name in the chat's language, so a refusal costs a warning, not the start.
   */
  async function learnIds(): Promise<void> {
    if (commandIds.map.size > 0) return;
    const signal = running;
    try {
      commandIds.learn(await startCall(`GET ${Routes.applicationCommands(appId)}`, signal, (rest) => rest.get(Routes.applicationCommands(appId), { signal })));
    } catch (err) {
      if (isTokenRefused(err) || signal.aborted) throw err;
      log.warn(`could not read the registered commands' ids (${oneLine(err)}); replies name commands without linking them`);
    }
  }

  /** When each scope's ids (`global` or a server's id) were last asked for after a command was used (command-ids.ts seen). */
  const askedAt = new Map<string, number>();
  /**
   * Asks Discord again for a scope's commands, in the background: a command was used with an id
   * other than the known one (another process registered them anew), or it is the first one used
   * from a server's own registration. One request at a time per scope, not more often than
   * REFRESH_MIN_MS: a reply never waits for it, and never costs a request of its own. Meanwhile
   * (and when it fails) replies name the commands the scope no longer vouches for by their menu
   * names.
   */
  function refreshIds(guildId: string | undefined): void {
    const scope = guildId ?? 'global';
    const now = Date.now();
    const last = askedAt.get(scope);
    if (abort.signal.aborted || (last !== undefined && now - last < REFRESH_MIN_MS)) return;
    askedAt.set(scope, now);
    const route = guildId === undefined ? Routes.applicationCommands(appId) : Routes.applicationGuildCommands(appId, guildId);
    rest
      .get(route, { signal: abort.signal })
      .then((answer) => commandIds.learn(answer, guildId))
      .catch((err: unknown) => {
        if (!abort.signal.aborted)
          log.warn(`could not read the commands' ids again (GET ${route}: ${oneLine(err)}); replies name those commands without linking them`);
      });
  }

  /** One try at the gateway: a new Client logs in; resolves once it is ready. */
  async function gatewayUp(signal: AbortSignal): Promise<void> {
    // login() asks for the gateway's address through the Client's REST, which would wait a minute
    // for a Discord that says nothing: asked first here, within START_ANSWER_MS (a refused token too).
    await startCall(`GET ${Routes.gatewayBot()}`, signal, (rest) => rest.get(Routes.gatewayBot(), { signal }));
    const client = new Client({
      intents: [GatewayIntentBits.Guilds],
      rest: restOptions(dc, budget),
      ...(o.identifyAtOnce === true ? { ws: { buildIdentifyThrottler: () => ({ waitForIdentify: async () => {} }) } } : {}),
    });
    // With the endpoint on, the gateway still answers what it delivers: until the Interactions
    // Endpoint URL is saved in the Developer Portal (which needs this endpoint up), Discord keeps
    // sending commands over the gateway.
    registerHandlers(client, handlerDeps);
    // A channel stopped for lost rights is told when the gateway shows they came back (the gateway's alone).
    registerRightsBack(client, handlerDeps, o.rightsBackSettleMs);
    // What REST said of a server's channels after a refusal goes when the gateway says their rights changed.
    client.on('raw', (packet: { t?: string; d?: { guild_id?: string; user?: { id?: string } } }) => {
      const guildId = packet.d?.guild_id;
      if (guildId === undefined) return;
      if (packet.t === 'CHANNEL_UPDATE') notifier.rightsChanged(guildId, 'channel');
      else if (packet.t === 'GUILD_ROLE_UPDATE' || packet.t === 'GUILD_ROLE_DELETE') notifier.rightsChanged(guildId, 'role');
      // Another member's update changes nothing for the bot (without GUILD_MEMBERS only its own come).
      else if (packet.t === 'GUILD_MEMBER_UPDATE' && packet.d?.user?.id === client.user?.id) notifier.rightsChanged(guildId, 'member');
    });
    let connected = false;
    const waiters: (() => void)[] = [];
    client.once('clientReady', () => {
      connected = true;
      for (const f of waiters.splice(0)) f();
      log.info('Discord bot connected', { user: client.user?.tag });
    });
    // discord.js emits this only for the close codes it will not reconnect after (4004, 4013, 4014…).
    client.on('shardDisconnect', (event: { code: number }) => {
      if (current !== client) return;
      const why =
        event.code === 4004
          ? 'Discord refused DISCORD_TOKEN on the gateway (4004 Authentication failed): reset in the Developer Portal? Set DISCORD_TOKEN and restart goldratio'
          : `the gateway closed for good (${event.code}); restart goldratio to connect again`;
      gatewayLost = { client, why };
      log.error(why);
      tokenBell.ring();
    });
    current = client;
    // A refusal said of the client before it (gatewayLost) is said no more.
    if (gatewayLost !== undefined) tokenBell.ring();
    try {
      await unlessAborted(
        signal,
        (async () => {
          await client.login(token);
          // Up means ready for interactions, as Telegram's start means receiving.
          if (!connected) await new Promise<void>((resolve) => waiters.push(resolve));
        })(),
      );
    } catch (err) {
      if (current === client) {
        current = undefined;
        if (gatewayLost?.client === client) tokenBell.ring();
      }
      await client.destroy().catch(() => undefined);
      throw err;
    }
  }

  /**
   * One try at what start() brings up: the application checked against the database's
   * (platforms/owner.ts), the commands registered if they changed, the Interactions
   * Endpoint listening (with DISCORD_PUBLIC_KEY), then the gateway unless `gateway: false` (a
   * standby: a leader's gateway.start() logs in later). Ends at once when stopped.
   */
  async function attempt(): Promise<void> {
    try {
      await unlessAborted(
        running,
        (async () => {
          await owner.check({
            id: appId,
            value: appId,
            refusal: (recorded) =>
              `DISCORD_APPLICATION_ID is ${appId}, but this database's channels subscribed through application ${recorded}: sending would fail for them and unsubscribe them, so nothing is sent. Use that application's id and token, or set DISCORD_ACCEPT_NEW_APP=true if the move is meant`,
            moving: (recorded) =>
              `DISCORD_ACCEPT_NEW_APP: this database's channels move from application ${recorded} to ${appId}; a channel whose server does not have the new bot is stopped as removed when the new bot's gateway starts (its server not among those Discord lists)`,
          });
          await registerIfChanged();
          await startEndpoint();
        })(),
      );
      if (withGateway) await gatewayUp(running);
    } catch (err) {
      throw asStartError(err, running);
    }
    isReady = true;
    for (const f of readyWaiters.splice(0)) f();
  }

  function asStartError(err: unknown, signal: AbortSignal): unknown {
    if (isTokenRefused(err) || signal.aborted || err instanceof EndpointListenError || err instanceof OwnerChanged || err instanceof NoAnswerError) return err;
    return new Error(`unreachable at ${dc.apiBase} (${oneLine(err)})`);
  }

  /** Listens at the Interactions Endpoint once (with DISCORD_PUBLIC_KEY); a later attempt keeps it. */
  async function startEndpoint(): Promise<void> {
    if (http === undefined || endpoint !== undefined || dc.publicKey === undefined) return;
    const signal = running;
    http.init(await startCall(`GET ${Routes.user()}`, signal, (rest) => rest.get(Routes.user(), { signal })));
    endpoint = await startInteractionsEndpoint({
      publicKey: dc.publicKey,
      port: o.interactionsPort ?? dc.interactionsPort,
      log: log.child('interactions'),
      answer: (i) => http.answer(i),
    });
    log.info(`Interactions Endpoint listening: POST ${INTERACTIONS_PATH} on port ${endpoint.port}`);
  }

  /** As Telegram's: a line per failed attempt, capped backoff, a refused token said once, Ctrl-C at any moment. */
  const retries = new RetryState();
  function run(name: string, signal: AbortSignal, once: () => Promise<void>): Promise<StartupResult> {
    const { baseMs, maxMs } = o.backoff ?? { baseMs: 1000, maxMs: 60_000 };
    return startWithRetry({
      name,
      log,
      signal,
      firstDelayMs: baseMs,
      maxDelayMs: maxMs,
      retries,
      attempt: once,
      fatal: (err) =>
        isTokenRefused(err)
          ? 'Discord refused DISCORD_TOKEN (401): check the bot token in the Developer Portal'
          : err instanceof EndpointListenError || err instanceof OwnerChanged
            ? err.message
            : undefined,
    }).catch((err: unknown): StartupResult => {
      log.error(`${name} stopped: ${oneLine(err)}`);
      return { kind: 'refused', reason: oneLine(err) };
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
      if (signal !== undefined) {
        const linked = linkedSignal([abort.signal, signal]);
        startLink = linked;
        running = linked.signal;
      }
      loop = run('Discord', running, attempt).then((r) => {
        if (r.kind === 'stopped') log.info(`Discord's start stopped by the shutdown${cutShort === undefined ? '' : ` (no answer yet to ${cutShort})`}`);
        return r;
      });
      return loop;
    },
    gateway: {
      start() {
        if (gatewayRun !== undefined) return gatewayRun.loop;
        // The lead taken (again): what another leader counted meanwhile is read before the next send.
        notifier.leadTaken();
        const stop = new AbortController();
        // On the start's signal too: the lead's gateway retries end with the run that started the bot.
        const gatewayLink = linkedSignal([running, stop.signal]);
        const signal = gatewayLink.signal;
        const gatewayLoop = run('Discord gateway', signal, async () => {
          try {
            await gatewayUp(signal);
          } catch (err) {
            throw asStartError(err, signal);
          }
        });
        const thisRun: GatewayRun = { abort: stop, loop: gatewayLoop, unlink: () => gatewayLink.dispose() };
        gatewayRun = thisRun;
        // A replica taking the lead after the token was reset: the refusal said on /readyz while it
        // leads, where its retries (cleared by the refusal) left a bare "not connected".
        void gatewayLoop.then((r) => {
          if (r.kind === 'refused' && gatewayRun === thisRun) {
            thisRun.refused = r.reason;
            tokenBell.ring();
          }
        });
        return gatewayLoop;
      },
      async stop(reason) {
        const r = gatewayRun;
        if (r === undefined) return;
        r.abort.abort();
        r.unlink();
        await current?.destroy().catch(() => undefined);
        await r.loop;
        await current?.destroy().catch(() => undefined);
        current = undefined;
        if (gatewayRun === r) gatewayRun = undefined;
        // Its refusal (the run's, the gateway's 4004) is no longer this replica's to say.
        tokenBell.ring();
        // Routine at a shutdown; a lost lead is worth an operator's line.
        log[reason === 'stopping' ? 'debug' : 'info'](`Discord gateway closed (${reason})`);
      },
    },
    receiving,
    endpointPort: () => endpoint?.port,
    readiness: () => {
      if (http !== undefined && endpoint === undefined) return retries.explain('the Interactions Endpoint is not listening');
      // A standby without the gateway receives through the endpoint alone.
      if (gatewayLost !== undefined && gatewayLost.client === current) return `not connected to the gateway: ${gatewayLost.why}`;
      if (gatewayRun?.refused !== undefined) return `not connected to the gateway: ${gatewayRun.refused}`;
      if ((withGateway || gatewayRun !== undefined) && !receiving()) return retries.explain('not connected to the gateway');
      return undefined;
    },
    ready: () => (isReady ? Promise.resolve() : new Promise((resolve) => readyWaiters.push(resolve))),
    tokenBell,
    async stop() {
      abort.abort();
      readyWaiters = [];
      await current?.destroy().catch(() => undefined);
      await loop;
      await gatewayRun?.loop;
      gatewayRun?.unlink();
      gatewayRun = undefined;
      startLink?.dispose();
      startLink = undefined;
      await current?.destroy().catch(() => undefined);
      current = undefined;
      await endpoint?.close();
      endpoint = undefined;
      await http?.destroy();
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

/** Interaction ids this process has taken (the last 10,000): true the first time an id is seen. */
function answeredOnce(): (interactionId: string) => boolean {
  const seen = new Set<string>();
  return (id) => {
    if (seen.has(id)) return false;
    seen.add(id);
    if (seen.size > 10_000) seen.delete(seen.values().next().value as string);
    return true;
  };
}
