/** The faults the Telegram fake can inject, answered with the Bot API's own JSON error bodies. */

export type Fault =
  | { readonly kind: 'too-many'; readonly retryAfter: number }
  | { readonly kind: 'blocked' }
  | { readonly kind: 'kicked' }
  | { readonly kind: 'not-found' }
  | { readonly kind: 'migrated'; readonly to: number }
  | { readonly kind: 'server'; readonly status?: number }
  /** A token Telegram does not accept (getMe and every other call). */
  | { readonly kind: 'unauthorized' }
  /** Any other 400, e.g. setWebhook refusing a URL. */
  | { readonly kind: 'bad-request'; readonly description: string }
  /** Any other 403, e.g. 'bot is not a member of the channel chat'. */
  | { readonly kind: 'forbidden'; readonly description: string }
  /** getUpdates while another process polls the same token. */
  | { readonly kind: 'conflict' }
  /** Destroys the socket without an answer: the client sees a network error. */
  | { readonly kind: 'network' };

export interface ErrorBody {
  ok: false;
  error_code: number;
  description: string;
  parameters?: { retry_after?: number; migrate_to_chat_id?: number };
}

/** The Bot API's own error bodies for each fault. */
export function faultBody(f: Exclude<Fault, { kind: 'network' }>): ErrorBody {
  switch (f.kind) {
    case 'too-many':
      return { ok: false, error_code: 429, description: `Too Many Requests: retry after ${f.retryAfter}`, parameters: { retry_after: f.retryAfter } };
    case 'blocked':
      return { ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' };
    case 'kicked':
      return { ok: false, error_code: 403, description: 'Forbidden: bot was kicked from the group chat' };
    case 'not-found':
      return { ok: false, error_code: 400, description: 'Bad Request: chat not found' };
    case 'migrated':
      return { ok: false, error_code: 400, description: 'Bad Request: group chat was upgraded to a supergroup chat', parameters: { migrate_to_chat_id: f.to } };
    case 'unauthorized':
      return { ok: false, error_code: 401, description: 'Unauthorized' };
    case 'bad-request':
      return { ok: false, error_code: 400, description: `Bad Request: ${f.description}` };
    case 'forbidden':
      return { ok: false, error_code: 403, description: `Forbidden: ${f.description}` };
    case 'conflict':
      return { ok: false, error_code: 409, description: 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running' };
    case 'server':
      return { ok: false, error_code: f.status ?? 502, description: f.status === 500 ? 'Internal Server Error' : 'Bad Gateway' };
  }
}
