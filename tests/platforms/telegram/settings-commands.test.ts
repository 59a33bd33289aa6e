/**
 * /quiet, /digest and /move end to end: typed into the Telegram fake, answered by the real bot,
 * stored in the world's SQLite file (the harness wires their stores as main.ts does). And /lang
 * answered (by another replica) while /ratio is being answered: the /ratio answer is in one language.
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { FakeTelegram, FakeUser, RecordedCall } from '../../fakes/telegram.ts';
import { makeTelegram, nextAnswer, startBot, stopBot, type World } from '../../helpers/telegram-harness.ts';
import type { Telegram } from '../../../src/platforms/telegram/bot.ts';
import { t } from '../../../src/domain/i18n/index.ts';
import { findCommand } from '../../../src/chat/registry.ts';
import { chatCtx } from '../../helpers/chat.ts';

const ANN: FakeUser = { id: 5005, first_name: 'Ann', language_code: 'en' };

let fake: FakeTelegram;
let world: World;
let tg: Telegram;

beforeEach(async () => ({ fake, world, tg } = await startBot()));
afterEach(() => stopBot({ fake, world, tg }));

/** Types `text` into the private chat `chatId` and waits for the bot's next message there (its text, tags removed). */
async function ask(chatId: number, text: string): Promise<string> {
  return plain(await nextAnswer(fake, chatId, text, ANN));
}

const plain = (c: RecordedCall): string =>
  String(c.params.text ?? c.params.caption ?? '')
    .replace(/<[^>]+>/g, '')
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&');

const subOf = async (chatId: number) => (await world.deps.subs.get('telegram', String(chatId)))!;

describe('settings commands through the Telegram fake', () => {
  test('GIVEN /quiet 23:00-07:00 Asia/Taipei, then /quiet, then /quiet off THEN the hours are set, shown, and ended', async () => {
    expect(await ask(61, '/quiet 23:00-07:00 Asia/Taipei')).toContain(t('en', 'quiet.set', { start: '23:00', end: '07:00', zone: 'Taipei time' }));
    expect(await world.deps.quiet!.window((await subOf(61)).id)).toEqual({ start: '23:00', end: '07:00', zone: 'Asia/Taipei' });
    // Setting quiet hours is not subscribing.
    expect((await subOf(61)).active).toBe(false);
    expect(await ask(61, '/quiet')).toContain(t('en', 'quiet.on', { start: '23:00', end: '07:00', zone: 'Taipei time' }));
    expect(await ask(61, '/quiet off')).toBe(t('en', 'quiet.stoppedNone'));
    expect(await world.deps.quiet!.window((await subOf(61)).id)).toBeUndefined();
  });

  test('GIVEN an offset typed with a space (/digest 08:00 UTC +3:30, /quiet 23:00-07:00 GMT −3:30, /digest 8am ＵＴＣ＋５：４５) THEN read as one zone, named as written', async () => {
    expect((await ask(64, '/digest 08:00 UTC +3:30')).split('\n')[0]).toMatch(/^Daily digest set for 08:00 \(UTC\+3:30\)\./);
    expect(await ask(64, '/quiet 23:00-07:00 GMT −3:30')).toContain(t('en', 'quiet.set', { start: '23:00', end: '07:00', zone: 'UTC-3:30' }));
    expect(await world.deps.quiet!.window((await subOf(64)).id)).toEqual({ start: '23:00', end: '07:00', zone: 'UTC-3:30' });
    expect((await ask(64, '/digest 8am ＵＴＣ＋５：４５')).split('\n')[0]).toMatch(/^Daily digest set for 08:00 \(UTC\+5:45\)\./);
    // A word past the zone is still one too many.
    expect((await ask(64, '/digest 08:00 Asia/Taipei extra')).split('\n')[0]).toContain('"extra"');
  });

  test('GIVEN /digest 08:00 Asia/Taipei, then /digest, then /digest off THEN the digest is set with its next send, shown, and stopped', async () => {
    const set = await ask(62, '/digest 08:00 Asia/Taipei');
    expect(set).toMatch(/08:00/);
    expect(set).toContain('(Taipei time)');
    const s = await world.deps.digests!.get((await subOf(62)).id);
    expect(s).toMatchObject({ time: '08:00', timezone: 'Asia/Taipei' });
    expect(s?.nextDue).toBeGreaterThan(Date.now());
    expect(await ask(62, '/digest')).toContain('08:00');
    expect(await ask(62, '/digest off')).toBe(t('en', 'chat.digest.stopped'));
    expect((await world.deps.digests!.get((await subOf(62)).id))?.time).toBeNull();
  });

  test('GIVEN /subscribe, then /move spx 10 20, /move, /move remove spx 10 20 THEN the move alert is added, listed and removed', async () => {
    await ask(63, '/subscribe');
    const added = await ask(63, '/move spx 10 20');
    expect(added).toContain(t('en', 'move.added', { move: t('en', 'move.item', { pair: 'SPX/Gold', pct: '10', days: 20 }) }));
    expect(await world.deps.moves!.list((await subOf(63)).id)).toEqual([{ pair: 'spx-gold', pct: 10, days: 20 }]);
    expect(await ask(63, '/move')).toContain('/move remove spx 10 20');
    expect(await ask(63, '/move remove spx 10 20')).toContain(
      t('en', 'move.removed', { move: t('en', 'move.item', { pair: 'SPX/Gold', pct: '10', days: 20 }) }),
    );
    expect(await world.deps.moves!.list((await subOf(63)).id)).toEqual([]);
  });

  test('GIVEN /lang zh-TW answered (by another replica) while /ratio is being answered THEN the /ratio answer is all English, the next one Chinese', async () => {
    await ask(64, '/subscribe');
    const view = world.deps.view;
    let langOnce: Promise<unknown> | undefined;
    const report = async (...a: Parameters<typeof view.report>) => {
      // Another replica answers a manager's /lang in the middle of /ratio's read.
      langOnce ??= findCommand('lang')!.run(world.deps, chatCtx({ platform: 'telegram', chatId: '64' }), ['zh-TW']);
      await langOnce;
      return view.report(...a);
    };
    const racing = new Proxy(view, { get: (v, k) => (k === 'report' ? report : (Reflect.get(v, k) as (...x: unknown[]) => unknown).bind(v)) });
    await tg.stop();
    tg = makeTelegram({ ...world, deps: { ...world.deps, view: racing } });
    await tg.start();
    const answer = await ask(64, '/ratio');
    expect(langOnce).toBeDefined();
    expect((await subOf(64)).lang).toBe('zh-TW');
    expect(answer).toContain('SPX/Gold');
    expect(answer).not.toMatch(/[\u4e00-\u9fff]/);
    expect(answer).toContain('Next level up');
    expect(await ask(64, '/ratio')).toMatch(/[\u4e00-\u9fff]/);
  });
});
