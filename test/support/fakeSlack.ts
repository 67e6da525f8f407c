// A local stand-in for the Slack Web API (and for slash-command response_urls), so tests can run
// the app's real Bolt receiver and WebClient without reaching Slack. Like real Slack it refuses
// payloads beyond Block Kit's limits, so a card that would fail in production fails here too.
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { blockKitErrors, isObject } from '../../src/console/blockKitLimits.ts';

export { blockKitErrors };

export interface RecordedCall {
  method: string;
  args: Record<string, any>;
  at: number;
  /** True when the fake answered with an HTTP error or `ok: false`. */
  failed: boolean;
  /** The error code the fake answered with, e.g. 'ratelimited', 'invalid_blocks'. */
  error?: string;
  /** The bearer token the call carried, if any. */
  token?: string;
}

/** How the next call fails: 429 or 500; for a file download also `cut`, its connection broken off half-way through its bytes. */
export type Failure = { status: 429; retryAfterSeconds: number } | { status: 500 } | { status: 'cut' };

export interface FakeSlackUser {
  id: string;
  email: string;
  name?: string;
  real_name?: string;
}

/** A file as the fake holds it: one a person shared (`shareFile`) or one the app uploaded (`uploads`). */
export interface FakeSlackFile {
  id: string;
  name: string;
  title: string;
  mimetype: string;
  filetype: string;
  /** Who shared it: a person's ID, or the bot's for an upload. */
  user: string;
  bytes: Buffer;
  /** Where it was shared (completeUploadExternal's channel_id or channels). */
  channels: string[];
  initialComment?: string;
  threadTs?: string;
}

export interface FakeSlackOptions {
  /** The only token that may download files; without it any bot token (`xoxb-...`) may. */
  botToken?: string;
}

export interface FakeSlack {
  /** Base Web API URL with a trailing slash, to pass as WebClient's `slackApiUrl`. */
  url: string;
  /** A fresh response_url on this server; posts to it are recorded as method 'response_url'. */
  responseUrl(): string;
  calls(method?: string): RecordedCall[];
  last(method: string): RecordedCall | undefined;
  waitFor(method: string, predicate?: (c: RecordedCall) => boolean, timeoutMs?: number): Promise<RecordedCall>;
  failNext(method: string, failure: Failure, times?: number): void;
  setUser(user: FakeSlackUser): void;
  /** A file as if a person had shared it in Slack, for files.info and its url_private download. */
  shareFile(file: { name: string; bytes: Buffer | string; mimetype?: string; title?: string; user?: string; channels?: string[] }): FakeSlackFile;
  /** Files the app uploaded through getUploadURLExternal, the upload URL and completeUploadExternal, in order. */
  uploads(): FakeSlackFile[];
  /** Clears recorded calls, pending failures and uploads; users and shared files stay. */
  reset(): void;
  close(): Promise<void>;
}

type Json = Record<string, any>;
type Answer = { status: number; body: Json; headers?: Record<string, string> };

export const FAKE_TEAM_ID = 'T0FAKE';
export const FAKE_BOT_USER_ID = 'U0BOT';
export const FAKE_BOT_ID = 'B0BOT';

const RESPONSE_URL_METHOD = 'response_url';

// WebClient form-encodes every non-primitive argument as a JSON string.
const JSON_ENCODED_FIELDS = new Set(['blocks', 'attachments', 'view', 'metadata', 'unfurls', 'user_auth_blocks', 'files']);

const MESSAGE_METHODS = new Set(['chat.postMessage', 'chat.update', 'chat.postEphemeral', 'chat.scheduleMessage', RESPONSE_URL_METHOD]);

/** Calls to an upload URL (the external upload flow's second step) are recorded under this name. */
export const FILE_UPLOAD_METHOD = 'file_upload';
/** Downloads of url_private / url_private_download are recorded under this name. */
export const FILE_DOWNLOAD_METHOD = 'file_download';

const MIMETYPES: Record<string, string> = {
  csv: 'text/csv',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  txt: 'text/plain',
  json: 'application/json',
};

