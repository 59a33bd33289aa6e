/** An argument echoed back in a message, cut so a 4,000-character word cannot flood the screen. */
export function cut(text: string, max = 40): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
