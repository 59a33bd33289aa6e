/**
 * Outgoing webhooks as a platform: always on, sends only. With no hook registered it has nothing
 * in the outbox and the dispatcher never calls it. Hooks are added with `goldratio webhook add`.
 */
import { WebhookStore } from '../../store/webhooks.ts';
import { sendOnly, type PlatformAdapter } from '../adapter.ts';
import { WebhookNotifier } from './notifier.ts';
import { MAX_HOOK_URL, overLongAddress, storedAsSlack } from './url.ts';
import type { Logger } from '../../log.ts';

export const webhookAdapter: PlatformAdapter = {
  platform: 'webhook',
  chatBot: false,
  enabled: () => ({ on: true }),
  create: (d) => {
    const store = new WebhookStore(d.meta);
    const log = d.log.child('webhook');
    const service = sendOnly(
      'webhook',
      new WebhookNotifier({ store, log, rate: d.config.webhook.rate, timeoutMs: d.config.webhook.timeoutSeconds * 1000, now: d.now }),
    );
    return {
      ...service,
      start: async (signal) => {
        await sayStoredFaults(store, log);
        return service.start(signal);
      },
    };
  },
};

/**
 * Hooks stored by an older goldratio that this one would not take, said once at start-up, each by
 * id (an address may hold a token) with the commands that fix it: one over the address limit fails
 * at every send; a Slack Workflow Builder address stored as `slack`, before workflows were told
 * apart, is sent a workflow's variables (slack-workflow), not the Slack message its format says.
 */
async function sayStoredFaults(store: WebhookStore, log: Logger): Promise<void> {
  try {
    for (const h of await store.list()) {
      if (overLongAddress(h.url) !== undefined)
        log.warn(
          `webhook ${h.id}: its address is over the ${MAX_HOOK_URL.toLocaleString('en-US')} characters accepted now, so every send to it is refused: remove it with \`goldratio webhook remove ${h.id}\` and add a shorter address`,
        );
      if (storedAsSlack(h))
        log.warn(
          `webhook ${h.id}: a Slack Workflow Builder address stored as slack, which takes a workflow's variables, not a Slack message: it is sent them (slack-workflow, docs/webhook.md); store it so: copy its address from the workflow's trigger in Slack (goldratio shows it only shortened), then \`goldratio webhook remove ${h.id}\` (its pending messages are given up), then \`goldratio webhook add <its address>\` (the format is read from the address)`,
        );
    }
  } catch (e) {
    // Start-up never fails for a warning: the sends say the same hook by hook.
    log.warn(`could not check the stored webhooks' addresses: ${(e as Error).message}`);
  }
}
