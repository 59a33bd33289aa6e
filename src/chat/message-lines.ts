/**
 * An outbox message (already in the chat's language) as reply lines: the title in bold, the body,
 * the fields as `name: value`, the footer in italics. Platforms that print lines (Telegram HTML,
 * the console) render these; Discord builds an embed from the LocalizedMessage itself.
 */
import type { LocalizedMessage } from '../domain/message.ts';
import type { Line } from './reply.ts';

export function messageLines(m: LocalizedMessage): Line[] {
  const lines: Line[] = [];
  if (m.title !== undefined) lines.push([{ bold: m.title }]);
  for (const l of m.lines) lines.push([l]);
  for (const f of m.fields) lines.push([{ bold: f.name }, `: ${f.value}`]);
  if (m.footer !== undefined) lines.push([{ italic: m.footer }]);
  return lines;
}
