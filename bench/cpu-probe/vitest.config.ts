/**
 * The project's vitest config with a per-file CPU probe (setup.ts):
 *   CPU_PROBE_OUT=/tmp/cpu.jsonl npx vitest run --config bench/cpu-probe/vitest.config.ts [files]
 * then `node --import tsx bench/cpu-probe/table.ts /tmp/cpu.jsonl` for the files by CPU.
 */
import { defineConfig, mergeConfig } from 'vitest/config';
import base from '../../vitest.config.ts';

export default mergeConfig(
  base,
  defineConfig({
    root: new URL('../..', import.meta.url).pathname,
    test: { setupFiles: [new URL('./setup.ts', import.meta.url).pathname] },
  }),
);
