/**
 * The bot (Telegram) or application (Discord) a database's chats subscribed through. A chat, a
 * channel's access and a chart's file_id are that owner's: started as another (a staging token in
 * production, a copied .env), every alert would fail for its chat and unsubscribe it. The first
 * start records the owner; a later one as another is refused (OwnerChanged) and nothing is sent
 * (`refused()`, which the platform's Notifier.off answers), unless the operator says the move is
 * meant: then a warning, and the record follows. Until the first check has passed nothing is sent
 * either: the dispatcher's first drain comes as soon as the process leads, before the platform has
 * said who it is.
 */
import type { Logger } from '../log.ts';

export class OwnerChanged extends Error {}

/** Where the owner is kept (a meta key): `<id>` or `<id> <name>`. */
export interface OwnerRecord {
  get(): Promise<string | undefined>;
  set(value: string): Promise<void>;
}

export class Owner {
  readonly #record: OwnerRecord | undefined;
  readonly #accept: boolean;
  readonly #log: Logger;
  #refused: string | undefined;

  /** Without `record`, nothing is checked. `accept`: a move to another owner is meant (TELEGRAM_ACCEPT_NEW_BOT, DISCORD_ACCEPT_NEW_APP). */
  constructor(record: OwnerRecord | undefined, accept: boolean, log: Logger) {
    this.#record = record;
    this.#accept = accept;
    this.#log = log;
    this.#refused = record === undefined ? undefined : 'not identified yet: its start has not checked who it is';
  }

  /** Why nothing may be sent (no check has passed yet, or the last one met another owner), or undefined. */
  refused(): string | undefined {
    return this.#refused;
  }

  /**
   * Records the owner started as (`id`, kept as `value`), or throws OwnerChanged when the record
   * names another and the move is not meant. `refusal` and `moving` say it, given the recorded
   * value and its id.
   */
  async check(o: {
    readonly id: string;
    readonly value: string;
    readonly refusal: (recorded: string, recordedId: string) => string;
    readonly moving: (recorded: string, recordedId: string) => string;
  }): Promise<void> {
    if (this.#record === undefined) return;
    const recorded = await this.#record.get();
    const recordedId = recorded?.split(' ')[0];
    if (recorded !== undefined && recordedId !== o.id) {
      if (!this.#accept) {
        this.#refused = o.refusal(recorded, recordedId!);
        throw new OwnerChanged(this.#refused);
      }
      this.#log.warn(o.moving(recorded, recordedId!));
    }
    this.#refused = undefined;
    if (recorded !== o.value) await this.#record.set(o.value);
  }
}
