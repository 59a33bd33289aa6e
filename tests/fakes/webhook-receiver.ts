/**
 * A local receiver for outgoing webhooks: records every request (path, headers, raw body) and
 * answers as told per path (a status, headers, a delay), so tests check the bytes goldratio sends
 * (the signature is over the raw body) and how it takes each answer.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  readonly at: number;
}

export interface Answer {
  readonly status: number;
  readonly headers?: Record<string, string>;
  /** The answer's body (Slack's `no_service`, Discord's `{"code":10015}`). */
  readonly body?: string;
  /** Wait this long before answering (a slow receiver). */
  readonly delayMs?: number;
  /** Answer only once the test says so (`release(path)`): a receiver slow for as long as the test needs, however loaded the machine. */
  readonly held?: boolean;
  /** Answer the status and headers, then a body that never ends (a chunk every 50 ms until the client leaves). */
  readonly endless?: boolean;
}

export class WebhookReceiver {
  readonly received: Received[] = [];
  /** path → how to answer; default 204. */
  readonly answers = new Map<string, Answer>();
  /** path → the next requests' answers, each used once, in order, before `answers` (a 500 on the third POST only). */
  readonly queued = new Map<string, Answer[]>();
  /** path → a judge of each request, before the others: its answer, or undefined for the usual one (a 413 for a body over a limit, a 422 for one message). */
  readonly judges = new Map<string, (r: Received) => Answer | undefined>();
  readonly #server: Server;
  /** Answers waiting for release(), by path. */
  readonly #held = new Map<string, (() => void)[]>();

  private constructor() {
    this.#server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const path = req.url ?? '/';
        const got = { method: req.method ?? '', path, headers: req.headers, body: Buffer.concat(chunks), at: Date.now() };
        this.received.push(got);
        const a = this.judges.get(path)?.(got) ?? this.queued.get(path)?.shift() ?? this.answers.get(path) ?? { status: 204 };
        const answer = () => {
          if (res.destroyed) return;
          if (a.endless !== true) return void res.writeHead(a.status, a.headers ?? {}).end(a.body);
          res.writeHead(a.status, { 'content-type': 'text/html', ...a.headers }).write('<html>');
          const drip = setInterval(() => (res.destroyed ? clearInterval(drip) : res.write('.')), 50);
          res.on('close', () => clearInterval(drip));
        };
        if (a.held === true) this.#held.set(path, [...(this.#held.get(path) ?? []), answer]);
        else if (a.delayMs !== undefined) setTimeout(answer, a.delayMs);
        else answer();
      });
    });
  }

  static async start(): Promise<WebhookReceiver> {
    const r = new WebhookReceiver();
    await new Promise<void>((resolve) => r.#server.listen(0, '127.0.0.1', () => resolve()));
    return r;
  }

  url(path: string): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}${path}`;
  }

  /** Answers every request held at `path` so far. */
  release(path: string): void {
    const waiting = this.#held.get(path) ?? [];
    this.#held.delete(path);
    for (const answer of waiting) answer();
  }

  at(path: string): Received[] {
    return this.received.filter((r) => r.path === path);
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
