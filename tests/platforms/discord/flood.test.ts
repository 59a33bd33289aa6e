/**
 * Discord shares Telegram's flood limit and metrics: a member who floods is told once (ephemeral)
 * and the rest of their interactions are not run, yet each is answered (Discord shows "The
 * application did not respond" otherwise): a press by its deferred update, a command by one short
 * ephemeral line. Another member is answered as usual; the drops, the commands and Discord's 429s
 * show in /metrics. Real discord.js Client against the fake.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Discord } from '../../../src/platforms/discord/client.ts';
import { createMetrics, type Metrics } from '../../../src/ops/metrics.ts';
import { FloodLimiter } from '../../../src/chat/flood-limit.ts';
import { botMessage, buttonInteraction, type FakeDiscord, slashInteraction } from '../../fakes/discord.ts';
import { discordEnv, makeDiscord, startDiscordBot, stopDiscordBot } from '../../helpers/discord-harness.ts';
import { makeWorld, type World } from '../../helpers/telegram-harness.ts';
import { INTERACTIONS_PATH } from '../../../src/platforms/discord/interactions-endpoint.ts';
import { eventually } from '../../helpers/eventually.ts';

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
  it('GIVEN one member sending 8 /help and another sending 1 THEN the flooder gets 5 answers, one ephemeral notice and 2 short ephemeral lines, the other is answered; drops and commands are counted', async () => {
    const flooded = Array.from({ length: 8 }, () => fake.interact(slashInteraction({ name: 'help', userId: FLOODER })).token);
    const other = fake.interact(slashInteraction({ name: 'help', userId: OTHER })).token;
    await fake.waitFor('POST', new RegExp(`/${other}/callback$`));
    // Every one of the eight is answered by its callback: wait for them all.
    await fake.waitFor('POST', new RegExp(`/(?:${flooded.join('|')})/callback$`), 8);

    const answers = callbacksFor(flooded);
    expect(answers).toHaveLength(8);
    const dropped = answers.filter((a) => JSON.stringify(a.body).includes('too fast'));
    expect(dropped).toHaveLength(3);
    expect(dropped.filter((a) => JSON.stringify(a.body).includes('You are sending commands too fast'))).toHaveLength(1);
    expect(dropped.filter((a) => JSON.stringify(a.body).includes('Not run: still too fast'))).toHaveLength(2);
    for (const a of dropped) expect(a.body).toMatchObject({ type: 4, data: { flags: 64 } });
    expect(answers.filter((a) => JSON.stringify(a.body).includes('too fast') === false)).toHaveLength(5);

    // A command is counted once its reply returned to the bot, a moment after the fake recorded it: waited for.
    const counted = /goldratio_commands_total\{platform="discord",command="help",outcome="ok"\} 6/;
    await eventually(async () => counted.test(await metrics.scrape()));
    expect(await metrics.scrape()).toMatch(/goldratio_flood_dropped_total\{platform="discord"\} 3/);
  });

  it('GIVEN 30 presses of a button by one member in a burst THEN every one is answered by a callback: 5 run, the notice once, the other 24 a deferred update that shows nothing', async () => {
    const message = botMessage();
    const presses = Array.from({ length: 30 }, () => fake.interact(buttonInteraction({ customId: 'cmd:help', message, userId: FLOODER })).token);
    await fake.waitFor('POST', new RegExp(`/(?:${presses.join('|')})/callback$`), 30);

    const answers = callbacksFor(presses);
    expect(answers).toHaveLength(30);
    // One callback per press, none refused.
    expect(new Set(answers.map((a) => a.path)).size).toBe(30);
    expect(answers.every((a) => a.status === 204)).toBe(true);
    const notices = answers.filter((a) => JSON.stringify(a.body).includes('too fast'));
    expect(notices).toHaveLength(1);
    expect(notices[0]!.body).toMatchObject({ type: 4, data: { flags: 64 } });
    expect(answers.filter((a) => a.body?.type === 6)).toHaveLength(24);
    expect(answers.filter((a) => a.body?.type !== 6 && !JSON.stringify(a.body).includes('too fast'))).toHaveLength(5);
    expect(await metrics.scrape()).toMatch(/goldratio_flood_dropped_total\{platform="discord"\} 25/);
  });

  it('GIVEN a 429 on a reply route THEN it is waited out and counted as a Discord 429', async () => {
    fake.fail(/\/callback$/, { kind: 'route-429', retryAfter: 0.05 }, 1, 'POST');
    const { token } = fake.interact(slashInteraction({ name: 'help', userId: OTHER }));
    await eventually(() => callbacksFor([token]).some((r) => r.status === 204 || r.status === 200), 25_000, 20);
    expect(callbacksFor([token]).map((r) => r.status)).toEqual([429, expect.any(Number)]);
    const text = await metrics.scrape();
    expect(text).toMatch(/goldratio_rate_limited_total\{platform="discord"\} 1/);
  });

  it('GIVEN 8 presses in a burst at the Interactions Endpoint THEN each HTTP answer is a response: 5 run, the notice, and 2 deferred updates (never a bare 204)', async () => {
    const w = makeWorld();
    const b = makeDiscord(w, discordEnv(fake, { DISCORD_PUBLIC_KEY: fake.publicKey }), {
      interactionsPort: 0,
      gateway: false,
      // Never deferred by the endpoint's own timer on a loaded machine: each HTTP answer is the handler's.
      deferAfterMs: 60_000,
      flood: new FloodLimiter({ max: 5, windowMs: 60_000 }),
    });
    try {
      await b.start();
      await b.ready();
      const url = `http://127.0.0.1:${b.endpointPort()}${INTERACTIONS_PATH}`;
      const message = botMessage();
      const answers = await Promise.all(
        Array.from({ length: 8 }, () => fake.postInteraction(url, buttonInteraction({ customId: 'cmd:help', message, userId: FLOODER }))),
      );
      expect(answers.map((a) => a.status)).toEqual(Array(8).fill(200));
      expect(answers.filter((a) => JSON.stringify(a.body).includes('too fast'))).toHaveLength(1);
      expect(answers.filter((a) => a.body?.type === 6)).toHaveLength(2);
    } finally {
      await b.stop();
      w.cleanup();
    }
  });
});
