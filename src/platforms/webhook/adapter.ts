/**
 * Outgoing webhooks as a platform: always on, sends only. With no hook registered it has nothing
 * in the outbox and the dispatcher never calls it. Hooks are added with `goldratio webhook add`.
 */
import { WebhookStore } from '../../store/webhooks.ts';
import { sendOnly, type PlatformAdapter } from '../adapter.ts';
import { WebhookNotifier } from './notifier.ts';

export const webhookAdapter: PlatformAdapter = {
  platform: 'webhook',
  enabled: () => ({ on: true }),
  create: (d) =>
    sendOnly(
      'webhook',
      new WebhookNotifier({
        store: new WebhookStore(d.meta),
        log: d.log.child('webhook'),
        rate: d.config.webhook.rate,
        timeoutMs: d.config.webhook.timeoutSeconds * 1000,
        now: d.now,
      }),
    ),
};
