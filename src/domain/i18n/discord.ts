import type { Catalogue } from './index.ts';

/** Texts only the Discord adapter says: the bot's missing permissions, a stale command, an empty choice. */
export const discord: Catalogue = {
  en: {
    'discord.missingPermission': 'I cannot post alerts in {channel}: I lack the {permission} permission there. Nothing was changed.',
    'discord.notText': '{channel} is not a text channel I can post in. Nothing was changed.',
    'discord.unknownCommand': 'goldratio no longer has /{command}. Type / to see its commands.',
    'discord.noChoice': 'Nothing was chosen: pick one of the options.',
  },
  'zh-TW': {
    'discord.missingPermission': '我無法在 {channel} 發送通知：缺少「{permission}」權限。沒有任何變更。',
    'discord.notText': '{channel} 不是我能發文的文字頻道。沒有任何變更。',
    'discord.unknownCommand': 'goldratio 已不再提供 /{command}。請輸入 / 查看目前的指令。',
    'discord.noChoice': '未選擇任何項目：請從選項中挑一個。',
  },
};
