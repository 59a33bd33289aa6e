/**
 * Answers that say a hook is gone for good: no retry can deliver to it, so it is deactivated at
 * the first one instead of after a message's whole retry schedule (about 45 minutes of POSTs).
 * Any receiver's 410 Gone; Discord's `{"code":10015}` Unknown Webhook (deleted) and 50027 Invalid
 * Webhook Token (changed); Slack's incoming-webhook errors for a hook removed, revoked, or posting
 * to a channel archived or a workspace gone (docs.slack.dev, "Handling errors").
 */
import type { WebhookFormat } from '../../store/webhooks.ts';

/** Starts every reason of a hook deactivated this way: `webhook test` finds its messages kept by it. */
export const GONE_FOR_GOOD = 'gone for good';

const SLACK_GONE: Readonly<Record<string, string>> = {
  no_service: 'the webhook was removed or disabled',
  no_team: 'the workspace is gone',
  team_disabled: 'the workspace is disabled',
  channel_not_found: 'its channel was deleted',
  channel_is_archived: 'its channel is archived',
  action_prohibited: 'an admin restricted posting to its channel',
  invalid_token: 'its token was revoked',
};

const DISCORD_GONE: Readonly<Record<number, string>> = {
  10015: 'Unknown Webhook: the webhook was deleted',
  50027: 'Invalid Webhook Token: the webhook was reset',
};

/** The reason a refusal means the hook is gone for good, or undefined for a refusal worth retrying. */
export function goneForGood(format: WebhookFormat, status: number, body: string): string | undefined {
  const text = body.trim();
  if (format === 'slack' && (status === 403 || status === 404 || status === 410) && Object.hasOwn(SLACK_GONE, text))
    return `${GONE_FOR_GOOD}: HTTP ${status} ${text} (Slack: ${SLACK_GONE[text]})`;
  if (format === 'discord' && (status === 401 || status === 404)) {
    const code = discordCode(text);
    if (code !== undefined && Object.hasOwn(DISCORD_GONE, code)) return `${GONE_FOR_GOOD}: HTTP ${status} (Discord ${code} ${DISCORD_GONE[code]})`;
  }
  if (status === 410) return `${GONE_FOR_GOOD}: HTTP 410 Gone`;
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
