/**
 * Delivers outbox messages to Discord channels for the dispatcher: a bot message per channel, or
 * several in order when the text is longer than one holds (each a part, stored once delivered, as
 * Telegram's are), with embeds built from the LocalizedMessage (title, lines, fields, footer,
 * colour by tone, the chart) and the chat's role mention in the first one's `content` (a mention
 * inside an embed pings nobody). The chart is uploaded once per message and language; the other channels show the
 * first message's attachment URL as `embed.image.url` (a channel that shows no embeds from the bot
 * gets it as a file of its own: an embed-less message cannot show a URL's image). Retry decisions live in the dispatcher;
 * the global second lives in the REST's GlobalBudget; this file translates Discord's answers into SendResults.
 */
import type { TokenBell } from '../token-bell.ts';
import { createHash } from 'node:crypto';
import { DiscordAPIError, HTTPError, RateLimitError, Routes, escapeMarkdown, type REST } from 'discord.js';
import type { APIEmbed, APIMessage } from 'discord.js';
import type { ChartFile, Delivery, Notifier, SendResult } from '../../alerts/notifier.ts';
import type { ChartPlace } from '../../domain/chart-request.ts';
import { UploadOnce, type SharedUploads } from '../../alerts/upload-once.ts';
import type { PlatformPause } from '../../alerts/platform-pause.ts';
import { SendHalted } from '../../alerts/send-halted.ts';
import type { LocalizedMessage } from '../../domain/message.ts';
import type { StopCause } from '../../domain/stop-cause.ts';
import { t } from '../../domain/i18n/index.ts';
import type { Logger } from '../../log.ts';
import { EMBED_DESCRIPTION_MAX, embedMessages } from './render.ts';
import { messageReply } from '../../chat/message-lines.ts';
import { causeLine, noAnswer } from './no-answer.ts';
import type { Metrics } from '../../ops/metrics.ts';

/**
 * Answers about the channel itself: deactivate the subscription at once (Discord bans an IP after
 * 10,000 invalid requests in 10 minutes). Unknown channel, guild or webhook (10003, 10004, 10015),
 * missing access or permissions (50001, 50013), cannot message the user (50007), and a thread
 * subscribed in that was archived and locked (50083) or locked (160005): a post would unarchive an
 * open thread, so these stay shut until a moderator acts, and /subscribe there starts again.
 */
export const DEAD_CODES: ReadonlyMap<number, StopCause> = new Map<number, StopCause>([
  [10003, 'gone'],
  [10004, 'gone'],
  [10015, 'gone'],
  [50001, 'rights'],
  [50007, 'blocked'],
  [50013, 'rights'],
  [50083, 'closed'],
  [160005, 'closed'],
]);

export interface DiscordNotifierOptions {
  readonly rest: REST;
  /** Rung when a send's 401 refuses the token (tokenRefused: until a restart). */
  readonly tokenBell?: TokenBell;
  /** Requests per second in total (config.discord.rate). */
  readonly rate: number;
  readonly log: Logger;
  /** The role to mention where a channel set none (DISCORD_ALERT_ROLE_ID). */
  readonly defaultRole?: string;
  /** Discord's global pause (the bot's GlobalBudget.pause), so the dispatcher waits on the same one. */
  readonly pause?: PlatformPause;
  /**
   * The channel's Discord type (5: announcement), or undefined when unknown. A message sent to an
   * announcement channel is also published to every server following it.
   */
  readonly channelType?: (channelId: string) => Promise<number | undefined>;
  readonly metrics?: Pick<Metrics, 'crosspost'>;
  /** Chart uploads shared with the other replicas (alerts/upload-once.ts sharedUploads): an attachment URL is reused across processes. */
  readonly sharedUploads?: SharedUploads;
  /** Why nothing may be sent now (client.ts: another application than the channels subscribed through), or undefined (Notifier.off). */
  readonly off?: () => string | undefined;
  /** The registered commands' ids (command-ids.ts): a command an alert names is a mention of it. */
  readonly commandIds?: ReadonlyMap<string, string>;
  /** The `rest`'s timeout for one call (Notifier.callTimeoutMs), when it has one. */
  readonly callTimeoutMs?: number;
  /**
   * What the bot may do in a channel, as the gateway's cache says (client.ts: its overwrites, the
   * server's roles, the bot's), or undefined when the cache does not know. Discord's 50013 never
   * names the permission missing: this tells a channel without Embed Links or Attach Files (the
   * alert goes another way) from one the bot may not post in (stopped at the first refusal).
   */
  readonly permissions?: (channelId: string) => ChannelRights | undefined;
  /**
   * What the bot may do in a channel as Discord's REST says it now (client.ts: rest-rights.ts), or
   * undefined when it cannot be had. Asked after a 50013 the cache cannot explain (it does not hold
   * the channel, or says the bot may do all): three reads, none an invalid request, where a refused
   * retry is one. Its answer is kept RIGHTS_ASKED_MS for the channel's next alerts while the cache
   * says what it said when Discord was asked (no cache, or one behind a right taken).
   */
  readonly askRights?: (channelId: string) => Promise<ChannelRights | undefined>;
  /** The name of a role of the channel's server (client.ts: the gateway's cache, else one request), or undefined. */
  readonly roleName?: (channelId: string, roleId: string) => Promise<string | undefined>;
  /**
   * The server of a channel (client.ts: the gateway's cache, else the channel's stored row), or
   * undefined: asked only while REST said the bot is timed out in some server, so that server's
   * other channels wait too without a refusal each.
   */
  readonly guildOf?: (channelId: string) => Promise<string | undefined>;
  /**
   * Where the count of a channel's unexplained refusals in a row is kept (store/discord.ts), so a
   * restart or a new leader goes on counting (10, 20, 40 min, the 4th stops the channel) instead of
   * starting again at 10 min: read before the first send and again each time this replica takes the
   * lead (leadTaken: another leader may have counted meanwhile); written at each such refusal and at
   * the delivery that ends the row. Without it, this process's memory alone.
   */
  readonly unexplainedStore?: UnexplainedStore;
  /** The clock for the kept answers and waits (Date.now when absent). */
  readonly now?: () => number;
}

