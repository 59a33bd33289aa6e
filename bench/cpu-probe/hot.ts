/**
 * Where a .cpuprofile spends (profile-setup.ts writes one per test file): functions by their own
 * samples, then by the samples of everything they called, ms. `hot.ts <profile> [top]`.
 */
import { readFileSync } from 'node:fs';
import type { Profile, ProfileNode as Node } from './profile.ts';

const [path, top = '30'] = process.argv.slice(2);
if (!path) {
  console.error('usage: hot.ts <file.cpuprofile> [top]');
  process.exit(2);
}
const p = JSON.parse(readFileSync(path, 'utf8')) as Profile;
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const name = (n: Node) => {
  const url = n.callFrame.url.replace(/^.*node_modules\//, '~/').replace(/^file:\/\/.*?\/(src|tests|bench)\//, '$1/');
  return `${n.callFrame.functionName || '(anonymous)'} ${url}:${n.callFrame.lineNumber + 1}`;
};
const own = new Map<string, number>();
const total = new Map<string, number>();
let all = 0;
p.samples.forEach((id, i) => {
  const us = p.timeDeltas[i] ?? 0;
  all += us;
  const seen = new Set<string>();
  for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
    const k = name(byId.get(cur)!);
    if (cur === id) own.set(k, (own.get(k) ?? 0) + us);
    if (!seen.has(k)) total.set(k, (total.get(k) ?? 0) + us);
    seen.add(k);
  }
});
const show = (title: string, m: Map<string, number>) => {
  console.log(`\n${title}`);
  for (const [k, us] of [...m].sort((a, b) => b[1] - a[1]).slice(0, Number(top))) console.log(`${(us / 1000).toFixed(0).padStart(7)}  ${k}`);
};
console.log(`${(all / 1000).toFixed(0)} ms sampled`);
show('own', own);
show('with what they called', total);
