/**
 * A process that logs more than a pipe holds (300 KB to stderr) and a last line, says so by
 * creating the file `<ready>`, then ends with code 3 (argv: <how> <ready>; how `written`: through
 * exitWhenWritten as bin/goldratio.js does, given 20 s for it; `exit`: process.exit alone).
 */
import { writeFileSync } from 'node:fs';
import { exitWhenWritten } from '../../src/cli.ts';

const [how, ready] = process.argv.slice(2) as [string, string];
for (let i = 0; i < 1500; i++) process.stderr.write(`${'y'.repeat(199)}\n`);
process.stderr.write('the last line\n');
writeFileSync(ready, '');
if (how === 'written') await exitWhenWritten(3, 20_000);
else process.exit(3);
