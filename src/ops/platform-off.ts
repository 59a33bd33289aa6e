/**
 * Why a chat platform is off, as a small bounded set for goldratio_platform_off_reason's label
 * (metrics.ts): read from the one line its readiness says on /readyz, so the metric and the probe
 * never disagree. An alert rule matches on the reason; the line itself stays on /readyz and in the log.
 */
export const OFF_REASONS = ['token_refused', 'unreachable', 'starting', 'other'] as const;
export type OffReason = (typeof OFF_REASONS)[number];

/**
 * token_refused: the platform refused the bot's token (a start's 401, getUpdates' 401/404, a send's 401, the
 * gateway's 4004): no retry helps, set the token and restart. unreachable: attempts failing and
 * retried (a network, a silent API, a 5xx). starting: not up yet, nothing failed. other: anything
 * else said (a port in use, polling stopped for another cause, the gateway closed for good).
 */
export function offReason(line: string): OffReason {
  if (/token was refused|refused DISCORD_TOKEN|refused TELEGRAM_BOT_TOKEN/.test(line)) return 'token_refused';
  if (/attempt \d+ failed/.test(line)) return 'unreachable';
  if (/^(not receiving updates|not connected to the gateway|the Interactions Endpoint is not listening)$/.test(line)) return 'starting';
  return 'other';
}
