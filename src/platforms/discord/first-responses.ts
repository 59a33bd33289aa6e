/**
 * An interaction that arrived at the Interactions Endpoint takes its first response in the HTTP
 * answer to Discord's POST, not through `POST /interactions/:id/:token/callback`. handlers.ts does
 * not know where an interaction came from: discord.js calls the callback route for both. This sits
 * in the REST `makeRequest` of the endpoint's Client and, for an interaction the endpoint holds
 * open, turns that call into the HTTP answer (a 204 goes back to discord.js, as Discord's own
 * callback answers). When the endpoint had to defer on its own first (the answer was not ready
 * within DEFER_AFTER_MS), the late reply becomes the edit of the deferred original, as
 * `editReply` would send it; or a follow-up, when it is a new message after a button's deferred
 * update, or an ephemeral one after the public "thinking…" (then deleted). Every other request
 * passes through to `next` unchanged.
 */
import type { MakeRequest } from './budget.ts';

/** An interaction response object as Discord takes it (`{ type, data }`). */
export interface InteractionResponse {
  readonly type: number;
  readonly data?: Record<string, unknown>;
}

/** Discord's InteractionResponseType values used here. */
export const RESPONSE = {
  PONG: 1,
  CHANNEL_MESSAGE: 4,
  DEFERRED_CHANNEL_MESSAGE: 5,
  DEFERRED_UPDATE_MESSAGE: 6,
  UPDATE_MESSAGE: 7,
  AUTOCOMPLETE_RESULT: 8,
} as const;

/** Discord's InteractionType values. */
export const INTERACTION = { PING: 1, APPLICATION_COMMAND: 2, MESSAGE_COMPONENT: 3, AUTOCOMPLETE: 4, MODAL_SUBMIT: 5 } as const;

const EPHEMERAL = 64;
const CALLBACK = /\/interactions\/(\d+)\/([^/?]+)\/callback(?:\?.*)?$/;

/** One interaction the endpoint holds open. */
export interface OpenInteraction {
  /** Resolves with the first response handlers.ts gave (the HTTP answer). */
  readonly first: Promise<InteractionResponse>;
  /** The endpoint answers Discord itself, now: the deferral fitting the interaction; later replies edit the original. */
  deferNow(): InteractionResponse;
  /** The handling is over: the interaction is no longer held. */
  close(): void;
}

interface Held {
  state: 'waiting' | 'answered' | 'deferred';
  readonly type: number;
  readonly resolve: (r: InteractionResponse) => void;
}

/** The deferral for an interaction of `type`: components keep their message (6), commands show "thinking" (5). */
export function deferralFor(type: number, flags = 0): InteractionResponse {
  if (type === INTERACTION.AUTOCOMPLETE) return { type: RESPONSE.AUTOCOMPLETE_RESULT, data: { choices: [] } };
  if (type === INTERACTION.MESSAGE_COMPONENT) return { type: RESPONSE.DEFERRED_UPDATE_MESSAGE };
  return { type: RESPONSE.DEFERRED_CHANNEL_MESSAGE, ...(flags & EPHEMERAL ? { data: { flags: EPHEMERAL } } : {}) };
}

export class FirstResponses {
  readonly #held = new Map<string, Held>();
  readonly #next: MakeRequest;
  readonly #applicationId: string;

  constructor(o: { readonly next: MakeRequest; readonly applicationId: string }) {
    this.#next = o.next;
    this.#applicationId = o.applicationId;
  }

  /** Interactions held open now (tests). */
  get open(): number {
    return this.#held.size;
  }

