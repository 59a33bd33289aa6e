/**
 * Issue 18's figure: 100 inline queries at once (`@bot spx|qqq|power|` from 100 users, half of
 * them zh) through the real bot (grammY runner, long polling) against the fake Bot API in a worker
 * thread of its own (bench/_inline-fake.ts); each query's time from being queued at the fake to
 * its answerInlineQuery arriving there. Target p95 < 300 ms.
 * Per setting, two bursts: cold (charts not drawn yet: drawn here on the main thread, as the test
 * harness's chart service does; production draws in worker threads and renders them ahead), then
 * warm. Before them, the setting's process draws one other chart, as a running bot has. With TELEGRAM_INLINE_CHAT_ID each chart is uploaded once and the cards are cached photos;
 * without it (and no chart sent before) they are text articles. `BENCH_QUERIES` sets the burst size.
 */
import { Worker } from 'node:worker_threads';
import type { FakeUser } from '../tests/fakes/telegram.ts';
import { makeTelegram, makeWorld } from '../tests/helpers/telegram-harness.ts';
import type { FromInlineFake, ToInlineFake } from './_inline-fake.ts';

const N = Number(process.env.BENCH_QUERIES ?? 100);
const QUERIES = ['', 'spx', 'qqq', 'power'];

const row = (name: string, value: string, target = '') =>
  process.stdout.write(`${name.padEnd(52)} ${value.padStart(12)}${target ? `   (target ${target})` : ''}\n`);

for (const uploadChat of [true, false]) {
  const fake = new Worker(new URL('./_inline-fake.mjs', import.meta.url));
  const inbox: FromInlineFake[] = [];
  let wake: (() => void) | undefined;
  fake.on('message', (m: FromInlineFake) => {
    inbox.push(m);
    wake?.();
  });
  const next = async (type: FromInlineFake['type']): Promise<FromInlineFake> => {
    for (;;) {
      const i = inbox.findIndex((m) => m.type === type);
      if (i >= 0) return inbox.splice(i, 1)[0]!;
      await new Promise<void>((r) => (wake = r));
    }
  };
  const started = (await next('started')) as Extract<FromInlineFake, { type: 'started' }>;
  const world = makeWorld({
    TELEGRAM_BOT_TOKEN: started.token,
    TELEGRAM_API_ROOT: started.apiRoot,
    ...(uploadChat ? { TELEGRAM_INLINE_CHAT_ID: '-1001' } : {}),
  });
  const tg = makeTelegram(world);
  const setting = uploadChat ? 'upload chat set' : 'no upload chat';
  try {
    await tg.start();
    // A running bot has drawn charts before (its warm-up after each data change): one chart no
    // inline card shows is drawn first, so that "cold" means these charts not drawn yet, not the
    // process's first chart ever (its fonts loaded, its code compiled), which is shown apart.
    const f0 = performance.now();
    await world.charts.render({ kind: 'ratio', pair: 'spx-gold', range: '5Y' }, { lang: 'zh-TW' });
    row(`${setting}: the process's first chart (not inline's)`, `${(performance.now() - f0).toFixed(0)} ms`);
    for (const phase of ['cold', 'warm']) {
      const queries = Array.from({ length: N }, (_, i) => ({
        query: QUERIES[i % QUERIES.length]!,
        user: { id: 50_000 + i, first_name: `u${i}`, language_code: i % 2 === 0 ? 'en' : 'zh-hant' } satisfies FakeUser,
      }));
      const t0 = performance.now();
      fake.postMessage({ type: 'ask', queries } satisfies ToInlineFake);
      const answers: Extract<FromInlineFake, { type: 'answered' }>[] = [];
      while (answers.length < N) answers.push((await next('answered')) as Extract<FromInlineFake, { type: 'answered' }>);
      const wall = performance.now() - t0;
      const times = answers.map((a) => a.latencyMs).sort((a, b) => a - b);
      const q = (p: number) => times[Math.min(times.length - 1, Math.ceil((p / 100) * times.length) - 1)]!;
      const types = answers.flatMap((a) => a.types);
      const label = `${setting}, ${phase}`;
      row(`${label}: p50`, `${q(50)} ms`);
      row(`${label}: p95`, `${q(95)} ms`, '< 300 ms');
      row(`${label}: max`, `${q(100)} ms`);
      row(`${label}: all ${N} answered in`, `${wall.toFixed(0)} ms`);
      row(`${label}: results photo / article`, `${types.filter((x) => x === 'photo').length} / ${types.filter((x) => x === 'article').length}`);
      row(`${label}: refused answers`, `${answers.filter((a) => a.status !== 200).length}`, '0');
    }
  } finally {
    await tg.stop();
    fake.postMessage({ type: 'close' } satisfies ToInlineFake);
    const uploads = (await next('uploads')) as Extract<FromInlineFake, { type: 'uploads' }>;
    row(`${setting}: chart uploads`, `${uploads.count}`, 'one per chart and language');
    await next('closed');
    // The fake's watcher holds a long timer: the thread is ended, not waited for.
    await fake.terminate();
    world.cleanup();
  }
}