/** An unexplained refusal's row in a channel: how many in a row, and until when its sends wait (ms). */
export interface Unexplained {
  readonly count: number;
  readonly until: number;
}

/** Where the rows of unexplained refusals are kept (store/discord.ts). */
export interface UnexplainedStore {
  all(): Promise<ReadonlyMap<string, Unexplained>>;
  /** The row's count, or undefined: the row ended (a message delivered, or the channel stopped). */
  set(channelId: string, row: Unexplained | undefined): Promise<void>;
}

/** The bot's rights in a channel that decide how an alert goes there. */
export interface ChannelRights {
  /** View Channel and Send Messages (Send Messages in Threads in a thread). */
  readonly send: boolean;
  readonly embedLinks: boolean;
  readonly attachFiles: boolean;
  /**
   * While the bot is timed out in the channel's server (its member's communication_disabled_until):
   * when that ends (ms). It may then only view and read there: its sends wait, the channel kept.
   */
  readonly timedOutUntil?: number;
  /** The channel's server, where the answer knows it (a timeout holds all its channels). */
  readonly guildId?: string;
}

/** GuildAnnouncement. */
export const ANNOUNCEMENT_CHANNEL = 5;
/** Discord's channel types of a DM and a group DM: no server's channel (a chart of a chat's own level says 本對話, not 本頻道). */
const DM_CHANNEL = 1;

/** A send's 401: the bot's token, not the channel (its reason, what the outbox and the log keep). */
const TOKEN_REFUSED = 'Discord refused DISCORD_TOKEN (401): reset in the Developer Portal? Set DISCORD_TOKEN and restart goldratio';
const GROUP_DM_CHANNEL = 3;

/**
 * How long an uploaded chart's attachment URL is reused as another message's embed image. Discord
 * signs its CDN links to expire after about 24 hours; an embed pointing at an expired one shows no
 * image. A send later than this (a long outage's retries, a weekend on one data version) uploads
 * the chart again, once. 8 h leaves room for a handle found in the shared record already aged.
 */
export const ATTACHMENT_REUSE_MS = 8 * 3_600_000;

/**
 * How long what REST said of a channel's rights (askRights) decides its alerts while the gateway's
 * cache says what it said then (it does not know the channel, or lags a right taken: its
 * CHANNEL_UPDATE not come yet), so a cache behind costs one refusal per this, not one per alert. A
 * cache that moved since is newer and decides; a right given back that the cache already said is
 * seen within this, or at the next refusal.
 */
export const RIGHTS_ASKED_MS = 10 * 60_000;
/** Within this, a refusal reads the REST answer another refusal just got (one message's chart, then its embeds) instead of asking again. */
const RIGHTS_REASKED_MS = 30_000;
/** Channels whose REST answer is kept at most (the oldest dropped first): refusals are rare. */
const RIGHTS_ASKED_MAX = 1_000;

/**
 * A 50013 that what the bot knows does not explain (the cache and REST both say it may do what was
 * refused; or REST could not be asked after a plain-text message was refused): not read as the
 * channel's end, as a moment's disagreement inside Discord is more likely than a permission no
 * one can see. The channel's sends wait this, doubling at each such refusal in a row (10, 20, 40
 * min), one warn line each, and the UNEXPLAINED_MAX-th stops it as any refusal for rights would. A
 * message delivered there ends the row. Kept in the store (unexplainedStore): a restart or a new
 * leader goes on with the count, so a bot restarted every few minutes still stops such a channel.
 */
export const UNEXPLAINED_WAIT_MS = 10 * 60_000;
export const UNEXPLAINED_MAX = 4;

/**
 * A send's answer decided inside it (a refusal read by the channel's rights): handed to the
 * dispatcher as it is. Chat-specific for the shared upload: another channel's send uploads itself.
 */
class Held extends Error {
  constructor(readonly result: SendResult) {
    super('reason' in result ? result.reason : result.kind);
  }
}

/** A channel's rights as one phrase, for a reason line; `what` is whose word it is. */
function rightsLine(what: string, r: ChannelRights | undefined): string {
  if (r === undefined) return `${what} cannot say`;
  if (r.timedOutUntil !== undefined) return `${what} says the bot is timed out until ${new Date(r.timedOutUntil).toISOString()}`;
  if (!r.send) return `${what} says it may not send`;
  return `${what} says it may send, ${r.embedLinks ? 'embed links' : 'not embed links'} and ${r.attachFiles ? 'attach files' : 'not attach files'}`;
}

/** What of a cache's answer decides an alert: another means the cache moved (CHANNEL_UPDATE, GUILD_MEMBER_UPDATE, its server arrived). */
const rightsKey = (r: ChannelRights | undefined): string =>
  r === undefined ? '' : `${r.send ? 1 : 0}${r.embedLinks ? 1 : 0}${r.attachFiles ? 1 : 0}:${r.timedOutUntil ?? ''}`;

