/** Where a text names a command (chat/command-refs.ts): what a platform may rewrite, and what it must leave as typed. */
import { describe, expect, test } from 'vitest';
import { commandRefs } from '../../src/chat/command-refs.ts';

const known = (n: string) => ['help', 'subscribe', 'ratio'].includes(n);
const refs = (text: string) => commandRefs(text, known).filter((p) => typeof p !== 'string');

describe('command references in a text', () => {
  test.each([
    ['Use /subscribe to get level alerts.', ['subscribe']],
    ['請使用 /subscribe 接收水位通知。', ['subscribe']],
    ['使用/subscribe', ['subscribe']],
    ['SPX/Gold and Asia/Taipei, https://x/help', []],
    ['/nothing is a command we do not know', []],
  ])('GIVEN %j THEN the commands named are %j', (text, names) => {
    expect(refs(text)).toEqual(names.map((command) => ({ command })));
  });

  // What the user typed comes back in quotes: a platform must show it as typed (a Discord mention would
  // turn "/help" into a clickable chip of the menu's name, not what the user wrote).
  test.each([
    '"/help" is neither a pair (spx, qqq) nor a level like 0.25.',
    '時間須為 24 小時制 HH:MM，例如 08:30；您輸入的是「/help」。',
    '时间须为 24 小时制 HH:MM，例如 08:30；您输入的是“/help”。',
    "'/ratio' is not a date",
    // A command further inside the echo (a Discord option typed "spx /ratio") is the user's too.
    'Unknown pair "spx /ratio": use spx or qqq.',
    '無法辨識「spx /ratio」：請使用 spx 或 qqq。',
    '无法识别“spx /ratio”：请使用 spx 或 qqq。',
  ])("GIVEN an echo of the user's own words %j THEN no command is named", (text) => {
    expect(refs(text)).toEqual([]);
  });

  test('GIVEN a command of ours beside an echo holding one THEN ours is named, the echoed one is not', () => {
    expect(refs('"x /help" is unknown: try /subscribe, then /ratio.')).toEqual([{ command: 'subscribe' }, { command: 'ratio' }]);
  });
});
