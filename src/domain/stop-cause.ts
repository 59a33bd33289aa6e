/**
 * Why a chat's alerts stopped without its asking: the platform refused it (blocked, removed, no
 * rights, a closed thread, gone). Kept as the start of the subscription's `deactivated_reason`
 * (`rights: 50013 Missing Permissions`), so that the chat can be told in its language why, and
 * what starts them again, when someone there asks (/mylevels, /subscribe).
 */
export const STOP_CAUSES = ['rights', 'removed', 'blocked', 'closed', 'gone'] as const;
export type StopCause = (typeof STOP_CAUSES)[number];

/**
 * Why a webhook was deactivated with its messages kept for it (platforms/webhook/gone.ts): `gone`,
 * it will never work again (deleted, revoked: remove it, add the new address); `blocked`, a setting
 * on the receiver's side refuses it until someone changes it (a Slack channel archived, posting
 * restricted by an admin): a passing `goldratio webhook test` then sends the messages kept.
 */
export type Refusal = 'gone' | 'blocked';

/** The reason kept for a stop: its cause, then the platform's own words. */
export const stopReason = (cause: StopCause, detail: string): string => `${cause}: ${detail}`;

/** The reason kept for a chat that asked its alerts to stop (/unsubscribe). */
export const UNSUBSCRIBED = 'unsubscribed';

/** Reasons that are no stop: the chat asked (/unsubscribe), moved to a new id, or its operator removed it (a webhook). */
const NOT_A_STOP = /^(unsubscribed$|moved to |webhook removed$)/;

/**
 * The cause of a stop from a kept reason; 'gone' for a stop kept before causes were (the platform's
 * words alone); undefined for an active chat or one that is no stop.
 */
export function stopCause(reason: string | null | undefined): StopCause | undefined {
  if (reason === null || reason === undefined || reason === '' || NOT_A_STOP.test(reason)) return undefined;
  const head = /^([a-z]+): /.exec(reason)?.[1];
  return STOP_CAUSES.find((c) => c === head) ?? 'gone';
}

/** The platform's words of a kept reason, without its cause (for an operator's listing). */
export const stopDetail = (reason: string): string => reason.replace(new RegExp(`^(${STOP_CAUSES.join('|')}): `), '');

/**
 * What a chat had on when the platform stopped it: its alerts, its daily digest, or both. A chat
 * that had only its digest gets it back with /digest alone; alerts come back with /subscribe.
 */
export type StopHad = 'alerts' | 'digest' | 'both';

/** What is on in a chat (its alerts active, a digest set), as a stop would keep it; undefined: nothing. */
export function stopHadOf(alerts: boolean, digest: boolean): StopHad | undefined {
  return alerts ? (digest ? 'both' : 'alerts') : digest ? 'digest' : undefined;
}

/** Whether a stop took alerts away: a stop kept without saying what (none is kept so since migration 023) is taken for alerts, as before. */
export const stopHadAlerts = (had: StopHad | null): boolean => had !== 'digest';
