import type { Migration } from './index.ts';

export const m006: Migration = {
  version: 6,
  name: 'reach',
  steps: () => [
    // Issue 18. A Telegram forum topic a chat subscribed from: its alerts and digests go there
    // (message_thread_id); NULL = the chat itself (General, or a chat without topics).
    'ALTER TABLE subscriptions ADD COLUMN thread_id INTEGER',
  ],
};
