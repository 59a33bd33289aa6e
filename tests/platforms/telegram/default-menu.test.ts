/**
 * The default scope's command menus, which versions before scoped menus set and which stay on
 * Telegram for good, shown where no private or group menu applies (a channel's administrators,
 * some clients): a start makes them this version's (the chat's plain words), once. A start that
 * finds them set by this version for this bot (meta DEFAULT_MENU_KEY) makes no call for them; a
 * new version's commands or another bot's token set them again. Through the real bot against the
 * fake Bot API, which keeps menus per scope and language as Telegram does. The private and group
 * menus alike (meta SCOPED_MENU_KEY): set once per version and bot, not at every start.
 */
import { afterEach, expect, test } from 'vitest';
import { FakeTelegram } from '../../fakes/telegram.ts';
import { makeTelegram, makeWorld, telegramEnv, type World } from '../../helpers/telegram-harness.ts';
import { DEFAULT_MENU_KEY, SCOPED_MENU_KEY, defaultMenus, scopedMenus, type Telegram } from '../../../src/platforms/telegram/bot.ts';
import { t } from '../../../src/domain/i18n/index.ts';
import '../../../src/chat/registry.ts';

let fake: FakeTelegram;
let world: World;
let tg: Telegram | undefined;

afterEach(async () => {
  await tg?.stop();
  tg = undefined;
  await fake.close();
  world.cleanup();
});

/** What the default scope holds for `language_code` (none: every other language), as getMyCommands reads it. */
const defaultList = (code?: string) =>
  (fake.menus.answer('getMyCommands', code === undefined ? {} : { language_code: code }) as { ok: { command: string; description: string }[] }).ok;

const defaultCalls = () => fake.callsTo('setMyCommands').filter((c) => c.params.scope === undefined || (c.params.scope as { type: string }).type === 'default');

const scopedCalls = () => fake.callsTo('setMyCommands').filter((c) => c.params.scope !== undefined && (c.params.scope as { type: string }).type !== 'default');

async function start(): Promise<void> {
  tg = makeTelegram(world);
  await tg.start();
}

async function restart(): Promise<void> {
  await tg?.stop();
  await start();
}

test('GIVEN default-scope menus an older version set THEN the first start makes them this version’s, in the chat’s plain words, and later starts make no call for them', async () => {
  fake = await FakeTelegram.start();
  world = makeWorld(telegramEnv(fake));
  // As an older version left them: unscoped, per language, a command since renamed and "your" words.
  const old = [
    { command: 'alerts', description: 'Your alerts' },
    { command: 'mylevels', description: 'Your subscription; add or remove your own levels' },
  ];
  fake.menus.answer('setMyCommands', { commands: old });
  fake.menus.answer('setMyCommands', { commands: old, language_code: 'zh' });
  await start();

  const mylevels = (code?: string) => defaultList(code).find((c) => c.command === 'mylevels')?.description;
  expect(defaultList().some((c) => c.command === 'alerts')).toBe(false);
  expect(mylevels()).toBe(t('en', 'chat.cmd.mylevels'));
  expect(mylevels('zh')).toBe(t('zh-TW', 'chat.cmd.mylevels'));
  expect(mylevels('zh')).toContain('本聊天室');
  expect(defaultList().map((c) => c.command)).toEqual((await import('../../../src/platforms/telegram/bot.ts')).menuCommands('en').map((c) => c.command));
  expect(defaultCalls()).toHaveLength(2);
  expect(world.db.prepare('SELECT value FROM meta WHERE key = ?').get(DEFAULT_MENU_KEY)).toEqual({ value: defaultMenus(fake.botId).hash });

  // The next start: the default's left alone, and the private and group menus too (set by this version already).
  expect(scopedCalls()).toHaveLength(4);
  await restart();
  expect(defaultCalls()).toHaveLength(2);
  expect(scopedCalls()).toHaveLength(4);
});

test('GIVEN the private and group menus recorded for another version’s lists or another bot THEN the start sets their four lists again, once', async () => {
  fake = await FakeTelegram.start();
  world = makeWorld(telegramEnv(fake));
  world.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run(SCOPED_MENU_KEY, scopedMenus(fake.botId + 1).hash);
  await start();
  expect(scopedCalls()).toHaveLength(4);
  const privateZh = (fake.menus.answer('getMyCommands', { scope: { type: 'all_private_chats' }, language_code: 'zh' }) as { ok: { command: string }[] }).ok;
  expect(privateZh.length).toBeGreaterThan(0);
  expect(world.db.prepare('SELECT value FROM meta WHERE key = ?').get(SCOPED_MENU_KEY)).toEqual({ value: scopedMenus(fake.botId).hash });
  await restart();
  expect(scopedCalls()).toHaveLength(4);
});

test('GIVEN the default menus recorded for another version’s lists or another bot THEN the start sets them again', async () => {
  fake = await FakeTelegram.start();
  world = makeWorld(telegramEnv(fake));
  world.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run(DEFAULT_MENU_KEY, defaultMenus(fake.botId + 1).hash);
  await start();
  expect(defaultCalls()).toHaveLength(2);
  expect(defaultList('zh').length).toBeGreaterThan(0);
  await restart();
  expect(defaultCalls()).toHaveLength(2);
});
