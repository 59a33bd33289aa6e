/**
 * Discord shares Telegram's flood limit and metrics: a member who floods is told once (ephemeral)
 * and the rest of their interactions go unanswered; another member is answered as usual; the
 * drops, the commands and Discord's 429s show in /metrics. Real discord.js Client against the fake.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Discord } from '../../../src/platforms/discord/client.ts';
import { createMetrics, type Metrics } from '../../../src/ops/metrics.ts';
import { FloodLimiter } from '../../../src/chat/flood-limit.ts';
import { type FakeDiscord, slashInteraction } from '../../fakes/discord.ts';
import { startDiscordBot, stopDiscordBot } from '../../helpers/discord-harness.ts';
import type { World } from '../../helpers/telegram-harness.ts';

const FLOODER = '600000000000000777';
const OTHER = '600000000000000888';

let world: World;
let fake: FakeDiscord;
let bot: Discord;
let metrics: Metrics;

beforeEach(async () => {
  metrics = createMetrics({ defaults: false });
  ({ world, fake, bot } = await startDiscordBot({ metrics, flood: new FloodLimiter({ max: 5, windowMs: 60_000 }) }));
});
afterEach(() => stopDiscordBot({ world, fake, bot }));

const callbacksFor = (tokens: readonly string[]) => fake.requests.filter((r) => r.method === 'POST' && tokens.some((t) => r.path.includes(`/${t}/callback`)));

describe('Discord flood limit and metrics', () => {
  it('GIVEN one member sending 8 /help and another sending 1 THEN the flooder gets 5 answers and one ephemeral notice, the other is answered; drops and commands are counted', async () => {
    const flooded = Array.from({ length: 8 }, () => fake.interact(slashInteraction({ name: 'help', userId: FLOODER })).token);
    const other = fake.interact(slashInteraction({ name: 'help', userId: OTHER })).token;
    await fake.waitFor('POST', new RegExp(`/${other}/callback$`));
    // 5 answers and 1 notice for the flooder: wait for the six, then give the two dropped ones time to (not) arrive.
    const deadline = Date.now() + 10_000;
    while (callbacksFor(flooded).length < 6 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 300));

    const answers = callbacksFor(flooded);
    expect(answers).toHaveLength(6);
    const notices = answers.filter((a) => JSON.stringify(a.body).includes('too fast'));
    expect(notices).toHaveLength(1);
    expect(notices[0]!.body.data.flags).toBe(64);
    expect(answers.filter((a) => JSON.stringify(a.body).includes('too fast') === false)).toHaveLength(5);

    const text = await metrics.scrape();
    expect(text).toMatch(/goldratio_flood_dropped_total\{platform="discord"\} 3/);
    expect(text).toMatch(/goldratio_commands_total\{platform="discord",command="help",outcome="ok"\} 6/);
  });

  it('GIVEN a 429 on a reply route THEN it is waited out and counted as a Discord 429', async () => {
    fake.fail(/\/callback$/, { kind: 'route-429', retryAfter: 0.05 }, 1, 'POST');
    const { token } = fake.interact(slashInteraction({ name: 'help', userId: OTHER }));
    const deadline = Date.now() + 10_000;
    while (!callbacksFor([token]).some((r) => r.status === 204 || r.status === 200) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(callbacksFor([token]).map((r) => r.status)).toEqual([429, expect.any(Number)]);
    const text = await metrics.scrape();
    expect(text).toMatch(/goldratio_rate_limited_total\{platform="discord"\} 1/);
  });
});
