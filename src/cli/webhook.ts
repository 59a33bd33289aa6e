/**
 * `goldratio webhook add|list|remove|test|rotate`: outgoing webhooks. A hook is a subscription on the
 * `webhook` platform (all essay levels of both pairs, the daily digest at 17:30 New York time,
 * after the US close) plus its address, format and signing secret (store/webhooks.ts). The bot
 * delivers to it through the outbox like any chat; these commands only manage the list, and
 * `test` posts a sample message now, signed like the real ones; `rotate` gives a `json` hook a new
 * secret, the old one signing beside it for a grace period (docs/webhook.md).
 */
import { randomBytes } from 'node:crypto';
import { requireDatabase, storeOf, UserError, type CliContext, type Command } from './command.ts';
import { cut, json, langArg, parseCli } from './args.ts';
import { CLI_SPECS } from './specs.ts';
import { SubscriptionStore, type Subscription } from '../store/subscriptions.ts';
import type { StoreDb } from '../store/engine.ts';
import {
  WEBHOOK_FORMATS,
  WebhookStore,
  addWithSubscription,
  failingMessage,
  keptCount,
  retryNow,
  reactivateWithKept,
  removeWithSubscription,
  type Webhook,
  type WebhookFormat,
} from '../store/webhooks.ts';
import {
  addressKey,
  checkHookUrl,
  formatForUrl,
  isSlackWorkflow,
  MAX_HOOK_URL,
  overLongAddress,
  sentFormat,
  shownAddress,
  shownUrl,
  storedAsSlack,
} from '../platforms/webhook/url.ts';
import { refusedAlone, WebhookNotifier, whsecOf } from '../platforms/webhook/notifier.ts';
import { stopDetail } from '../domain/stop-cause.ts';
import { fmtAgo } from '../domain/i18n/format.ts';
import { BODY_REFUSAL_MS, givenUpAt, spanMs, spanSaid, waitSaid, WEBHOOK_RETRY_SPAN } from '../domain/retry-span.ts';
import { digestSample, testSample } from './webhook-sample.ts';
import { crossingOptions } from '../store/story-view.ts';
import { MarketView } from '../store/market-view.ts';
import { QuoteStore } from '../store/quotes.ts';
import { ChartService } from '../charts/service.ts';
import type { Config } from '../config.ts';

const USAGE = CLI_SPECS.webhook.usage;
/** A refused message as `webhook list` names it, by its kind: `the digest 42.wh_…`. */
const KIND_SAID: Readonly<Record<string, string>> = { alert: 'the alert', digest: 'the digest', test: 'the test' };
/** A hook's digest: after the US close, in the exchange's own zone. */
export const WEBHOOK_DIGEST = { time: '17:30', timezone: 'America/New_York' } as const;
/** `webhook rotate`: how long the replaced secret signs too, in hours, unless --grace says (0: it stops now, for a leaked one). */
export const ROTATE_GRACE_HOURS = 24;
export const MAX_ROTATE_GRACE_HOURS = 168;

/** --grace: whole or decimal hours, 0 to a week; `24h` read as 24. */
function graceHours(value: string | undefined): number {
  if (value === undefined) return ROTATE_GRACE_HOURS;
  const text = value.trim().replace(/h$/i, '');
  // Digits only: Number() would take 0x10 as 16 and 1e2 as 100.
  const n = /^(\d+(\.\d*)?|\.\d+)$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isFinite(n) || n < 0 || n > MAX_ROTATE_GRACE_HOURS)
    throw new UserError(`--grace must be hours from 0 (the old secret stops now) to ${MAX_ROTATE_GRACE_HOURS} (a week), got "${cut(value)}"`);
  return n;
}

/** What `add` and `rotate` print under the secret: the headers it signs, and the form Standard Webhooks' libraries take. */
function secretLines(secret: string): string[] {
  return [secret, `for a Standard Webhooks library (webhook-id, webhook-timestamp, webhook-signature headers): ${whsecOf(secret)}`];
}

function stores(db: StoreDb, config: Config, ctx: CliContext) {
  return {
    db,
    // The command's clock: a hook deactivated or brought back by `test` is stamped with it, as `list` counts "ago" by it.
    subs: new SubscriptionStore(db, { approachPct: config.approachPct, lang: config.defaultLang, now: () => ctx.now?.() ?? Date.now() }),
    hooks: new WebhookStore(db),
  };
}

