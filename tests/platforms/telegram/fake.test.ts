/** The fake itself: a fake that cannot fail would make every test above it worthless. */
import { afterEach, describe, expect, test } from 'vitest';
import { Api, GrammyError } from 'grammy';
import { FakeTelegram } from '../../fakes/telegram.ts';
import { parseMultipart } from '../../fakes/multipart.ts';

let fake: FakeTelegram | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

describe('tolerant multipart parser', () => {
  test.each([
    ['grammY style (no spaces, unquoted filename)', 'content-disposition:form-data;name="abc";filename=photo.png\r\ncontent-type:application/octet-stream'],
    ['browser style (spaces, quoted filename)', 'Content-Disposition: form-data; name="abc"; filename="photo.png"\r\nContent-Type: application/octet-stream'],
  ])('GIVEN %s THEN the file and its bytes come out whole', (_name, headers) => {
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x2d, 0x2d]);
    const body = Buffer.concat([
      Buffer.from('--XyZ\r\ncontent-disposition:form-data;name="chat_id"\r\n\r\n42\r\n--XyZ\r\n'),
      Buffer.from(`${headers}\r\n\r\n`),
      bytes,
      Buffer.from('\r\n--XyZ--\r\n'),
    ]);
    const parsed = parseMultipart(body, 'XyZ');
    expect(parsed.fields).toEqual([{ name: 'chat_id', value: '42' }]);
    expect(parsed.files).toHaveLength(1);
    expect(parsed.files[0]).toMatchObject({ name: 'abc', filename: 'photo.png' });
    expect(parsed.files[0]?.bytes).toEqual(bytes);
  });
});

describe('FakeTelegram', () => {
  test('GIVEN a rate limit of 5/s and 20 sends at once THEN the excess gets the Bot API 429 shape', async () => {
    // "At once" on a frozen clock: on a busy machine 20 real sends can span more than 200 ms and refill a token.
    const t0 = Date.now();
    fake = await FakeTelegram.start({ rateLimit: 5, now: () => t0 });
    const api = new Api(fake.token, { apiRoot: fake.apiRoot });
    const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => api.sendMessage(i + 1, 'hi')));
    const refused = results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason as unknown);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(5);
    expect(refused).toHaveLength(15);
    expect(refused.every((e) => e instanceof GrammyError && e.error_code === 429 && e.parameters.retry_after === 1)).toBe(true);
    expect(fake.rateLimited).toBe(15);
  });

  test('GIVEN a send during a 429 wait THEN it is recorded as a violation', async () => {
    fake = await FakeTelegram.start();
    const api = new Api(fake.token, { apiRoot: fake.apiRoot });
    fake.fault(9, { kind: 'too-many', retryAfter: 30 }, { times: 1 });
    await expect(api.sendMessage(9, 'a')).rejects.toThrow(/retry after 30/);
    await api.sendMessage(9, 'b');
    await api.sendMessage(10, 'c');
    expect(fake.violations.map((v) => v.chatId)).toEqual(['9']);
  });

  test('GIVEN a wrong token THEN 404 like Telegram, and an unknown file_id is refused', async () => {
    fake = await FakeTelegram.start();
    await expect(new Api('1:wrong', { apiRoot: fake.apiRoot }).getMe()).rejects.toThrow(/404/);
    await expect(new Api(fake.token, { apiRoot: fake.apiRoot }).sendPhoto(1, 'AgACnope')).rejects.toThrow(/wrong file identifier/);
  });

  test("GIVEN the bot's own membership (setMember) or a group's permissions for members (setPermissions) THEN its sends are refused as Telegram refuses them, and getChat carries the permissions", async () => {
    const f = (fake = await FakeTelegram.start());
    const api = new Api(f.token, { apiRoot: f.apiRoot });
    const refusal = (chat: number) =>
      api.sendMessage(chat, 'hi').then(
        () => 'sent',
        (e: GrammyError) => `${e.error_code} ${e.description}`,
      );
    f.setMember(-1, f.botId, { status: 'restricted', is_member: true, can_send_messages: false });
    f.setMember(-2, f.botId, 'kicked');
    f.setMember(-3, f.botId, 'left');
    f.setChatType(-4, 'channel');
    f.setMember(-4, f.botId, { status: 'administrator', can_post_messages: false });
    f.setPermissions(-5, { can_send_messages: false, can_send_photos: true });
    f.setMember(-6, f.botId, 'administrator');
    f.setPermissions(-6, { can_send_messages: false });
    f.setChatType(-7, 'channel');
    expect(await Promise.all([-1, -2, -3, -4, -5, -6, -7, -8, 8].map(refusal))).toEqual([
      '400 Bad Request: not enough rights to send text messages to the chat',
      '403 Forbidden: bot was kicked from the supergroup chat',
      '403 Forbidden: bot is not a member of the supergroup chat',
      '400 Bad Request: need administrator rights in the channel chat',
      '400 Bad Request: not enough rights to send text messages to the chat',
      // An admin posts whatever members may; a channel or group where nothing was set lets the bot post; a private chat too.
      'sent',
      'sent',
      'sent',
      'sent',
    ]);
    expect((await api.getChat(-5)).permissions).toEqual({ can_send_messages: false, can_send_photos: true });
    expect((await api.getChat(-8)).permissions).toEqual({ can_send_messages: true, can_send_photos: true });
    expect(await api.getChatMember(-1, f.botId)).toMatchObject({ status: 'restricted', can_send_messages: false });
  });
});
