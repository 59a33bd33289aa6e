/**
 * What a chat whose topic went away is told: the notice names what it gets, its alerts, its digest
 * or both, so a chat with a digest alone is not told of "alerts" it never asked for.
 */
export type ChatGets = 'alerts' | 'digest' | 'both';

/** What a chat gets from its subscription row: alerts while active, a digest while one is set. */
export function chatGets(sub: { readonly active: boolean; readonly digestTime: string | null } | undefined, fallback: ChatGets): ChatGets {
  if (sub === undefined) return fallback;
  if (sub.active) return sub.digestTime !== null ? 'both' : 'alerts';
  return sub.digestTime !== null ? 'digest' : fallback;
}

/** The group turned topics off: what it gets comes to the chat itself. */
export const topicsOffKey = (gets: ChatGets) => `telegram.topicsOff.${gets}` as const;

/** The topic was closed or deleted: what the chat gets comes to General. */
export const topicGoneKey = (gets: ChatGets) => `telegram.topicGone.${gets}` as const;
