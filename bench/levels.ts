/**
 * What one /levels costs the main thread, and which part of it a cache by (data version, language,
 * pair) could save: the whole command through the chat layer (the chat's subscription read, each
 * pair's report with its live quotes, the lines formatted), the formatting alone, the reports alone,
 * and Telegram's rendering of the reply; then the one-off costs: a process's first /levels in each
 * language (code and formatters compiled), and the first after a new close (the era records of the
 * essay's levels, computed once per data version: MarketSnapshot.levelRecord). CPU time of this
 * process, median of 5 rounds. Real history when /work/shared/market-history exists.
 */
import { levelsCommand, levelsLines } from '../src/chat/commands/reference.ts';
import { PAIR_IDS } from '../src/domain/instruments.ts';
import { essayLevels } from '../src/domain/levels.ts';
import { renderReply } from '../src/platforms/telegram/render.ts';
import type { ChatContext } from '../src/chat/context.ts';
import '../src/chat/registry.ts';
import { chatWorld } from '../tests/helpers/chat.ts';
import { hasHistory, seedHistory } from '../tests/helpers/charts-fixtures.ts';
import { report } from './_util.ts';

if (!hasHistory()) throw new Error('bench/levels.ts needs the real history (GOLDRATIO_HISTORY_DIR)');
const w = chatWorld({ seed: false });
try {
  await seedHistory(w.quotes);
  const now = Date.parse('2026-08-21T22:00:00Z');
  const ctx = (i: number, lang = i % 2 === 0 ? 'en' : 'zh-TW'): ChatContext => ({
    platform: 'telegram',
    chatId: String(1000 + i),
    chatType: 'private',
    userLanguageCode: lang,
    isAdmin: async () => false,
    nowMs: now,
  });
  const cpuMs = (since: NodeJS.CpuUsage) => {
    const u = process.cpuUsage(since);
    return (u.user + u.system) / 1000;
  };
  const once = async (fn: () => Promise<unknown>) => {
    const c = process.cpuUsage();
    await fn();
    return cpuMs(c);
  };

  // One-off: the first /levels of this process in each language, the snapshot already loaded.
  await w.deps.view.snapshot();
  for (const p of PAIR_IDS) for (const l of essayLevels(p)) (await w.deps.view.snapshot()).levelRecord(l);
  report("a process's first /levels, en (CPU)", await once(() => levelsCommand.run(w.deps, ctx(0, 'en'), [])));
  report('its first in zh-TW (CPU)', await once(() => levelsCommand.run(w.deps, ctx(1, 'zh-TW'), [])));
  report('its first in zh-CN (CPU)', await once(() => levelsCommand.run(w.deps, ctx(2, 'zh-CN'), [])));

  const per = async (name: string, fn: (i: number) => Promise<unknown>, target?: string) => {
    for (let i = 0; i < 200; i++) await fn(i);
    const rounds: number[] = [];
    for (let r = 0; r < 5; r++) {
      const c = process.cpuUsage();
      for (let i = 0; i < 400; i++) await fn(i);
      rounds.push(cpuMs(c) / 400);
    }
    const median = rounds.sort((a, b) => a - b)[2]!;
    report(name, median, target);
    return median;
  };
  await per('/levels, the whole command (CPU each, en and zh-TW)', (i) => levelsCommand.run(w.deps, ctx(i), []));
  const lines = await per('  its lines, both pairs (levelsLines, the reports in it)', (i) =>
    levelsLines(i % 2 === 0 ? 'en' : 'zh-TW', w.deps.view, now, PAIR_IDS),
  );
  const reports = await per('  the two reports alone (the live quotes read)', async () => {
    for (const p of PAIR_IDS) await w.deps.view.report(p, now);
  });
  // The live value and its distances change without a new data version: a cache could keep the rest only.
  report('  what a cache by (version, language, pair) could keep', lines - reports);
  const replyOf = await levelsCommand.run(w.deps, ctx(0), []);
  await per("  Telegram's HTML of the reply", async () => renderReply(replyOf, false));

  // After a new close: the snapshot is read again, and the era records computed once for it.
  const firsts: number[] = [];
  for (let r = 0; r < 3; r++) {
    await w.quotes.upsertCloses('spx', [{ date: '2026-08-24', close: 6400 + r, source: 'bench' }]);
    await w.quotes.upsertCloses('gold', [{ date: '2026-08-24', close: 3400, source: 'bench' }]);
    await w.deps.view.snapshot();
    for (const p of PAIR_IDS) (await w.deps.view.snapshot()).ratio(p);
    firsts.push(await once(() => levelsCommand.run(w.deps, ctx(r), [])));
  }
  report('the first /levels after a new close, snapshot and ratios read (CPU, median of 3)', firsts.sort((a, b) => a - b)[1]!);
} finally {
  w.close();
}
