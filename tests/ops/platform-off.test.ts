/**
 * goldratio_platform_off_reason's label from each line a platform's readiness says (the lines as
 * the platforms and adapter.ts write them): a small bounded set an alert rule can match on.
 */
import { expect, test } from 'vitest';
import { offReason } from '../../src/ops/platform-off.ts';

test.each([
  [
    'not receiving updates: long polling stopped: the Telegram token was refused (401 Unauthorized): revoked or the bot deleted in @BotFather? Set TELEGRAM_BOT_TOKEN and restart goldratio',
    'token_refused',
  ],
  ['not receiving updates: the Telegram token was refused (401 Unauthorized): check TELEGRAM_BOT_TOKEN', 'token_refused'],
  ['off: the Telegram token was refused (404 Not Found): check TELEGRAM_BOT_TOKEN', 'token_refused'],
  [
    'not connected to the gateway: Discord refused DISCORD_TOKEN on the gateway (4004 Authentication failed): reset in the Developer Portal? Set DISCORD_TOKEN and restart goldratio',
    'token_refused',
  ],
  ['off: Discord refused DISCORD_TOKEN (401): check the bot token in the Developer Portal', 'token_refused'],
  ['not sending: the Telegram token was refused (401 Unauthorized): revoked in @BotFather? Set TELEGRAM_BOT_TOKEN and restart goldratio', 'token_refused'],
  ['not sending: Discord refused DISCORD_TOKEN (401): reset in the Developer Portal? Set DISCORD_TOKEN and restart goldratio', 'token_refused'],
  ['not receiving updates: attempt 3 failed: unreachable at https://api.telegram.org (ECONNREFUSED, calling getMe); next in 4 s', 'unreachable'],
  ['not connected to the gateway: attempt 2 failed: http://127.0.0.1:9/api did not answer GET /gateway/bot within 10 s; trying again', 'unreachable'],
  ['not receiving updates', 'starting'],
  ['not connected to the gateway', 'starting'],
  ['off: TELEGRAM_WEBHOOK_PORT 8443 is in use by another process', 'other'],
  ['not connected to the gateway: the gateway closed for good (4014); restart goldratio to connect again', 'other'],
] as const)('GIVEN /readyz says %j THEN the reason is %s', (line, reason) => {
  expect(offReason(line)).toBe(reason);
});
