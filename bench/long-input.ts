/**
 * What a long or odd message costs (the seventeenth session's inputs12): every Telegram command's
 * words read from a message of 4,096 characters (Telegram's most) of each filler below, and of
 * MAX_ARGS_TEXT characters (the most a command reads: chat/define-command.ts), as `run` reads
 * them (the bound, then parseWords; no readings cache); then the whole answer to a long garbage
 * message through the in-process chat layer (chat/answer.ts answerText on a real SQLite world, the
 * reply rendered as Telegram HTML). Targets: the worst parse p99 < 5 ms, the answer p95 < 20 ms.
 * Wall time and the process's CPU time (a loaded machine's wall time holds waits for a core).
 * `BENCH_RUNS` sets the rounds (default 50).
 */
import { performance } from 'node:perf_hooks';
import { chatWorld, NOW_MS } from '../tests/helpers/chat.ts';
import { commandsOn } from '../src/chat/registry.ts';
import { parseWords, type ArgContext } from '../src/chat/args.ts';
import { MAX_ARGS_TEXT, tooLongArgs } from '../src/chat/define-command.ts';
import { commandAtStart, commandWords } from '../src/chat/command-words.ts';
import { answerText } from '../src/chat/answer.ts';
import { renderReply } from '../src/platforms/telegram/render.ts';
import type { ChatContext } from '../src/chat/context.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 50);
const TELEGRAM_MAX = 4096;

/** Fillers `n` characters long: plain, numbers, Chinese, spaced, emoji, and separators repeated (what split points and windows cut at). */
const FILLERS: Readonly<Record<string, (n: number) => string>> = {
  letters: (n) => 'abcdefghij'.repeat(n).slice(0, n),
  digits: (n) => '1234567890'.repeat(n).slice(0, n),
  chinese: (n) => '明天早上九點台北'.repeat(n).slice(0, n),
  'a a a': (n) => 'a '.repeat(n).slice(0, n),
  emoji: (n) => '🚀'.repeat(n).slice(0, n),
  '1:1:1': (n) => '1:'.repeat(n).slice(0, n),
  '-----': (n) => '-'.repeat(n),
  一一一: (n) => '一'.repeat(n),
  '1.1.1': (n) => '1.'.repeat(n).slice(0, n),
  '1/1/1': (n) => '1/'.repeat(n).slice(0, n),
  'until monday': (n) => `until ${'monday '.repeat(n)}`.slice(0, n),
  到明天明天: (n) => `到${'明天'.repeat(n)}`.slice(0, n),
  'a1 一:-': (n) => 'a1 一:-'.repeat(n).slice(0, n),
};

const row = (name: string, value: string, target = '') =>
  process.stdout.write(`${name.padEnd(64)} ${value.padStart(12)}${target ? `   (target ${target})` : ''}\n`);
const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};
const fmt = (ms: number) => (ms < 1 ? `${(ms * 1000).toFixed(0)} µs` : `${ms.toFixed(2)} ms`);

const a: ArgContext = { today: '2026-11-20', platform: 'telegram', lang: 'en' };
const commands = commandsOn('telegram').filter((c) => c.ignoresWords !== true);

/** Wall and CPU time of one call, in ms: on a shared machine the wall time also holds the waits for a core. */
function timed(fn: () => void): { wall: number; cpu: number } {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  fn();
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { wall, cpu: (c.user + c.system) / 1000 };
}

/** Reads the words of `text` as the command's `run` does: the bound first, then the readers. */
const readMessage = (c: (typeof commands)[number], text: string) => () => {
  const words = commandWords(commandAtStart(text)!.rest);
  const read = c.impliedWords?.(words) ?? words;
  void (tooLongArgs(words) ?? parseWords(c.args, read, a, read.length - words.length));
};

/**
 * The worst command parse of words `length` characters long: every command × filler read 20 times,
 * the slowest by its median CPU time then read RUNS × 20 times for its p99.
 */
function worstParse(length: number): { label: string; wall: number; cpu: number; p50: number } {
  let worst = { label: '', read: () => {}, median: -1 };
  for (const c of commands) {
    for (const [name, fill] of Object.entries(FILLERS)) {
      const read = readMessage(c, `/${c.name} ${fill(length)}`);
      const cpu: number[] = [];
      for (let i = 0; i < 20; i++) cpu.push(timed(read).cpu);
      const median = pct(cpu, 50);
      if (median > worst.median) worst = { label: `/${c.name} + ${JSON.stringify(name)}`, read, median };
    }
  }
  const runs = Array.from({ length: RUNS * 20 }, () => timed(worst.read));
  const wall = runs.map((r) => r.wall);
  return {
    label: worst.label,
    wall: pct(wall, 99),
    cpu: pct(
      runs.map((r) => r.cpu),
      99,
    ),
    p50: pct(wall, 50),
  };
}

for (const length of [TELEGRAM_MAX - 10, MAX_ARGS_TEXT]) {
  const w = worstParse(length);
  const what = length === MAX_ARGS_TEXT ? `${length} characters (the bound: read)` : `a ${TELEGRAM_MAX}-character message (refused)`;
  row(`worst command parse, ${what}: p99`, fmt(w.wall), '< 5 ms');
  row(`  which: ${w.label}; p50 ${fmt(w.p50)}, CPU p99`, fmt(w.cpu));
}

// The whole answer: a long garbage message in a private chat, parsed, answered (a refusal), rendered.
const world = chatWorld();
const known = commandsOn('telegram').map((c) => c.name);
const ctx = (i: number): ChatContext => ({
  platform: 'telegram',
  chatId: String(70_000 + i),
  chatType: 'private',
  userLanguageCode: i % 3 === 0 ? 'en' : i % 3 === 1 ? 'zh-TW' : 'zh-CN',
  isAdmin: async () => true,
  nowMs: NOW_MS,
});
const GARBAGE: readonly string[] = [
  ...Object.values(FILLERS).map((f) => f(TELEGRAM_MAX)),
  ...['mute', 'chart spx', 'power', 'subscribe spx', 'digest 08:00', 'quiet', 'move add spx'].flatMap((c) =>
    [FILLERS['-----']!, FILLERS['a a a']!, FILLERS['一一一']!, FILLERS['until monday']!].map((f) => `/${c} ${f(TELEGRAM_MAX - c.length - 2)}`),
  ),
];
const times: number[] = [];
const cpus: number[] = [];
let id = 0;
for (let round = -1; round < RUNS; round++) {
  for (const text of GARBAGE) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const answer = await answerText(world.deps, ctx(id++), text, known);
    if (answer.kind === 'message') renderReply(answer.reply, false);
    const c = process.cpuUsage(c0);
    if (round >= 0) {
      times.push(performance.now() - t0);
      cpus.push((c.user + c.system) / 1000);
    }
  }
}
row(`answer to a ${TELEGRAM_MAX}-character garbage message (${times.length}): p50`, fmt(pct(times, 50)));
row(`answer to a ${TELEGRAM_MAX}-character garbage message: p95`, fmt(pct(times, 95)), '< 20 ms');
row(`answer to a ${TELEGRAM_MAX}-character garbage message: CPU p95 / max wall`, `${fmt(pct(cpus, 95))} / ${fmt(pct(times, 100))}`);
world.close();
