import { randomBytes } from 'node:crypto';
import { blockKitErrors, isObject } from './blockKitLimits.ts';
import { IDENTITIES, identityByUserId } from './identities.ts';

type Json = Record<string, any>;

export const TEAM_ID = 'T0LOCAL';
export const TEAM_DOMAIN = 'roster-local';
export const APP_ID = 'A0ROSTER';
export const BOT_USER_ID = 'U0ROSTERBOT';
export const BOT_ID = 'B0ROSTER';

/** The channels the console opens with; the app may post to any other channel ID, which then appears. */
export const HOME_CHANNEL = { id: 'C0ROSTER', name: 'roster' };

/** Slack refuses a message whose `text` is longer than this (`msg_too_long`). */
const MAX_MESSAGE_TEXT = 40_000;
/** How long a trigger_id may be exchanged for a modal, and how many modals a stack holds. */
const TRIGGER_VALID_MS = 3000;
const MAX_VIEW_STACK = 3;
/** A response_url takes at most 5 posts within 30 minutes. */
const RESPONSE_URL_USES = 5;
const RESPONSE_URL_VALID_MS = 30 * 60 * 1000;

export interface ConsoleMessage {
  ts: string;
  channel: string;
  /** The app's bot user for what the app posts; `console` for the console's own notices. */
  user: string;
  text: string;
  blocks?: Json[];
  attachments?: Json[];
  threadTs?: string;
  /** Ephemeral: only this user sees it. */
  visibleTo?: string;
  fileIds?: string[];
  edited?: boolean;
  /** A console notice: what Slack refused or could not do, shown as Slack shows its own errors. */
  notice?: { title: string; details: string[] };
}

export interface ConsoleView {
  id: string;
  user: string;
  hash: string;
  view: Json;
  /** Errors the app answered a submission with, block_id -> message. */
  errors?: Record<string, string>;
}

interface ConsoleFile {
  id: string;
  name: string;
  title: string;
  mimetype: string;
  filetype: string;
  user: string;
  bytes: Buffer;
  channels: string[];
  created: number;
}

interface ConsoleMail {
  id: string;
  at: number;
  to: string;
  subject: string;
  text: string;
}

export interface Channel {
  id: string;
  name: string;
  /** A DM channel belongs to one person (their DM with the app). */
  dmOf?: string;
}

interface ResponseUrlTarget {
  user: string;
  channel: string;
  /** The message the interaction came from, which replace_original edits. */
  messageTs?: string;
  uses: number;
  createdAt: number;
}

export type WebApiAnswer = { status: number; body: Json; headers?: Record<string, string> };

const MIMETYPES: Record<string, string> = {
  csv: 'text/csv',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  txt: 'text/plain',
};

const ok = (body: Json = {}): WebApiAnswer => ({ status: 200, body: { ok: true, ...body } });
// Slack answers an API error with HTTP 200 and `ok: false`.
const refuse = (error: string, extra: Json = {}): WebApiAnswer => ({ status: 200, body: { ok: false, error, ...extra } });

const extensionOf = (name: string) => (name.includes('.') ? name.slice(name.lastIndexOf('.') + 1).toLowerCase() : '');

/**
 * One Slack workspace in memory, as the app sees it through the Web API and as the console page shows it: channels
 * with their messages (ephemeral ones visible to one person), each person's DM with the app, modal stacks, App Home
 * views, files, the response_urls and trigger_ids the console handed out, and the local outbox.
 */
export class Workspace {
  readonly channels = new Map<string, Channel>([[HOME_CHANNEL.id, HOME_CHANNEL]]);
  readonly messages: ConsoleMessage[] = [];
  readonly views = new Map<string, ConsoleView>();
  /** Each person's open modals, the top last. */
  readonly stacks = new Map<string, string[]>();
  readonly homes = new Map<string, string>();
  readonly files = new Map<string, ConsoleFile>();
  readonly outbox: ConsoleMail[] = [];
  readonly #pendingUploads = new Map<string, { filename: string; length: number; bytes?: Buffer }>();
  readonly #triggers = new Map<string, { user: string; issuedAt: number }>();
  readonly #responseUrls = new Map<string, ResponseUrlTarget>();
  #clock = 0;
  #counter = 0;
  #version = 0;
  #waiters: (() => void)[] = [];

