// A chart-render worker thread (piscina): draws a ChartSpec and encodes the PNG off the main
// thread. Plain JS so that a worker started from anywhere (npm start, vitest, bench) can load
// it; from the sources it registers tsx itself before importing the TypeScript renderer (in the
// bin's bundle, bin/bundle.js, the renderer is compiled already).
if (import.meta.url.endsWith('/src/charts/render-worker.mjs')) (await import('tsx/esm/api')).register();
const { renderSpec, renderStack } = await import('./render.ts');
const { ensureFonts } = await import('./fonts.ts');
// The Latin faces load when the worker starts (English charts draw theirs from Noto Sans, Chinese
// ones from Noto Sans TC/SC); a chart's Chinese ones on its render (fonts.ts).
ensureFonts('en', '');
ensureFonts(undefined, '');

/**
 * One spec, or several stacked in one PNG (the digest's panels: pool.ts renderStack).
 * @param {import('./spec.ts').ChartSpec | readonly import('./spec.ts').ChartSpec[]} task
 */
export default async function render(task) {
  const r = Array.isArray(task) ? await renderStack(task) : await renderSpec(task);
  return r.png;
}
