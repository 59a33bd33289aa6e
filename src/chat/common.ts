/** Small helpers every chat command shares: usage and refusal replies, the admin check, level labels. */
import { t, type Lang } from '../domain/i18n/index.ts';
import type { PairId } from '../domain/instruments.ts';
import type { ChatContext } from './context.ts';
import { chatMessage, type ChatError } from './parse.ts';
import { usageReply, type Reply } from './reply.ts';

/** The usage line of `name`, after the parser's reason (or a generic one). Nothing was written. */
export function usage(lang: Lang, name: string, error?: ChatError): Reply {
  return usageReply(error ? chatMessage(lang, error) : t(lang, 'chat.usage.intro'), t(lang, `chat.usage.${name}`));
}

export function denied(lang: Lang): Reply {
  return { status: 'denied', lines: [[t(lang, 'chat.denied')]] };
}

/** In a private chat the sender owns the settings; elsewhere the platform decides (group admins). */
export async function mayChangeSettings(ctx: ChatContext): Promise<boolean> {
  return ctx.chatType === 'private' || (await ctx.isAdmin());
}

export const pairName = (lang: Lang, pair: PairId): string => t(lang, `pair.${pair}`);

export const todayOf = (nowMs: number): string => new Date(nowMs).toISOString().slice(0, 10);

/** `2026-11-24 09:30 (Asia/Taipei)`: a moment in the chat's time zone. */
export function formatMoment(ms: number, timeZone: string): string {
  let zone = timeZone;
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = fmt(zone).formatToParts(new Date(ms));
  } catch {
    // A zone the runtime does not know must not break the reply.
    zone = 'UTC';
    parts = fmt(zone).formatToParts(new Date(ms));
  }
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const hour = get('hour') === '24' ? '00' : get('hour');
  return `${get('year')}-${get('month')}-${get('day')} ${hour}:${get('minute')} (${zone})`;
}

function fmt(timeZone: string): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
}
