/** A failure as one line: the message's first line, never a stack. */
export function oneLine(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return (text.split('\n')[0] ?? '').slice(0, 300);
}
