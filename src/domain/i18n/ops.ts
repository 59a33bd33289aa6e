import type { Catalogue } from './index.ts';

/** Texts of the operations side that users see (the flood limiter's notice, and the line a command dropped after it still gets on Discord). */
export const ops: Catalogue = {
  en: {
    'flood.slow-down':
      'You are sending commands too fast. Wait {seconds, plural, one {# second} other {# seconds}}; the commands you send until then are ignored.',
    'flood.still': 'Not run: still too fast. Try again in {seconds, plural, one {# second} other {# seconds}}.',
    // Telegram, once the window ends: what the notice's "ignored" came to (each reply there costs a send against the chat's limits).
    'flood.dropped': 'Not run while you were too fast: {count, plural, one {# command} other {# commands}}. Send again the ones you need.',
  },
  'zh-TW': {
    'flood.slow-down': '您傳送指令的速度太快了。請等待 {seconds} 秒；在此之前傳送的指令將被忽略。',
    'flood.still': '未執行：仍然太快。請在 {seconds} 秒後再試。',
    'flood.dropped': '太快時傳送的 {count} 個指令沒有執行：需要的請再傳送一次。',
  },
  'zh-CN': {
    'flood.slow-down': '您发送命令的速度太快了。请等待 {seconds} 秒；在此之前发送的命令将被忽略。',
    'flood.still': '未执行：仍然太快。请在 {seconds} 秒后再试。',
    'flood.dropped': '太快时发送的 {count} 个命令没有执行：需要的请再发送一次。',
  },
};