const extensionOf = (name: string) => (name.includes('.') ? name.slice(name.lastIndexOf('.') + 1).toLowerCase() : '');

// What Slack serves instead of the file when a download carries no valid token: its sign-in page, with HTTP 200.
const SIGN_IN_PAGE = '<!DOCTYPE html><html><head><title>Slack</title></head><body>Sign in to Fake</body></html>';

export async function startFakeSlack(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  let calls: RecordedCall[] = [];
  let failures = new Map<string, Failure[]>();
  let waiters: Array<{ method: string; predicate: (c: RecordedCall) => boolean; resolve: (c: RecordedCall) => void }> = [];
  const users = new Map<string, FakeSlackUser>();
  let tsCounter = 0;
  let viewCounter = 0;
  let responseUrlCounter = 0;
  let fileCounter = 0;
  const files = new Map<string, FakeSlackFile>();
  /** Files between getUploadURLExternal and completeUploadExternal: the length Slack was promised, and the bytes once posted. */
  let pendingUploads = new Map<string, { filename: string; length: number; bytes?: Buffer }>();
  let uploaded: FakeSlackFile[] = [];
  const nextFileId = () => `F${String(++fileCounter).padStart(10, '0')}`;

  const nextTs = () => {
    tsCounter += 100;
    return `${1_700_000_000 + Math.floor(tsCounter / 1_000_000)}.${String(tsCounter % 1_000_000).padStart(6, '0')}`;
  };
  const nextViewId = () => `V${String(++viewCounter).padStart(10, '0')}`;

  const record = (call: RecordedCall) => {
    calls.push(call);
    const matched = waiters.filter((w) => w.method === call.method && w.predicate(call));
    waiters = waiters.filter((w) => !matched.includes(w));
    for (const w of matched) w.resolve(call);
  };

  const takeFailure = (method: string): Failure | undefined => {
    const queue = failures.get(method);
    const failure = queue?.shift();
    if (queue && queue.length === 0) failures.delete(method);
    return failure;
  };

  const slackUser = (u: FakeSlackUser) => {
    const name = u.name ?? u.email.split('@')[0] ?? u.id;
    const realName = u.real_name ?? name;
    return {
      id: u.id,
      team_id: FAKE_TEAM_ID,
      name,
      real_name: realName,
      deleted: false,
      is_bot: false,
      profile: { email: u.email, real_name: realName, display_name: name },
    };
  };

  const dmChannelFor = (userId: string) => `D${userId.replace(/[^A-Z0-9]/gi, '').toUpperCase()}`;

  const privateUrl = (file: FakeSlackFile, download: boolean) =>
    `${base}/files-pri/${FAKE_TEAM_ID}-${file.id}/${download ? 'download/' : ''}${encodeURIComponent(file.name)}`;

  const fileObject = (file: FakeSlackFile): Json => ({
    id: file.id,
    created: 1_700_000_000,
    timestamp: 1_700_000_000,
    name: file.name,
    title: file.title,
    mimetype: file.mimetype,
    filetype: file.filetype,
    pretty_type: file.filetype.toUpperCase(),
    user: file.user,
    user_team: FAKE_TEAM_ID,
    editable: false,
    size: file.bytes.length,
    mode: 'hosted',
    is_external: false,
    external_type: '',
    is_public: false,
    public_url_shared: false,
    display_as_bot: file.user === FAKE_BOT_USER_ID,
    url_private: privateUrl(file, false),
    url_private_download: privateUrl(file, true),
    permalink: `https://fake.slack.test/files/${file.user}/${file.id}/${encodeURIComponent(file.name)}`,
    channels: file.channels.filter((c) => c.startsWith('C')),
    groups: file.channels.filter((c) => c.startsWith('G')),
    ims: file.channels.filter((c) => c.startsWith('D')),
  });

  const mayDownload = (token: string | undefined) => (options.botToken === undefined ? Boolean(token?.startsWith('xoxb-')) : token === options.botToken);

  /** GET url_private(_download): the bytes for the bot's token, the sign-in page for anyone else, as Slack does. */
  const download = (req: IncomingMessage, res: ServerResponse, path: string) => {
    const token = bearerToken(req);
    const id = /^\/files-pri\/[^/]+-(F[0-9A-Z]+)\//.exec(path)?.[1];
    const file = id ? files.get(id) : undefined;
    const call: RecordedCall = { method: FILE_DOWNLOAD_METHOD, args: { file: id, path }, at: Date.now(), failed: false };
    if (token !== undefined) call.token = token;
    if (!mayDownload(token)) {
      record({ ...call, failed: true, error: 'not_authed' });
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      return res.end(SIGN_IN_PAGE);
    }
    if (!file) {
      record({ ...call, failed: true, error: 'file_not_found' });
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      return res.end('Not found');
    }
    const failure = takeFailure(FILE_DOWNLOAD_METHOD);
    if (failure?.status === 'cut') {
      record({ ...call, failed: true, error: 'cut' });
      res.writeHead(200, { 'Content-Type': file.mimetype, 'Content-Length': String(file.bytes.length) });
      return res.write(file.bytes.subarray(0, file.bytes.length >> 1), () => res.destroy());
    }
    if (failure) {
      record({ ...call, failed: true, error: String(failure.status) });
      res.writeHead(failure.status, failure.status === 429 ? { 'Retry-After': String(failure.retryAfterSeconds) } : {});
      return res.end();
    }
    record(call);
    res.writeHead(200, { 'Content-Type': file.mimetype, 'Content-Length': String(file.bytes.length) });
    res.end(file.bytes);
  };

  /** POST to an upload URL: raw bytes or a multipart form (what the SDK's uploadV2 sends), of the promised length. */
  const receiveUpload = async (req: IncomingMessage, res: ServerResponse, fileId: string) => {
    const raw = await readBytes(req);
    const pending = pendingUploads.get(fileId);
    const call: RecordedCall = { method: FILE_UPLOAD_METHOD, args: { file_id: fileId, bytes: raw.length }, at: Date.now(), failed: false };
    let bytes = raw;
    const contentType = req.headers['content-type'] ?? '';
    if (contentType.startsWith('multipart/form-data')) {
      const form = await new Response(raw, { headers: { 'Content-Type': contentType } }).formData();
      const part = [...form.values()].find((value): value is File => typeof value !== 'string');
      bytes = part ? Buffer.from(await part.arrayBuffer()) : Buffer.alloc(0);
    }
    if (!pending || bytes.length !== pending.length) {
      record({ ...call, failed: true, error: pending ? 'length_mismatch' : 'unknown_upload' });
      res.writeHead(pending ? 400 : 404, { 'Content-Type': 'text/plain' });
      return res.end(pending ? `expected ${pending.length} bytes, got ${bytes.length}` : 'unknown upload');
    }
    pending.bytes = bytes;
    record(call);
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.end(`OK - ${bytes.length}`);
  };

  const answer = (method: string, args: Json): Answer => {
    if (MESSAGE_METHODS.has(method)) {
      const errors = blockKitErrors('message', args);
      if (errors.length > 0) return refuse('invalid_blocks', { errors });
    }
    if (method.startsWith('views.') && method !== 'views.get') {
      if (!isObject(args.view)) return refuse('invalid_arguments');
      const errors = blockKitErrors(args.view.type === 'home' ? 'home' : 'modal', args.view);
      if (errors.length > 0) return refuse('invalid_blocks', { errors });
    }

    switch (method) {
      case 'auth.test':
        return ok({ url: 'https://fake.slack.test/', team: 'Fake', user: 'roster', team_id: FAKE_TEAM_ID, user_id: FAKE_BOT_USER_ID, bot_id: FAKE_BOT_ID });
      case 'chat.postMessage': {
        if (!args.channel) return refuse('channel_not_found');
        if (!hasContent(args)) return refuse('no_text');
        const channel = /^[UW]/.test(args.channel) ? dmChannelFor(args.channel) : args.channel;
        const ts = nextTs();
        const message = {
          type: 'message',
          user: FAKE_BOT_USER_ID,
          bot_id: FAKE_BOT_ID,
          ts,
          text: args.text ?? '',
          blocks: args.blocks,
          attachments: args.attachments,
          thread_ts: args.thread_ts,
        };
        return ok({ channel, ts, message });
      }
      case 'chat.update':
        if (!args.channel) return refuse('channel_not_found');
        if (!args.ts) return refuse('message_not_found');
        return ok({ channel: args.channel, ts: args.ts, text: args.text ?? '' });
      case 'chat.getPermalink':
        if (!args.channel) return refuse('channel_not_found');
        if (!args.message_ts) return refuse('message_not_found');
        return ok({ channel: args.channel, permalink: `https://fake.slack.test/archives/${args.channel}/p${String(args.message_ts).replace('.', '')}` });
      case 'chat.postEphemeral':
        if (!args.channel) return refuse('channel_not_found');
        if (!args.user) return refuse('user_not_found');
        if (!hasContent(args)) return refuse('no_text');
        return ok({ message_ts: nextTs() });
      case 'views.open':
      case 'views.push':
        if (!args.trigger_id) return refuse('invalid_arguments');
        return ok({ view: viewAnswer(nextViewId(), args.view) });
      case 'views.update':
        return ok({ view: viewAnswer(args.view_id ?? nextViewId(), args.view) });
      case 'views.publish':
        return ok({ view: viewAnswer(nextViewId(), args.view) });
      case 'users.info': {
        const user = users.get(args.user);
        return user ? ok({ user: slackUser(user) }) : refuse('user_not_found');
      }
      case 'users.lookupByEmail': {
        const email = String(args.email ?? '').toLowerCase();
        const user = [...users.values()].find((u) => u.email.toLowerCase() === email);
        return user ? ok({ user: slackUser(user) }) : refuse('users_not_found');
      }
      case 'conversations.open': {
        const first = String(args.users ?? '')
          .split(',')[0]
          ?.trim();
        if (!first && !args.channel) return refuse('invalid_arguments');
        return ok({ channel: { id: first ? dmChannelFor(first) : args.channel } });
      }
      case 'files.info': {
        const file = files.get(String(args.file ?? ''));
        return file ? ok({ file: fileObject(file), comments: [], response_metadata: { next_cursor: '' } }) : refuse('file_not_found');
      }
      case 'files.getUploadURLExternal': {
        const length = Number(args.length);
        if (!args.filename) return refuse('invalid_arguments');
        if (!Number.isInteger(length) || length < 1) return refuse('invalid_arguments');
        const fileId = nextFileId();
        pendingUploads.set(fileId, { filename: String(args.filename), length });
        return ok({ upload_url: `${base}/upload/v1/${fileId}`, file_id: fileId });
      }
      case 'files.completeUploadExternal': {
        if (!Array.isArray(args.files) || args.files.length === 0) return refuse('invalid_arguments');
        const channels = args.channel_id
          ? [String(args.channel_id)]
          : String(args.channels ?? '')
              .split(',')
              .filter(Boolean);
        const done: FakeSlackFile[] = [];
        for (const entry of args.files as unknown[]) {
          const id = isObject(entry) ? String(entry.id ?? '') : '';
          const pending = pendingUploads.get(id);
          // Slack completes only files whose bytes reached the upload URL.
          if (!pending?.bytes) return refuse('file_not_found');
          const title = isObject(entry) && typeof entry.title === 'string' && entry.title ? entry.title : pending.filename;
          const extension = extensionOf(pending.filename);
          const file: FakeSlackFile = {
            id,
            name: pending.filename,
            title,
            mimetype: MIMETYPES[extension] ?? 'application/octet-stream',
            filetype: extension || 'binary',
            user: FAKE_BOT_USER_ID,
            bytes: pending.bytes,
            channels,
          };
          if (args.initial_comment) file.initialComment = String(args.initial_comment);
          if (args.thread_ts) file.threadTs = String(args.thread_ts);
          done.push(file);
        }
        for (const file of done) {
          pendingUploads.delete(file.id);
          files.set(file.id, file);
          uploaded.push(file);
        }
        return ok({ files: done.map((file) => ({ id: file.id, title: file.title })) });
      }
      case 'apps.connections.open':
        return ok({ url: `${base.replace('http:', 'ws:')}/socket` });
      default:
        return ok({});
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://fake.slack.test');
    if (req.method === 'GET' && url.pathname.startsWith('/files-pri/')) return download(req, res, url.pathname);
    const upload = /^\/upload\/v1\/(F[0-9A-Z]+)$/.exec(url.pathname);
    if (upload && req.method === 'POST') return receiveUpload(req, res, upload[1]!);
    let method: string;
    if (url.pathname.startsWith('/api/')) method = url.pathname.slice('/api/'.length);
    else if (url.pathname.startsWith('/response/')) method = RESPONSE_URL_METHOD;
    else return send(res, { status: 404, body: { ok: false, error: 'unknown_path' } });

    const raw = await readBody(req);
    let args: Json;
    let malformed = false;
    try {
      args = { ...Object.fromEntries(url.searchParams), ...parseBody(req.headers['content-type'], raw) };
    } catch {
      args = { _raw: raw };
      malformed = true;
    }
    if (method === RESPONSE_URL_METHOD) args._responseUrl = `http://${req.headers.host}${url.pathname}`;

    const failure = takeFailure(method);
    let result: Answer;
    if (malformed) {
      result = refuse('invalid_json');
    } else if (failure?.status === 429) {
      result = { status: 429, body: { ok: false, error: 'ratelimited' }, headers: { 'Retry-After': String(failure.retryAfterSeconds) } };
    } else if (failure?.status === 500) {
      result = { status: 500, body: { ok: false, error: 'internal_error' } };
    } else {
      result = answer(method, args);
    }

    const token = bearerToken(req) ?? (typeof args.token === 'string' ? args.token : undefined);
    const failed = result.status !== 200 || result.body.ok === false;
    const call: RecordedCall = { method, args, at: Date.now(), failed };
    if (failed) call.error = String(result.body.error);
    if (token !== undefined) call.token = token;
    // Recorded before answering, so a client that got its answer always finds its call here.
    record(call);
    send(res, result);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, { status: 500, body: { ok: false, error: 'fake_slack_crashed', detail: String(error) } });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;
  const webSockets = new Set<Socket>();
  server.on('upgrade', (req, socket: Socket) => acceptSocketMode(req, socket, webSockets));

  return {
    url: `${base}/api/`,
    responseUrl: () => `${base}/response/${++responseUrlCounter}`,
    calls: (method) => (method === undefined ? [...calls] : calls.filter((c) => c.method === method)),
    last: (method) => calls.findLast((c) => c.method === method),
    waitFor(method, predicate = () => true, timeoutMs = 5000) {
      const existing = calls.find((c) => c.method === method && predicate(c));
      if (existing) return Promise.resolve(existing);
      return new Promise<RecordedCall>((resolve, reject) => {
        const waiter = {
          method,
          predicate,
          resolve: (c: RecordedCall) => {
            clearTimeout(timer);
            resolve(c);
          },
        };
        const timer = setTimeout(() => {
          waiters = waiters.filter((w) => w !== waiter);
          const same = calls.filter((c) => c.method === method);
          const seen = [...new Set(calls.map((c) => c.method))].join(', ') || 'none';
          reject(
            new Error(
              `fakeSlack.waitFor('${method}') timed out after ${timeoutMs}ms: ` +
                (same.length > 0 ? `${same.length} ${method} call(s) recorded, none matched the predicate` : `no ${method} call recorded`) +
                `; methods called: ${seen}`,
            ),
          );
        }, timeoutMs);
        waiters.push(waiter);
      });
    },
    failNext(method, failure, times = 1) {
      const queue = failures.get(method) ?? [];
      for (let i = 0; i < times; i++) queue.push(failure);
      failures.set(method, queue);
    },
    setUser(user) {
      users.set(user.id, user);
    },
    shareFile({ name, bytes, mimetype, title, user = 'U0SHARER', channels = [] }) {
      const extension = extensionOf(name);
      const file: FakeSlackFile = {
        id: nextFileId(),
        name,
        title: title ?? name,
        mimetype: mimetype ?? MIMETYPES[extension] ?? 'application/octet-stream',
        filetype: extension || 'binary',
        user,
        bytes: Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes, 'utf8'),
        channels,
      };
      files.set(file.id, file);
      return file;
    },
    uploads: () => [...uploaded],
    reset() {
      calls = [];
      failures = new Map();
      pendingUploads = new Map();
      uploaded = [];
    },
    close() {
      return new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // fetch keeps connections alive; without this close() would wait for them to time out.
        server.closeAllConnections();
        for (const socket of webSockets) socket.destroy();
      });
    },
  };
}

