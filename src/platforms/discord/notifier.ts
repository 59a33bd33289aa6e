/**
 * Delivers outbox messages to Discord channels for the dispatcher: one bot message per channel
 * (one part) with an embed built from the LocalizedMessage (title, lines, fields, footer, colour
 * by tone, the chart) and the chat's role mention in `content` (a mention inside an embed pings
 * nobody). The chart is uploaded once per message and language; the other channels show the
 * first message's attachment URL as `embed.image.url`. Retry decisions live in the dispatcher;
 * this file keeps Discord's global second and translates Discord's answers into SendResults.
 */
import { createHash } from 'node:crypto';
import { DiscordAPIError, HTTPError, RateLimitError, Routes, type REST } from 'discord.js';
import type { APIEmbed, APIMessage } from 'discord.js';
import type { ChartFile, Delivery, Notifier, SendResult } from '../../alerts/notifier.ts';
import type { LocalizedMessage } from '../../domain/message.ts';
import type { Logger } from '../../log.ts';
import { escapeMarkdown } from 'discord.js';
import { COLOR, EMBED_DESCRIPTION_MAX } from './render.ts';
import { sleep } from '../../alerts/rate-limit.ts';

/** Answers about the channel itself: deactivate the subscription at once (Discord bans an IP after 10,000 invalid requests in 10 minutes). */
export const DEAD_CODES: ReadonlySet<number> = new Set([10003, 10004, 10015, 50001, 50007, 50013]);

export interface DiscordNotifierOptions {
  readonly rest: REST;
  /** Requests per second in total (config.discord.rate). */
  readonly rate: number;
  readonly log: Logger;
  /** The role to mention where a channel set none (DISCORD_ALERT_ROLE_ID). */
  readonly defaultRole?: string;
}

type Upload = { readonly url: string } | { readonly error: unknown };

const FILE_CACHE = 64;
/**
 * At most `limit` requests in any second as Discord counts them (by arrival). A request arrives
 * somewhere between its start and its answer, so a slot is held from the start until one second
 * after the answer: no two requests counted in one of Discord's seconds can exceed the limit,
 * however late a busy event loop or the network delivered them. The cost is one round trip per
 * slot: at 50/s and 40 ms that is 48 requests a second.
 */
class SlidingWindow {
  /** When each slot frees: Infinity while its request is in flight. */
  readonly #slots: number[] = [];
  constructor(
    readonly limit: number,
    readonly windowMs = 1_000,
  ) {}

