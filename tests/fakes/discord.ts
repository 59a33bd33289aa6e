/**
 * A local fake of Discord: ONE HTTP server that is both the REST API (under /api/v10) and the
 * gateway websocket, so a real discord.js `Client` (rest.api = fake.api) and a real
 * @discordjs/rest `REST` log in and talk to it. It records every request (method, route, JSON
 * body or payload_json, uploaded files), answers IDENTIFY with READY, dispatches
 * INTERACTION_CREATE / GUILD_DELETE on demand, injects faults in Discord's shapes
 * (`{message, code}`, 429 with `retry_after` in float seconds and the `X-RateLimit-*` headers), and
 * can enforce a global requests/s limit and count the requests beyond it. As Discord does with an
 * Interactions Endpoint URL, it also POSTs interactions to the bot's endpoint, signed with an
 * Ed25519 key pair of its own (`publicKey` is what the bot is given as DISCORD_PUBLIC_KEY).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { multipartBoundary, parseMultipart, type MultipartFile } from './multipart.ts';
import { WAIT_MS } from './wait.ts';

// biome-ignore lint/suspicious/noExplicitAny: recorded wire JSON; tests read it freely, as Discord's own payloads are.
type Json = any;

export const FAKE_APP_ID = '900000000000000001';
export const FAKE_BOT_ID = '900000000000000002';

export interface RecordedRequest {
  readonly method: string;
  /** Path after /api/v10, decoded (`/webhooks/1/tok/messages/@original`). */
  readonly path: string;
  readonly query: URLSearchParams;
  /** JSON body, or the parsed `payload_json` of a multipart body. */
  readonly body: Json;
  readonly files: readonly MultipartFile[];
  readonly auth: string | undefined;
  readonly at: number;
  /** What the fake answered (-1: no answer). */
  status: number;
  /** The answer is dropped once made ('lost-answer'). */
  lost?: boolean;
}

export type DiscordErrorCode = 10003 | 10004 | 10008 | 10015 | 10062 | 50001 | 50007 | 50013 | 50035 | 50083 | 160005;

export type Fault =
  /** A per-route (bucket) 429: `X-RateLimit-Scope: user`, global false. */
  | { readonly kind: 'route-429'; readonly retryAfter: number }
  /** A global 429: `X-RateLimit-Global: true`, body `global: true`. */
  | { readonly kind: 'global-429'; readonly retryAfter: number }
  | { readonly kind: 'error'; readonly status: number; readonly code: DiscordErrorCode; readonly message?: string }
  | { readonly kind: '5xx'; readonly status?: number }
  /** Drop the connection without an answer. */
  | { readonly kind: 'reset' }
  /** Take the request and never answer (until the client gives up or the fake closes). */
  | { readonly kind: 'silent' }
  /** Do what the request asks (a message is made), then drop the connection before the answer: a timeout after Discord acted. */
  | { readonly kind: 'lost-answer' }
  /** Answer `body` with `status` instead of what Discord would (a shape our code may not expect); nothing is made. */
  | { readonly kind: 'answer'; readonly status: number; readonly body: Json };

interface FaultRule {
  readonly method: string | undefined;
  readonly path: RegExp;
  readonly fault: Fault;
  remaining: number;
  /** Matching requests still let through before the fault starts. */
  after: number;
}

export interface FakeDiscordOptions {
  readonly token?: string;
  /** Global limit, requests per second (a sliding second); beyond it 429 global and a counted violation. Interaction responses do not count, as at Discord. */
  readonly rateLimit?: number;
  /** Answers of POST /channels/:id/messages are delayed this long (a round trip). */
  readonly latencyMs?: number;
  /**
   * As Discord does: an interaction's first response (its callback) coming later than this after
   * the interaction was dispatched is refused, 404 10062 Unknown interaction (Discord: 3 s).
   * Off by default.
   */
  readonly firstResponseMs?: number;
}

const ERROR_MESSAGES: Record<number, string> = {
  10003: 'Unknown Channel',
  10004: 'Unknown Guild',
  10008: 'Unknown Message',
  10015: 'Unknown Webhook',
  50001: 'Missing Access',
  50007: 'Cannot send messages to this user',
  50013: 'Missing Permissions',
  50035: 'Invalid Form Body',
  10062: 'Unknown interaction',
  50083: 'Operation cannot be performed on an archived thread',
  160005: 'Thread is locked',
};

let snowflake = 1_000_000_000_000_000n;
export const nextId = (): string => String(++snowflake);

/** What the bot's Interactions Endpoint answered one POST. */
export interface EndpointAnswer {
  readonly status: number;
  /** The parsed JSON answer, or undefined when it was not JSON. */
  readonly body: Json;
  readonly text: string;
  /** From the POST to the whole answer, ms (Discord waits 3 s). */
  readonly ms: number;
}

