import type { Catalogue } from './index.ts';

/** Texts only the Telegram adapter says (everything else comes from chat/). */
export const telegram: Catalogue = {
  en: {
    'telegram.failed': 'Sorry, something went wrong on our side. Please try again in a minute.',
  },
  'zh-TW': {
    'telegram.failed': '抱歉，我們這邊出了點問題，請稍後再試。',
  },
};
