/**
 * What the endpoint's REST does with discord.js's callback for an interaction held open: the HTTP
 * answer while Discord waits; after the endpoint deferred on its own, the edit of the original
 * (JSON or multipart, files kept), or a follow-up where an edit would be wrong. `next` records what
 * would go to Discord.
 */
import { describe, expect, test } from 'vitest';
import { FirstResponses } from '../../../src/platforms/discord/first-responses.ts';

const API = 'http://127.0.0.1:1/api/v10';
const APP = '900000000000000001';

function recorder() {
  const sent: { url: string; method: string | undefined; body: RequestInit['body'] }[] = [];
  const next = async (url: string, init: RequestInit): Promise<Response> => {
    sent.push({ url, method: init.method, body: init.body });
    return new Response(JSON.stringify({ id: '1' }), { status: 200, headers: { 'content-type': 'application/json' } });
  };
  return { sent, responses: new FirstResponses({ next, applicationId: APP }) };
}

const callback = (id: string, body: unknown): [string, RequestInit] => [
  `${API}/interactions/${id}/tok-${id}/callback?with_response=false`,
  { method: 'POST', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } },
];

describe('first responses of held interactions', () => {
  test("GIVEN a held command THEN its callback becomes the HTTP answer (nothing sent), and a second callback or another interaction's goes to Discord", async () => {
    const { sent, responses } = recorder();
    const held = responses.hold('11', 2);
    const res = await responses.fetch(...callback('11', { type: 4, data: { content: 'hi', flags: 64 } }));
    expect(res.status).toBe(204);
    expect(await held.first).toEqual({ type: 4, data: { content: 'hi', flags: 64 } });
    expect(sent).toEqual([]);
    await responses.fetch(...callback('11', { type: 4, data: {} }));
    await responses.fetch(...callback('12', { type: 5 }));
    expect(sent.map((s) => s.url)).toEqual([callback('11', {})[0], callback('12', {})[0]]);
    held.close();
    expect(responses.open).toBe(0);
  });

  test('GIVEN the endpoint deferred a command on its own THEN its later reply edits the original (flags dropped), and a late deferral is a no-op', async () => {
    const { sent, responses } = recorder();
    const held = responses.hold('21', 2);
    expect(held.deferNow()).toEqual({ type: 5 });
    const noop = await responses.fetch(...callback('21', { type: 5, data: { flags: 64 } }));
    expect(noop.status).toBe(204);
    expect(sent).toEqual([]);

    const other = responses.hold('22', 3);
    expect(other.deferNow()).toEqual({ type: 6 });
    await responses.fetch(...callback('22', { type: 7, data: { embeds: [{ title: 'x' }], flags: 64 } }));
    expect(sent).toHaveLength(1);
    expect(sent[0]!.url).toBe(`${API}/webhooks/${APP}/tok-22/messages/@original`);
    expect(sent[0]!.method).toBe('PATCH');
    expect(JSON.parse(String(sent[0]!.body))).toEqual({ embeds: [{ title: 'x' }] });
  });

  test('GIVEN a button deferred on its own THEN a late new message (a notice) is a follow-up, ephemeral as it was, and the message the button sits on is not touched', async () => {
    const { sent, responses } = recorder();
    const held = responses.hold('41', 3);
    expect(held.deferNow()).toEqual({ type: 6 });
    const res = await responses.fetch(...callback('41', { type: 4, data: { content: 'too fast', flags: 64 } }));
    expect(res.status).toBe(200);
    expect(sent.map((x) => [x.method, x.url])).toEqual([['POST', `${API}/webhooks/${APP}/tok-41`]]);
    expect(JSON.parse(String(sent[0]!.body))).toEqual({ content: 'too fast', flags: 64 });
  });

  test('GIVEN a command deferred on its own THEN a late ephemeral reply is an ephemeral follow-up and the public placeholder is deleted; a late public one edits it', async () => {
    const { sent, responses } = recorder();
    responses.hold('51', 2).deferNow();
    await responses.fetch(...callback('51', { type: 4, data: { content: 'only you', flags: 64 } }));
    expect(sent.map((x) => [x.method, x.url])).toEqual([
      ['POST', `${API}/webhooks/${APP}/tok-51`],
      ['DELETE', `${API}/webhooks/${APP}/tok-51/messages/@original`],
    ]);
    expect(JSON.parse(String(sent[0]!.body))).toEqual({ content: 'only you', flags: 64 });
    responses.hold('52', 2).deferNow();
    await responses.fetch(...callback('52', { type: 4, data: { content: 'for all' } }));
    expect(sent.slice(2).map((x) => [x.method, x.url])).toEqual([['PATCH', `${API}/webhooks/${APP}/tok-52/messages/@original`]]);
  });

  test('GIVEN a held autocomplete deferred on its own THEN its choices are empty, and the late answer is dropped', async () => {
    const { sent, responses } = recorder();
    const held = responses.hold('31', 4);
    expect(held.deferNow()).toEqual({ type: 8, data: { choices: [] } });
    expect((await responses.fetch(...callback('31', { type: 8, data: { choices: [{ name: 'a', value: 'a' }] } }))).status).toBe(204);
    expect(sent).toEqual([]);
  });

  test('GIVEN a first response carrying a file THEN the HTTP answer is a deferral (ephemeral kept) and the original is edited with the file', async () => {
    const { sent, responses } = recorder();
    const held = responses.hold('41', 2);
    const form = new FormData();
    form.append('files[0]', new Blob([Buffer.from([0x89, 0x50, 0x4e, 0x47])], { type: 'image/png' }), 'chart.png');
    form.append('payload_json', JSON.stringify({ type: 4, data: { embeds: [{ image: { url: 'attachment://chart.png' } }], flags: 64 } }));
    await responses.fetch(`${API}/interactions/41/tok-41/callback`, { method: 'POST', body: form });
    expect(await held.first).toEqual({ type: 5, data: { flags: 64 } });
    expect(sent).toHaveLength(1);
    expect(sent[0]!.url).toBe(`${API}/webhooks/${APP}/tok-41/messages/@original`);
    const edit = sent[0]!.body as FormData;
    expect(JSON.parse(String(edit.get('payload_json')))).toEqual({ embeds: [{ image: { url: 'attachment://chart.png' } }] });
    const file = edit.get('files[0]') as File;
    expect(file.name).toBe('chart.png');
    expect(Buffer.from(await file.arrayBuffer()).toString('latin1')).toBe('\x89PNG');
  });
});
