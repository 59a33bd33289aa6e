/**
 * The chart renderer of the chat and webhook worlds (telegram-harness.ts makeWorld): the real
 * renderSpec on this thread, each distinct chart drawn once per test worker. A world's charts come
 * from its data and clock, and every world of a day holds the same synthetic closes, so the same
 * /ratio or alert chart was drawn again in test after test (40-60 ms of CPU each, the larger part
 * of many chat and webhook files). The spec is plain data (charts/spec.ts): equal specs draw equal
 * PNGs, so a spec already drawn gives the bytes it gave. What a world's ChartService does around
 * the render (its cache, the data version, sharing a render in flight, the stale footer) is unchanged;
 * the rendering itself has its own tests (tests/charts/), none of which draw through this.
 */
import { createHash } from 'node:crypto';
import type { RenderPool } from '../../src/charts/pool.ts';
import { renderSpec, renderStack } from '../../src/charts/render.ts';
import type { ChartSpec } from '../../src/charts/spec.ts';
import { LruCache } from '../../src/charts/cache.ts';

// About 60 KB a chart: 200 of them are 12 MB of a worker's memory.
const drawn = new LruCache<Promise<Buffer>>(200);
let draws = 0;

/** The PNG of `task` (one spec, or a digest's stack), drawn once per test worker. */
async function once(task: ChartSpec | readonly ChartSpec[], draw: () => Promise<{ png: Buffer }>): Promise<Buffer> {
  const key = createHash('sha256').update(JSON.stringify(task)).digest('hex');
  let png = drawn.get(key);
  if (png === undefined) {
    png = draw().then((r) => {
      draws++;
      return r.png;
    });
    drawn.set(key, png);
    png.catch(() => drawn.delete(key));
  }
  // A copy: a test may hold (or cut) the bytes it was sent.
  return Buffer.from(await png);
}

export const reusedCharts: RenderPool = {
  size: 0,
  completed: () => draws,
  render: (spec) => once(spec, () => renderSpec(spec)),
  renderStack: (specs) => once(specs, () => renderStack(specs)),
  close: async () => {},
};