export class DiscordNotifier implements Notifier {
  readonly platform = 'discord' as const;
  /**
   * The dispatcher's even pace: the whole limit. Discord's second is kept by the REST's GlobalBudget
   * (the pace only feeds it); a pace under the limit would cap the fan-out below it.
   */
  readonly ratePerSecond: number;
  readonly callTimeoutMs?: number;
  /** Discord's global pause, shared with the budget. */
  readonly pause?: PlatformPause;
  readonly #o: DiscordNotifierOptions;
  /** The chart's attachment URL, uploaded once per message and language (reused as `embed.image.url`). */
  readonly #files: UploadOnce<string>;
  /**
   * What REST said of a channel's rights after a refusal (askRights), when, and what the cache said
   * then (rightsKey): REST's word decides while the cache says the same (it lags a right taken).
   */
  readonly #asked = new Map<string, { readonly rights: ChannelRights; readonly at: number; readonly cache: string; readonly guild: string | undefined }>();
  /** Servers REST said the bot is timed out in, and until when (ms). */
  readonly #timedOut = new Map<string, number>();
  /** Timeouts already said in the log (`${guild}:${until}`): one line each. */
  readonly #saidTimedOut = new Set<string>();
  /** Channels whose last refusal nothing known explained: how many in a row, and until when their sends wait. */
  readonly #unexplained = new Map<string, Unexplained>();
  /** The stored rows read into #unexplained, before the first send and again on taking the lead (undefined: not yet asked). */
  #unexplainedRead: Promise<void> | undefined;
  /** The next read replaces what #unexplained holds (a lead taken again), where the first only fills it. */
  #readAnew = false;
  /**
   * A send was refused 401: @discordjs/rest then drops its token (every later request throws
   * 'Expected token to be set' before it leaves), so the refusal stands until a restart and every
   * later send is the same outage without a request.
   */
  #tokenRefused = false;

