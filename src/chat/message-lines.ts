/**
 * An outbox message (already in the chat's language) as a Reply, so each platform draws it with the
 * renderer it draws command replies with; and as lines, for platforms that print lines.
 */
import type { LocalizedMessage } from '../domain/message.ts';
import { replyLines, type Line, type Reply } from './reply.ts';

export function messageReply(m: LocalizedMessage): Reply {
  return {
    status: 'ok',
    lines: m.lines.map((l) => [l]),
    ...(m.title !== undefined ? { title: m.title } : {}),
    ...(m.fields.length > 0 ? { fields: m.fields.map((f) => ({ name: f.name, value: [f.value], inline: f.inline })) } : {}),
    ...(m.footer !== undefined ? { footer: m.footer } : {}),
    ...(m.tone !== undefined ? { tone: m.tone } : {}),
  };
}

/** The message as lines: the title in bold, the body, the fields as `name: value`, the footer in italics. */
export function messageLines(m: LocalizedMessage): Line[] {
  return replyLines(messageReply(m));
}
