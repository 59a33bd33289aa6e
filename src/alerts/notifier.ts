/**
 * What the dispatcher needs from a platform: deliver one outbox message to one chat and say what
 * the platform answered. A notifier translates, it does not decide: when to try again (backoff,
 * attempts, giving up) is the dispatcher's one policy. A send returns its answer as a value; it
 * throws only for bugs.
 */
import type { Lang } from '../domain/i18n/index.ts';
import type { LocalizedMessage, MessageKind } from '../domain/message.ts';

import type { Platform } from '../domain/platform.ts';
import type { ChartPlace } from '../domain/chart-request.ts';
import type { Refusal, StopCause } from '../domain/stop-cause.ts';
import type { PlatformPause } from './platform-pause.ts';
import type { RetrySpan } from '../domain/retry-span.ts';

export type { Platform } from '../domain/platform.ts';

export interface ChartFile {
  readonly png: Buffer;
  readonly filename: string;
}

export interface Delivery {
  readonly kind: MessageKind;
  readonly chatId: string;
  readonly lang: Lang;
  /** The message in the chat's language; the notifier renders it for its platform. */
  readonly message: LocalizedMessage;
  /** The message's chart in that language, drawn once per message and language; undefined when it could not be drawn. */
  readonly chart: ChartFile | undefined;
  /** The stored message's id, the same for every chat: a notifier may cache per message (Telegram reuses a file_id). */
  readonly messageKey: string;
  /** The chat's mention (a Discord role id) when the message asks for one, else null. */
  readonly mention: string | null;
  /** The chat's forum topic (Telegram message_thread_id) when it subscribed from one, else null. */
  readonly threadId?: number | null;
  /**
   * When this message's first failed try was (outbox.failing_since), or null on its first try or
   * after a part went out: a webhook gives up a message whose body its receiver keeps refusing after
   * a few tries, counted from it.
   */
  readonly failingSince?: number | null;
  /** Why this message's last try failed (outbox.last_error: the notifier's own reason), or null: a webhook reads its own refusal there. */
  readonly lastError?: string | null;
  /** Parts already delivered by an earlier attempt (kept in SQLite): the send starts at this part. */
  readonly fromPart: number;
  /**
   * Call after part `index` (0-based) was delivered when more of the send follows (another part, a
   * crosspost), and await it: it is stored before that starts. The last part needs no call: the
   * outcome `sent` stores it, and a call would cost the database a second write per send. It throws
   * (send-halted.ts SendHalted) once the process has stopped taking (a stop running out of time): nothing more of
   * this send may start, and the rest goes from the next start; let it through (the dispatcher
   * knows, whatever the send then answers).
   */
  partSent(index: number): Promise<void>;
}

export type SendResult =
  | { readonly kind: 'sent' }
  /**
   * Not delivered; try again. `afterMs`: the platform said when (a 429's retry_after, a group's
   * per-minute window); without it the dispatcher's backoff decides. `global` pauses the whole
   * platform queue (a 429 for the bot, not for one chat).
   */
  | {
      readonly kind: 'retry';
      readonly reason: string;
      readonly afterMs?: number;
      readonly global?: boolean;
      /**
       * false: nothing failed, the receiver is up and asked to wait (a webhook's 429): no attempt
       * is counted, so the row is never given up for it. It waits `afterMs`, kept between the
       * backoff's first step and its cap (a receiver's "0" or "next month" neither hammers it nor
       * holds its messages for good).
       */
      readonly attempt?: false;
      /**
       * true: the platform or the network failed, not this chat (no answer, a timeout, a 5xx): an
       * outage, which every chat's messages wait out alike. No attempt is spent on it; the message
       * is tried again at a doubling wait capped at OUTAGE_MAX_WAIT_MS, and given up (the chat
       * kept) only once it has failed for OUTAGE_SPAN_MS, so an hour without the network or the
       * platform loses nothing (a global 429 is waited out the same way).
       */
      readonly outage?: true;
    }
  /**
   * The chat is gone (blocked, kicked, not found, no rights): deactivate its subscription. `cause`
   * is what the chat is told when it asks why its alerts stopped (domain/stop-cause.ts).
   * `refusal`: a webhook its receiver refused (gone.ts): its messages are kept for a passing `webhook test`.
   */
  | { readonly kind: 'dead'; readonly cause: StopCause; readonly reason: string; readonly refusal?: Refusal }
  /**
   * This one message cannot go to this chat, though the chat takes others (Telegram: a text-only
   * message, such as a quiet-hours summary or a close's correction, to a chat whose members may send
   * photos but no text): the row is given up, the chat kept, so its later alerts still come.
   */
  | { readonly kind: 'refused'; readonly reason: string }
  /** The chat moved (Telegram group → supergroup): move the subscription and resend there. */
  | { readonly kind: 'moved'; readonly newChatId: string };