export class FakeDiscord {
  readonly token: string;
  /** The application's Ed25519 key pair: the private half signs what postInteraction sends. */
  readonly #keys: { readonly privateKey: KeyObject; readonly publicKey: KeyObject } = generateKeyPairSync('ed25519');
  readonly requests: RecordedRequest[] = [];
  /** Gateway frames received from clients (IDENTIFY, heartbeats...). */
  readonly gatewayIn: Json[] = [];
  /** Requests answered 429 because the client went past `rateLimit` (not injected faults). */
  violations = 0;
  rateLimit: number | undefined;
  latencyMs: number;
  /** The first-response window (FakeDiscordOptions.firstResponseMs), or undefined: no window. */
  firstResponseMs: number | undefined;
  /** When each interaction was dispatched (interact), by id. */
  readonly #dispatchedAt = new Map<string, number>();
  /** Channels `GET /channels/:id` knows; others answer 10003. */
  readonly channels = new Map<string, { id: string; type: number; guild_id?: string; name?: string; permission_overwrites?: unknown[] }>();
  /** Guilds `GET /guilds/:id` and `GET /guilds/:id/members/:user` know (addGuild); others answer 10004. */
  readonly guilds = new Map<string, Json>();
  /**
   * Servers that added the app with its commands only (the `applications.commands` scope, no bot
   * user), with their channels: Discord answers the bot's look-ups there as it does for a server
   * the bot is not in (installWithoutBot).
   */
  readonly #withoutBot = new Map<string, Set<string>>();
  /** Servers interactions came from: they exist, and unless installed without the bot, the bot is a member. */
  readonly #seenGuilds = new Set<string>();
  /**
   * The servers the bot is in, as each new session learns them from Discord: listed unavailable in
   * READY, then a GUILD_CREATE each with the payload as it is now (a test changes it while the bot
   * is away). Servers joined mid-session are dispatched by the test (`dispatch('GUILD_CREATE', …)`).
   */
  readonly memberOf = new Map<string, Record<string, unknown>>();
  /** READY's `shard` ([id, count]): the shard a session is, whose servers alone READY lists (memberOf holds those). */
  readyShard: [number, number] = [0, 1];
  /** How long apart a new session's GUILD_CREATEs come (Discord's for thousands of servers take seconds; the Client is ready after the last). */
  guildCreateGapMs = 0;
  /** Registered commands per scope key (`global` or the guild id). */
  readonly commands = new Map<string, unknown[]>();
  readonly #server: Server;
  readonly #wss: WebSocketServer;
  readonly #sockets = new Set<WebSocket>();
  readonly #faults: FaultRule[] = [];
  /** Channels where the bot lacks Attach Files: a message with a file is refused there (50013), one without is not. */
  readonly #noAttach = new Set<string>();
  /**
   * Channels where the bot lacks Embed Links. Discord then refuses a message of embeds alone (403
   * 50013 Missing Permissions), and takes one with content or files, its embeds dropped: the
   * message answered, and what a reader sees, has none (discord-api-docs issue 2601).
   */
  readonly #noEmbed = new Set<string>();
  readonly #recent: number[] = [];
  /**
   * The messages made in each channel by POST /channels/:id/messages (a nonce's repeat makes none).
   * Requests count attempts; this counts what a reader of the channel sees.
   */
  readonly made = new Map<string, { id: string; nonce?: string; body: Json }[]>();
  /** The messages published (crossposted) from each announcement channel, as following servers receive them. */
  readonly published = new Map<string, Json[]>();
  /**
   * How long a nonce sent with `enforce_nonce` is remembered per channel: Discord answers a post
   * repeating one within "the past few minutes" with the message it made, and makes none.
   */
  nonceWindowMs = 3 * 60_000;
  readonly #nonces = new Map<string, { at: number; message: unknown }>();
  #seq = 0;
  /** Dispatches made while sessions were dropped to be resumed (dropSessions): replayed on RESUME, as Discord does. */
  #missed: string[] | undefined;
  #identified: Array<() => void> = [];
  #isIdentified = false;

