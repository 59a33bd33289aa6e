/**
 * The tables as Kysely sees them, the same on both engines (./migrations builds them). Booleans
 * are 0/1 integers and times ms since epoch on both, so one query reads the same on either.
 */
import type { Generated } from 'kysely';

export interface Tables {
  meta: { key: string; value: string };
  closes: { instrument: string; date: string; close: number; source: string; updated_at: string };
  latest_quotes: { instrument: string; price: number; as_of: number; source: string };
  held_quotes: { instrument: string; date: string; price: number; source: string; held_at: string };
  /** A day a source was asked to fill and lacked (migration 025): asked_ms since epoch, later 0/1. */
  absent_days: { instrument: string; date: string; source: string; asked_ms: number; later: number };
  /** A keyed source's count of credits (migration 026): `taken` the last minute's takes in ms, comma-separated. */
  source_credits: { source: string; day: string; used_today: number; taken: string; out_until: number };
  subscriptions: {
    id: Generated<number>;
    platform: string;
    chat_id: string;
    active: Generated<number>;
    pairs: string;
    level_ids: string;
    custom_levels: string;
    approach_pct: number;
    muted_until: number | null;
    lang: string;
    digest_time: string | null;
    timezone: Generated<string>;
    deactivated_reason: string | null;
    /** A hook deactivated with its messages kept (migration 014): 'gone' or 'blocked'; null otherwise. */
    refusal: string | null;
    /** When an active chat was deactivated, or one with a digest stopped (ms since epoch, migration 015); null while active, and for a stop older than the column. */
    deactivated_at: number | null;
    /** What was on when the platform stopped the chat (migration 023): 'alerts', 'digest' or 'both'; null while not stopped. */
    stop_had: string | null;
    created_at: number;
    updated_at: number;
    mention: string | null;
    digest_next_due: number | null;
    quiet_start: string | null;
    quiet_end: string | null;
    quiet_zone: string | null;
    thread_id: number | null;
  };
  sub_watches: {
    watch_key: string;
    subscription_id: number;
    pair: string;
    level_id: string;
    low: number;
    high: number;
    approach_pct: number;
    wants_approach: number;
    approach_only: number;
  };
  level_state: { watch_key: string; pair: string; state: string; updated_at: number };
  alert_cursor: {
    pair: string;
    last_date: string;
    last_value: number;
    last_close_date: string | null;
    last_close_value: number | null;
    undo: string | null;
    updated_at: number;
  };
  events: {
    id: Generated<number>;
    date: string;
    pair: string;
    level_id: string;
    watch_key: string;
    kind: string;
    direction: string;
    value: number;
    level_value: number;
    basis: string;
    created_at: number;
    held_since: string | null;
    held_value: number | null;
    withdrawn_at: number | null;
  };
  messages: {
    id: Generated<number>;
    kind: string;
    body: string;
    dedupe_key: string | null;
    created_at: number;
    /** What an alert is for (migration 016): its watch, which of its events, the watch's pair and level; null for the rest. */
    watch_key: string | null;
    watch_takes: string | null;
    watch_pair: string | null;
    watch_level: string | null;
  };
  outbox: {
    id: Generated<number>;
    message_id: number;
    subscription_id: number;
    platform: string;
    chat_id: string;
    status: Generated<'pending' | 'sent' | 'dead' | 'held' | 'merged'>;
    attempts: Generated<number>;
    next_at: Generated<number>;
    parts_sent: Generated<number>;
    /** The language the first delivered part went out in (migration 017); null while none went out. */
    parts_lang: string | null;
    /** The chat's day (YYYY-MM-DD) the first delivered part was read on (migration 021); null while none went out. */
    parts_day: string | null;
    /** 1 when the first delivered part said its value "then", 0 "now" (migration 022); null while none went out. */
    parts_then: number | null;
    last_error: string | null;
    sent_at: number | null;
    created_at: number;
    claimed_until: number | null;
    claimed_by: string | null;
    /** 1: given up with a hook its receiver refused, sent again by a passing `webhook test` (migration 014). */
    kept: Generated<number>;
    /** When its first failed try was (migration 020): a retry span counts from it; null until one fails. */
    failing_since: number | null;
  };
  move_watches: { watch_key: string; subscription_id: number; pair: string; pct: number; days: number; created_at: number };
  move_state: { watch_key: string; pair: string; state: string; updated_at: number };
  move_events: {
    id: Generated<number>;
    date: string;
    pair: string;
    watch_key: string;
    pct: number;
    days: number;
    direction: string;
    change_pct: number;
    from_date: string;
    from_value: number;
    value: number;
    created_at: number;
    /** A move its corrected close no longer makes (ms; migration 018). */
    withdrawn_at: Generated<number | null>;
  };
  chart_uploads: { platform: string; chart_key: string; ref: string; created_at: number };
  /** What kind of chat each is, as its platform says (migration 024, store/chat-types.ts). */
  chat_types: { platform: string; chat_id: string; type: string; updated_at: number };
  digest_slots: { digest_time: string; timezone: string; next_due: number; last_date: string | null; last_close: string | null; waiting_since: number | null };
  schema_migrations: { version: number; name: string; applied_at: string };
}
