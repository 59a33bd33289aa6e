/**
 * Interactions that arrive over HTTP, answered by the same code as the gateway's (handlers.ts
 * answerInteraction): the body Discord POSTed becomes the discord.js Interaction the gateway would
 * have built from the same payload, on a Client that never logs in (no gateway: any replica can
 * run one) but acts as the bot over REST, so `/subscribe channel:#other` still fetches the guild
 * and the bot's member to check its permissions there. Its REST sends the first response back
 * as the HTTP answer (first-responses.ts); follow-ups and edits go to Discord as usual.
 */
import { Client, ClientUser, type BaseInteraction, type RESTOptions } from 'discord.js';
import type { Logger } from '../../log.ts';
import type { MakeRequest } from './budget.ts';
import { FirstResponses, type InteractionResponse } from './first-responses.ts';
import { answerInteraction, noteChannelType, type HandlerDeps } from './handlers.ts';
import type { RawInteraction } from './interactions-endpoint.ts';

/**
 * Discord wants the first response within 3 s of the user's action; what is not ready after this
 * long is deferred, leaving the rest of the 3 s for the way back and a busy event loop.
 */
export const DEFER_AFTER_MS = 2_000;

export interface HttpInteractionsOptions {
  readonly deps: HandlerDeps;
  readonly token: string;
  readonly applicationId: string;
  /** REST options of the bot (client.ts restOptions). */
  readonly rest: Partial<RESTOptions>;
  /** The bot's makeRequest (its GlobalBudget's): what the first responses do not take goes there. */
  readonly makeRequest: MakeRequest;
  readonly log: Logger;
  readonly deferAfterMs?: number;
}

export interface HttpInteractions {
  /**
   * Takes the bot's own user (GET /users/@me, asked by the start within its deadline), for its
   * permissions in a channel; before the endpoint takes requests.
   */
  init(me: unknown): void;
  /** The endpoint's `answer`. */
  answer(interaction: RawInteraction): Promise<InteractionResponse | undefined>;
  /** Interactions held open now (tests). */
  readonly open: () => number;
  destroy(): Promise<void>;
}

/** discord.js's own payload → Interaction step, the one its gateway handler uses (not in its typings). */
type InteractionAction = { handle(data: unknown): void };

export function httpInteractions(o: HttpInteractionsOptions): HttpInteractions {
  const responses = new FirstResponses({ next: o.makeRequest, applicationId: o.applicationId });
  const client = new Client({ intents: [], rest: { ...o.rest, makeRequest: responses.fetch as unknown as RESTOptions['makeRequest'] } });
  client.rest.setToken(o.token);
  const action = (client as unknown as { actions?: { InteractionCreate?: InteractionAction } }).actions?.InteractionCreate;
  if (action === undefined) throw new Error('discord.js has no actions.InteractionCreate: the Interactions Endpoint needs discord.js 14');
  let built: BaseInteraction | undefined;
  // handle() emits synchronously: the interaction is caught here, then answered like a gateway one.
  client.on('interactionCreate', (i: BaseInteraction) => {
    built = i;
  });
  const deferAfterMs = o.deferAfterMs ?? DEFER_AFTER_MS;

  function toInteraction(data: RawInteraction): BaseInteraction | undefined {
    built = undefined;
    action?.handle(data);
    const i = built;
    built = undefined;
    return i;
  }

  return {
    init(me) {
      if (client.user !== null) return;
      // As READY sets it on a gateway Client; ClientUser's constructor is not in discord.js's typings.
      const Ctor = ClientUser as unknown as new (c: Client, data: unknown) => ClientUser;
      client.user = new Ctor(client, me);
    },
    async answer(data) {
      const held = responses.hold(data.id, data.type);
      try {
        noteChannelType(data.id, (data.channel as { type?: number } | undefined)?.type);
        const i = toInteraction(data);
        if (i === undefined) {
          o.log.debug('interaction of a kind goldratio does not answer', { id: data.id, type: data.type });
          return undefined;
        }
        const done = answerInteraction(i, o.deps).then(() => undefined);
        let timer: NodeJS.Timeout | undefined;
        const late = new Promise<'late'>((resolve) => {
          timer = setTimeout(() => resolve('late'), deferAfterMs);
        });
        const first = await Promise.race([held.first, done, late]);
        clearTimeout(timer);
        // Deferred here: the handler goes on, and its reply edits the original (first-responses.ts).
        if (first === 'late') {
          void done.finally(held.close);
          return held.deferNow();
        }
        void done.finally(held.close);
        return first;
      } catch (err) {
        held.close();
        throw err;
      }
    },
    open: () => responses.open,
    destroy: () => client.destroy(),
  };
}
