// Files in the sandbox: a person sends an Excel to the bot, the bot downloads it through the real SDK,
// the bot's own files show up in the page with a download link, and the page can upload files.
import type { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/sandbox.ts';
import { ALICE, BOB, newDispatcher, startReceiver, startSandbox, type Receiver } from './helpers.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- pushed payloads are read loosely and asserted with toMatchObject
type Flat = Record<string, any>;

const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

let sandbox: Sandbox | undefined;
let receiver: Receiver | undefined;
afterEach(async () => {
  await sandbox?.close();
  await receiver?.close();
  sandbox = undefined;
  receiver = undefined;
});

/** Every byte value, so any text decoding or newline mangling on the way would show. */
function binaryBytes(): Buffer {
  const b = Buffer.alloc(70_000);
  for (let i = 0; i < b.length; i++) b[i] = (i * 7 + (i >> 8)) % 256;
  b.write('PK\u0003\u0004', 0, 'latin1');
  return b;
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c as Buffer));
  return Buffer.concat(chunks);
}

/** Downloads answer with a stream even on errors: read the Feishu error body out of it. */
async function downloadFailure(p: Promise<unknown>): Promise<{ status: number; code: number; msg: string }> {
  try {
    await p;
  } catch (e) {
    const res = (e as { response?: { status: number; data: Readable } }).response;
    if (!res) throw e;
    const body = JSON.parse((await readAll(res.data)).toString('utf8')) as { code: number; msg: string };
    return { status: res.status, code: body.code, msg: body.msg };
  }
  throw new Error('expected the download to fail');
}

async function setup(opts: Parameters<typeof startSandbox>[0] = {}) {
  const seen: Flat[] = [];
  const dispatcher = newDispatcher().register({ 'im.message.receive_v1': (d: Flat) => void seen.push(d) } as never);
  receiver = await startReceiver(dispatcher);
  const started = await startSandbox({ pushUrl: receiver.url, ...opts });
  sandbox = started.sandbox;
  return { ...started, seen };
}

describe('a person sends a file to the bot', () => {
  it('pushes im.message.receive_v1 with message_type file, and the SDK downloads the bytes exactly', async () => {
    const { sandbox: sb, client, seen } = await setup();
    const bytes = binaryBytes();
    const sent = await sb.userSendsFile(ALICE, { fileName: '11月统计局正式数据.xlsx', bytes });
    expect(sent.pushStatus).toBe('delivered');
    expect(sent.fileKey).toMatch(/^file_v3_/);

    expect(seen).toHaveLength(1);
    const event = seen[0]!;
    expect(event).toMatchObject({
      event_type: 'im.message.receive_v1',
      sender: { sender_type: 'user', sender_id: { open_id: ALICE } },
      message: { message_id: sent.messageId, chat_id: sent.chatId, chat_type: 'p2p', message_type: 'file' },
    });
    const content = JSON.parse(event.message.content) as { file_key: string; file_name: string };
    expect(content).toEqual({ file_key: sent.fileKey, file_name: '11月统计局正式数据.xlsx' });

    // What a bot does with the event: download the resource named in it.
    const res = await client.im.v1.messageResource.get({
      path: { message_id: event.message.message_id, file_key: content.file_key },
      params: { type: 'file' },
    });
    const downloaded = await readAll(res.getReadableStream());
    expect(downloaded.equals(bytes)).toBe(true);
    expect(res.headers['content-type']).toBe(XLSX_MIME);
    const disposition = String(res.headers['content-disposition']);
    expect(disposition).toMatch(/^attachment;/);
    expect(decodeURIComponent(/filename\*=UTF-8''(.+)$/.exec(disposition)![1]!)).toBe('11月统计局正式数据.xlsx');
  });

  it('answers Feishu error codes for a wrong key, a wrong message or a wrong type', async () => {
    const { sandbox: sb, client } = await setup();
    const first = await sb.userSendsFile(ALICE, { fileName: 'a.csv', bytes: Buffer.from('单位,指标\n') });
    const second = await sb.userSendsFile(ALICE, { fileName: 'b.csv', bytes: Buffer.from('x') });
    const get = (message_id: string, file_key: string, type: 'file' | 'image' = 'file') =>
      client.im.v1.messageResource.get({ path: { message_id, file_key }, params: { type } });

    expect(await downloadFailure(get(first.messageId, 'file_v3_doesnotexist'))).toEqual({ status: 400, code: 234003, msg: 'File not in message.' });
    // A real key, but of another message: the pair must match.
    expect(await downloadFailure(get(first.messageId, second.fileKey))).toMatchObject({ status: 400, code: 234003 });
    expect(await downloadFailure(get('om_doesnotexist', first.fileKey))).toMatchObject({ status: 400, code: 234001 });
    expect(await downloadFailure(get(first.messageId, first.fileKey, 'image'))).toMatchObject({ status: 400, code: 234003 });
  });

  it('keeps a file sent in a group from the bot unless the app receives all group messages', async () => {
    const { sandbox: sb, client, seen } = await setup();
    const chat = await client.im.chat.create({ params: { user_id_type: 'open_id' }, data: { name: '数据组', user_id_list: [ALICE, BOB] } });
    const res = await sb.userSendsFile(BOB, { fileName: '台账.xlsx', bytes: Buffer.from('x') }, { chatId: chat.data!.chat_id! });
    expect(res.pushStatus).toBe('skipped');
    expect(seen).toHaveLength(0);
    // The file is still in the chat, and the bot (a member) can fetch it.
    const got = await client.im.v1.messageResource.get({ path: { message_id: res.messageId, file_key: res.fileKey }, params: { type: 'file' } });
    expect((await readAll(got.getReadableStream())).toString()).toBe('x');
  });
});