  hold(id: string, type: number): OpenInteraction {
    let resolve!: (r: InteractionResponse) => void;
    const first = new Promise<InteractionResponse>((r) => {
      resolve = r;
    });
    const held: Held = { state: 'waiting', type, resolve };
    this.#held.set(id, held);
    return {
      first,
      deferNow: () => {
        held.state = 'deferred';
        return deferralFor(type);
      },
      close: () => {
        if (this.#held.get(id) === held) this.#held.delete(id);
      },
    };
  }

  /** `makeRequest` for the endpoint Client's REST. */
  readonly fetch: MakeRequest = async (url, init) => {
    const m = CALLBACK.exec(url);
    const held = m === null ? undefined : this.#held.get(m[1]!);
    // Not held (a gateway interaction, or one already answered): Discord's own callback route.
    if (m === null || held === undefined || held.state === 'answered') return this.#next(url, init);
    const body = await readResponse(init.body);
    if (held.state === 'waiting') {
      held.state = 'answered';
      if (body.files === undefined) {
        held.resolve(body.response);
        return noContent();
      }
      // Files cannot ride in the HTTP answer: Discord gets the deferral, the original is then edited with them.
      held.resolve(deferralFor(held.type, Number(body.response.data?.flags ?? 0)));
    } else {
      held.state = 'answered';
      // Deferred by the endpoint already: a deferral is a no-op, an autocomplete answer is too late.
      const t = body.response.type;
      if (t !== RESPONSE.CHANNEL_MESSAGE && t !== RESPONSE.UPDATE_MESSAGE && body.files === undefined) return noContent();
      const webhook = url.replace(CALLBACK, `/webhooks/${this.#applicationId}/${m[2]}`);
      // A new message after a button's deferred update: the original is the message the button sits
      // on, which the reply must not replace. It goes as a follow-up (ephemeral if it was).
      if (t === RESPONSE.CHANNEL_MESSAGE && held.type === INTERACTION.MESSAGE_COMPONENT)
        return this.#next(webhook, { ...init, method: 'POST', body: followUpBody(body) });
      // An ephemeral reply after the endpoint's public "thinking…": an edit cannot make that message
      // ephemeral, so the reply goes as an ephemeral follow-up and the public placeholder is deleted.
      if (t === RESPONSE.CHANNEL_MESSAGE && (Number(body.response.data?.flags ?? 0) & EPHEMERAL) !== 0) {
        const sent = await this.#next(webhook, { ...init, method: 'POST', body: followUpBody(body) });
        if (sent.ok) await this.#next(`${webhook}/messages/@original`, { ...init, method: 'DELETE', body: null }).catch(() => undefined);
        return sent;
      }
    }
    const edit = url.replace(CALLBACK, `/webhooks/${this.#applicationId}/${m[2]}/messages/@original`);
    return this.#next(edit, { ...init, method: 'PATCH', body: editBody(body) });
  };
}

interface ReadResponse {
  readonly response: InteractionResponse;
  /** The multipart body, when the response carried files. */
  readonly files?: FormData;
}

async function readResponse(body: RequestInit['body']): Promise<ReadResponse> {
  if (body instanceof FormData) {
    const payload = body.get('payload_json');
    return { response: JSON.parse(typeof payload === 'string' ? payload : '{}') as InteractionResponse, files: body };
  }
  return { response: JSON.parse(typeof body === 'string' ? body : '{}') as InteractionResponse };
}

/** `data` as a request body in the response's own form: JSON, or multipart with its files kept. */
function bodyOf(r: ReadResponse, data: Record<string, unknown>): string | FormData {
  if (r.files === undefined) return JSON.stringify(data);
  const form = new FormData();
  for (const [key, value] of r.files.entries()) form.append(key, key === 'payload_json' ? JSON.stringify(data) : value);
  return form;
}

/** The response's message (its `data`, flags kept) as the body of a follow-up, `POST /webhooks/:app/:token`. */
const followUpBody = (r: ReadResponse): string | FormData => bodyOf(r, r.response.data ?? {});

/** The response's message (its `data`) as the body of `PATCH …/messages/@original`. */
function editBody(r: ReadResponse): string | FormData {
  // An edit cannot change whether the message is ephemeral.
  const { flags: _flags, ...data } = r.response.data ?? {};
  return bodyOf(r, data);
}

const noContent = (): Response => new Response(null, { status: 204 });
