// A chart-render worker thread (piscina): draws a ChartSpec and encodes the PNG off the main
// thread. Plain JS so that a worker started from anywhere (npm start, vitest, bench) can load
// it; it registers tsx itself before importing the TypeScript renderer.
import { register } from 'tsx/esm/api';

register();
const { renderSpec } = await import('./render.ts');
const { ensureFonts } = await import('./fonts.ts');
// Fonts load when the worker starts, not on the first user's render.
ensureFonts();

/** @param {import('./spec.ts').ChartSpec} spec */
export default async function render(spec) {
  const r = await renderSpec(spec);
  return r.png;
}