  /** The address the app reaches the console at (url_private, upload URLs): the Web API's own origin. */
  readonly appFacingOrigin: string;
  readonly botToken: string;

  constructor(appFacingOrigin: string, botToken: string, channels: Channel[] = []) {
    this.appFacingOrigin = appFacingOrigin;
    this.botToken = botToken;
    for (const channel of channels) this.channels.set(channel.id, channel);
  }

  get version(): number {
    return this.#version;
  }

  /** Resolves once anything changed after `version`, or after `timeoutMs`. */
  changedSince(version: number, timeoutMs: number): Promise<void> {
    if (this.#version > version) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, timeoutMs);
      const waiters = this.#waiters;
      function done() {
        clearTimeout(timer);
        const at = waiters.indexOf(done);
        if (at >= 0) waiters.splice(at, 1);
        resolve();
      }
      waiters.push(done);
    });
  }

  changed(): void {
    this.#version++;
    for (const wake of this.#waiters.splice(0)) wake();
  }

  nextTs(): string {
    // Strictly increasing, like Slack's: seconds and a counter within them.
    const seconds = Math.floor(Date.now() / 1000);
    this.#clock = Math.max(this.#clock + 1, seconds * 1_000_000);
    return `${Math.floor(this.#clock / 1_000_000)}.${String(this.#clock % 1_000_000).padStart(6, '0')}`;
  }

  #nextId(prefix: string): string {
    return `${prefix}${String(++this.#counter).padStart(10, '0')}`;
  }

  dmChannelOf(userId: string): string {
    const id = `D${userId.replace(/^[UW]/, '')}`;
    if (!this.channels.has(id)) this.channels.set(id, { id, name: 'Roster', dmOf: userId });
    return id;
  }

  issueTrigger(user: string): string {
    const id = `${Date.now()}.${randomBytes(4).readUInt32BE()}.${randomBytes(16).toString('hex')}`;
    this.#triggers.set(id, { user, issuedAt: Date.now() });
    return id;
  }

  issueResponseUrl(target: Omit<ResponseUrlTarget, 'uses' | 'createdAt'>): string {
    const id = randomBytes(16).toString('hex');
    this.#responseUrls.set(id, { ...target, uses: 0, createdAt: Date.now() });
    return `${this.appFacingOrigin}/console/response/${id}`;
  }

  /** A notice in the channel for one person, as Slack tells you when a command fails or a payload was refused. */
  notice(channel: string, user: string | undefined, title: string, details: string[] = []): void {
    this.messages.push({ ts: this.nextTs(), channel, user: 'console', text: title, visibleTo: user, notice: { title, details } });
    this.changed();
  }

  refusalNotice(channel: string, user: string | undefined, method: string, answer: WebApiAnswer): void {
    const errors = Array.isArray(answer.body.errors) ? answer.body.errors.map(String) : [];
    this.notice(channel, user, `Slack refused the app's ${method}: ${answer.body.error}`, errors);
  }

  /** A file a person attached in the console (a modal's file input), as Slack keeps it. */
  addUserFile(user: string, name: string, bytes: Buffer): ConsoleFile {
    const extension = extensionOf(name);
    const file: ConsoleFile = {
      id: this.#nextId('F'),
      name,
      title: name,
      mimetype: MIMETYPES[extension] ?? 'application/octet-stream',
      filetype: extension || 'binary',
      user,
      bytes,
      channels: [],
      created: Math.floor(Date.now() / 1000),
    };
    this.files.set(file.id, file);
    this.changed();
    return file;
  }

  fileObject(file: ConsoleFile): Json {
    const path = `${this.appFacingOrigin}/console/files/${TEAM_ID}-${file.id}`;
    return {
      id: file.id,
      created: file.created,
      timestamp: file.created,
      name: file.name,
      title: file.title,
      mimetype: file.mimetype,
      filetype: file.filetype,
      pretty_type: file.filetype.toUpperCase(),
      user: file.user,
      user_team: TEAM_ID,
      size: file.bytes.length,
      mode: 'hosted',
      is_external: false,
      is_public: false,
      display_as_bot: file.user === BOT_USER_ID,
      url_private: `${path}/${encodeURIComponent(file.name)}`,
      url_private_download: `${path}/download/${encodeURIComponent(file.name)}`,
      channels: file.channels.filter((c) => c.startsWith('C')),
      groups: file.channels.filter((c) => c.startsWith('G')),
      ims: file.channels.filter((c) => c.startsWith('D')),
    };
  }

  userObject(userId: string): Json | undefined {
    const identity = identityByUserId(userId);
    if (!identity) return undefined;
    return {
      id: identity.userId,
      team_id: TEAM_ID,
      name: identity.name,
      real_name: identity.realName,
      deleted: false,
      is_bot: false,
      tz: 'UTC',
      profile: { email: identity.email, real_name: identity.realName, display_name: identity.name },
    };
  }

  /** A Web API call as the app makes it, answered as Slack would, bearer token checked. */
  call(method: string, args: Json, token: string | undefined): WebApiAnswer {
    if (token !== this.botToken) return refuse(token ? 'invalid_auth' : 'not_authed');
    const answer = this.#answer(method, args);
    this.changed();
    return answer;
  }

  #answer(method: string, args: Json): WebApiAnswer {
    switch (method) {
      case 'auth.test':
        return ok({ url: `${this.appFacingOrigin}/`, team: 'Roster (local)', user: 'roster', team_id: TEAM_ID, user_id: BOT_USER_ID, bot_id: BOT_ID });
      case 'chat.postMessage':
        return this.#postMessage(args);
      case 'chat.postEphemeral':
        return this.#postEphemeral(args);
      case 'chat.update':
        return this.#update(args);
      case 'chat.delete': {
        const at = this.messages.findIndex((m) => m.channel === args.channel && m.ts === args.ts && !m.visibleTo);
        if (at < 0) return refuse('message_not_found');
        this.messages.splice(at, 1);
        return ok({ channel: args.channel, ts: args.ts });
      }
      case 'chat.getPermalink':
        if (!this.channels.has(String(args.channel))) return refuse('channel_not_found');
        if (!this.messages.some((m) => m.channel === args.channel && m.ts === args.message_ts)) return refuse('message_not_found');
        return ok({ channel: args.channel, permalink: `${this.appFacingOrigin}/#${args.channel}/${args.message_ts}` });
      case 'conversations.open': {
        const first = String(args.users ?? '')
          .split(',')[0]
          ?.trim();
        if (!first || !identityByUserId(first)) return refuse('user_not_found');
        return ok({ channel: { id: this.dmChannelOf(first) } });
      }
      case 'users.info': {
        const user = this.userObject(String(args.user ?? ''));
        return user ? ok({ user }) : refuse('user_not_found');
      }
      case 'users.lookupByEmail': {
        const identity = Object.values(IDENTITIES).find((i) => i.email === String(args.email ?? '').toLowerCase());
        return identity ? ok({ user: this.userObject(identity.userId) }) : refuse('users_not_found');
      }
      case 'views.open':
      case 'views.push':
        return this.#openView(method, args);
      case 'views.update':
        return this.#updateView(args);
      case 'views.publish':
        return this.#publish(args);
      case 'files.info': {
        const file = this.files.get(String(args.file ?? ''));
        return file ? ok({ file: this.fileObject(file), comments: [], response_metadata: { next_cursor: '' } }) : refuse('file_not_found');
      }
      case 'files.getUploadURLExternal': {
        const length = Number(args.length);
        if (!args.filename || !Number.isInteger(length) || length < 1) return refuse('invalid_arguments');
        const fileId = this.#nextId('F');
        this.#pendingUploads.set(fileId, { filename: String(args.filename), length });
        return ok({ upload_url: `${this.appFacingOrigin}/console/upload/${fileId}`, file_id: fileId });
      }
      case 'files.completeUploadExternal':
        return this.#completeUpload(args);
      default:
        return refuse('unknown_method');
    }
  }

  #messageErrors(args: Json): WebApiAnswer | undefined {
    const hasContent =
      Boolean(args.text) || (Array.isArray(args.blocks) && args.blocks.length > 0) || (Array.isArray(args.attachments) && args.attachments.length > 0);
    if (!hasContent) return refuse('no_text');
    if (typeof args.text === 'string' && [...args.text].length > MAX_MESSAGE_TEXT) return refuse('msg_too_long');
    const errors = blockKitErrors('message', args);
    return errors.length ? refuse('invalid_blocks', { errors }) : undefined;
  }

  #channelFor(target: unknown): string | undefined {
    const id = String(target ?? '');
    if (/^[UW]/.test(id)) return identityByUserId(id) ? this.dmChannelOf(id) : undefined;
    if (!/^[CGD][A-Z0-9]{2,}$/.test(id)) return undefined;
    if (id.startsWith('D') && !this.channels.has(id)) return undefined;
    if (!this.channels.has(id)) this.channels.set(id, { id, name: id.toLowerCase() });
    return id;
  }

  #postMessage(args: Json): WebApiAnswer {
    const channel = this.#channelFor(args.channel);
    if (!channel) return refuse('channel_not_found');
    const refused = this.#messageErrors(args);
    if (refused) return this.#refusedHere(channel, undefined, 'chat.postMessage', refused);
    const message: ConsoleMessage = { ts: this.nextTs(), channel, user: BOT_USER_ID, ...content(args) };
    if (args.thread_ts) message.threadTs = String(args.thread_ts);
    this.messages.push(message);
    return ok({
      channel,
      ts: message.ts,
      message: { type: 'message', user: BOT_USER_ID, bot_id: BOT_ID, ts: message.ts, text: message.text, blocks: message.blocks },
    });
  }

  #postEphemeral(args: Json): WebApiAnswer {
    const channel = this.#channelFor(args.channel);
    if (!channel) return refuse('channel_not_found');
    const user = String(args.user ?? '');
    if (!identityByUserId(user)) return refuse('user_not_in_channel');
    const refused = this.#messageErrors(args);
    if (refused) return this.#refusedHere(channel, user, 'chat.postEphemeral', refused);
    const message: ConsoleMessage = { ts: this.nextTs(), channel, user: BOT_USER_ID, visibleTo: user, ...content(args) };
    this.messages.push(message);
    return ok({ message_ts: message.ts });
  }

  #update(args: Json): WebApiAnswer {
    const message = this.messages.find((m) => m.channel === args.channel && m.ts === args.ts);
    // Slack cannot edit an ephemeral message through chat.update; only its response_url reaches it.
    if (!message || message.visibleTo) return refuse('message_not_found');
    if (message.user !== BOT_USER_ID) return refuse('cant_update_message');
    const refused = this.#messageErrors(args);
    if (refused) return this.#refusedHere(message.channel, undefined, 'chat.update', refused);
    Object.assign(message, content(args), { edited: true });
    return ok({ channel: message.channel, ts: message.ts, text: message.text });
  }

  #refusedHere(channel: string, user: string | undefined, method: string, answer: WebApiAnswer): WebApiAnswer {
    this.refusalNotice(channel, user, method, answer);
    return answer;
  }

  /** A post to a response_url: a new message, or (replace_original / delete_original) the one the interaction came from. */
  respond(id: string, body: Json): WebApiAnswer {
    const target = this.#responseUrls.get(id);
    if (!target || Date.now() - target.createdAt > RESPONSE_URL_VALID_MS) return { status: 404, body: { ok: false, error: 'expired_url' } };
    if (target.uses >= RESPONSE_URL_USES) return { status: 404, body: { ok: false, error: 'used_url' } };
    target.uses++;
    const original = target.messageTs ? this.messages.find((m) => m.channel === target.channel && m.ts === target.messageTs) : undefined;
    const answer = this.#respondTo(target, original, body);
    this.changed();
    return answer;
  }

  #respondTo(target: ResponseUrlTarget, original: ConsoleMessage | undefined, body: Json): WebApiAnswer {
    if (body.delete_original === true || body.delete_original === 'true') {
      if (original) this.messages.splice(this.messages.indexOf(original), 1);
      return ok();
    }
    const refused = this.#messageErrors(body);
    if (refused) return this.#refusedHere(target.channel, target.user, 'response_url', refused);
    const replace = body.replace_original === true || body.replace_original === 'true';
    if (replace && original) {
      Object.assign(original, content(body), { edited: true });
      return ok();
    }
    const message: ConsoleMessage = { ts: this.nextTs(), channel: target.channel, user: BOT_USER_ID, ...content(body) };
    if (body.response_type !== 'in_channel') message.visibleTo = target.user;
    if (body.thread_ts) message.threadTs = String(body.thread_ts);
    this.messages.push(message);
    return ok();
  }

  #viewErrors(view: unknown): WebApiAnswer | undefined {
    if (!isObject(view)) return refuse('invalid_arguments');
    const errors = blockKitErrors(view.type === 'home' ? 'home' : 'modal', view);
    return errors.length ? refuse('invalid_blocks', { errors }) : undefined;
  }

  #viewAnswer(stored: ConsoleView): Json {
    const stack = this.stacks.get(stored.user) ?? [];
    const at = stack.indexOf(stored.id);
    return {
      id: stored.id,
      team_id: TEAM_ID,
      app_id: APP_ID,
      bot_id: BOT_ID,
      private_metadata: '',
      callback_id: '',
      external_id: '',
      clear_on_close: false,
      notify_on_close: false,
      ...stored.view,
      state: { values: {} },
      hash: stored.hash,
      root_view_id: stack[0] ?? stored.id,
      previous_view_id: at > 0 ? stack[at - 1] : null,
    };
  }

  #storeView(user: string, view: Json, id = this.#nextId('V')): ConsoleView {
    const stored: ConsoleView = { id, user, hash: `${Date.now()}.${randomBytes(4).toString('hex')}`, view: { ...view, blocks: withIds(view.blocks) } };
    this.views.set(id, stored);
    return stored;
  }

  #openView(method: 'views.open' | 'views.push', args: Json): WebApiAnswer {
    const trigger = this.#triggers.get(String(args.trigger_id ?? ''));
    if (!trigger) return refuse(args.trigger_id ? 'invalid_trigger_id' : 'invalid_arguments');
    this.#triggers.delete(String(args.trigger_id));
    if (Date.now() - trigger.issuedAt > TRIGGER_VALID_MS) return refuse('expired_trigger_id');
    const refused = this.#viewErrors(args.view);
    if (refused) return this.#refusedHere(HOME_CHANNEL.id, trigger.user, method, refused);
    if (args.view.type !== 'modal') return refuse('invalid_arguments');
    const stack = method === 'views.open' ? [] : (this.stacks.get(trigger.user) ?? []);
    if (method === 'views.push' && stack.length === 0) return refuse('not_found');
    if (stack.length >= MAX_VIEW_STACK) return refuse('push_limit_reached');
    const stored = this.#storeView(trigger.user, args.view);
    this.stacks.set(trigger.user, [...stack, stored.id]);
    return ok({ view: this.#viewAnswer(stored) });
  }

  #updateView(args: Json): WebApiAnswer {
    const stored = args.view_id
      ? this.views.get(String(args.view_id))
      : [...this.views.values()].find((v) => args.external_id && v.view.external_id === args.external_id);
    if (!stored) return refuse('not_found');
    if (args.hash && args.hash !== stored.hash) return refuse('hash_conflict');
    const refused = this.#viewErrors(args.view);
    if (refused) return this.#refusedHere(HOME_CHANNEL.id, stored.user, 'views.update', refused);
    this.replaceView(stored, args.view);
    return ok({ view: this.#viewAnswer(stored) });
  }

  replaceView(stored: ConsoleView, view: Json): void {
    stored.view = { ...view, blocks: withIds(view.blocks) };
    stored.hash = `${Date.now()}.${randomBytes(4).toString('hex')}`;
    delete stored.errors;
  }

  #publish(args: Json): WebApiAnswer {
    const user = String(args.user_id ?? '');
    if (!identityByUserId(user)) return refuse('user_not_found');
    const refused = this.#viewErrors(args.view);
    if (refused) return this.#refusedHere(this.dmChannelOf(user), user, 'views.publish', refused);
    if (args.view.type !== 'home') return refuse('invalid_arguments');
    const existing = this.views.get(this.homes.get(user) ?? '');
    const stored = existing ?? this.#storeView(user, args.view);
    if (existing) this.replaceView(existing, args.view);
    this.homes.set(user, stored.id);
    return ok({ view: this.#viewAnswer(stored) });
  }

  /** Pushes a view the app answered a submission with (`response_action: push`); a refusal when Slack would refuse it. */
  pushView(user: string, view: unknown): WebApiAnswer {
    const refused = this.#viewErrors(view);
    if (refused) return refused;
    const stack = this.stacks.get(user) ?? [];
    if (stack.length >= MAX_VIEW_STACK) return refuse('push_limit_reached');
    const stored = this.#storeView(user, view as Json);
    this.stacks.set(user, [...stack, stored.id]);
    this.changed();
    return ok();
  }

  updateFromSubmission(stored: ConsoleView, view: unknown): WebApiAnswer {
    const refused = this.#viewErrors(view);
    if (refused) return refused;
    this.replaceView(stored, view as Json);
    this.changed();
    return ok();
  }

  /** Closes the top modal (`all`: the whole stack), as an empty ack or `response_action: clear` does. */
  closeViews(user: string, all: boolean): void {
    const stack = this.stacks.get(user) ?? [];
    const closed = all ? stack.splice(0) : stack.splice(-1);
    for (const id of closed) this.views.delete(id);
    this.changed();
  }

  topView(user: string): ConsoleView | undefined {
    const stack = this.stacks.get(user) ?? [];
    return this.views.get(stack[stack.length - 1] ?? '');
  }

  viewOf(user: string, viewId: string): ConsoleView | undefined {
    const view = this.views.get(viewId);
    return view?.user === user ? view : undefined;
  }

  /** The view as a payload carries it: what the app sent, with its id, hash and the state the person entered. */
  payloadView(stored: ConsoleView, values: Json): Json {
    return { ...this.#viewAnswer(stored), state: { values } };
  }

  receiveUpload(fileId: string, bytes: Buffer): { status: number; text: string } {
    const pending = this.#pendingUploads.get(fileId);
    if (!pending) return { status: 404, text: 'unknown upload' };
    if (bytes.length !== pending.length) return { status: 400, text: `expected ${pending.length} bytes, got ${bytes.length}` };
    pending.bytes = bytes;
    return { status: 200, text: `OK - ${bytes.length}` };
  }

  #completeUpload(args: Json): WebApiAnswer {
    if (!Array.isArray(args.files) || args.files.length === 0) return refuse('invalid_arguments');
    const channel = args.channel_id ? this.#channelFor(args.channel_id) : undefined;
    if (args.channel_id && !channel) return refuse('channel_not_found');
    const done: ConsoleFile[] = [];
    for (const entry of args.files as unknown[]) {
      const id = isObject(entry) ? String(entry.id ?? '') : '';
      const pending = this.#pendingUploads.get(id);
      // Slack completes only files whose bytes reached the upload URL.
      if (!pending?.bytes) return refuse('file_not_found');
      const extension = extensionOf(pending.filename);
      const title = isObject(entry) && typeof entry.title === 'string' && entry.title ? entry.title : pending.filename;
      done.push({
        id,
        name: pending.filename,
        title,
        mimetype: MIMETYPES[extension] ?? 'application/octet-stream',
        filetype: extension || 'binary',
        user: BOT_USER_ID,
        bytes: pending.bytes,
        channels: channel ? [channel] : [],
        created: Math.floor(Date.now() / 1000),
      });
    }
    for (const file of done) {
      this.#pendingUploads.delete(file.id);
      this.files.set(file.id, file);
    }
    if (channel) {
      const message: ConsoleMessage = {
        ts: this.nextTs(),
        channel,
        user: BOT_USER_ID,
        text: String(args.initial_comment ?? ''),
        fileIds: done.map((f) => f.id),
      };
      if (args.thread_ts) message.threadTs = String(args.thread_ts);
      this.messages.push(message);
    }
    return ok({ files: done.map((file) => ({ id: file.id, title: file.title })) });
  }

  deliverMail(mail: Omit<ConsoleMail, 'id' | 'at'>): void {
    this.outbox.push({ ...mail, id: this.#nextId('M'), at: Date.now() });
    this.changed();
  }
}

/** Slack gives every block and interactive element without an ID one of its own, and sends them back in payloads. */
function withIds(blocks: unknown): unknown {
  if (!Array.isArray(blocks)) return blocks;
  const generated = () => randomBytes(3).toString('base64url');
  for (const block of blocks) {
    if (!isObject(block)) continue;
    block.block_id ??= generated();
    const elements = [block.accessory, block.element, ...(block.type === 'actions' && Array.isArray(block.elements) ? block.elements : [])];
    for (const element of elements) if (isObject(element) && element.type !== 'image') element.action_id ??= generated();
  }
  return blocks;
}

function content(args: Json): Pick<ConsoleMessage, 'text' | 'blocks' | 'attachments'> {
  return {
    text: typeof args.text === 'string' ? args.text : '',
    blocks: Array.isArray(args.blocks) ? (withIds(args.blocks) as Json[]) : undefined,
    attachments: Array.isArray(args.attachments) ? args.attachments : undefined,
  };
}
