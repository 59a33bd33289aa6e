/** `goldratio webhook rotate`: a new secret without a new hook, the old one signing beside it for a grace period. */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { seedEvent } from '../../helpers/telegram-harness.ts';
import { hookWorld, type HookWorld } from '../../helpers/webhook-world.ts';
import type { Received } from '../../fakes/webhook-receiver.ts';

let w: HookWorld;
beforeEach(async () => {
  w = await hookWorld();
});
afterEach(async () => {
  await w.close();
});

/** A receiver's check of `webhook-signature` with one secret, as Standard Webhooks specifies it. */
function verifies(secret: string, got: Received): boolean {
  const h = got.headers;
  const expected = Buffer.from(createHmac('sha256', secret).update(`${h['webhook-id']}.${h['webhook-timestamp']}.`).update(got.body).digest('base64'));
  return String(h['webhook-signature'])
    .split(' ')
    .some((s) => s.startsWith('v1,') && Buffer.from(s.slice(3)).length === expected.length && timingSafeEqual(Buffer.from(s.slice(3)), expected));
}
const legacy = (secret: string, got: Received) =>
  got.headers['x-goldratio-signature-256'] === `sha256=${createHmac('sha256', secret).update(got.body).digest('hex')}`;

/** `webhook rotate` through the CLI: the new secret as printed, and the whole output. */
async function rotate(id: string, ...opts: string[]): Promise<{ secret: string; stdout: string }> {
  const r = await w.cli('webhook', 'rotate', id, ...opts);
  expect(r.code, r.stderr).toBe(0);
  return { secret: /^([0-9a-f]{64})$/m.exec(r.stdout)![1]!, stdout: r.stdout };
}

