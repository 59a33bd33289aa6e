// A worker thread that loads the chart fonts as src/charts/render-worker.mjs does, and tells its
// parent how many font files it registered itself and which families it then sees.
import { parentPort, workerData } from 'node:worker_threads';
import { GlobalFonts } from '@napi-rs/canvas';

(await import('tsx/esm/api')).register();
let calls = 0;
const registerFromPath = GlobalFonts.registerFromPath.bind(GlobalFonts);
GlobalFonts.registerFromPath = (...args) => {
  calls++;
  return registerFromPath(...args);
};
const { ensureFonts } = await import('../../src/charts/fonts.ts');
ensureFonts(workerData.lang, workerData.text);
parentPort.postMessage({ calls, families: GlobalFonts.families.map((f) => f.family) });
