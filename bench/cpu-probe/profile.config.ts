/**
 * The project's vitest config with a CPU profile per test file (profile-setup.ts):
 *   CPU_PROFILE_DIR=/tmp/prof npx vitest run --config bench/cpu-probe/profile.config.ts tests/a.test.ts
 * then `node --import tsx bench/cpu-probe/hot.ts /tmp/prof/<file>.cpuprofile` for where it spends,
 * or `bench/cpu-probe/across.ts /tmp/prof` for the whole run's profiles read together.
 */
import { defineConfig, mergeConfig } from 'vitest/config';
import base from '../../vitest.config.ts';

export default mergeConfig(
  base,
  defineConfig({
    root: new URL('../..', import.meta.url).pathname,
    test: { setupFiles: [new URL('./profile-setup.ts', import.meta.url).pathname] },
  }),
);
