/**
 * Outgoing webhooks: what a hook needs beside its subscription (platform 'webhook', chat_id = the
 * hook's id, which holds its language, its active flag and why it was deactivated). Kept in the
 * `meta` key/value table under `webhook:<id>` (the adapters' place; no migration): the address,
 * the format, the signing secret, and the current run of failed deliveries.
 */
import type { MetaStore } from './meta.ts';

export type WebhookFormat = 'json' | 'slack' | 'discord';
export const WEBHOOK_FORMATS: readonly WebhookFormat[] = ['json', 'slack', 'discord'];

export interface Webhook {
  readonly id: string;
  readonly url: string;
  readonly format: WebhookFormat;
  /** HMAC-SHA256 key for the `json` format's signature (shown once, at `webhook add`). */
  readonly secret: string;
  readonly createdAt: number;
  /** Failed deliveries in a row (any message); reset by a delivery that succeeds. */
  readonly failures: number;
  /** The last answer: an HTTP status, or 0 when there was none (timeout, refused connection). */
  readonly lastStatus: number | null;
  readonly lastError: string | null;
  readonly lastAt: number | null;
}

const PREFIX = 'webhook:';

export class WebhookStore {
  readonly #meta: MetaStore;

  constructor(meta: MetaStore) {
    this.#meta = meta;
  }

  get(id: string): Webhook | undefined {
    const raw = this.#meta.get(PREFIX + id);
    return raw === undefined ? undefined : (JSON.parse(raw) as Webhook);
  }

  add(hook: Pick<Webhook, 'id' | 'url' | 'format' | 'secret' | 'createdAt'>): Webhook {
    const full: Webhook = { ...hook, failures: 0, lastStatus: null, lastError: null, lastAt: null };
    this.#meta.set(PREFIX + hook.id, JSON.stringify(full));
    return full;
  }

  list(): Webhook[] {
    return this.#meta
      .withPrefix(PREFIX)
      .map((r) => JSON.parse(r.value) as Webhook)
      .sort((a, b) => a.createdAt - b.createdAt);
  }

  remove(id: string): boolean {
    if (this.get(id) === undefined) return false;
    this.#meta.delete(PREFIX + id);
    return true;
  }

  /** A delivery went through: the failure run ends. */
  succeeded(id: string, status: number, nowMs: number): void {
    this.#update(id, () => ({ failures: 0, lastStatus: status, lastError: null, lastAt: nowMs }));
  }

  /** A delivery failed; returns the failures in a row, this one included. */
  failed(id: string, status: number, error: string, nowMs: number): number {
    return this.#update(id, (h) => ({ failures: h.failures + 1, lastStatus: status, lastError: error, lastAt: nowMs }))?.failures ?? 0;
  }

  #update(id: string, patch: (h: Webhook) => Partial<Webhook>): Webhook | undefined {
    const h = this.get(id);
    if (h === undefined) return undefined;
    const next = { ...h, ...patch(h) };
    this.#meta.set(PREFIX + id, JSON.stringify(next));
    return next;
  }
}
