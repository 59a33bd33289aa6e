/**
 * What the dispatcher needs from a platform: send one alert to one chat and say what happened.
 * A send returns its decision as a value; it throws only for bugs.
 */
import type { Platform } from '../domain/platform.ts';

export type { Platform } from '../domain/platform.ts';

export interface AlertMessage {
  /** Stable id of the event: a notifier may cache per event (e.g. Telegram reuses a file_id). */
  readonly eventId: number;
  /** Plain text; the notifier escapes/formats for its platform. */
  readonly text: string;
  /** Rendered chart, if any; the same Buffer for every chat of one event. */
  readonly chart?: { readonly png: Buffer; readonly filename: string };
}

export type SendResult =
  | { readonly kind: 'sent' }
  /** Try this chat again no earlier than `afterMs` from now. `global` pauses the whole platform queue (a 429). */
  | { readonly kind: 'retry'; readonly afterMs: number; readonly reason: string; readonly global?: boolean }
  /** The chat is gone (blocked, kicked, not found): deactivate its subscription. */
  | { readonly kind: 'dead'; readonly reason: string }
  /** The chat moved (Telegram group → supergroup): move the subscription and resend there. */
  | { readonly kind: 'moved'; readonly newChatId: string };

export interface Notifier {
  readonly platform: Platform;
  send(chatId: string, message: AlertMessage): Promise<SendResult>;
  /** Messages per second this platform allows in total. */
  readonly ratePerSecond: number;
}
