/** The probe's lines (setup.ts) as a Markdown table, most CPU first: `table.ts <jsonl> [top]`. */
import { readFileSync } from 'node:fs';

interface Row {
  file: string;
  wallMs: number;
  selfMs: number;
  childrenMs: number;
  serverMs?: number;
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
// The PostgreSQL server's column when the probe read it (CPU_PROBE_PG_PID): not in the sort, since
// it holds whatever else ran on the server meanwhile.
const server = rows.some((r) => r.serverMs !== undefined);
const ms = (n: number) => n.toLocaleString('en');
console.log(`| file | CPU ms (worker / children) |${server ? ' server ms |' : ''} wall ms |`);
console.log(`|---|---|${server ? '---|' : ''}---|`);
for (const r of rows.slice(0, Number(top))) {
  console.log(
    `| ${r.file} | ${ms(r.selfMs + r.childrenMs)} (${ms(r.selfMs)} / ${ms(r.childrenMs)}) |${server ? ` ${ms(r.serverMs ?? 0)} |` : ''} ${ms(r.wallMs)} |`,
  );
}
console.log(
  `\n${rows.length} files: ${ms(sum((r) => r.selfMs))} ms worker, ${ms(sum((r) => r.childrenMs))} ms children${server ? `, ${ms(sum((r) => r.serverMs ?? 0))} ms server (overlapping)` : ''}`,
);