describe('webhook rotate', () => {
  test('GIVEN a message pending for a hook WHEN its secret is rotated THEN the same hook delivers it once, signed by both secrets, the first header still by the old one', async () => {
    const { id, secret: old } = await w.add('/rot');
    await seedEvent(w.world, [{ platform: 'webhook', chatId: id }]);
    const before = Date.now();
    const { secret, stdout } = await rotate(id);
    expect(secret).not.toBe(old);
    const until = Date.parse(/the old secret signs too until (\S+) /.exec(stdout)![1]!);
    expect(until - before).toBeGreaterThanOrEqual(24 * 3_600_000);
    expect(until - Date.now()).toBeLessThanOrEqual(24 * 3_600_000);
    // The secret again as a Standard Webhooks library takes it: whsec_ and the base64 of the key.
    const whsec = /(whsec_\S+)$/m.exec(stdout)![1]!;
    expect(Buffer.from(whsec.slice('whsec_'.length), 'base64').toString('utf8')).toBe(secret);

    const d = w.dispatcher(w.notifier());
    expect(await d.drain()).toMatchObject({ sent: 1 });
    expect(await d.pending()).toBe(0);
    const got = w.rx.at('/rot');
    expect(got).toHaveLength(1);
    expect(got[0]!.headers['webhook-signature']).toMatch(/^v1,\S+ v1,\S+$/);
    expect([verifies(secret, got[0]!), verifies(old!, got[0]!), verifies('0'.repeat(64), got[0]!)]).toEqual([true, true, false]);
    expect(legacy(old!, got[0]!)).toBe(true);
    expect((await w.world.deps.subs.get('webhook', id))?.active).toBe(true);

    const list = (await w.cli('webhook', 'list')).stdout;
    expect(list).toContain(`old secret signs too until ${new Date(until).toISOString()}`);
    const listed = JSON.parse((await w.cli('webhook', 'list', '--json')).stdout);
    expect(listed).toMatchObject([{ id, previousSecretUntil: new Date(until).toISOString() }]);
    for (const out of [list, JSON.stringify(listed)]) for (const s of [old!, secret]) expect(out).not.toContain(s);
  });

  test('GIVEN a rotation WHEN its grace period has ended THEN only the new secret signs, the first header included', async () => {
    const { id, secret: old } = await w.add('/after');
    const { secret } = await rotate(id, '--grace', '2');
    await seedEvent(w.world, [{ platform: 'webhook', chatId: id }]);
    await w.dispatcher(w.notifier({ now: () => Date.now() + 2 * 3_600_000 + 1000 })).drain();
    const [got] = w.rx.at('/after');
    expect(got!.headers['webhook-signature']).toMatch(/^v1,\S+$/);
    expect([verifies(secret, got!), verifies(old!, got!), legacy(secret, got!)]).toEqual([true, false, true]);
  });

  test('GIVEN --grace 0 (a leaked secret) THEN the old secret stops at once: the next `webhook test` verifies only with the new one', async () => {
    const { id, secret: old } = await w.add('/leak');
    const { secret, stdout } = await rotate(id, '--grace', '0');
    expect(stdout).toContain('the old secret no longer signs');
    expect((await w.cli('webhook', 'test', id)).code).toBe(0);
    const [got] = w.rx.at('/leak');
    expect([verifies(secret, got!), verifies(old!, got!), legacy(old!, got!)]).toEqual([true, false, false]);
    expect((await w.cli('webhook', 'list')).stdout).not.toContain('old secret');
  });

  test('GIVEN two rotations within a grace period THEN two secrets sign at most: the oldest is dropped, and the operator is told', async () => {
    const { id, secret: first } = await w.add('/twice');
    const { secret: second } = await rotate(id);
    const { secret: third, stdout } = await rotate(id);
    expect(stdout).toContain('the secret replaced by the previous rotation, still in its grace period, no longer signs');
    expect((await w.cli('webhook', 'test', id)).code).toBe(0);
    const [got] = w.rx.at('/twice');
    expect([verifies(third, got!), verifies(second, got!), verifies(first!, got!)]).toEqual([true, true, false]);
  });

  test.each([
    [['webhook', 'rotate'], /^goldratio webhook: missing webhook id\. Usage: goldratio webhook rotate <id>/],
    [['webhook', 'rotate', 'wh_nothere'], /^goldratio webhook: no webhook "wh_nothere"/],
    [
      ['webhook', 'rotate', '{id}', '--grace', 'soon'],
      /^goldratio webhook: --grace must be hours from 0 \(the old secret stops now\) to 168 \(a week\), got "soon"\n$/,
    ],
    [['webhook', 'rotate', '{id}', '--grace', '200'], /--grace must be hours from 0 .* got "200"\n$/],
    [['webhook', 'rotate', '{id}', '--grace', '-1'], /--grace (must be hours|needs a value)/],
    // Number() reads these as 16 and 100 hours: not what anyone typing hours meant.
    [['webhook', 'rotate', '{id}', '--grace', '0x10'], /--grace must be hours from 0 .* got "0x10"\n$/],
    [['webhook', 'rotate', '{id}', '--grace', '1e2'], /--grace must be hours from 0 .* got "1e2"\n$/],
    [['webhook', 'test', '{id}', '--grace', '1'], /^goldratio webhook: --grace goes with webhook rotate/],
  ])('GIVEN `%s` THEN one line says what is wrong, exit 2, and the secret is unchanged', async (args, said) => {
    const { id } = await w.add('/bad');
    const before = await w.hooks.get(id);
    const r = await w.cli(...args.map((a) => a.replace('{id}', id)));
    expect([r.code, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toMatch(said);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect((await w.hooks.get(id))?.secret).toBe(before?.secret);
  });

  test('GIVEN a slack hook THEN rotate refuses: it is not signed, its address is its secret', async () => {
    const { id } = await w.add('/slack', '--format', 'slack');
    const r = await w.cli('webhook', 'rotate', id);
    expect([r.code, r.stderr]).toEqual([
      2,
      `goldratio webhook: webhook ${id} is slack: it is not signed, its address is its secret; to change it, goldratio webhook remove ${id} and add the new address\n`,
    ]);
  });
});
