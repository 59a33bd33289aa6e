/**
 * The .cpuprofile files of a whole run (profile-setup.ts writes one per test file) read together:
 * functions by their own samples and by what they called, summed over every file, idle left out;
 * with a function's name, who called it (`depth` frames up) and in which files.
 *   node --import tsx bench/cpu-probe/across.ts <dir> [top]
 *   node --import tsx bench/cpu-probe/across.ts <dir> [top] <function name> [depth]
 * What hot.ts shows for one file, for the suite: a cost spread over many files (a helper every world
 * calls, a product function the fakes drive) shows here and in no file's own list. The samples are
 * wall-clock (a blocking call counts), and a native frame's name is whatever V8 saw last.
 */
import { readdirSync, readFileSync } from 'node:fs';
import type { Profile } from './profile.ts';

const [dir, top = '40', fn, depth = '4'] = process.argv.slice(2);
if (!dir) {
  console.error('usage: across.ts <profile dir> [top] [function name] [depth]');
  process.exit(2);
}
const own = new Map<string, number>();
const total = new Map<string, number>();
const chains = new Map<string, number>();
const files = new Map<string, number>();
const add = (m: Map<string, number>, k: string, us: number) => m.set(k, (m.get(k) ?? 0) + us);
let all = 0;
for (const f of readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'))) {
  const p = JSON.parse(readFileSync(`${dir}/${f}`, 'utf8')) as Profile;
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const names = new Map(
    p.nodes.map((n) => {
      const url = n.callFrame.url.replace(/^.*node_modules\//, '~/').replace(/^file:\/\/.*?\/(src|tests|bench)\//, '$1/');
      return [n.id, `${n.callFrame.functionName || '(anonymous)'} ${url}:${n.callFrame.lineNumber + 1}`];
    }),
  );
  p.samples.forEach((id, i) => {
    const us = p.timeDeltas[i] ?? 0;
    if (names.get(id)?.startsWith('(idle)')) return;
    all += us;
    const stack: string[] = [];
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) stack.push(names.get(cur)!);
    add(own, stack[0]!, us);
    for (const k of new Set(stack)) add(total, k, us);
    const at = fn === undefined ? -1 : stack.findIndex((s) => s.startsWith(`${fn} `));
    if (at >= 0) {
      add(chains, stack.slice(at, at + Number(depth)).join(' < '), us);
      add(files, f.replace(/\.cpuprofile$/, ''), us);
    }
  });
}
const show = (title: string, m: Map<string, number>) => {
  console.log(`\n${title}`);
  for (const [k, us] of [...m].sort((a, b) => b[1] - a[1]).slice(0, Number(top))) console.log(`${(us / 1000).toFixed(0).padStart(8)}  ${k}`);
};
console.log(`${(all / 1000).toFixed(0)} ms sampled, idle left out`);
if (fn === undefined) {
  show('own', own);
  show('with what they called', total);
} else {
  show(`${fn}, with its callers`, chains);
  show(`${fn}, by file`, files);
}
