/**
 * Outgoing webhooks: what a hook needs beside its subscription (platform 'webhook', chat_id = the
 * hook's id, which holds its language, its active flag and why it was deactivated). Kept in the
 * `meta` key/value table under `webhook:<id>` (the adapters' place; no migration): the address,
 * the format, the signing secret, and the current run of failed deliveries.
 *
 * A hook's counters are changed by compare-and-set (MetaStore.update): two replicas reporting
 * deliveries of the same hook at once both count. Adding and removing a hook touch its
 * subscription too, each in one transaction (`addWithSubscription`, `removeWithSubscription`).
 */
import type { Lang } from '../domain/i18n/index.ts';
import { DigestStore } from './digests.ts';
import type { StoreDb } from './engine.ts';
import { MetaStore } from './meta.ts';
import type { SubscriptionStore } from './subscriptions.ts';
import { first, rows, run, runUnit } from './unit.ts';

/** `slack-workflow`: a Slack Workflow Builder webhook (payload.ts workflowPayload), which takes variables, not a message. */
export type WebhookFormat = 'json' | 'slack' | 'slack-workflow' | 'discord';
export const WEBHOOK_FORMATS: readonly WebhookFormat[] = ['json', 'slack', 'slack-workflow', 'discord'];

export interface Webhook {
  readonly id: string;
  readonly url: string;
  readonly format: WebhookFormat;
  /** HMAC-SHA256 key for the `json` format's signature (shown once, at `webhook add` or `webhook rotate`). */
  readonly secret: string;
  /**
   * The secret `webhook rotate` replaced, which still signs beside the new one until `previousUntil`
   * (ms), so a receiver can switch without losing a delivery. Absent on hooks never rotated.
   */
  readonly previousSecret?: string | null;
  readonly previousUntil?: number | null;
  readonly createdAt: number;
  /**
   * Failed deliveries in a row (any message); reset by a delivery that succeeds, and by the message
   * failing being given up alone (refused). Shown by `webhook list`.
   */
  readonly failures: number;
  /** The last answer: an HTTP status, or 0 when there was none (timeout, refused connection). */
  readonly lastStatus: number | null;
  readonly lastError: string | null;
  readonly lastAt: number | null;
  /**
   * When the receiver last took a delivery (a `webhook test` too): its address and format work, so a
   * 400 or 422 after it is about that one message's body (notifier.ts). Absent on hooks that have
   * taken nothing since this was kept.
   */
  readonly lastOkAt?: number | null;
  /** The last message the receiver refused for its body and goldratio gave up, the hook kept (`webhook list`). */
  readonly lastRefused?: RefusedMessage | null;
}

/** A message given up because the receiver refused its body (413, or a 400/422 of a hook that takes others). */
export interface RefusedMessage {
  /** Its delivery id, as the receiver saw it (X-Goldratio-Delivery, webhook-id): `<message>.<hook>`. */
  readonly delivery: string;
  readonly kind: string;
  /** What the receiver answered, as `webhook list` and the log say it. */
  readonly error: string;
  readonly at: number;
}

const PREFIX = 'webhook:';

export class WebhookStore {
  readonly #meta: MetaStore;

  constructor(source: StoreDb | MetaStore) {
    this.#meta = source instanceof MetaStore ? source : new MetaStore(source);
  }

  async get(id: string): Promise<Webhook | undefined> {
    const raw = await this.#meta.get(PREFIX + id);
    return raw === undefined ? undefined : read(raw);
  }

  async add(hook: Pick<Webhook, 'id' | 'url' | 'format' | 'secret' | 'createdAt'>): Promise<Webhook> {
    const full = fresh(hook);
    await this.#meta.set(PREFIX + hook.id, JSON.stringify(full));
    return full;
  }

