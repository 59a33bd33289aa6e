import type { Migration } from './index.ts';

/**
 * What kind of chat each chat is, as its platform says (`chat_types`): Telegram's `private`, `group`,
 * `supergroup` or `channel` (grammY's `ctx.chat.type`), recorded when the chat talks to the bot or
 * the bot's membership there changes (store/chat-types.ts). A supergroup and a channel both have ids
 * starting with -100, so the id alone cannot tell what an alert there should call the place (本群組,
 * 本頻道). A chat of its own table, not a subscription's column: a chat talks to the bot before it
 * subscribes, and recording its type must neither count as a change of its settings (updated_at)
 * nor move subs_version. Chats that have not talked to the bot since have no row: what their alerts
 * say is what they said before (the chat's own words, 本聊天室).
 */
export const m024: Migration = {
  version: 24,
  name: 'chat-types',
  steps: (t) => [
    `CREATE TABLE chat_types (
      platform   TEXT NOT NULL,
      chat_id    TEXT NOT NULL,
      type       TEXT NOT NULL,             -- the platform's word: Telegram's private, group, supergroup, channel
      updated_at ${t.bigint} NOT NULL,
      PRIMARY KEY (platform, chat_id)
    ) ${t.withoutRowid}`,
  ],
};