export interface Notifier {
  readonly platform: Platform;
  send(delivery: Delivery): Promise<SendResult>;
  /**
   * Where a chat of this platform is, as a chart of its own level labels it (Discord: a server's
   * channel or a DM: "This channel's level", 本對話水位; Telegram: a private chat, 本對話水位, a group,
   * 本群組水位, a channel, 本頻道水位, by the type kept when the chat last talked to the bot), asked
   * only for such a chart or a move alert's watch line. Omitted, or
   * undefined (not known): the chat's label (This chat's level).
   */
  chartPlace?(chatId: string): Promise<ChartPlace | undefined>;
  /** Messages per second this platform allows in total: the dispatcher's pace. */
  readonly ratePerSecond: number;
  /** Sends in flight for this platform, when it differs from the dispatcher's (webhooks: many receivers, each slow on its own). */
  readonly concurrency?: number;
  /**
   * The longest one call to the platform takes before its client gives up on it (its timeout): a
   * stop waits this long for a send on the wire, from the start of the part it is sending, so its
   * outcome is recorded and the next start does not send it again (Dispatcher.onTheWire). Omitted:
   * no bound is known, and a stop does not wait for it past STOP_TIMEOUT_SECONDS.
   */
  readonly callTimeoutMs?: number;
  /**
   * The platform's retry schedule when it spans a time (webhooks: a receiver down for hours gets its
   * messages once it answers): tries at set moments after a message's first failure, a 429's wait
   * counted in it, and at the span's end the message is given up and the chat deactivated (its
   * receiver has failed a whole span). Omitted: the dispatcher's backoff and attempts.
   */
  readonly retrySpan?: RetrySpan;
  /**
   * The zone whose day a message's "(N days ago)" counts to for every chat of this platform, when
   * its chats have no reader's clock (a webhook: UTC, though its digest is timed in New York).
   * Omitted: each chat's own zone (OutboxRow.zone: its digest's, else its quiet hours', else UTC).
   */
  readonly readerZone?: string;
  /**
   * Who refuses one message (SendResult 'refused') and what it keeps, as the log and the outbox say
   * it: a webhook's receiver, which takes the hook's next messages. Omitted: the chat, which keeps
   * its alerts.
   */
  readonly refuser?: Refuser;
  /**
   * The platform's global pause when more than the dispatcher sees its 429s (Discord: the request
   * budget, which command replies spend too); the dispatcher's pace waits on it. Omitted: the
   * dispatcher keeps its own.
   */
  readonly pause?: PlatformPause;
  /**
   * Why nothing may be sent on this platform now (Telegram: the token is another bot's than the
   * one this database's chats subscribed through), or undefined. Its rows wait, untried: sending
   * would fail for every chat and unsubscribe them.
   */
  off?(): string | undefined;
  /**
   * Why the platform refused the bot's token on a send (a 401 while running: revoked in @BotFather,
   * reset in the Developer Portal), until a send is taken again; undefined while none was refused.
   * /readyz and goldratio_platform_off_reason say it (platforms/adapter.ts), as they say a refusal
   * of getUpdates or the gateway. Unlike `off`, the rows are still tried (as an outage's).
   */
  tokenRefused?(): string | undefined;
}

/** A one-message refusal's words: `refused by <by>`, `which keeps its <keeps>`. */
export interface Refuser {
  readonly by: string;
  readonly keeps: string;
}