/**
 * Only `add` may create the database: list, remove and test on a missing file have nothing to show
 * or change, and say so (after their own arguments are checked) instead of creating an empty one.
 */
function requireHooks(ctx: CliContext): void {
  requireDatabase(ctx, 'no webhooks yet: add one with goldratio webhook add <https-url>');
}

/** When a rotated hook's old secret stops signing (ISO), or null when it signs no more. */
function graceEnd(h: Webhook, nowMs: number): string | null {
  return h.previousSecret != null && (h.previousUntil ?? 0) > nowMs ? new Date(h.previousUntil!).toISOString() : null;
}

function idOrFail(id: string | undefined, verb: string): string {
  if (id === undefined) throw new UserError(`missing webhook id. Usage: goldratio webhook ${verb} <id> (ids: goldratio webhook list)`);
  return id;
}

async function hookOrFail(hooks: WebhookStore, id: string): Promise<Webhook> {
  const hook = await hooks.get(id);
  if (hook === undefined) throw new UserError(`no webhook "${cut(id)}" (ids: goldratio webhook list)`);
  return hook;
}

export const webhookCommand: Command = {
  ...CLI_SPECS.webhook,
  // list only reads: on PostgreSQL it migrates nothing (replicas of an older version keep leading)
  // and needs no more than SELECT; every other verb writes. The verb is the first word not an option.
  database: (args) => (args.find((a) => !a.startsWith('-')) === 'list' ? 'read' : 'write'),
  async run(args, ctx) {
    const { values, positionals } = parseCli(
      args,
      { format: { type: 'string' }, lang: { type: 'string' }, json: { type: 'boolean' }, grace: { type: 'string' }, digest: { type: 'boolean' } },
      2,
    );
    const [verb, target] = positionals;
    if (verb !== 'rotate' && values.grace !== undefined)
      throw new UserError('--grace goes with webhook rotate. Usage: goldratio webhook rotate <id> [--grace <hours>]');
    if (verb !== 'add' && (values.format !== undefined || values.lang !== undefined))
      throw new UserError(`--format and --lang go with webhook add. Usage: goldratio ${USAGE}`);
    if (verb !== 'list' && values.json !== undefined) throw new UserError('--json goes with webhook list. Usage: goldratio webhook list [--json]');
    if (verb !== 'test' && values.digest !== undefined) throw new UserError('--digest goes with webhook test. Usage: goldratio webhook test <id> [--digest]');
    const { config } = ctx;
    switch (verb) {
      case 'add': {
        if (target === undefined) throw new UserError(`missing address. Usage: goldratio ${USAGE}`);
        const checked = checkHookUrl(target);
        if (!checked.ok) throw new UserError(checked.error);
        // Any case and stray spaces, as --lang is read (Slack, JSON).
        const format = values.format === undefined ? formatForUrl(checked.url) : (values.format.trim().toLowerCase() as WebhookFormat);
        if (!WEBHOOK_FORMATS.includes(format))
          throw new UserError(`--format must be json, slack, slack-workflow or discord, got "${cut(String(values.format))}"`);
        // Slack answers a workflow's webhook a message with an error, every time: said now, not found out at the first alert.
        if (format === 'slack' && isSlackWorkflow(checked.url))
          throw new UserError(
            `${shownUrl(checked.url.href)} is a Slack Workflow Builder webhook, which takes a workflow's variables, not a Slack message: leave out --format (it is read from the address as slack-workflow; the variables are in docs/webhook.md), or use an incoming webhook (https://hooks.slack.com/services/…) for --format slack`,
          );
        const lang = langArg(values.lang, config.defaultLang);
        const { db, subs } = stores(await storeOf(ctx), config, ctx);
        // The same address twice would get every alert twice; a format or language is changed by remove and add.
        const key = addressKey(checked.url);
        const sameAddress = (url: string) => URL.canParse(url) && addressKey(new URL(url)) === key;
        // What is stored beside what this add asks for (its format, given or read from the address, and
        // its --lang when given): both said, and the one way to change the stored, so the refusal is no surprise.
        const alreadyThere = async (same: Webhook) => {
          const storedLang = (await subs.get('webhook', same.id))?.lang ?? '-';
          const at = `webhook ${same.id} already posts to ${shownUrl(same.url)} as ${same.format}, ${storedLang}`;
          const asked = [`${format}${values.format === undefined ? ' (read from the address)' : ''}`, ...(values.lang === undefined ? [] : [lang])].join(', ');
          return new UserError(
            same.format !== format || (values.lang !== undefined && storedLang !== lang)
              ? `${at}; this add asks for ${asked}: one hook per address, so to change it, goldratio webhook remove ${same.id} first, then this add again`
              : `${at}, as this add asks: one hook per address, or it gets every alert twice; nothing to change`,
          );
        };
        const id = `wh_${randomBytes(4).toString('hex')}`;
        const secret = randomBytes(32).toString('hex');
        const now = ctx.now?.() ?? Date.now();
        // Checked in the write, the address claimed there: a second `webhook add` of it at the same moment adds nothing.
        const made = await addWithSubscription(db, subs, { id, url: checked.url.href, format, secret, createdAt: now }, lang, WEBHOOK_DIGEST, {
          key,
          same: sameAddress,
        });
        if ('already' in made) throw await alreadyThere(made.already);
        const guessed = values.format === undefined && format !== 'json' ? ` (read from the address; --format json to send goldratio's own)` : '';
        ctx.out(`added webhook ${id}: ${format}${guessed}, ${lang}, ${shownAddress(checked.url.href)}`);
        if (format === 'json') {
          ctx.out('signing secret (shown once; how to check a delivery with it: docs/webhook.md, Signature):');
          for (const line of secretLines(secret)) ctx.out(line);
        }
        ctx.out(
          `alerts, and the digest at ${WEBHOOK_DIGEST.time} ${WEBHOOK_DIGEST.timezone}, go there while the bot runs; try it now: goldratio webhook test ${id}`,
        );
        return 0;
      }
      case 'list': {
        if (target !== undefined) throw new UserError(`unexpected argument "${cut(target)}". Usage: goldratio webhook list`);
        requireHooks(ctx);
        const { db, subs, hooks } = stores(await storeOf(ctx), config, ctx);
        const all = await hooks.list();
        // A hook its receiver refused keeps its messages: how many, so the operator knows what `webhook test` would send.
        const kept = async (sub: Subscription | undefined): Promise<number> =>
          sub !== undefined && !sub.active && sub.refusal !== null ? keptCount(db, sub.id) : 0;
        // An active hook whose receiver keeps failing a message: since when, the next try, when it is given up.
        // Given up at the span's end, or later when its next try is late past it (the bot stopped): one more try then.
        // A message whose body alone the receiver refuses (notifier.ts refusedAlone, read from its own last try:
        // the hook's last answer may be a `webhook test`'s since) is given up alone once tried BODY_REFUSAL_MS.
        const retrying = async (h: Webhook, sub: Subscription | undefined) => {
          const f = sub?.active === true ? await failingMessage(db, sub.id) : undefined;
          const now = ctx.now?.() ?? Date.now();
          if (f === undefined) return undefined;
          return refusedAlone(h, f.lastError)
            ? { ...f, alone: true, givenUpAt: Math.max(f.since + BODY_REFUSAL_MS, f.nextAt, now) }
            : { ...f, alone: false, givenUpAt: givenUpAt(WEBHOOK_RETRY_SPAN, f.since, f.nextAt, now) };
        };
        const iso = (ms: number) => new Date(ms).toISOString();
        if (values.json === true) {
          // For scripts watching many hooks: what the lines say, as data; the address shortened as
          // there (it may hold a token), the secret never.
          const listed = [];
          for (const h of all) {
            const sub = await subs.get('webhook', h.id);
            listed.push({
              id: h.id,
              // As it is sent: a `slack` hook of a workflow's address stored before they were told apart is sent their variables.
              format: sentFormat(h),
              // A workflow's address stored as `slack` by an older goldratio (sent as slack-workflow all the same): remove and add it to store it so.
              storedAsSlack: storedAsSlack(h),
              lang: sub?.lang ?? null,
              active: sub?.active === true,
              deactivatedReason: sub?.active === true ? null : sub === undefined ? 'no subscription' : stopDetail(sub.deactivatedReason ?? ''),
              // When it was deactivated (ISO); null while active, and for a hook deactivated before the bot kept when.
              deactivatedAt: sub?.active === true || sub?.deactivatedAt == null ? null : new Date(sub.deactivatedAt).toISOString(),
              // Deactivated because its receiver refused it: 'gone' (it never works again) or 'blocked' (until a setting there changes); else null.
              refusal: sub?.active === true ? null : (sub?.refusal ?? null),
              address: shownUrl(h.url),
              addressTooLong: overLongAddress(h.url) !== undefined,
              failures: h.failures,
              lastStatus: h.lastStatus,
              lastError: h.lastError,
              lastAt: h.lastAt === null ? null : new Date(h.lastAt).toISOString(),
              // The last message given up because the receiver refused its body (the hook kept): its delivery id, kind, answer and when.
              lastRefused: h.lastRefused == null ? null : { ...h.lastRefused, at: iso(h.lastRefused.at) },
              previousSecretUntil: graceEnd(h, ctx.now?.() ?? Date.now()),
              keptMessages: await kept(sub),
              // A message being retried (the hook active): its first failure, its next try, and when the hook is deactivated if it still fails.
              ...(await retrying(h, sub).then((f) => ({
                failingSince: f === undefined ? null : iso(f.since),
                nextTryAt: f === undefined ? null : iso(f.nextAt),
                deactivatedIfFailingAt: f === undefined || f.alone ? null : iso(f.givenUpAt),
                // The receiver refuses this message's body alone: when it alone is given up, the hook kept.
                givenUpAloneIfRefusedAt: f?.alone === true ? iso(f.givenUpAt) : null,
                waitingBehind: f?.waiting ?? 0,
                // Why that message's last try failed: its own, which `lastError` (the hook's last answer, a `webhook test` too) may not be.
                failingLastError: f?.lastError ?? null,
              }))),
            });
          }
          ctx.out(json(listed));
          return 0;
        }
        if (all.length === 0) {
          ctx.out('no webhooks (add one: goldratio webhook add <https-url>)');
          return 0;
        }
        // The format column as wide as the widest listed (slack-workflow), else as wide as discord.
        const formatWidth = Math.max(7, ...all.map((h) => sentFormat(h).length));
        for (const h of all) {
          const sub = await subs.get('webhook', h.id);
          const since =
            sub === undefined || sub.active || sub.deactivatedAt === null
              ? ''
              : ` since ${new Date(sub.deactivatedAt).toISOString()} (${fmtAgo((ctx.now?.() ?? Date.now()) - sub.deactivatedAt, 'en')} ago)`;
          const state =
            sub?.active === true ? 'active' : `DEACTIVATED (${sub === undefined ? 'no subscription' : stopDetail(sub.deactivatedReason ?? '')})${since}`;
          // Status 0 is every failure before an HTTP answer (refused, reset, a bad certificate, a
          // timeout): the error says which, so it is shown whenever there is one, a failed
          // `webhook test` (not counted in the run) included.
          const last =
            h.lastAt === null ? 'never sent' : `last ${h.lastStatus === 0 ? 'no HTTP answer' : `HTTP ${h.lastStatus}`} at ${new Date(h.lastAt).toISOString()}`;
          // The error is the last answer's, which may be a `webhook test`'s since the run of failures (or
          // another message's): said beside it, never as the run's ("3 failed in a row (HTTP 500)" of three 422s).
          const why = h.lastError === null ? '' : ` (${h.lastError})`;
          const failing = `${why}${h.failures > 0 ? `, ${h.failures} failed in a row` : ''}`;
          const length = overLongAddress(h.url);
          const tooLong =
            length === undefined
              ? ''
              : `  ADDRESS TOO LONG (${length.toLocaleString('en-US')} characters, at most ${MAX_HOOK_URL.toLocaleString('en-US')}: every send is refused; remove it: goldratio webhook remove ${h.id})`;
          const slackStored = storedAsSlack(h)
            ? `  STORED AS slack (a Slack workflow's address, added before workflows were told apart; sent as slack-workflow): to store it so, copy its address from the workflow's trigger in Slack (goldratio shows it only shortened), then goldratio webhook remove ${h.id}, then goldratio webhook add <its address>`
            : '';
          const rotating = graceEnd(h, ctx.now?.() ?? Date.now());
          const grace = rotating === null ? '' : `  old secret signs too until ${rotating}`;
          const f = await retrying(h, sub);
          const now = ctx.now?.() ?? Date.now();
          const failingFor =
            f === undefined
              ? ''
              : // Its own last refusal: what makes it one given up alone, and the hook's last answer (before) may be another's.
                `  RETRYING a message ${f.alone ? `whose body the receiver refuses (${f.lastError})` : `failing${f.lastError !== null && f.lastError !== h.lastError ? ` (its last try: ${f.lastError})` : ''}`} since ${iso(f.since)} (${fmtAgo(now - f.since, 'en')}): next try ${f.nextAt < now ? `due since ${iso(f.nextAt)} (the bot sends it when it runs)` : iso(f.nextAt)}${f.waiting > 0 ? `, ${f.waiting} more waiting behind it` : ''}; ${f.alone ? `still refused at ${iso(f.givenUpAt)}, it alone is given up, the hook staying active` : `still failing at ${iso(f.givenUpAt)}, it is given up and the hook deactivated`}`;
          const r = h.lastRefused;
          const refused =
            r == null
              ? ''
              : `  last refused: ${KIND_SAID[r.kind] ?? r.kind} ${r.delivery} at ${iso(r.at)} (${fmtAgo(now - r.at, 'en')} ago), given up alone: ${r.error}`;
          const n = await kept(sub);
          const keeping =
            n === 0
              ? ''
              : `  ${n} message${n === 1 ? '' : 's'} kept: once the receiver takes them again, goldratio webhook test ${h.id} turns it on and sends them (webhook remove gives them up)`;
          ctx.out(
            `${h.id}  ${sentFormat(h).padEnd(formatWidth)} ${(sub?.lang ?? '-').padEnd(5)} ${state}  ${shownAddress(h.url)}  ${last}${failing}${failingFor}${refused}${tooLong}${slackStored}${grace}${keeping}`,
          );
        }
        ctx.out(
          `a failed delivery is tried again ${spanSaid(WEBHOOK_RETRY_SPAN)} after its first failure (a 429's Retry-After within that); still failing ${waitSaid(spanMs(WEBHOOK_RETRY_SPAN))} after it, it is given up and the hook deactivated; a message whose body the receiver refuses (413 at once, 400 or 422 after ${waitSaid(BODY_REFUSAL_MS)}) is given up alone, the hook staying active, unless one was given up so with nothing taken after it (docs/webhook.md)`,
        );
        return 0;
      }
      case 'remove': {
        const id = idOrFail(target, 'remove');
        requireHooks(ctx);
        const { db, subs, hooks } = stores(await storeOf(ctx), config, ctx);
        const hook = await hookOrFail(hooks, id);
        // Its pending deliveries are given up with it, in the same transaction.
        await removeWithSubscription(db, subs, hook.id);
        ctx.out(`removed webhook ${hook.id} (${shownUrl(hook.url)})`);
        return 0;
      }
      case 'test': {
        const id = idOrFail(target, 'test');
        requireHooks(ctx);
        const { db, subs, hooks } = stores(await storeOf(ctx), config, ctx);
        const hook = await hookOrFail(hooks, id);
        const own = await subs.get('webhook', hook.id);
        const lang = own?.lang ?? config.defaultLang;
        // Its answer recorded at the command's clock, as every other time it says.
        const notifier = new WebhookNotifier({
          store: hooks,
          log: ctx.log,
          rate: config.webhook.rate,
          timeoutMs: config.webhook.timeoutSeconds * 1000,
          now: () => ctx.now?.() ?? Date.now(),
        });
        // An alert as a real one comes (its data, its chart), marked as a test: the latest, else a made-up one.
        const view = new MarketView(new QuoteStore(db));
        const nowMs = ctx.now?.() ?? Date.now();
        const sampleOf = {
          db,
          view,
          charts: new ChartService(view),
          lang,
          theme: config.chartTheme,
          nowMs,
          ...(own !== undefined && { own: { spec: own, approachPct: config.approachPct } }),
        };
        // --digest: the largest message a hook gets (its chart holds both ratios), which a receiver sized by the alert may refuse.
        const sample = values.digest === true ? await digestSample({ ...sampleOf, story: crossingOptions(config) }) : await testSample(sampleOf);
        if (sample === undefined) throw new UserError('no digest to send yet: no closes of both ratios are stored (goldratio backfill loads them)');
        ctx.out(`webhook ${hook.id}: sending ${sample.said}`);
        if (sample.noChart !== undefined) ctx.out(`webhook ${hook.id}: no chart (${sample.noChart}); a real alert would go without one too`);
        const { count, parts } = await notifier.probe(hook, {
          kind: 'test',
          messageKey: `test-${nowMs}`,
          lang,
          message: sample.message,
          chart: sample.chart,
        });
        // One line per part, as a real message goes (a long Slack or Discord one is several POSTs):
        // the receiver that takes the first part but not the second is named so.
        const name = (i: number) => (count > 1 ? `webhook ${hook.id} part ${i + 1}/${count}` : `webhook ${hook.id}`);
        for (const [i, r] of parts.entries()) {
          if (r.ok) ctx.out(`${name(i)} answered HTTP ${r.status} in ${r.ms} ms`);
          else ctx.err(`${name(i)} failed after ${r.ms} ms: ${r.error}`);
        }
        if (parts.length < count)
          ctx.err(`webhook ${hook.id} parts ${parts.length + 1}-${count} of ${count} not posted: a message stops at the part that fails`);
        if (parts.length === count && parts.every((r) => r.ok)) {
          const sub = await subs.get('webhook', hook.id);
          // A receiver fixed after the hook was deactivated: a passing test turns it back on.
          if (sub !== undefined && !sub.active) {
            // The messages kept when the receiver said it was gone for good go out now, once.
            const kept = await reactivateWithKept(db, subs, hook.id, ctx.now?.() ?? Date.now());
            const sending = kept > 0 ? `; the ${kept} message${kept === 1 ? '' : 's'} kept for it go${kept === 1 ? 'es' : ''} out now` : '';
            ctx.out(`webhook ${hook.id} was deactivated (${stopDetail(sub.deactivatedReason ?? '')}); it is active again${sending}`);
          } else if (sub !== undefined) {
            // A receiver back from an outage: its message being retried need not wait for the schedule's next try (hours, late in the span).
            const due = await retryNow(db, sub.id, nowMs);
            if (due !== undefined)
              ctx.out(
                `webhook ${hook.id}: its message failing since ${new Date(due.since).toISOString()} is due again now (the bot's next dispatch sends it${due.waiting > 0 ? `, then the ${due.waiting} waiting behind it` : ''})`,
              );
          }
          return 0;
        }
        return 1;
      }
      case 'rotate': {
        const id = idOrFail(target, 'rotate');
        const hours = graceHours(values.grace);
        requireHooks(ctx);
        const { hooks } = stores(await storeOf(ctx), config, ctx);
        const hook = await hookOrFail(hooks, id);
        if (hook.format !== 'json')
          throw new UserError(
            `webhook ${hook.id} is ${hook.format}: it is not signed, its address is its secret; to change it, goldratio webhook remove ${hook.id} and add the new address`,
          );
        const now = ctx.now?.() ?? Date.now();
        const until = now + Math.round(hours * 3_600_000);
        const secret = randomBytes(32).toString('hex');
        const dropped = hook.previousSecret != null && (hook.previousUntil ?? 0) > now;
        // Only the secret changes: the id, the subscription and the deliveries pending for it stay.
        const rotated = await hooks.rotate(hook.id, secret, now, until);
        if (rotated === undefined) throw new UserError(`no webhook "${cut(id)}" (removed meanwhile; ids: goldratio webhook list)`);
        ctx.out(`webhook ${hook.id}: new signing secret (shown once):`);
        for (const line of secretLines(secret)) ctx.out(line);
        ctx.out(
          hours > 0
            ? `the old secret signs too until ${new Date(until).toISOString()} (webhook-signature carries both; X-Goldratio-Signature-256 keeps the old one until then): put the new one in the receiver before that`
            : 'the old secret no longer signs: deliveries from now on verify only with the new one',
        );
        if (dropped) ctx.out('the secret replaced by the previous rotation, still in its grace period, no longer signs');
        return 0;
      }
      default:
        throw new UserError(
          verb === undefined ? `missing subcommand. Usage: goldratio ${USAGE}` : `unknown subcommand "${cut(verb)}". Usage: goldratio ${USAGE}`,
        );
    }
  },
};
