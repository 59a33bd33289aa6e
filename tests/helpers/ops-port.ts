/**
 * The ops server's port as the bot said it: started with HTTP_PORT=0, the kernel picks a free port
 * at the listen and the bot names it in its "ops server on" line (pretty or JSON logs), so no port
 * is picked free first and used later (another process could take it in between).
 */
import type { Child } from './process.ts';

const OPS_LINE = /ops server on http:\/\/[^\s:/]+:(\d+) /;

/** The port in the "ops server on" line of `said` (a child's stderr, a memory logger's lines). */
export function opsPort(said: string): number {
  const m = OPS_LINE.exec(said);
  if (m === null) throw new Error(`no "ops server on" line in: ${said.slice(-1500)}`);
  return Number(m[1]);
}

/** Waits for `child` to say its ops server's port, and returns it. */
export async function opsPortOf(child: Child, timeoutMs = 30_000): Promise<number> {
  await child.waitFor(OPS_LINE, timeoutMs);
  return opsPort(child.stderr());
}
