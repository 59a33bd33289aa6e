/** The faults the Telegram fake can inject, answered with the Bot API's own JSON error bodies. */

export type Fault =
  | { readonly kind: 'too-many'; readonly retryAfter: number }
  | { readonly kind: 'blocked' }
  | { readonly kind: 'kicked' }
  | { readonly kind: 'not-found' }
  | { readonly kind: 'migrated'; readonly to: number }
  | { readonly kind: 'server'; readonly status?: number }
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
    case 'server':
      return { ok: false, error_code: f.status ?? 502, description: f.status === 500 ? 'Internal Server Error' : 'Bad Gateway' };
  }
}