  async list(): Promise<Webhook[]> {
    return (await this.#meta.withPrefix(PREFIX)).map((r) => read(r.value)).sort((a, b) => a.createdAt - b.createdAt);
  }

  async remove(id: string): Promise<boolean> {
    return this.#meta.delete(PREFIX + id);
  }

  /**
   * `webhook rotate`: `secret` signs from now on, and the one it replaces beside it until
   * `graceUntil` (ms; not after `nowMs`: the old one stops at once). A rotation during another's
   * grace drops the oldest: two secrets at most. The id, subscription and pending deliveries stay.
   */
  async rotate(id: string, secret: string, nowMs: number, graceUntil: number): Promise<Webhook | undefined> {
    return this.#update(id, (h) =>
      graceUntil > nowMs ? { secret, previousSecret: h.secret, previousUntil: graceUntil } : { secret, previousSecret: null, previousUntil: null },
    );
  }

  /** A delivery went through: the failure run ends. */
  async succeeded(id: string, status: number, nowMs: number): Promise<void> {
    await this.#update(id, () => ({ failures: 0, lastStatus: status, lastError: null, lastAt: nowMs, lastOkAt: nowMs }));
  }

  /**
   * A message given up because the receiver refused its body: the hook stays, `webhook list` names
   * the message. Its tries leave the failure run: a hook's messages go one at a time, in order, so
   * the run was that message's, and "4 failed in a row" beside an active hook read as a message
   * still failing when none is.
   */
  async refused(id: string, message: RefusedMessage): Promise<void> {
    await this.#update(id, () => ({ lastRefused: message, failures: 0 }));
  }

  /**
   * A delivery failed; returns the failures in a row, this one included (what `webhook list` shows;
   * when the hook is given up is the retry span's, counted on its oldest message: domain/retry-span.ts).
   */
  async failed(id: string, status: number, error: string, nowMs: number): Promise<number> {
    return (await this.#update(id, (h) => ({ failures: h.failures + 1, lastStatus: status, lastError: error, lastAt: nowMs })))?.failures ?? 0;
  }

  /** An answer that is not a delivery (`webhook test` failing): kept as the last answer, the failure run left as it is. */
  async noted(id: string, status: number, error: string, nowMs: number): Promise<number> {
    return (await this.#update(id, () => ({ lastStatus: status, lastError: error, lastAt: nowMs })))?.failures ?? 0;
  }

  async #update(id: string, patch: (h: Webhook) => Partial<Webhook>): Promise<Webhook | undefined> {
    const written = await this.#meta.update(PREFIX + id, (raw) => {
      if (raw === undefined) return undefined;
      const h = read(raw);
      return JSON.stringify({ ...h, ...patch(h) });
    });
    return written === undefined ? undefined : read(written);
  }
}

/**
 * A stored hook. One stored before `lastOkAt` was kept, whose last answer was a delivery taken (a
 * 2xx), took one then: a 400 or 422 after it is one message's, as it would be for a hook added
 * today, instead of holding its messages for the day until its next delivery. Written back with the
 * hook's next change.
 */
function read(raw: string): Webhook {
  const h = JSON.parse(raw) as Webhook;
  return h.lastOkAt === undefined && h.lastAt !== null && h.lastStatus !== null && h.lastStatus >= 200 && h.lastStatus < 300 ? { ...h, lastOkAt: h.lastAt } : h;
}

function fresh(hook: Pick<Webhook, 'id' | 'url' | 'format' | 'secret' | 'createdAt'>): Webhook {
  return { ...hook, failures: 0, lastStatus: null, lastError: null, lastAt: null };
}

/** `webhook-address:<address>` → the id of the hook posting there: one hook per address, held by the key's uniqueness. */
const ADDRESS_PREFIX = 'webhook-address:';

/**
 * `webhook add`: the hook, its subscription (platform 'webhook', in `lang`) and its daily digest,
 * in one transaction: a crash leaves either all three or none. The address is claimed in the same
 * transaction (a `meta` key of its own, unique): two `webhook add` of one address at the same
 * moment make one hook, and the other is told which (a hook from before the claim was kept is
 * found by `sameAddress`, asked of each stored hook's url). Returns the hook made, or the one
 * already there.
 */
