import type { Catalogue } from './index.ts';

/** Texts only the Discord adapter says: the embed footer, the bot's missing permissions. */
export const discord: Catalogue = {
  en: {
    'discord.missingPermission': 'I cannot post alerts in {channel}: I lack the {permission} permission there. Nothing was changed.',
    'discord.notText': '{channel} is not a text channel I can post in. Nothing was changed.',
    'discord.source': 'Source: {source} · data {age} old',
  },
  'zh-TW': {
    'discord.missingPermission': '我無法在 {channel} 發送通知：缺少「{permission}」權限。沒有任何變更。',
    'discord.notText': '{channel} 不是我能發文的文字頻道。沒有任何變更。',
    'discord.source': '資料來源：{source} · 資料為 {age} 前',
  },
};
