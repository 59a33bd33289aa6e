/**
 * Waits for something the code under test makes happen (a gateway event applied, a row written, a
 * line logged): polls `ok` every `stepMs` and resolves as soon as it holds, so it costs nothing once
 * the event has come. Its bound is time, and a loaded machine's (20 s by default), not a count of
 * polls: "200 tries of 10 ms" is 2 s on an idle machine and was missed on 2 cores loaded by 5
 * helpers. Past the bound it fails naming what it waited for (the condition's source).
 */
export async function eventually(ok: () => boolean | Promise<boolean>, timeoutMs = 20_000, stepMs = 10): Promise<void> {
  const t0 = performance.now();
  for (;;) {
    if (await ok()) return;
    if (performance.now() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${String(ok)}`);
    await new Promise((r) => setTimeout(r, stepMs));
  }
}