export async function addWithSubscription(
  db: StoreDb,
  subs: SubscriptionStore,
  hook: Pick<Webhook, 'id' | 'url' | 'format' | 'secret' | 'createdAt'>,
  lang: Lang,
  digest: { readonly time: string; readonly timezone: string },
  address: { readonly key: string; readonly same: (url: string) => boolean } = { key: hook.url, same: (url) => url === hook.url },
): Promise<{ readonly added: Webhook } | { readonly already: Webhook }> {
  const full = fresh(hook);
  const digests = new DigestStore(db);
  const k = db.k;
  await subs.ready();
  return runUnit(db, function* () {
    const claimed = yield* run(
      k
        .insertInto('meta')
        .values({ key: ADDRESS_PREFIX + address.key, value: hook.id })
        .onConflict((oc) => oc.column('key').doNothing()),
    );
    if (claimed.changes === 0) {
      const owner = yield* first(
        k
          .selectFrom('meta')
          .select('value')
          .where('key', '=', ADDRESS_PREFIX + address.key),
      );
      const there =
        owner &&
        (yield* first(
          k
            .selectFrom('meta')
            .select('value')
            .where('key', '=', PREFIX + owner.value),
        ));
      if (there !== undefined) return { already: JSON.parse(there.value) as Webhook };
      // A claim left by a hook no longer there: this one takes it.
      yield* run(
        k
          .updateTable('meta')
          .set({ value: hook.id })
          .where('key', '=', ADDRESS_PREFIX + address.key),
      );
    }
    // Hooks added before addresses were claimed.
    for (const r of yield* rows(k.selectFrom('meta').select('value').where('key', 'like', `${PREFIX}%`))) {
      const h = JSON.parse(r.value) as Webhook;
      if (address.same(h.url)) {
        if (claimed.changes > 0) yield* run(k.deleteFrom('meta').where('key', '=', ADDRESS_PREFIX + address.key));
        return { already: h };
      }
    }
    yield* run(k.insertInto('meta').values({ key: PREFIX + hook.id, value: JSON.stringify(full) }));
    const sub = yield* subs.upsertOps('webhook', hook.id, { lang });
    yield* digests.setOps(sub.id, digest.time, digest.timezone, hook.createdAt);
    return { added: full };
  });
}

/** `webhook remove`: the hook goes, its subscription is deactivated and its pending deliveries given up, in one transaction. */
export async function removeWithSubscription(db: StoreDb, subs: SubscriptionStore, id: string): Promise<boolean> {
  await subs.ready();
  return runUnit(db, function* () {
    // Its pending deliveries are given up with it.
    yield* subs.chatGoneOps('webhook', id, 'webhook removed');
    // Its address is free again.
    yield* run(db.k.deleteFrom('meta').where('key', 'like', `${ADDRESS_PREFIX}%`).where('value', '=', id));
    return (yield* run(db.k.deleteFrom('meta').where('key', '=', PREFIX + id))).changes > 0;
  });
}