  /** Resolves with the function to call when the answer (or the failure) arrived. */
  async take(): Promise<() => void> {
    for (;;) {
      const now = Date.now();
      for (let i = this.#slots.length - 1; i >= 0; i--) if (this.#slots[i]! <= now) this.#slots.splice(i, 1);
      if (this.#slots.length < this.limit) {
        this.#slots.push(Infinity);
        let done = false;
        return () => {
          if (done) return;
          done = true;
          // In-flight slots are alike: turning any one of them into a timed one is the same.
          const j = this.#slots.indexOf(Infinity);
          if (j >= 0) this.#slots[j] = Date.now() + this.windowMs;
        };
      }
      const next = Math.min(...this.#slots);
      await sleep(Number.isFinite(next) ? next - now + 1 : 5);
    }
  }
}

export class DiscordNotifier implements Notifier {
  readonly platform = 'discord' as const;
  /** A little under the limit: the dispatcher's even pace plus jitter must not cross Discord's second. */
  readonly ratePerSecond: number;
  /** Uploads done so far (the benchmark and tests read it). */
  uploads = 0;
  readonly #o: DiscordNotifierOptions;
  readonly #files = new Map<string, Promise<Upload>>();
  readonly #hashes = new WeakMap<Buffer, string>();
  /**
   * At most `rate` requests in any of Discord's seconds. The dispatcher paces the sends evenly,
   * but sends that waited together (for the chart, for the one upload, or for a late timer on a
   * busy machine) would leave at once and put more than `rate` into one of Discord's seconds.
   */
  readonly #window: SlidingWindow;

  constructor(options: DiscordNotifierOptions) {
    this.#o = options;
    this.ratePerSecond = options.rate * 0.97;
    this.#window = new SlidingWindow(Math.max(1, Math.floor(options.rate)));
  }

  async #post(channelId: string, options: Parameters<REST['post']>[1]): Promise<unknown> {
    const answered = await this.#window.take();
    try {
      return await this.#o.rest.post(Routes.channelMessages(channelId), options);
    } finally {
      answered();
    }
  }

  async send(d: Delivery): Promise<SendResult> {
    // One message is one part: a part already delivered means the whole message was.
    if (d.fromPart >= 1) return { kind: 'sent' };
    try {
      await this.#send(d);
      d.partSent(0);
    } catch (err) {
      const result = this.#classify(err);
      this.#o.log.debug('discord send failed', { channelId: d.chatId, message: d.messageKey, result: result.kind, error: String(err) });
      return result;
    }
    return { kind: 'sent' };
  }

  /** The message body: the embed (image: an attachment or a reused URL) and the role mention. */
  static body(m: LocalizedMessage, role: string | undefined, image: string | undefined): Record<string, unknown> {
    const embed: APIEmbed = {
      ...(m.title !== undefined ? { title: m.title.slice(0, 256) } : {}),
      description: escapeMarkdown(m.lines.join('\n')).slice(0, EMBED_DESCRIPTION_MAX),
      color: m.tone === 'up' ? COLOR.up : m.tone === 'down' ? COLOR.down : COLOR.neutral,
      ...(m.fields.length > 0
        ? { fields: m.fields.slice(0, 25).map((f) => ({ name: f.name.slice(0, 256), value: f.value.slice(0, 1024), inline: f.inline })) }
        : {}),
      ...(m.footer !== undefined ? { footer: { text: m.footer.slice(0, 2048) } } : {}),
      ...(image !== undefined ? { image: { url: image } } : {}),
    };
    const ping = m.mention && role !== undefined;
    return {
      ...(ping ? { content: `<@&${role}>` } : {}),
      embeds: [embed],
      // Only the chat's own role may ping: never @everyone or a user named in a text.
      allowed_mentions: ping ? { parse: [], roles: [role] } : { parse: [] },
    };
  }

  async #send(d: Delivery): Promise<void> {
    const channelId = d.chatId;
    const role = d.mention ?? this.#o.defaultRole;
    const chart: ChartFile | undefined = d.chart;
    if (chart === undefined) {
      await this.#post(channelId, { body: DiscordNotifier.body(d.message, role, undefined) });
      return;
    }
    const key = `${d.messageKey}:${this.#hash(chart.png)}`;
    for (;;) {
      const pending = this.#files.get(key);
      if (pending !== undefined) {
        const upload = await pending;
        if ('url' in upload) {
          await this.#post(channelId, { body: DiscordNotifier.body(d.message, role, upload.url) });
          return;
        }
        // The uploader's channel was the problem: loop, and maybe upload ourselves. Anything else
        // (a 429, 5xx, the network) holds for us too: fail the same way without a call.
        if (!channelSpecific(upload.error)) throw upload.error;
        continue;
      }
      let settle!: (u: Upload) => void;
      this.#files.set(key, new Promise((resolve) => (settle = resolve)));
      this.#trim();
      try {
        const body = { ...DiscordNotifier.body(d.message, role, `attachment://${chart.filename}`), attachments: [{ id: 0, filename: chart.filename }] };
        const sent = (await this.#post(channelId, { body, files: [{ name: chart.filename, data: chart.png, contentType: 'image/png' }] })) as APIMessage;
        this.uploads++;
        const url = sent.attachments[0]?.url;
        if (url === undefined) {
          this.#files.delete(key);
          settle({ error: new Error('the upload answered without an attachment URL') });
        } else settle({ url });
        return;
      } catch (err) {
        this.#files.delete(key);
        settle({ error: err });
        throw err;
      }
    }
  }

  /** Discord's answer as a SendResult; when to try again is the dispatcher's call. */
  #classify(err: unknown): SendResult {
    if (err instanceof RateLimitError) {
      // Only long waits reach us (rejectOnRateLimit); short ones @discordjs/rest waits out itself.
      return { kind: 'retry', afterMs: err.retryAfter, reason: `429 on ${err.route}`, global: err.global };
    }
    if (err instanceof DiscordAPIError) {
      if (DEAD_CODES.has(Number(err.code))) return { kind: 'dead', reason: `${err.code} ${err.message}` };
      if (err.status >= 500) return { kind: 'retry', reason: `${err.status} ${err.message}` };
      // Any other 4xx is our bug (a bad request stays bad): retry (the backoff makes it late), loudly, rather than drop the channel.
      this.#o.log.error('discord refused a message', { code: err.code, error: err.message });
      return { kind: 'retry', reason: err.message };
    }
    if (err instanceof HTTPError) return { kind: 'retry', reason: `${err.status} ${err.message}` };
    // Network errors and timeouts (@discordjs/rest has retried them once already).
    if (err instanceof Error) return { kind: 'retry', reason: err.message };
    throw err;
  }

  #hash(png: Buffer): string {
    let h = this.#hashes.get(png);
    if (h === undefined) {
      h = createHash('sha1').update(png).digest('hex');
      this.#hashes.set(png, h);
    }
    return h;
  }

  #trim(): void {
    while (this.#files.size > FILE_CACHE) {
      const oldest = this.#files.keys().next().value;
      if (oldest === undefined) break;
      this.#files.delete(oldest);
    }
  }
}

function channelSpecific(err: unknown): boolean {
  return err instanceof DiscordAPIError && DEAD_CODES.has(Number(err.code));
}
