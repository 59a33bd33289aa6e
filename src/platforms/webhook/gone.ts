/**
 * Answers that say no retry can deliver to a hook: it is deactivated at the first one instead of
 * after a message's whole retry schedule (about 45 minutes of POSTs), its messages kept for a
 * passing `goldratio webhook test` (store/webhooks.ts). Two kinds (domain/stop-cause.ts Refusal):
 * `gone`, the hook will never work again (remove it and add the new address), and `blocked`, a
 * setting on the receiver's side refuses it until someone there changes it.
 *
 * Any receiver's 410 Gone; Discord's `{"code":10015}` Unknown Webhook (deleted) and 50027 Invalid
 * Webhook Token (reset: the old token never works again), and its 400 220001 ("Webhooks posted to
 * forum channels must have a thread_name or thread_id": a forum channel's webhook, added without a
 * post's `?thread_id=`; a channel never changes its type, so that address never takes a message;
 * the code is in Discord's JSON error codes, and FeedCord#90, uptime-kuma#4096 show it met).
 *
 * Slack's incoming webhooks answer a plain-text code (sources as checked, 2026-12):
 * - Slack's changelog "Improving error conditions for Incoming Webhooks" (api.slack.com/changelog/
 *   2016-05-17-changes-to-errors-for-incoming-webhooks) documents 400 `invalid_payload` and
 *   `user_not_found` (our body: retried, not the hook's fault for good), 403 `action_prohibited` ("the
 *   team … has some kind of restriction on the webhook posting in this context": an admin's
 *   setting, blocked), 404 `channel_not_found` ("the channel … does not exist": deleted, gone), 410
 *   `channel_is_archived` ("doesn't accept further messages": until it is unarchived, blocked) and
 *   500 `rollup_error` (retried).
 * - 403 `invalid_token` (the hook's token revoked, gone) is seen in the field: zulip/zulip#14251,
 *   and the slack-notifier gem's error in gueils/whales#38 ("invalid_token (HTTP Code 403)").
 * - 404 `no_service` (the hook removed, or disabled with the user who made it: gone) is seen in
 *   the field: slackapi/slack-github-action#249, and ansible/ansible-modules-extras#100 ("the exact
 *   same 404 if the integration was created and subsequently disabled").
 * - `no_team` (the workspace deleted: gone), `team_disabled` (the workspace disabled: blocked; the
 *   code exists, slackhq/slack-api-docs#40, undocumented) and `posting_to_general_channel_denied`
 *   (only admins may post in #general: blocked) are not in Slack's own pages we could find; each
 *   counts only with a 403, 404 or 410, which a retry would not change either.
 */
import type { Refusal } from '../../domain/stop-cause.ts';
import type { WebhookFormat } from '../../store/webhooks.ts';

/** Starts the reason of a hook its receiver refused that will never work again. */
export const GONE_FOR_GOOD = 'gone for good';
/** Starts the reason of a hook a setting on the receiver's side refuses until it is changed. */
export const BLOCKED = 'refused until changed in Slack';

const SLACK: Readonly<Record<string, { readonly refusal: Refusal; readonly why: string }>> = {
  no_service: { refusal: 'gone', why: 'the webhook was removed or disabled; add a new one' },
  invalid_token: { refusal: 'gone', why: 'its token was revoked; add a new webhook' },
  channel_not_found: { refusal: 'gone', why: 'its channel was deleted; add a webhook to another channel' },
  no_team: { refusal: 'gone', why: 'the workspace is gone' },
  channel_is_archived: { refusal: 'blocked', why: 'its channel is archived; unarchive it' },
  action_prohibited: { refusal: 'blocked', why: 'an admin restricted posting to its channel; ask them to allow it' },
  posting_to_general_channel_denied: {
    refusal: 'blocked',
    why: 'only admins may post in #general; ask an admin to allow it, or add a webhook to another channel',
  },
  team_disabled: { refusal: 'blocked', why: 'the workspace is disabled' },
};

const DISCORD_GONE: Readonly<Record<number, { readonly status: readonly number[]; readonly why: string }>> = {
  10015: { status: [401, 404], why: 'Unknown Webhook: the webhook was deleted' },
  50027: { status: [401, 404], why: 'Invalid Webhook Token: the webhook was reset' },
  220001: { status: [400], why: "a forum channel's webhook posts only into a post: add its address with ?thread_id=<the post's id>" },
};

/**
 * A redirect (never followed: post.ts): the address given to `webhook add` is not the final one.
 * A permanent one (301, 308) says that address has moved for good: no retry changes it, so the hook
 * is deactivated at once, as for a 410, the new address named (`to`, as shownUrl shows it: no
 * credentials or token) for the operator to add. A temporary one (302, 303, 307: a maintenance
 * page, a login in front of the receiver) is retried over the span, the hook deactivated at its end.
 */
export function redirected(status: number, to: string | null): { readonly reason: string; readonly refusal?: Refusal } {
  const where = to !== null ? ` to ${to}` : '';
  if (status === 301 || status === 308)
    return {
      refusal: 'gone',
      reason: `${GONE_FOR_GOOD}: HTTP ${status} moved permanently${where}, not followed: ${to !== null ? 'add that address' : 'add its new address'} (goldratio webhook add) and remove this one`,
    };
  return { reason: `HTTP ${status} redirect${where} not followed: register the final address` };
}

/** What a refusal that no retry changes means for the hook, or undefined for a refusal worth retrying. */
export function goneForGood(format: WebhookFormat, status: number, body: string): { readonly refusal: Refusal; readonly reason: string } | undefined {
  const text = body.trim();
  if ((format === 'slack' || format === 'slack-workflow') && (status === 403 || status === 404 || status === 410) && Object.hasOwn(SLACK, text)) {
    const { refusal, why } = SLACK[text]!;
    return { refusal, reason: `${refusal === 'gone' ? GONE_FOR_GOOD : BLOCKED}: HTTP ${status} ${text} (Slack: ${why})` };
  }
  if (format === 'discord' && status >= 400 && status < 500) {
    const code = discordCode(text);
    const gone = code === undefined || !Object.hasOwn(DISCORD_GONE, code) ? undefined : DISCORD_GONE[code]!;
    if (gone?.status.includes(status) === true) return { refusal: 'gone', reason: `${GONE_FOR_GOOD}: HTTP ${status} (Discord ${code} ${gone.why})` };
  }
  if (status === 410) return { refusal: 'gone', reason: `${GONE_FOR_GOOD}: HTTP 410 Gone` };
  return undefined;
}

function discordCode(text: string): number | undefined {
  try {
    const v: unknown = JSON.parse(text);
    const code = typeof v === 'object' && v !== null ? (v as { code?: unknown }).code : undefined;
    return typeof code === 'number' ? code : undefined;
  } catch {
    return undefined;
  }
}