const WEBSOCKET_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/**
 * Socket Mode's WebSocket, as little of it as a client needs to start and stop: the handshake, Slack's `hello`, and an
 * answer to the client's close frame. No events travel over it; tests of Socket Mode exercise its HTTP routes.
 */
function acceptSocketMode(req: IncomingMessage, socket: Socket, open: Set<Socket>): void {
  const accept = createHash('sha1').update(`${req.headers['sec-websocket-key']}${WEBSOCKET_GUID}`).digest('base64');
  socket.write(['HTTP/1.1 101 Switching Protocols', 'Upgrade: websocket', 'Connection: Upgrade', `Sec-WebSocket-Accept: ${accept}`, '', ''].join('\r\n'));
  const hello = Buffer.from(JSON.stringify({ type: 'hello', num_connections: 1 }));
  socket.write(Buffer.concat([Buffer.from([0x81, hello.length]), hello]));
  open.add(socket);
  socket.on('close', () => open.delete(socket));
  socket.on('error', () => socket.destroy());
  socket.on('data', (frame: Buffer) => {
    const closeOpcode = 0x8;
    if ((frame[0]! & 0x0f) === closeOpcode) socket.end(Buffer.from([0x88, 0x00]));
  });
}

function ok(body: Json): Answer {
  return { status: 200, body: { ok: true, ...body } };
}