/** How many messages are kept for a hook its receiver refused (`webhook list`): what a passing `webhook test` sends. */
export async function keptCount(db: StoreDb, subscriptionId: number): Promise<number> {
  const r = await db.k
    .selectFrom('outbox')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('subscription_id', '=', subscriptionId)
    .where('status', '=', 'dead')
    .where('kept', '=', 1)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/**
 * A passing `webhook test` of a deactivated hook: its subscription is active again and the
 * messages kept when its receiver refused it (`outbox.kept`) are due again, in one transaction.
 * Messages given up otherwise (a day of failed tries: domain/retry-span.ts) stay given up. Returns
 * how many are due again.
 */
export async function reactivateWithKept(db: StoreDb, subs: SubscriptionStore, id: string, nowMs: number): Promise<number> {
  await subs.ready();
  return runUnit(db, function* () {
    const sub = yield* subs.upsertOps('webhook', id, { active: true, deactivatedReason: null });
    const kept = yield* run(
      db.k
        .updateTable('outbox')
        .set({ status: 'pending', attempts: 0, next_at: nowMs, claimed_until: null, claimed_by: null, kept: 0, failing_since: null })
        .where('subscription_id', '=', sub.id)
        .where('status', '=', 'dead')
        .where('kept', '=', 1),
    );
    return Number(kept.changes);
  });
}

/**
 * The message a hook's receiver keeps failing, if any (`webhook list`): its first failure and its
 * next try and why its last try failed (its own, which the hook's last answer may no longer be: a
 * `webhook test` since). A hook's messages go in order, so it is the oldest pending one, the others behind it.
 */
export async function failingMessage(
  db: StoreDb,
  subscriptionId: number,
): Promise<{ readonly since: number; readonly nextAt: number; readonly lastError: string | null; readonly waiting: number } | undefined> {
  const pending = await db.k
    .selectFrom('outbox')
    .select(['failing_since', 'next_at', 'last_error'])
    .where('subscription_id', '=', subscriptionId)
    .where('status', '=', 'pending')
    .orderBy('id')
    .execute();
  const head = pending[0];
  if (head === undefined || head.failing_since === null) return undefined;
  return { since: Number(head.failing_since), nextAt: Number(head.next_at), lastError: head.last_error, waiting: pending.length - 1 };
}

/**
 * A passing `webhook test` of an active hook: the message it keeps failing (failingMessage) is due
 * now instead of at the schedule's next try, which late in the span is hours away. Its first
 * failure is kept: were the receiver still failing, the span goes on. Undefined when none fails.
 */
export async function retryNow(db: StoreDb, subscriptionId: number, nowMs: number): Promise<{ readonly since: number; readonly waiting: number } | undefined> {
  const failing = await failingMessage(db, subscriptionId);
  if (failing === undefined) return undefined;
  await db.k
    .updateTable('outbox')
    .set({ next_at: nowMs })
    .where('subscription_id', '=', subscriptionId)
    .where('status', '=', 'pending')
    .where('failing_since', 'is not', null)
    .where('next_at', '>', nowMs)
    .execute();
  return failing;
}

/** What a hook is doing, as goldratio_webhooks counts it: delivering, retrying a message its receiver fails, or deactivated (given up, or refused for good). */
export type WebhookState = 'ok' | 'failing' | 'deactivated';

/**
 * The hooks by state (goldratio_webhooks): two queries, whatever the number of hooks. A removed
 * hook keeps its subscription row, deactivated as `webhook removed`: not counted, it is no hook.
 */
export async function webhookStates(db: StoreDb): Promise<{ readonly state: WebhookState; readonly hooks: number }[]> {
  const subs = await db.k
    .selectFrom('subscriptions')
    .select(['active', (eb) => eb.fn.countAll<number>().as('n')])
    .where('platform', '=', 'webhook')
    .where((eb) => eb.or([eb('deactivated_reason', 'is', null), eb('deactivated_reason', '!=', 'webhook removed')]))
    .groupBy('active')
    .execute();
  const failing = await db.k
    .selectFrom('outbox as o')
    .innerJoin('subscriptions as s', 's.id', 'o.subscription_id')
    .select((eb) => eb.fn.count<number>('o.subscription_id').distinct().as('n'))
    .where('o.platform', '=', 'webhook')
    .where('o.status', '=', 'pending')
    .where('o.failing_since', 'is not', null)
    .where('s.active', '=', 1)
    .executeTakeFirstOrThrow();
  const active = Number(subs.find((r) => Number(r.active) === 1)?.n ?? 0);
  const failingN = Number(failing.n);
  return [
    { state: 'ok', hooks: active - failingN },
    { state: 'failing', hooks: failingN },
    { state: 'deactivated', hooks: Number(subs.find((r) => Number(r.active) !== 1)?.n ?? 0) },
  ];
}