describe("the bot's own files", () => {
  it('downloads its upload with im.file.get, but not what a person sent', async () => {
    const { sandbox: sb, client } = await setup();
    const bytes = binaryBytes();
    const up = await client.im.v1.file.create({ data: { file_type: 'xls', file_name: '报送汇总.xlsx', file: bytes } });
    const own = await client.im.v1.file.get({ path: { file_key: up!.file_key! } });
    expect((await readAll(own.getReadableStream())).equals(bytes)).toBe(true);

    const theirs = await sb.userSendsFile(ALICE, { fileName: 'a.xlsx', bytes: Buffer.from('x') });
    expect(await downloadFailure(client.im.v1.file.get({ path: { file_key: theirs.fileKey } }))).toMatchObject({ status: 400, code: 234008 });
    expect(await downloadFailure(client.im.v1.file.get({ path: { file_key: 'file_v3_nope' } }))).toMatchObject({ status: 400, code: 234005 });
  });
});

describe('UI API', () => {
  it('lists file messages with a download link serving the bytes, for the bot and for people', async () => {
    const { sandbox: sb, url, client } = await setup();
    const bytes = binaryBytes();
    const up = await client.im.file.create({ data: { file_type: 'xls', file_name: '2026年11月报送汇总.xlsx', file: bytes } });
    await client.im.message.create({
      params: { receive_id_type: 'open_id' },
      data: { receive_id: ALICE, msg_type: 'file', content: JSON.stringify({ file_key: up!.file_key }) },
    });
    const chatId = sb.chats.p2p(ALICE)!.chatId;

    const list = (await (await fetch(`${url}/sandbox/api/chats/${chatId}/messages`)).json()) as Flat[];
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ msgType: 'file', sender: { kind: 'app' }, file: { fileKey: up!.file_key, fileName: '2026年11月报送汇总.xlsx', size: bytes.length } });

    const dl = await fetch(`${url}${list[0]!.file.url}`);
    expect(dl.status).toBe(200);
    expect(dl.headers.get('content-type')).toBe(XLSX_MIME);
    expect(dl.headers.get('content-disposition')).toContain(`filename*=UTF-8''${encodeURIComponent('2026年11月报送汇总.xlsx')}`);
    expect(Buffer.from(await dl.arrayBuffer()).equals(bytes)).toBe(true);

    expect((await fetch(`${url}/sandbox/api/files/file_v3_nope`)).status).toBe(404);
  });

  it('uploads a file as a person (multipart, as the page does, or JSON with base64) and pushes it', async () => {
    const { sandbox: sb, url, client, seen } = await setup();
    const bytes = binaryBytes();
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(bytes)]), '正式数据.xlsx');
    const res = await fetch(`${url}/sandbox/api/people/${ALICE}/files`, { method: 'POST', body: form });
    expect(res.status).toBe(200);
    const sent = (await res.json()) as Flat;
    expect(sent).toMatchObject({ pushStatus: 'delivered', fileName: '正式数据.xlsx', size: bytes.length, chatId: sb.chats.p2p(ALICE)!.chatId });
    expect(seen.map((e) => e.message.message_type)).toEqual(['file']);
    const got = await client.im.v1.messageResource.get({ path: { message_id: sent.messageId, file_key: sent.fileKey }, params: { type: 'file' } });
    expect((await readAll(got.getReadableStream())).equals(bytes)).toBe(true);

    const json = await fetch(`${url}/sandbox/api/people/${ALICE}/files`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ fileName: '说明.csv', contentBase64: Buffer.from('单位,指标\n').toString('base64') }),
    });
    const second = (await json.json()) as Flat;
    expect(second).toMatchObject({ pushStatus: 'delivered', fileName: '说明.csv' });
    expect(sb.files.get(second.fileKey)?.data?.toString('utf8')).toBe('单位,指标\n');

    const list = (await (await fetch(`${url}/sandbox/api/chats/${sent.chatId}/messages`)).json()) as Flat[];
    expect(list.map((m) => [m.sender.id, m.file?.fileName])).toEqual([
      [ALICE, '正式数据.xlsx'],
      [ALICE, '说明.csv'],
    ]);

    const empty = await fetch(`${url}/sandbox/api/people/${ALICE}/files`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ fileName: '空.csv', contentBase64: '' }),
    });
    expect(empty.status).toBe(400);
    expect(((await empty.json()) as Flat).error).toBe('不能发送空文件');
  });
});