  private constructor(options: FakeDiscordOptions) {
    this.token = options.token ?? 'fake-discord-token';
    this.rateLimit = options.rateLimit;
    this.latencyMs = options.latencyMs ?? 0;
    this.firstResponseMs = options.firstResponseMs;
    this.#server = createServer((req, res) => {
      this.#handle(req, res).catch((err: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ message: String(err), code: 0 }));
      });
    });
    this.#wss = new WebSocketServer({ server: this.#server, path: '/gateway' });
    this.#wss.on('connection', (ws) => this.#onSocket(ws));
  }

  static async start(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
    const fake = new FakeDiscord(options);
    await new Promise<void>((resolve) => fake.#server.listen(0, '127.0.0.1', () => resolve()));
    return fake;
  }

  get port(): number {
    return (this.#server.address() as AddressInfo).port;
  }

  /** The REST base for discord.js and @discordjs/rest (`rest.api`); they append `/v10`. */
  get api(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }

  /**
   * Makes a guild known to REST only (no GUILD_CREATE: a guild the Client has not cached): the
   * guild with its roles, its members, and its channels with their permission overwrites.
   */
  addGuild(payload: Record<string, unknown>): void {
    const g = payload as Json;
    this.guilds.set(g.id, g);
    for (const c of g.channels ?? []) this.channels.set(c.id, { ...c, guild_id: g.id });
  }

  /**
   * A server that added the app without its bot user (only `applications.commands`): interactions
   * still come from it, but, as Discord answers a bot about a server it is not in, `GET
   * /guilds/:id` is 404 10004 Unknown Guild, `GET /guilds/:id/members/:user` 403 50001 Missing
   * Access, and its channels (`GET /channels/:id`, a message posted there) 403 50001.
   */
  installWithoutBot(guildId: string, channelIds: readonly string[] = []): void {
    this.#withoutBot.set(guildId, new Set(channelIds));
  }

  /** Injects `fault` into the next `times` requests whose path matches (and method, if given). */
  /** The next `times` requests to `path` (after `after` of them were let through) get `fault`. */
  fail(path: RegExp, fault: Fault, times = 1, method?: string, after = 0): void {
    this.#faults.push({ method, path, fault, remaining: times, after });
  }

  /** Takes the bot's Attach Files permission in a channel, as a server's moderator would. */
  denyAttachFiles(channelId: string): void {
    this.#noAttach.add(channelId);
  }

  /** Takes the bot's Embed Links permission in a channel, as a server's moderator would. */
  denyEmbedLinks(channelId: string): void {
    this.#noEmbed.add(channelId);
  }

  /** Gives the bot back what denyEmbedLinks and denyAttachFiles took in a channel (the server fixed its rights). */
  giveBack(channelId: string): void {
    this.#noEmbed.delete(channelId);
    this.#noAttach.delete(channelId);
  }

  /** Requests whose method and path match. */
  calls(method: string, path: RegExp): RecordedRequest[] {
    return this.requests.filter((r) => r.method === method && path.test(r.path));
  }

  /** Resolves once a client has identified (the Client is then ready on READY). */
  identified(): Promise<void> {
    if (this.#isIdentified) return Promise.resolve();
    return new Promise((resolve) => this.#identified.push(resolve));
  }

  /** Sends a dispatch (op 0) to every connected gateway client (kept for its RESUME while its session is dropped). */
  dispatch(t: string, d: unknown): void {
    const frame = JSON.stringify({ op: 0, t, s: ++this.#seq, d });
    if (this.#missed !== undefined) {
      this.#missed.push(frame);
      return;
    }
    for (const ws of this.#sockets) ws.send(frame);
  }

  /**
   * Closes every gateway connection as Discord may: `resume` with 4000 (the client resumes its
   * session, and what was dispatched meanwhile is replayed before RESUMED), else with 1000 (it
   * identifies anew: READY and a GUILD_CREATE per server of memberOf, as it is by then).
   */
  dropSessions(resume: boolean): void {
    this.#missed = resume ? [] : undefined;
    for (const ws of this.#sockets) ws.close(resume ? 4000 : 1000, resume ? 'Unknown error' : 'Session ended');
  }

  /** Dispatches INTERACTION_CREATE and returns the interaction's id and token. */
  interact(payload: Record<string, unknown>): { id: string; token: string } {
    const id = (payload.id as string | undefined) ?? nextId();
    const token = (payload.token as string | undefined) ?? `itoken-${id}`;
    this.#dispatchedAt.set(id, Date.now());
    this.#seen(payload);
    this.dispatch('INTERACTION_CREATE', { version: 1, application_id: FAKE_APP_ID, entitlements: [], ...this.#commandOf(payload), id, token });
    return { id, token };
  }

  /**
   * A command interaction (or its autocomplete) carries the id of the command used, as Discord's
   * does: the server's own registration of that name where the interaction comes from a server
   * that has one (then `data.guild_id` too), else the global one; a name never registered gets a
   * fresh id. A payload that gives `data.id` keeps it. An option of a type other than the one
   * registered is refused (thrown at the test): Discord's client only sends what the registration
   * lets one type (no `4w` in an integer option).
   */
  #commandOf(payload: Record<string, unknown>): Record<string, unknown> {
    const data = payload.data as { id?: string; name?: string; options?: { name: string; type: number }[] } | undefined;
    if ((payload.type !== 2 && payload.type !== 4) || data === undefined || data.id !== undefined) return payload;
    const guildId = payload.guild_id as string | undefined;
    const find = (scope: string) =>
      (this.commands.get(scope) as { name: string; id: string; options?: { name: string; type: number }[] }[] | undefined)?.find((c) => c.name === data.name);
    const own = guildId === undefined ? undefined : find(guildId);
    for (const o of data.options ?? []) {
      const declared = (own ?? find('global'))?.options?.find((d) => d.name === o.name);
      if (declared !== undefined && declared.type !== o.type)
        throw new Error(`fake discord: /${data.name}'s option ${o.name} is registered as type ${declared.type}; Discord never sends it as type ${o.type}`);
    }
    const id = own?.id ?? find('global')?.id ?? nextId();
    return { ...payload, data: { ...data, id, ...(own !== undefined ? { guild_id: guildId } : {}) } };
  }

  #seen(payload: Record<string, unknown>): void {
    if (typeof payload.guild_id === 'string') this.#seenGuilds.add(payload.guild_id);
  }

  /** The application's public key as the Developer Portal shows it: 64 hex characters (the raw 32 bytes). */
  get publicKey(): string {
    // The SPKI DER of an Ed25519 key is a 12-byte prefix and the raw key.
    return this.#keys.publicKey.export({ format: 'der', type: 'spki' }).subarray(12).toString('hex');
  }

  /** Discord's signature (hex) of timestamp + body. */
  sign(timestamp: string, body: string | Buffer): string {
    return sign(null, Buffer.concat([Buffer.from(timestamp), Buffer.from(body)]), this.#keys.privateKey).toString('hex');
  }

  /**
   * POSTs an interaction to the bot's endpoint as Discord does: the same envelope as `interact`,
   * signed over the timestamp and the exact bytes sent. `raw` sends those bytes instead of the
   * payload's JSON (still signed); `signature: null` sends no signature headers; a string sends
   * that signature; `timestamp` overrides the current one (seconds).
   */
  async postInteraction(
    url: string,
    payload: Record<string, unknown>,
    o: { readonly raw?: string | Buffer; readonly signature?: string | null; readonly timestamp?: string } = {},
  ): Promise<EndpointAnswer & { readonly id: string; readonly token: string }> {
    const id = (payload.id as string | undefined) ?? nextId();
    const token = (payload.token as string | undefined) ?? `itoken-${id}`;
    this.#seen(payload);
    const body = o.raw ?? JSON.stringify({ version: 1, application_id: FAKE_APP_ID, entitlements: [], ...this.#commandOf(payload), id, token });
    const timestamp = o.timestamp ?? String(Math.floor(Date.now() / 1000));
    const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'Discord-Interactions/1.0 (+https://discord.com)' };
    if (o.signature !== null) {
      headers['x-signature-ed25519'] = o.signature ?? this.sign(timestamp, body);
      headers['x-signature-timestamp'] = timestamp;
    }
    const t0 = performance.now();
    const res = await fetch(url, { method: 'POST', headers, body });
    const text = await res.text();
    let parsed: Json;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    return { id, token, status: res.status, body: parsed, text, ms: performance.now() - t0 };
  }

  /** Resolves when a request matching arrives (or has arrived, after index `from`); by default within WAIT_MS (wait.ts). */
  async waitFor(method: string, path: RegExp, count = 1, timeoutMs = WAIT_MS): Promise<RecordedRequest[]> {
    const deadline = Date.now() + timeoutMs;
    // Each poll looks only at the requests that came since the last (they are never changed once
    // recorded): a batch's hundreds of waits each filtered every request every 10 ms.
    let looked = 0;
    let matched = 0;
    for (;;) {
      for (; looked < this.requests.length; looked++) {
        const r = this.requests[looked]!;
        if (r.method === method && path.test(r.path)) matched++;
      }
      if (matched >= count) return this.calls(method, path);
      if (Date.now() > deadline)
        throw new Error(
          `fake discord: no ${count}× ${method} ${path} within ${timeoutMs} ms; saw ${this.requests.map((r) => `${r.method} ${r.path}`).join(', ')}`,
        );
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  async close(): Promise<void> {
    for (const ws of this.#sockets) ws.terminate();
    this.#wss.close();
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  // ---- gateway ----

  #onSocket(ws: WebSocket): void {
    this.#sockets.add(ws);
    ws.on('close', () => this.#sockets.delete(ws));
    ws.send(JSON.stringify({ op: 10, d: { heartbeat_interval: 41_250 }, s: null, t: null }));
    ws.on('message', (raw) => {
      const frame = JSON.parse(String(raw)) as { op: number; d: Json };
      this.gatewayIn.push(frame);
      if (frame.op === 1) ws.send(JSON.stringify({ op: 11, d: null, s: null, t: null }));
      if (frame.op === 6) {
        if (frame.d?.token !== this.token || this.#missed === undefined) {
          ws.send(JSON.stringify({ op: 9, d: false, s: null, t: null }));
          return;
        }
        for (const missed of this.#missed.splice(0)) ws.send(missed);
        this.#missed = undefined;
        ws.send(JSON.stringify({ op: 0, t: 'RESUMED', s: ++this.#seq, d: {} }));
        return;
      }
      if (frame.op === 2) {
        if (frame.d?.token !== this.token) {
          ws.close(4004, 'Authentication failed.');
          return;
        }
        const ready = {
          v: 10,
          user: { id: FAKE_BOT_ID, username: 'goldratio', discriminator: '0', global_name: null, avatar: null, bot: true, flags: 0 },
          guilds: [...this.memberOf.keys()].map((id) => ({ id, unavailable: true })),
          session_id: 'fake-session',
          resume_gateway_url: `ws://127.0.0.1:${this.port}/gateway`,
          shard: this.readyShard,
          application: { id: FAKE_APP_ID, flags: 0 },
        };
        ws.send(JSON.stringify({ op: 0, t: 'READY', s: ++this.#seq, d: ready }));
        [...this.memberOf.values()].forEach((guild, i) => {
          const send = () => {
            if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ op: 0, t: 'GUILD_CREATE', s: ++this.#seq, d: guild }));
          };
          if (this.guildCreateGapMs === 0) send();
          else setTimeout(send, i * this.guildCreateGapMs);
        });
        this.#isIdentified = true;
        for (const f of this.#identified.splice(0)) f();
      }
    });
  }

  // ---- REST ----

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks);
    if (!url.pathname.startsWith('/api/v10/')) return this.#json(res, 404, { message: '404: Not Found', code: 0 });
    const path = decodeURIComponent(url.pathname.slice('/api/v10'.length));
    const method = req.method ?? 'GET';
    let body: Json;
    let files: MultipartFile[] = [];
    const boundary = multipartBoundary(req.headers['content-type']);
    if (boundary !== undefined) {
      const mp = parseMultipart(raw, boundary);
      const payload = mp.fields.find((f) => f.name === 'payload_json');
      body = payload ? JSON.parse(payload.value) : {};
      files = [...mp.files];
    } else if (raw.length > 0) {
      body = JSON.parse(raw.toString('utf8'));
    }
    const rec: RecordedRequest = { method, path, query: url.searchParams, body, files, auth: req.headers.authorization, at: Date.now(), status: 0 };
    this.requests.push(rec);

    // Interaction callbacks and webhook edits authenticate by their token, not the bot's.
    const tokenless = path.startsWith('/interactions/') || path.startsWith('/webhooks/');
    if (!tokenless && req.headers.authorization !== `Bot ${this.token}`) {
      return this.#answer(rec, res, 401, { message: '401: Unauthorized', code: 0 });
    }
    // Interaction responses are not bound by the global limit (Discord's rate limits page).
    if (!tokenless && this.#overGlobalLimit()) {
      this.violations++;
      return this.#rateLimited(rec, res, 1 / (this.rateLimit ?? 1), true);
    }
    const posted = /^\/channels\/(\d+)\/messages$/.exec(path)?.[1];
    if (method === 'POST' && posted !== undefined && files.length > 0 && this.#noAttach.has(posted)) {
      return this.#answer(rec, res, 403, { message: ERROR_MESSAGES[50013] ?? 'Missing Permissions', code: 50013 });
    }
    const edited = /^\/channels\/(\d+)\/messages\/\d+$/.exec(path)?.[1];
    const noEmbed = (method === 'POST' ? posted : method === 'PATCH' ? edited : undefined) ?? '';
    // The request is recorded as sent; the message made of it, as a reader sees it.
    let shown = body;
    if (this.#noEmbed.has(noEmbed) && Array.isArray(body?.embeds) && body.embeds.length > 0) {
      if (method === 'POST' && (body.content ?? '') === '' && files.length === 0)
        return this.#answer(rec, res, 403, { message: ERROR_MESSAGES[50013] ?? 'Missing Permissions', code: 50013 });
      shown = { ...body, embeds: [] };
    }
    const invalid = method === 'POST' || method === 'PATCH' ? formErrors(path, body) : undefined;
    if (invalid !== undefined) return this.#answer(rec, res, 400, { message: ERROR_MESSAGES[50035], code: 50035, errors: invalid });
    const matches = (f: FaultRule) => f.remaining > 0 && f.path.test(path) && (f.method === undefined || f.method === method);
    let rule: FaultRule | undefined;
    for (const f of this.#faults) {
      if (!matches(f)) continue;
      if (f.after > 0) f.after--;
      else rule ??= f;
    }
    if (rule !== undefined) {
      rule.remaining--;
      const f = rule.fault;
      if (f.kind === 'reset') {
        rec.status = -1;
        req.socket.destroy();
        return;
      }
      if (f.kind === 'silent') {
        rec.status = -1;
        return;
      }
      if (f.kind === 'lost-answer') {
        rec.lost = true;
        return this.#route(rec, res, shown);
      }
      if (f.kind === 'route-429') return this.#rateLimited(rec, res, f.retryAfter, false);
      if (f.kind === 'global-429') return this.#rateLimited(rec, res, f.retryAfter, true);
      if (f.kind === 'error') return this.#answer(rec, res, f.status, { message: f.message ?? ERROR_MESSAGES[f.code] ?? 'error', code: f.code });
      if (f.kind === 'answer') return this.#answer(rec, res, f.status, f.body);
      return this.#answer(rec, res, f.status ?? 502, { message: 'Bad Gateway', code: 0 });
    }
    return this.#route(rec, res, shown);
  }

  #overGlobalLimit(): boolean {
    if (this.rateLimit === undefined) return false;
    const now = Date.now();
    while (this.#recent.length > 0 && this.#recent[0]! <= now - 1000) this.#recent.shift();
    if (this.#recent.length >= this.rateLimit) return true;
    this.#recent.push(now);
    return false;
  }

  /** `shown`: the body of a message as made (a channel without Embed Links drops its embeds); the request's by default. */
  async #route(rec: RecordedRequest, res: ServerResponse, shown: Json = rec.body): Promise<void> {
    const { method, path, body } = rec;
    let m: RegExpExecArray | null;
    // A server that has the app's commands but not its bot: what Discord answers the bot there.
    const absentIn = (channelId: string) => [...this.#withoutBot.values()].some((channels) => channels.has(channelId));
    if ((m = /^\/guilds\/(\d+)(\/members\/\d+)?$/.exec(path)) && method === 'GET' && this.#withoutBot.has(m[1]!))
      return m[2] === undefined
        ? this.#answer(rec, res, 404, { message: ERROR_MESSAGES[10004], code: 10004 })
        : this.#answer(rec, res, 403, { message: ERROR_MESSAGES[50001], code: 50001 });
    if ((m = /^\/channels\/(\d+)(\/messages)?$/.exec(path)) && absentIn(m[1]!) && (method === 'GET' || m[2] !== undefined))
      return this.#answer(rec, res, 403, { message: ERROR_MESSAGES[50001], code: 50001 });
    if (method === 'GET' && path === '/gateway/bot') {
      return this.#answer(rec, res, 200, {
        url: `ws://127.0.0.1:${this.port}/gateway`,
        shards: 1,
        session_start_limit: { total: 1000, remaining: 999, reset_after: 14_400_000, max_concurrency: 1 },
      });
    }
    if (method === 'GET' && path === '/gateway') return this.#answer(rec, res, 200, { url: `ws://127.0.0.1:${this.port}/gateway` });
    if (method === 'GET' && path === '/users/@me')
      return this.#answer(rec, res, 200, { id: FAKE_BOT_ID, username: 'goldratio', discriminator: '0', bot: true });
    if (method === 'POST' && (m = /^\/interactions\/(\d+)\/([^/]+)\/callback$/.exec(path))) {
      const at = this.#dispatchedAt.get(m[1]!);
      if (this.firstResponseMs !== undefined && at !== undefined && rec.at - at > this.firstResponseMs)
        return this.#answer(rec, res, 404, { message: ERROR_MESSAGES[10062], code: 10062 });
      if (rec.query.get('with_response') === 'true') return this.#answer(rec, res, 200, { interaction: { id: m[1], type: 2 }, resource: { type: body?.type } });
      return this.#answer(rec, res, 204, undefined);
    }
    if ((method === 'PATCH' || method === 'GET') && (m = /^\/webhooks\/(\d+)\/([^/]+)\/messages\/(@original|\d+)$/.exec(path))) {
      return this.#answer(rec, res, 200, this.#message('interaction-channel', body ?? {}, rec.files, m[3] === '@original' ? `orig-${m[2]}` : m[3]!));
    }
    if (method === 'DELETE' && /^\/webhooks\/(\d+)\/([^/]+)\/messages\/(@original|\d+)$/.test(path)) return this.#answer(rec, res, 204, undefined);
    if (method === 'POST' && (m = /^\/webhooks\/(\d+)\/([^/]+)$/.exec(path))) {
      return this.#answer(rec, res, 200, this.#message('interaction-channel', body ?? {}, rec.files));
    }
    if (method === 'POST' && (m = /^\/channels\/(\d+)\/messages$/.exec(path))) {
      if (this.latencyMs > 0) await new Promise((r) => setTimeout(r, this.latencyMs));
      return this.#answer(rec, res, 200, this.#made(m[1]!, shown ?? {}, rec.files), {
        'x-ratelimit-bucket': `channel-messages-${m[1]}`,
        'x-ratelimit-limit': '5',
        'x-ratelimit-remaining': '4',
        'x-ratelimit-reset-after': '5.000',
      });
    }
    if (method === 'PATCH' && (m = /^\/channels\/(\d+)\/messages\/(\d+)$/.exec(path))) {
      // An edit of the bot's own message: what a reader of the channel sees from now on.
      const made = this.made.get(m[1]!)?.find((x) => x.id === m![2]);
      if (made === undefined) return this.#answer(rec, res, 404, { message: ERROR_MESSAGES[10008] ?? 'Unknown Message', code: 10008 });
      made.body = { ...(made.body as object), ...(shown as object) };
      return this.#answer(rec, res, 200, { ...(this.#message(m[1]!, made.body, [], m[2]!) as object), edited_timestamp: new Date().toISOString() });
    }
    if (method === 'POST' && (m = /^\/channels\/(\d+)\/messages\/(\d+)\/crosspost$/.exec(path))) {
      // Publishing: only in an announcement channel the fake knows as one (type 5), as Discord refuses it elsewhere.
      const ch = this.channels.get(m[1]!);
      if (ch !== undefined && ch.type !== 5) return this.#answer(rec, res, 400, { message: 'Cannot execute action on this channel type', code: 50024 });
      // What following servers receive: the message as it reads when published.
      const made = this.made.get(m[1]!)?.find((x) => x.id === m![2]);
      if (made !== undefined) this.published.set(m[1]!, [...(this.published.get(m[1]!) ?? []), made.body]);
      return this.#answer(rec, res, 200, { ...(this.#message(m[1]!, {}, [], m[2]!) as object), flags: 1 });
    }
    if (method === 'GET' && (m = /^\/guilds\/(\d+)$/.exec(path))) {
      const g = this.guilds.get(m[1]!) ?? this.#seenGuild(m[1]!);
      if (g === undefined) return this.#answer(rec, res, 404, { message: 'Unknown Guild', code: 10004 });
      const { channels: _c, members: _m, ...guild } = g;
      return this.#answer(rec, res, 200, guild);
    }
    if (method === 'GET' && (m = /^\/guilds\/(\d+)\/roles$/.exec(path))) {
      const g = this.guilds.get(m[1]!) ?? this.#seenGuild(m[1]!);
      if (g === undefined) return this.#answer(rec, res, 404, { message: 'Unknown Guild', code: 10004 });
      return this.#answer(rec, res, 200, g.roles ?? []);
    }
    if (method === 'GET' && (m = /^\/guilds\/(\d+)\/members\/(\d+)$/.exec(path))) {
      const member = ((this.guilds.get(m[1]!) ?? this.#seenGuild(m[1]!))?.members as Json[] | undefined)?.find((x) => x.user.id === m![2]);
      if (member === undefined) return this.#answer(rec, res, 404, { message: 'Unknown Member', code: 10007 });
      return this.#answer(rec, res, 200, member);
    }
    if (method === 'GET' && (m = /^\/channels\/(\d+)$/.exec(path))) {
      const ch = this.channels.get(m[1]!);
      if (ch === undefined) return this.#answer(rec, res, 404, { message: 'Unknown Channel', code: 10003 });
      return this.#answer(rec, res, 200, { permission_overwrites: [], ...ch });
    }
    if (method === 'PUT' && (m = /^\/applications\/(\d+)(?:\/guilds\/(\d+))?\/commands$/.exec(path))) {
      const list = (Array.isArray(body) ? body : []) as Record<string, unknown>[];
      const stored = list.map((c) => ({ id: nextId(), application_id: m![1], version: nextId(), type: 1, ...c, ...(m![2] ? { guild_id: m![2] } : {}) }));
      this.commands.set(m[2] ?? 'global', stored);
      return this.#answer(rec, res, 200, stored);
    }
    if (method === 'GET' && (m = /^\/applications\/(\d+)(?:\/guilds\/(\d+))?\/commands$/.exec(path))) {
      return this.#answer(rec, res, 200, this.commands.get(m[2] ?? 'global') ?? []);
    }
    return this.#answer(rec, res, 404, { message: `404: Not Found (fake has no ${rec.method} ${rec.path})`, code: 0 });
  }

  /**
   * A server an interaction came from that addGuild did not describe: it exists and the bot is a
   * member (@everyone may view, send, embed and attach), with no channels known.
   */
  #seenGuild(guildId: string): Json {
    if (!this.#seenGuilds.has(guildId)) return undefined;
    return guildCreatePayload({ guildId, everyone: ALL_SEND_PERMISSIONS, channels: [] });
  }

  /** A message object as Discord answers it; attachments get CDN-like URLs. */
  /** A channel message made (or, for a nonce enforced and seen in the window, the one made before). */
  #made(channelId: string, body: Json, files: readonly MultipartFile[]): unknown {
    const nonce = body.nonce === undefined ? undefined : String(body.nonce);
    const key = `${channelId}\0${nonce}`;
    if (nonce !== undefined && body.enforce_nonce === true) {
      const seen = this.#nonces.get(key);
      if (seen !== undefined && Date.now() - seen.at < this.nonceWindowMs) return seen.message;
    }
    const message: Record<string, unknown> = { ...(this.#message(channelId, body, files) as Record<string, unknown>) };
    if (nonce !== undefined) message.nonce = nonce;
    let list = this.made.get(channelId);
    if (list === undefined) this.made.set(channelId, (list = []));
    list.push({ id: message.id as string, ...(nonce !== undefined ? { nonce } : {}), body });
    if (nonce !== undefined) this.#nonces.set(key, { at: Date.now(), message });
    return message;
  }

  #message(channelId: string, body: Json, files: readonly MultipartFile[], id = nextId()): unknown {
    const attachments = files.map((f, i) => {
      const meta = (body.attachments as { id: string | number; filename?: string }[] | undefined)?.find((a) => String(a.id) === String(i));
      const filename = meta?.filename ?? f.filename;
      const aid = nextId();
      return {
        id: aid,
        filename,
        size: f.bytes.length,
        content_type: 'image/png',
        url: `https://cdn.discordapp.com/attachments/${channelId}/${aid}/${filename}`,
        proxy_url: `https://media.discordapp.net/attachments/${channelId}/${aid}/${filename}`,
      };
    });
    return {
      id,
      channel_id: channelId,
      type: 0,
      author: { id: FAKE_BOT_ID, username: 'goldratio', discriminator: '0', avatar: null, bot: true },
      content: body.content ?? '',
      embeds: body.embeds ?? [],
      components: body.components ?? [],
      attachments,
      mentions: [],
      mention_roles: [],
      mention_everyone: false,
      pinned: false,
      tts: false,
      flags: body.flags ?? 0,
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
    };
  }

  #rateLimited(rec: RecordedRequest, res: ServerResponse, retryAfter: number, global: boolean): void {
    const headers: Record<string, string> = {
      'retry-after': String(Math.ceil(retryAfter)),
      'x-ratelimit-scope': global ? 'global' : 'user',
    };
    if (global) headers['x-ratelimit-global'] = 'true';
    else {
      headers['x-ratelimit-limit'] = '5';
      headers['x-ratelimit-remaining'] = '0';
      headers['x-ratelimit-reset-after'] = retryAfter.toFixed(3);
      headers['x-ratelimit-reset'] = ((Date.now() + retryAfter * 1000) / 1000).toFixed(3);
      headers['x-ratelimit-bucket'] = 'fake-bucket';
    }
    this.#answer(rec, res, 429, { message: 'You are being rate limited.', retry_after: retryAfter, global }, headers);
  }

  #answer(rec: RecordedRequest, res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    if (rec.lost === true) {
      rec.status = -1;
      res.socket?.destroy();
      return;
    }
    rec.status = status;
    if (status === 204 || body === undefined) {
      // A 204 with a JSON content type makes @discordjs/rest try to parse an empty body.
      res.writeHead(status, headers).end();
      return;
    }
    this.#json(res, status, body, headers);
  }

  #json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
  }
}

/** Discord's length limits (discord-api-docs, Message and Embed), counted as Discord counts: in characters (code points). */
export const DISCORD_LIMITS = {
  content: 2000,
  /** A message's nonce, a string (or an integer). */
  nonce: 25,
  embeds: 10,
  embedsTotal: 6000,
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  author: 256,
} as const;

const chars = (s: unknown): number => (typeof s === 'string' ? [...s].length : 0);

/**
 * The message a request carries (a channel message, a webhook's, an edit, an interaction's
 * reply), checked as Discord checks it: undefined when it fits, else the `errors` tree of a 50035
 * Invalid Form Body, each over-long field named by its path (`embeds.0.description`).
 */
export function formErrors(path: string, body: Json): Json | undefined {
  const message: Json = path.startsWith('/interactions/') ? body?.data : body;
  if (message === undefined || message === null || typeof message !== 'object') return undefined;
  const errors: Json = {};
  const put = (at: (string | number)[], code: string, text: string) => {
    let node = errors;
    for (const k of at) node = node[k] ??= {};
    node._errors = [{ code, message: text }];
  };
  const max = (at: (string | number)[], value: unknown, limit: number) => {
    if (chars(value) > limit) put(at, 'BASE_TYPE_MAX_LENGTH', `Must be ${limit} or fewer in length.`);
  };
  max(['content'], message.content, DISCORD_LIMITS.content);
  if (message.nonce !== undefined && typeof message.nonce !== 'number') max(['nonce'], String(message.nonce), DISCORD_LIMITS.nonce);
  const embeds: Json[] = Array.isArray(message.embeds) ? message.embeds : [];
  if (embeds.length > DISCORD_LIMITS.embeds) put(['embeds'], 'BASE_TYPE_MAX_LENGTH', `Must be ${DISCORD_LIMITS.embeds} or fewer in length.`);
  let total = 0;
  for (const [i, e] of embeds.entries()) {
    max(['embeds', i, 'title'], e.title, DISCORD_LIMITS.title);
    max(['embeds', i, 'description'], e.description, DISCORD_LIMITS.description);
    max(['embeds', i, 'footer', 'text'], e.footer?.text, DISCORD_LIMITS.footer);
    max(['embeds', i, 'author', 'name'], e.author?.name, DISCORD_LIMITS.author);
    const fields: Json[] = Array.isArray(e.fields) ? e.fields : [];
    if (fields.length > DISCORD_LIMITS.fields) put(['embeds', i, 'fields'], 'BASE_TYPE_MAX_LENGTH', `Must be ${DISCORD_LIMITS.fields} or fewer in length.`);
    for (const [j, f] of fields.entries()) {
      max(['embeds', i, 'fields', j, 'name'], f.name, DISCORD_LIMITS.fieldName);
      max(['embeds', i, 'fields', j, 'value'], f.value, DISCORD_LIMITS.fieldValue);
    }
    total += chars(e.title) + chars(e.description) + chars(e.footer?.text) + chars(e.author?.name);
    for (const f of fields) total += chars(f.name) + chars(f.value);
  }
  if (total > DISCORD_LIMITS.embedsTotal) put(['embeds'], 'MAX_EMBED_SIZE_EXCEEDED', `Embed size exceeds maximum size of ${DISCORD_LIMITS.embedsTotal}`);
  return Object.keys(errors).length > 0 ? errors : undefined;
}

/** A guild text channel interaction payload; `permissions` is the member's, `appPermissions` the bot's. */
export function slashInteraction(o: {
  name: string;
  options?: { name: string; type: number; value: string | number | boolean }[];
  guildId?: string;
  channelId?: string;
  permissions?: bigint;
  appPermissions?: bigint;
  locale?: string;
  guildLocale?: string;
  resolved?: unknown;
  /** Who sent it (default: alice, 600000000000000001). */
  userId?: string;
}): Record<string, unknown> {
  const guildId = o.guildId ?? '800000000000000001';
  const channelId = o.channelId ?? '700000000000000001';
  return {
    type: 2,
    guild_id: guildId,
    channel_id: channelId,
    channel: { id: channelId, type: 0, guild_id: guildId, name: 'general' },
    member: memberPayload(o.permissions ?? 0n, o.userId),
    app_permissions: String(o.appPermissions ?? ALL_SEND_PERMISSIONS),
    locale: o.locale ?? 'en-US',
    guild_locale: o.guildLocale ?? 'en-US',
    data: { name: o.name, type: 1, ...(o.options ? { options: o.options } : {}), ...(o.resolved ? { resolved: o.resolved } : {}) },
    context: 0,
    authorizing_integration_owners: { '0': guildId },
  };
}

/**
 * A slash command from a user who installed the app to their account, where the bot is not a
 * member: in a DM with the bot (context 1: no guild, no member, the user at the top level) or in
 * a group DM / another server's channel the bot cannot post in (context 2, or 0 with only the
 * user's install authorizing it). `app_permissions` there are the user's, not the bot's.
 */
export function userInstallInteraction(o: {
  name: string;
  options?: { name: string; type: number; value: string | number | boolean }[];
  context: 1 | 2;
  channelId?: string;
  locale?: string;
  userId?: string;
}): Record<string, unknown> {
  const channelId = o.channelId ?? '710000000000000001';
  const userId = o.userId ?? '600000000000000001';
  return {
    type: 2,
    channel_id: channelId,
    // 1 = DM, 3 = group DM.
    channel: { id: channelId, type: o.context === 1 ? 1 : 3, ...(o.context === 2 ? { name: 'friends', recipients: [] } : {}) },
    user: { id: userId, username: 'alice', discriminator: '0', global_name: 'Alice', avatar: null },
    // Without the bot in the conversation Discord grants only what an app may do in an interaction response.
    app_permissions: String(1024n | 2048n | 16384n | 32768n),
    locale: o.locale ?? 'en-US',
    data: { name: o.name, type: 1, ...(o.options ? { options: o.options } : {}) },
    context: o.context,
    authorizing_integration_owners: { '1': userId },
  };
}

/**
 * A slash command in a DM with the bot of a server install (context 1): Discord authorizes it by
 * the guild install, `{"0": "0"}` (no guild here), so every command registered for DMs runs, the
 * settings ones too. A user install's DM is userInstallInteraction: only the reading commands.
 */
export function botDmInteraction(o: {
  name: string;
  options?: { name: string; type: number; value: string | number | boolean }[];
  channelId?: string;
  locale?: string;
  userId?: string;
}): Record<string, unknown> {
  return { ...userInstallInteraction({ ...o, context: 1 }), authorizing_integration_owners: { '0': '0' } };
}

/** A button press on `message` (a message object as the fake answered it). */
export function buttonInteraction(o: {
  customId: string;
  message: unknown;
  guildId?: string;
  channelId?: string;
  permissions?: bigint;
  /** The bot's permissions in the channel (default: all it needs to post). */
  appPermissions?: bigint;
  locale?: string;
  /** Who pressed it (default: alice, 600000000000000001). */
  userId?: string;
}): Record<string, unknown> {
  const guildId = o.guildId ?? '800000000000000001';
  const channelId = o.channelId ?? '700000000000000001';
  return {
    type: 3,
    guild_id: guildId,
    channel_id: channelId,
    channel: { id: channelId, type: 0, guild_id: guildId, name: 'general' },
    member: memberPayload(o.permissions ?? 0n, o.userId),
    app_permissions: String(o.appPermissions ?? ALL_SEND_PERMISSIONS),
    locale: o.locale ?? 'en-US',
    guild_locale: 'en-US',
    message: { ...(o.message as object), channel_id: channelId },
    data: { custom_id: o.customId, component_type: 2 },
    context: 0,
    authorizing_integration_owners: { '0': guildId },
  };
}

/**
 * A message the bot posted, as an interaction on it carries it (`message`): a reply's embeds and
 * components, to press a button or pick from a menu on.
 */
export function botMessage(
  body: { readonly embeds?: unknown; readonly components?: unknown } = {},
  o: { readonly id?: string; readonly channelId?: string } = {},
): Record<string, unknown> {
  return {
    id: o.id ?? '123456789012345678',
    type: 0,
    content: '',
    author: { id: FAKE_BOT_ID, username: 'goldratio', discriminator: '0', avatar: null, bot: true },
    embeds: body.embeds ?? [],
    components: body.components ?? [],
    attachments: [],
    mentions: [],
    mention_roles: [],
    mention_everyone: false,
    pinned: false,
    tts: false,
    flags: 0,
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    ...(o.channelId !== undefined ? { channel_id: o.channelId } : {}),
  };
}

/** A choice in a string select menu (`customId`) on `message`: `values` as Discord sends them. */
export function selectInteraction(o: {
  customId: string;
  values: string[];
  message: unknown;
  guildId?: string;
  channelId?: string;
  permissions?: bigint;
  locale?: string;
  userId?: string;
}): Record<string, unknown> {
  const press = buttonInteraction({
    customId: o.customId,
    message: o.message,
    ...(o.guildId !== undefined ? { guildId: o.guildId } : {}),
    ...(o.channelId !== undefined ? { channelId: o.channelId } : {}),
    ...(o.userId !== undefined ? { userId: o.userId } : {}),
    ...(o.permissions !== undefined ? { permissions: o.permissions } : {}),
    ...(o.locale ? { locale: o.locale } : {}),
  });
  return { ...press, data: { custom_id: o.customId, component_type: 3, values: o.values } };
}

/** View Channel + Send Messages + Embed Links + Attach Files. */
export const ALL_SEND_PERMISSIONS = 1024n | 2048n | 16384n | 32768n;
export const MANAGE_CHANNELS = 16n;

function memberPayload(permissions: bigint, userId = '600000000000000001'): Record<string, unknown> {
  return {
    user: {
      id: userId,
      username: userId === '600000000000000001' ? 'alice' : `user${userId.slice(-4)}`,
      discriminator: '0',
      global_name: 'Alice',
      avatar: null,
    },
    roles: [],
    joined_at: '2024-01-01T00:00:00.000Z',
    deaf: false,
    mute: false,
    flags: 0,
    permissions: String(permissions | 1024n | 2048n),
  };
}

/**
 * A GUILD_CREATE payload: @everyone with `everyone` permissions, the bot as a member, and text
 * channels with per-channel overwrites for the bot (`deny` as a bitfield).
 */
export function guildCreatePayload(o: { guildId: string; everyone: bigint; channels: { id: string; denyBot?: bigint }[] }): Record<string, unknown> {
  return {
    id: o.guildId,
    name: 'test server',
    icon: null,
    owner_id: '600000000000000009',
    preferred_locale: 'en-US',
    roles: [
      { id: o.guildId, name: '@everyone', permissions: String(o.everyone), position: 0, color: 0, hoist: false, managed: false, mentionable: false, flags: 0 },
    ],
    channels: o.channels.map((c, i) => ({
      id: c.id,
      type: 0,
      name: `channel-${i}`,
      position: i,
      permission_overwrites: c.denyBot ? [{ id: FAKE_BOT_ID, type: 1, allow: '0', deny: String(c.denyBot) }] : [],
    })),
    members: [
      {
        user: { id: FAKE_BOT_ID, username: 'goldratio', discriminator: '0', avatar: null, bot: true },
        roles: [],
        joined_at: '2024-01-01T00:00:00.000Z',
        deaf: false,
        mute: false,
        flags: 0,
      },
    ],
    emojis: [],
    stickers: [],
    features: [],
    member_count: 2,
    large: false,
    unavailable: false,
    system_channel_flags: 0,
    voice_states: [],
    presences: [],
    threads: [],
    stage_instances: [],
    guild_scheduled_events: [],
    joined_at: '2024-01-01T00:00:00.000Z',
  };
}