// Slack reports API errors with HTTP 200 and `ok: false`.
function refuse(error: string, extra: Json = {}): Answer {
  return { status: 200, body: { ok: false, error, ...extra } };
}

function viewAnswer(id: string, view: Json): Json {
  return {
    team_id: FAKE_TEAM_ID,
    app_id: 'A0ROSTER',
    bot_id: FAKE_BOT_ID,
    private_metadata: '',
    callback_id: '',
    external_id: '',
    state: { values: {} },
    hash: `${Date.now()}.fakehash`,
    root_view_id: id,
    previous_view_id: null,
    clear_on_close: false,
    notify_on_close: false,
    ...view,
    id,
  };
}

function hasContent(args: Json): boolean {
  return Boolean(args.text) || (Array.isArray(args.blocks) && args.blocks.length > 0) || (Array.isArray(args.attachments) && args.attachments.length > 0);
}

async function readBytes(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function readBody(req: IncomingMessage): Promise<string> {
  return (await readBytes(req)).toString('utf8');
}

function bearerToken(req: IncomingMessage): string | undefined {
  const auth = req.headers.authorization;
  return auth?.startsWith('Bearer ') ? auth.slice('Bearer '.length) : undefined;
}

function parseBody(contentType: string | undefined, raw: string): Json {
  if (raw.trim() === '') return {};
  if (contentType?.includes('application/json')) {
    const parsed: unknown = JSON.parse(raw);
    return isObject(parsed) ? parsed : { _body: parsed };
  }
  const args: Json = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    args[key] = JSON_ENCODED_FIELDS.has(key) ? decodeJsonField(value) : value;
  }
  return args;
}

function decodeJsonField(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

function send(res: ServerResponse, answer: Answer): void {
  res.writeHead(answer.status, { 'Content-Type': 'application/json; charset=utf-8', ...answer.headers });
  res.end(JSON.stringify(answer.body));
}
