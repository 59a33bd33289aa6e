/** The probe's lines (setup.ts) as a Markdown table, most CPU first: `table.ts <jsonl> [top]`. */
import { readFileSync } from 'node:fs';

interface Row {
  file: string;
  wallMs: number;
  selfMs: number;
  childrenMs: number;
}

const [path, top = '15'] = process.argv.slice(2);
if (!path) {
  console.error('usage: table.ts <probe.jsonl> [top]');
  process.exit(2);
}
const rows = readFileSync(path, 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l) as Row)
  .sort((a, b) => b.selfMs + b.childrenMs - (a.selfMs + a.childrenMs));
const sum = (f: (r: Row) => number) => rows.reduce((s, r) => s + f(r), 0);
console.log('| file | CPU ms (worker / children) | wall ms |');
console.log('|---|---|---|');
for (const r of rows.slice(0, Number(top))) {
  console.log(
    `| ${r.file} | ${(r.selfMs + r.childrenMs).toLocaleString('en')} (${r.selfMs.toLocaleString('en')} / ${r.childrenMs.toLocaleString('en')}) | ${r.wallMs.toLocaleString('en')} |`,
  );
}
console.log(`\n${rows.length} files: ${sum((r) => r.selfMs).toLocaleString('en')} ms worker, ${sum((r) => r.childrenMs).toLocaleString('en')} ms children`);