  constructor(options: DiscordNotifierOptions) {
    this.#o = options;
    this.ratePerSecond = options.rate;
    if (options.callTimeoutMs !== undefined) this.callTimeoutMs = options.callTimeoutMs;
    if (options.pause !== undefined) this.pause = options.pause;
    // An upload per message and language, shared by every channel that shows embeds. A channel
    // that shows none from the bot (no Embed Links) is sent its chart as a file of its own (#textPart):
    // an embed-less message shows an image only as its own attachment (a reused URL in its text
    // would show as a bare link: without Embed Links Discord unfurls no link either), so the shared
    // upload cannot serve it, and each such channel costs one upload more (refusal-held.test.ts
    // counts them: 3 such channels and 3 others, 4 uploads).
    this.#files = new UploadOnce<string>({
      chatSpecific: channelSpecific,
      noHandle: 'the upload answered without an attachment URL',
      maxAgeMs: ATTACHMENT_REUSE_MS,
      ...(options.sharedUploads ? { shared: options.sharedUploads } : {}),
    });
  }

  /** Uploads done so far (the benchmark and tests read it). */
  get uploads(): number {
    return this.#files.uploads;
  }

  /** A DM or a group DM (Discord's channel types 1 and 3), else a server's channel; undefined when the type cannot be had. */
  async chartPlace(chatId: string): Promise<ChartPlace | undefined> {
    try {
      const type = await this.#o.channelType?.(chatId);
      return type === undefined ? undefined : type === DM_CHANNEL || type === GROUP_DM_CHANNEL ? 'dm' : 'channel';
    } catch {
      // A label is no reason to hold a message: the chat's own words then.
      return undefined;
    }
  }

  off(): string | undefined {
    return this.#o.off?.();
  }

  /** Kept until a restart: @discordjs/rest dropped the token at the 401 (#tokenRefused). */
  tokenRefused(): string | undefined {
    return this.#tokenRefused ? TOKEN_REFUSED : undefined;
  }

  /**
   * One message. Discord's global second is kept by the REST's GlobalBudget (budget.ts), shared
   * with the command replies: the dispatcher paces the sends evenly, but sends that waited together
   * (for the chart, for the one upload, or for a late timer on a busy machine) leave at once.
   *
   * Each carries its delivery's nonce, enforced: a post Discord took whose answer was lost (a
   * timeout, a reset) and that is sent again (by the REST's own retry, the dispatcher's, or another
   * replica once the claim's lease ran out) is answered with the message already made, not a
   * second one, while Discord remembers the nonce (a few minutes).
   */
  #post(
    channelId: string,
    nonce: string,
    options: { body: Record<string, unknown>; files?: NonNullable<Parameters<REST['post']>[1]>['files'] },
  ): Promise<unknown> {
    return this.#o.rest.post(Routes.channelMessages(channelId), { ...options, body: { ...options.body, nonce, enforce_nonce: true } });
  }

  /** A send's answer once the token was refused (401). */
  static readonly tokenRefused: SendResult = { kind: 'retry', reason: TOKEN_REFUSED, outage: true, global: true };

  async send(d: Delivery): Promise<SendResult> {
    const role = d.mention ?? this.#o.defaultRole;
    // A message longer than one Discord message holds goes as several, in order. Each part is
    // stored once delivered (partSent) before the next one starts: a send resumed after a crash or
    // a refusal starts at the first part not delivered, so no part is sent twice and none is lost.
    const bodies = DiscordNotifier.bodies(d.message, role, undefined, undefined, this.#o.commandIds);
    if (this.#tokenRefused) return DiscordNotifier.tokenRefused;
    // A server the bot is timed out in, or a channel whose last refusal nothing explained: no request until then.
    const held = await this.#held(d.chatId);
    if (held !== undefined) return held;
    // A channel known to show no embeds from the bot (the cache, or REST after a refusal) is sent
    // text at once: no refused request per alert before it (Discord counts them: 10,000 ban).
    const known = this.#known(d.chatId);
    const asText = known?.send && !known.embedLinks ? known : undefined;
    for (let i = d.fromPart; i < bodies.length; i++) {
      let sent: APIMessage;
      try {
        sent = asText !== undefined ? await this.#textPart(d, i, bodies[i]!, asText.attachFiles) : await this.#part(d, i, bodies[i]!);
      } catch (err) {
        const result = err instanceof Held ? err.result : this.#classify(err);
        this.#o.log.debug('discord send failed', { channelId: d.chatId, message: d.messageKey, result: result.kind, error: causeLine(err) });
        return result;
      }
      // Stored before anything else follows: the next part, or the crosspost (never retried). Outside
      // the classification: the store's failure is the dispatcher's to handle, not Discord's answer.
      try {
        await d.partSent(i);
      } catch (e) {
        // A stop that starts nothing more, after the last part: the message is out, and its publish
        // belongs to it (the next start finds every part delivered and sends nothing, so it would
        // never be made): made now, then the stop goes on.
        if (!(e instanceof SendHalted) || i + 1 < bodies.length) throw e;
        await this.#publish(d.chatId, sent);
        throw e;
      }
      await this.#publish(d.chatId, sent);
    }
    // Said once the alert is out: a text refused, or waiting, did not go as text.
    if (asText !== undefined) this.#noEmbeds(d.chatId);
    if (this.#unexplained.delete(d.chatId)) this.#keepUnexplained(d.chatId, undefined);
    return { kind: 'sent' };
  }

  #now(): number {
    return (this.#o.now ?? Date.now)();
  }

  /** Why a send to the channel waits now without a request (a timeout in its server, an unexplained refusal's wait), or undefined. */
  async #held(channelId: string): Promise<SendResult | undefined> {
    if (this.#unexplainedRead === undefined) {
      const anew = this.#readAnew;
      this.#readAnew = false;
      this.#unexplainedRead = this.#readUnexplained(anew);
    }
    await this.#unexplainedRead;
    const now = this.#now();
    const known = this.#known(channelId);
    if (known?.timedOutUntil !== undefined && known.timedOutUntil > now) return this.#pause(channelId, known.guildId, known.timedOutUntil);
    if (known === undefined && this.#timedOut.size > 0) {
      for (const [g, until] of this.#timedOut) if (until <= now) this.#timedOut.delete(g);
      const guildId = this.#timedOut.size > 0 ? await this.#guildOf(channelId) : undefined;
      const until = guildId === undefined ? undefined : this.#timedOut.get(guildId);
      if (until !== undefined) return this.#pause(channelId, guildId, until);
    }
    const wait = this.#unexplained.get(channelId);
    if (wait !== undefined && wait.until > now)
      return { kind: 'retry', attempt: false, afterMs: wait.until - now, reason: 'waiting after a 50013 its rights do not explain' };
    return undefined;
  }

  /**
   * The gateway said the bot's rights may have changed in server `guildId`: a channel's (or its
   * category's) overwrites (CHANNEL_UPDATE), a role (GUILD_ROLE_UPDATE, _DELETE), the bot's own
   * member (GUILD_MEMBER_UPDATE: its roles, a timeout set or lifted). What REST said of that server's
   * channels is dropped, so their next alert goes by the cache the event updates (REST is asked again
   * only at a refusal), not as text for the rest of RIGHTS_ASKED_MS after the server fixed the bot's
   * rights; a timeout REST said goes with a member update. Channels whose server is not known (a DM)
   * had no such answer.
   */
  rightsChanged(guildId: string, what: 'channel' | 'role' | 'member'): void {
    for (const [channelId, a] of this.#asked) if (a.guild === guildId) this.#asked.delete(channelId);
    if (what === 'member') this.#timedOut.delete(guildId);
  }

  /**
   * This replica took the lead (again): the counts it holds may be another leader's past since (a
   * refusal counted there, a row ended by a delivery there), so the store's are read anew before
   * the next send, in their place (read then, not now: a lead taken costs no read until something is sent).
   */
  leadTaken(): void {
    // Read at the next send, as the first read is: a lead taken costs no read until something is sent.
    if (this.#unexplainedRead !== undefined) this.#readAnew = true;
    this.#unexplainedRead = undefined;
  }

  async #readUnexplained(anew = false): Promise<void> {
    const store = this.#o.unexplainedStore;
    if (store === undefined) return;
    try {
      const rows = await store.all();
      if (anew) this.#unexplained.clear();
      for (const [channelId, row] of rows) if (!this.#unexplained.has(channelId)) this.#unexplained.set(channelId, row);
    } catch (e) {
      this.#o.log.warn(`the channels' unexplained refusals could not be read (${causeLine(e)}): counted from 0 in this process`);
    }
  }

  /** Written in the background: a store that fails costs the count at the next restart, never a send. */
  #keepUnexplained(channelId: string, row: Unexplained | undefined): void {
    this.#o.unexplainedStore?.set(channelId, row).catch((e: unknown) => this.#o.log.debug(`unexplained refusal of ${channelId} not kept: ${causeLine(e)}`));
  }

  async #guildOf(channelId: string): Promise<string | undefined> {
    try {
      return await this.#o.guildOf?.(channelId);
    } catch {
      return undefined;
    }
  }

  /**
   * The bot timed out in the channel's server: a pause of that server's sends until the timeout
   * ends (no attempt spent, the channel kept), not a refusal's stop. One info line per timeout.
   */
  #pause(channelId: string, guildId: string | undefined, until: number): SendResult {
    const when = new Date(until).toISOString();
    const key = `${guildId ?? channelId}:${until}`;
    if (!this.#saidTimedOut.has(key)) {
      if (this.#saidTimedOut.size >= RIGHTS_ASKED_MAX) this.#saidTimedOut.clear();
      this.#saidTimedOut.add(key);
      this.#o.log.info(`discord bot is timed out in server ${guildId ?? '(unknown)'} until ${when}: its alerts there wait until then`, { channelId });
    }
    return {
      kind: 'retry',
      attempt: false,
      afterMs: until - this.#now(),
      reason: `the bot is timed out in server ${guildId ?? '(unknown)'} until ${when}`,
    };
  }

  /**
   * What a 50013 comes to where the rights after it do not call for another way (a plain text, a
   * message without its chart): the server's pause (the bot timed out), the channel stopped (it
   * may not send, as the cache and REST say it), or, where they say it may do what was refused
   * (`allowed`), an unexplained refusal: waited out UNEXPLAINED_WAIT_MS, doubling, the
   * UNEXPLAINED_MAX-th in a row stopping the channel. Always throws (Held).
   */
  #verdict(channelId: string, err: DiscordAPIError, rights: ChannelRights | undefined, asked: ChannelRights | undefined): never {
    const now = this.#now();
    if (rights?.timedOutUntil !== undefined && rights.timedOutUntil > now) throw new Held(this.#pause(channelId, rights.guildId, rights.timedOutUntil));
    const said = [rightsLine("the gateway's cache", this.#rights(channelId)), ...(asked === undefined ? [] : [rightsLine("Discord's REST", asked)])].join('; ');
    const reason = `${err.code} ${err.message} (${said})`;
    // A timeout said to have ended by now is no word on the channel: the refusal is then unexplained.
    if (rights !== undefined && !rights.send && rights.timedOutUntil === undefined) throw new Held({ kind: 'dead', cause: 'rights', reason });
    const count = (this.#unexplained.get(channelId)?.count ?? 0) + 1;
    if (count >= UNEXPLAINED_MAX) {
      this.#unexplained.delete(channelId);
      this.#keepUnexplained(channelId, undefined);
      throw new Held({ kind: 'dead', cause: 'rights', reason: `${reason}, ${count} times in a row` });
    }
    const wait = UNEXPLAINED_WAIT_MS * 2 ** (count - 1);
    this.#unexplained.set(channelId, { count, until: now + wait });
    this.#keepUnexplained(channelId, { count, until: now + wait });
    this.#o.log.warn(
      `discord channel ${channelId} refused a message (50013) that nothing known explains (${said}): its alerts wait ${wait / 60_000} min (${count} of ${UNEXPLAINED_MAX} before it is stopped)`,
    );
    throw new Held({ kind: 'retry', attempt: false, afterMs: wait, reason });
  }

  /**
   * One part as plain text, saying why, in a channel known to show no embeds from the bot: the first
   * with the chart as a file of its own where the bot may attach files (else saying it may not), not
   * through the shared upload, whose URL other channels show as an embed's image. Refused all the
   * same, what was known is behind: Discord is asked anew (askRights), and the refusal is read by its
   * answer (#verdict: a timeout, a stop, an unexplained refusal's wait), never followed by the embeds
   * (refused again, twice, where the bot may not embed); only a chart refused where Discord now says
   * Attach Files is missing goes once more, as text without it.
   */
  async #textPart(d: Delivery, i: number, body: Record<string, unknown>, attachFiles: boolean): Promise<APIMessage> {
    const chart = i === 0 ? d.chart : undefined;
    const note = i === 0 ? t(d.lang, 'discord.noEmbeds') : undefined;
    const nonce = deliveryNonce(d, i);
    try {
      if (chart === undefined) return (await this.#post(d.chatId, nonce, { body: plainText(body, note) })) as APIMessage;
      if (!attachFiles) {
        const noFiles = DiscordNotifier.body(d.message, d.mention ?? this.#o.defaultRole, undefined, t(d.lang, 'discord.noFiles'), this.#o.commandIds);
        return (await this.#post(d.chatId, nonce, { body: plainText(noFiles, note) })) as APIMessage;
      }
      return (await this.#post(d.chatId, nonce, {
        body: { ...plainText(body, note), attachments: [{ id: 0, filename: chart.filename }] },
        files: [{ name: chart.filename, data: chart.png, contentType: 'image/png' }],
      })) as APIMessage;
    } catch (err) {
      if (!(err instanceof DiscordAPIError && Number(err.code) === 50013)) throw err;
      // The word that sent it as text is behind: asked anew.
      this.#asked.delete(d.chatId);
      const asked = await this.#ask(d.chatId);
      if (chart !== undefined && attachFiles && asked?.send === true && !asked.attachFiles && asked.timedOutUntil === undefined) {
        const noFiles = DiscordNotifier.body(d.message, d.mention ?? this.#o.defaultRole, undefined, t(d.lang, 'discord.noFiles'), this.#o.commandIds);
        return (await this.#post(d.chatId, nonce, { body: plainText(noFiles, note) })) as APIMessage;
      }
      return this.#verdict(d.chatId, err, asked ?? this.#rights(d.chatId), asked);
    }
  }

  /**
   * One part, shown whatever the channel lets the bot embed. Without Embed Links (a moderator's
   * choice) Discord refuses a message of embeds alone (50013), and takes one with content (a role's
   * mention) or a chart, its embeds dropped: a reader would see a bare mention, or a chart with no
   * words. Then the part goes, or is edited, into plain text saying why, as an alert without its
   * chart says why (one request more; a 50013 again is the channel's end).
   */
  async #part(d: Delivery, i: number, body: Record<string, unknown>): Promise<APIMessage> {
    let sent: APIMessage;
    /** Sent as text already (#send: the chart refused, and the refusal's rights said no Embed Links either). */
    let text = false;
    try {
      if (i === 0) ({ message: sent, text } = await this.#send(d));
      else sent = (await this.#post(d.chatId, deliveryNonce(d, i), { body })) as APIMessage;
    } catch (err) {
      if (!(err instanceof DiscordAPIError && Number(err.code) === 50013)) throw err;
      // Only a refusal that may be Embed Links' is tried again as text: a channel the bot may not
      // post in is stopped now, not after one more refused request (Discord counts them: 10,000 bans).
      const rights = await this.#refused(d.chatId, 'embedLinks');
      if (rights !== undefined && (!rights.send || rights.embedLinks || rights.timedOutUntil !== undefined))
        this.#verdict(d.chatId, err, rights, this.#lately(d.chatId));
      sent = (await this.#post(d.chatId, deliveryNonce(d, i), { body: plainText(body, i === 0 ? t(d.lang, 'discord.noEmbeds') : undefined) })) as APIMessage;
      this.#noEmbeds(d.chatId);
      return sent;
    }
    if (text) this.#noEmbeds(d.chatId);
    if (text || sent.embeds.length > 0) return sent;
    // The embeds were dropped from the message made: its words put in as text (the mention is not made again by an edit).
    const edited = (await this.#o.rest.patch(Routes.channelMessage(d.chatId, sent.id), {
      body: plainText(body, i === 0 ? t(d.lang, 'discord.noEmbeds') : undefined),
    })) as APIMessage;
    this.#noEmbeds(d.chatId);
    return edited;
  }

  /** The gateway cache's word on the channel, or undefined (no cache, not in it, or it failed: then the refusal is read as before). */
  #rights(channelId: string): ChannelRights | undefined {
    try {
      return this.#o.permissions?.(channelId);
    } catch {
      return undefined;
    }
  }

  /**
   * What the bot may do in the channel: what REST said of it lately (askRights, RIGHTS_ASKED_MS)
   * while the cache says what it said then (a cache behind a right taken: its CHANNEL_UPDATE not
   * come yet, or no cache), else the cache's word; undefined when neither knows. A cache that moved
   * since (an update, its server arrived) is newer than REST's answer, which is then dropped, as
   * is one whose timeout has ended.
   */
  #known(channelId: string): ChannelRights | undefined {
    const cached = this.#rights(channelId);
    const asked = this.#asked.get(channelId);
    if (asked === undefined) return cached;
    const now = this.#now();
    const over = now - asked.at > RIGHTS_ASKED_MS || (asked.rights.timedOutUntil !== undefined && asked.rights.timedOutUntil <= now);
    if (!over && (cached === undefined || rightsKey(cached) === asked.cache)) return asked.rights;
    this.#asked.delete(channelId);
    return cached;
  }

  /** REST's answer kept for the channel, or undefined (for a reason line). */
  #lately(channelId: string): ChannelRights | undefined {
    return this.#asked.get(channelId)?.rights;
  }

  /**
   * The rights that explain a 50013 to a message needing `right` (Embed Links for embeds, Attach
   * Files for the chart): the cache's, when it says the bot lacks that or may not post at all;
   * else Discord's now (askRights: the cache does not hold the channel, or is behind a right taken
   * since), kept for the channel's next alerts; else the cache's, or undefined (then the refusal
   * is read as it always was: one retry the other way).
   */
  async #refused(channelId: string, right: 'embedLinks' | 'attachFiles'): Promise<ChannelRights | undefined> {
    const known = this.#known(channelId);
    if (known !== undefined && (!known.send || !known[right])) return known;
    return (await this.#ask(channelId)) ?? known;
  }

  /** REST's word on the channel (askRights), kept for its next alerts; one asked a moment ago (this message's other refusal) is not asked again. */
  async #ask(channelId: string): Promise<ChannelRights | undefined> {
    const lately = this.#asked.get(channelId);
    if (lately !== undefined && this.#now() - lately.at < RIGHTS_REASKED_MS) return lately.rights;
    let asked: ChannelRights | undefined;
    try {
      asked = await this.#o.askRights?.(channelId);
    } catch {
      asked = undefined;
    }
    if (asked === undefined) return undefined;
    // Its server, for the gateway's word that rights there changed (rightsChanged).
    const guild = asked.guildId ?? (await this.#guildOf(channelId));
    this.#asked.delete(channelId);
    this.#asked.set(channelId, { rights: asked, at: this.#now(), cache: rightsKey(this.#rights(channelId)), guild });
    if (this.#asked.size > RIGHTS_ASKED_MAX) this.#asked.delete(this.#asked.keys().next().value!);
    if (asked.timedOutUntil !== undefined && asked.guildId !== undefined) {
      this.#timedOut.set(asked.guildId, asked.timedOutUntil);
      if (this.#timedOut.size > RIGHTS_ASKED_MAX) this.#timedOut.delete(this.#timedOut.keys().next().value!);
    }
    return asked;
  }

  /** A role's name, for the trace its mention leaves (#publish); undefined when it cannot be had (the mention then goes without one). */
  async #roleName(channelId: string, roleId: string): Promise<string | undefined> {
    try {
      return await this.#o.roleName?.(channelId, roleId);
    } catch {
      return undefined;
    }
  }

  #noEmbeds(channelId: string): void {
    this.#o.log.info('discord channel shows no embeds from the bot (no Embed Links): the alert went as plain text', { channelId });
  }

  /**
   * In an announcement channel, publishes the message to every following server (one call). The
   * message is delivered already: a failed publish (Discord allows 10 an hour per channel) is
   * logged and counted, never a failed send, and never retried (a retry would send it twice).
   */
  async #publish(channelId: string, message: APIMessage): Promise<void> {
    try {
      if ((await this.#o.channelType?.(channelId)) !== ANNOUNCEMENT_CHANNEL) return;
      // A role of this server is no role in a following one: its mention would reach them as
      // @deleted-role above the alert, pinging nobody. It pinged here when the message was made
      // (an edit pings no one again), so it is taken out before the message is published.
      // The role's name stays, as plain text ("@Alerts"): this channel's readers still see whom it
      // was for, and followers read a name instead of @deleted-role.
      const mention = ROLE_MENTION.exec(message.content);
      if (mention !== null) {
        const name = await this.#roleName(channelId, mention[1]!);
        const trace = name === undefined ? '' : `@${escapeMarkdown(name)}${mention[0].endsWith('\n') ? '\n' : ''}`;
        const content = trace + message.content.slice(mention[0].length);
        await this.#o.rest.patch(Routes.channelMessage(channelId, message.id), { body: { content, allowed_mentions: { parse: [] } } });
      }
      await this.#o.rest.post(Routes.channelMessageCrosspost(channelId, message.id));
      this.#o.metrics?.crosspost('published');
    } catch (err) {
      this.#o.metrics?.crosspost('failed');
      this.#o.log.warn(`could not publish message ${message.id} in announcement channel ${channelId}: ${describe(err)}`);
    }
  }

  /** The first message's body (the whole message, when it fits one: bodies). */
  static body(
    m: LocalizedMessage,
    role: string | undefined,
    image: string | undefined,
    note?: string,
    commandIds?: ReadonlyMap<string, string>,
  ): Record<string, unknown> {
    const [first] = DiscordNotifier.bodies(m, role, image, note, commandIds);
    if (first === undefined) throw new Error('a message renders as at least one body');
    return first;
  }

  /**
   * The message as Discord message bodies, in order: the embeds (render.ts embedMessages: as many
   * messages as the text needs; the image on the first), the role mention in the first one's
   * `content`. `note` (a chart refused) is an embed more in the first message, whose room is kept
   * for it always, so the parts fall at the same lines whichever way the first one goes.
   */
  static bodies(
    m: LocalizedMessage,
    role: string | undefined,
    image: string | undefined,
    note?: string,
    commandIds?: ReadonlyMap<string, string>,
  ): Record<string, unknown>[] {
    const ping = m.mention && role !== undefined;
    const reply = messageReply(m);
    const noteReply = {
      status: reply.status,
      ...(reply.tone !== undefined ? { tone: reply.tone } : {}),
      lines: [[{ italic: note ?? t(m.lang, 'discord.noFiles') }]],
    };
    const noteEmbed = embedMessages(noteReply, undefined, m.lang, commandIds)[0]?.[0];
    const reserve = { chars: (noteEmbed?.description?.length ?? 0) + 1, embeds: 1 };
    // The embeds a command reply gets (render.ts): one renderer for both.
    return embedMessages(reply, image, m.lang, commandIds, reserve).map((embeds, i) => ({
      ...(ping && i === 0 ? { content: `<@&${role}>` } : {}),
      embeds: i === 0 && note !== undefined && noteEmbed !== undefined ? withNote(embeds, noteEmbed) : embeds,
      // Only the chat's own role may ping: never @everyone or a user named in a text.
      allowed_mentions: ping && i === 0 ? { parse: [], roles: [role] } : { parse: [] },
    }));
  }

  /** The first part: with the chart, uploaded once or by its URL; `text` when it went as plain text. */
  async #send(d: Delivery): Promise<{ message: APIMessage; text: boolean }> {
    const channelId = d.chatId;
    const nonce = deliveryNonce(d, 0);
    const role = d.mention ?? this.#o.defaultRole;
    const chart: ChartFile | undefined = d.chart;
    if (chart === undefined) {
      const message = (await this.#post(channelId, nonce, {
        body: DiscordNotifier.body(d.message, role, undefined, undefined, this.#o.commandIds),
      })) as APIMessage;
      return { message, text: false };
    }
    // The message actually sent (by upload or by the reused URL): an announcement channel publishes it.
    let sent: APIMessage | undefined;
    let withoutChart = false;
    let text = false;
    try {
      await this.#files.send(
        d.messageKey,
        chart,
        async () => {
          const body = {
            ...DiscordNotifier.body(d.message, role, `attachment://${chart.filename}`, undefined, this.#o.commandIds),
            attachments: [{ id: 0, filename: chart.filename }],
          };
          try {
            sent = (await this.#post(channelId, nonce, { body, files: [{ name: chart.filename, data: chart.png, contentType: 'image/png' }] })) as APIMessage;
          } catch (err) {
            // Missing Permissions on an upload: perhaps only Attach Files (a moderator's choice). The
            // alert goes without its chart, saying why (one request more; a 50013 again is the
            // channel's end), and another channel uploads the chart.
            if (!(err instanceof DiscordAPIError && Number(err.code) === 50013)) throw err;
            const rights = await this.#refused(channelId, 'attachFiles');
            if (rights !== undefined && (!rights.send || rights.attachFiles || rights.timedOutUntil !== undefined))
              this.#verdict(channelId, err, rights, this.#lately(channelId));
            const body = DiscordNotifier.body(d.message, role, undefined, t(d.lang, 'discord.noFiles'), this.#o.commandIds);
            // Without Embed Links too (REST said so: the cache would have sent text at once): the
            // text now, not the embeds refused first.
            text = rights?.embedLinks === false;
            sent = (await this.#post(channelId, nonce, { body: text ? plainText(body, t(d.lang, 'discord.noEmbeds')) : body })) as APIMessage;
            withoutChart = true;
            throw err;
          }
          return sent.attachments[0]?.url;
        },
        async (url) => {
          sent = (await this.#post(channelId, nonce, { body: DiscordNotifier.body(d.message, role, url, undefined, this.#o.commandIds) })) as APIMessage;
        },
      );
    } catch (err) {
      if (!withoutChart || sent === undefined) throw err;
      this.#o.log.info('discord channel takes no files from the bot: the alert went without its chart', { channelId });
    }
    if (sent === undefined) throw new Error('discord send: no message was sent');
    return { message: sent, text };
  }

  /**
   * Discord's answer, or its absence, as a SendResult; when to try again is the dispatcher's call.
   * Only what is Discord's or the network's is an outage (no attempt spent, waited out for up to a
   * day): a 5xx, a global 429, no answer (no-answer.ts). Anything else thrown is a fault of ours
   * (a TypeError building the message, an answer our code cannot read): it spends an attempt, so
   * the message is given up after the dispatcher's attempts instead of retried quietly for a day.
   */
  #classify(err: unknown): SendResult {
    if (err instanceof RateLimitError) {
      // Only long waits reach us (rejectOnRateLimit); short ones @discordjs/rest waits out itself.
      return { kind: 'retry', afterMs: err.retryAfter, reason: `429 on ${err.route}`, global: err.global };
    }
    if (err instanceof DiscordAPIError) {
      const cause = DEAD_CODES.get(Number(err.code));
      if (cause !== undefined) return { kind: 'dead', cause, reason: `${err.code} ${err.message}` };
      // Discord's own failure, not this channel's: an outage, waited out (alerts/notifier.ts).
      if (err.status >= 500) return { kind: 'retry', reason: `${err.status} ${err.message}`, outage: true };
      // The bot's token refused (reset in the Developer Portal while running): every channel's send
      // fails alike. Waited out as an outage pausing the queue: kept for a day, not given up after
      // ten tries, and no line a channel.
      if (err.status === 401) {
        if (!this.#tokenRefused) {
          this.#tokenRefused = true;
          this.#o.tokenBell?.ring();
        }
        return DiscordNotifier.tokenRefused;
      }
      // Any other 4xx is our bug (a bad request stays bad): retry (the backoff makes it late), loudly, rather than drop the channel.
      this.#o.log.error('discord refused a message', { code: err.code, error: err.message });
      return { kind: 'retry', reason: err.message };
    }
    if (err instanceof HTTPError) {
      const reason = `${err.status} ${err.message}`;
      return err.status >= 500 ? { kind: 'retry', reason, outage: true } : { kind: 'retry', reason };
    }
    // No answer: the network, a timeout (@discordjs/rest has retried a reset or an abort once already).
    if (noAnswer(err)) return { kind: 'retry', reason: causeLine(err), outage: true };
    // Ours: said once, with what it is (its stack is for a debugger, not this log).
    const reason = err instanceof Error ? `${err.name}: ${causeLine(err)}` : String(err);
    this.#o.log.error(`discord send failed on our side: ${reason}`);
    return { kind: 'retry', reason };
  }
}

/** The role mention a message starts with (DiscordNotifier.bodies), with the line break after it when text follows (plainText). */
const ROLE_MENTION = /^<@&(\d+)>\n?/;

/** Discord's limit on a message's content. */
const CONTENT_MAX = 2000;

/**
 * A message body's embeds as plain text (their markdown as written), the note last in italics, its
 * mention kept: what a channel that shows no embeds from the bot can read. Cut at a line to fit.
 */
export function plainText(body: Record<string, unknown>, note: string | undefined): Record<string, unknown> {
  const lines: string[] = [];
  for (const e of (body.embeds ?? []) as APIEmbed[]) {
    if (e.title !== undefined) lines.push(`**${e.title}**`);
    if (e.description !== undefined) lines.push(e.description);
    for (const f of e.fields ?? []) lines.push(`**${f.name}** ${f.value}`);
    if (e.footer?.text !== undefined) lines.push(e.footer.text);
  }
  const mention = typeof body.content === 'string' && body.content !== '' ? `${body.content}\n` : '';
  const tail = note === undefined ? '' : `\n*${note}*`;
  const room = CONTENT_MAX - mention.length - tail.length;
  let text = lines.join('\n');
  if (text.length > room) text = `${text.slice(0, Math.max(0, text.lastIndexOf('\n', room - 1)))}\n…`;
  const { embeds: _, ...rest } = body;
  return { ...rest, content: `${mention}${text}${tail}`, embeds: [] };
}

/** The note as the first message's last line, below its text; an embed of its own where that embed is full. */
function withNote(embeds: readonly APIEmbed[], note: APIEmbed): APIEmbed[] {
  const last = embeds.at(-1);
  const text = last?.description ?? '';
  if (last === undefined || text.length + 1 + (note.description?.length ?? 0) > EMBED_DESCRIPTION_MAX) return [...embeds, note];
  return [...embeds.slice(0, -1), { ...last, description: `${text}\n${note.description ?? ''}` }];
}

function describe(err: unknown): string {
  if (err instanceof RateLimitError) return `429 on ${err.route}, retry after ${Math.ceil(err.retryAfter / 1000)} s`;
  if (err instanceof DiscordAPIError) return `${err.status} ${err.code} ${err.message}`;
  return err instanceof Error ? err.message : String(err);
}

/**
 * The nonce of one part of one delivery (a message to a channel): the same on every attempt, in
 * every process, and another for every other delivery and part. Discord takes up to 25 characters;
 * 25 hex digits of a SHA-256 are 100 bits.
 */
export function deliveryNonce(d: Pick<Delivery, 'messageKey' | 'chatId'>, part: number): string {
  return createHash('sha256').update(`${d.messageKey}\0${d.chatId}\0${part}`).digest('hex').slice(0, 25);
}

function channelSpecific(err: unknown): boolean {
  return err instanceof Held || (err instanceof DiscordAPIError && DEAD_CODES.has(Number(err.code)));
}
