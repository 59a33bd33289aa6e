/** Telegram as a platform: on when TELEGRAM_BOT_TOKEN is set. */
import type { PlatformAdapter } from '../adapter.ts';
import { ChatTypeStore } from '../../store/chat-types.ts';

export const telegramAdapter: PlatformAdapter = {
  platform: 'telegram',
  chatBot: true,
  enabled: (config) =>
    config.telegram.token !== undefined ? { on: true } : { on: false, note: { level: 'info', text: 'TELEGRAM_BOT_TOKEN not set: Telegram is off' } },
  // grammY is loaded only by a bot that runs Telegram (PlatformAdapter.create).
  create: async (d) =>
    (await import('./bot.ts')).createTelegram({
      config: d.config,
      deps: d.chat,
      meta: d.meta,
      chatTypes: new ChatTypeStore(d.meta.db, d.now),
      charts: d.charts,
      log: d.log,
      now: d.now,
      metrics: d.metrics,
      flood: d.flood,
      ...(d.replicas === true ? { replicas: true } : {}),
      ...(d.sharedUploads ? { sharedUploads: d.sharedUploads('telegram') } : {}),
    }),
};
