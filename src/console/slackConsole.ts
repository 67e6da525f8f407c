import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CustomRoute } from '@slack/bolt';
import nodemailer, { type Transporter } from 'nodemailer';
import type { Logger } from 'pino';
import { securityHeaders } from '../http/pageSecurity.ts';
import { pathForLog } from '../logger.ts';
import { appRequester } from './appRequests.ts';
import { IDENTITIES, IDENTITY_KEYS, type Identity, type IdentityKey } from './identities.ts';
import { interactions, type Outcome } from './interactions.ts';
import { BOT_USER_ID, type Channel, type ConsoleMessage, TEAM_ID, Workspace } from './workspace.ts';

type Json = Record<string, any>;

export interface SlackConsoleOptions {
  port: number;
  signingSecret: string;
  botToken: string;
  /** Channels the app is configured to post in (approvals, helpdesk, reports), shown from the start. */
  channels: Channel[];
  logger: Logger;
}

export interface SlackConsole {
  /** The console's routes, served by the app's own HTTP receiver next to /slack/events. */
  routes: CustomRoute[];
  /** Where local mail goes: the console's outbox, through nodemailer like an SMTP server would be reached. */
  mailTransport: Transporter;
  url: string;
  workspace: Workspace;
  /** Answers the page's waiting requests, so that the server can stop at once. */
  close(): void;
}

/** The page's long poll waits at most this long for a change before it answers with the same state. */
const POLL_WAIT_MS = 20_000;
const API_BODY_LIMIT = 10 * 1024 * 1024;
const FILE_LIMIT = 200 * 1024 * 1024;

// WebClient form-encodes every non-primitive argument as a JSON string.
const JSON_ENCODED_FIELDS = new Set(['blocks', 'attachments', 'view', 'metadata', 'files']);

const asset = (name: string) => readFileSync(new URL(`./page/${name}`, import.meta.url), 'utf8');

/**
 * A stand-in for Slack on this machine: the Web API the app calls (SLACK_API_URL points here), the response_urls,
 * upload URLs and file downloads it hands out, and a page in the browser that shows the workspace and sends signed
 * commands and interactions to the app's /slack/events. Everything answers only on the loopback interface.
 */
export function createSlackConsole(options: SlackConsoleOptions): SlackConsole {
  const { port, logger } = options;
  const appFacingOrigin = `http://127.0.0.1:${port}`;
  const workspace = new Workspace(appFacingOrigin, options.botToken, options.channels);
  const app = interactions(workspace, appRequester(`${appFacingOrigin}/slack/events`, options.signingSecret));
  const allowedHosts = new Set([`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`]);
  const pageHeaders = securityHeaders(
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; form-action 'none'; frame-ancestors 'none'; base-uri 'none'",
    false,
  );
  const assets = { page: asset('console.html'), script: asset('console.js'), style: asset('console.css') };
  let closed = false;

  // A page elsewhere on the web may make the browser send requests here; it cannot name this host (DNS rebinding)
  // nor set a custom header without a CORS preflight, which nothing here answers.
  const local = (req: IncomingMessage) => {
    const remote = req.socket.remoteAddress ?? '';
    return (remote === '127.0.0.1' || remote === '::1' || remote === '::ffff:127.0.0.1') && allowedHosts.has(req.headers.host ?? '');
  };
  const fromPage = (req: IncomingMessage) => local(req) && req.headers['x-roster-console'] === '1';

  const guarded =
    (check: (req: IncomingMessage) => boolean, handler: (req: IncomingMessage & { params?: Record<string, string> }, res: ServerResponse) => Promise<void>) =>
    (req: IncomingMessage, res: ServerResponse) => {
      if (!check(req)) return sendJson(res, 403, { ok: false, error: 'The local console answers only this machine.' });
      handler(req, res).catch((error: unknown) => {
        logger.error({ err: error, path: pathForLog(req.url ?? '') }, 'console request failed');
        if (!res.headersSent) sendJson(res, 500, { ok: false, error: 'The console failed; see the log.' });
      });
    };

  const identityOf = (key: unknown): Identity | undefined => (IDENTITY_KEYS.includes(key as IdentityKey) ? IDENTITIES[key as IdentityKey] : undefined);

  /** A request from the page: JSON naming who you are; the answer is what Slack would show you. */
  const pageAction = (path: string, handle: (identity: Identity, body: Json) => Promise<Outcome>): CustomRoute => ({
    path,
    method: 'POST',
    handler: guarded(fromPage, async (req, res) => {
      const body = parseJson((await readBytes(req, API_BODY_LIMIT)).toString('utf8') || '{}');
      if (!body) return sendJson(res, 400, { ok: false, error: 'The console could not read that request.' });
      const identity = identityOf(body.as);
      if (!identity) return sendJson(res, 400, { ok: false, error: 'Say who you are: owner, admin, helpdesk, viewer or none.' });
      sendJson(res, 200, await handle(identity, body));
    }),
  });

  const messageView = (message: ConsoleMessage) => ({
    ts: message.ts,
    channel: message.channel,
    author:
      message.user === BOT_USER_ID
        ? 'Roster'
        : message.user === 'console'
          ? 'Slackbot'
          : (Object.values(IDENTITIES).find((i) => i.userId === message.user)?.realName ?? message.user),
    fromApp: message.user === BOT_USER_ID,
    text: message.text,
    blocks: message.blocks,
    attachments: message.attachments,
    threadTs: message.threadTs,
    ephemeral: Boolean(message.visibleTo),
    edited: Boolean(message.edited),
    notice: message.notice,
    files: (message.fileIds ?? [])
      .map((id) => workspace.files.get(id))
      .filter((file) => file !== undefined)
      .map((file) => ({ id: file.id, name: file.name, title: file.title, size: file.bytes.length, url: `/console/download/${file.id}` })),
  });

  const stateFor = (identity: Identity) => {
    const me = identity.userId;
    workspace.dmChannelOf(me);
    const modal = workspace.topView(me);
    const home = workspace.views.get(workspace.homes.get(me) ?? '');
    return {
      version: workspace.version,
      me: { key: identity.key, userId: me, name: identity.realName },
      identities: IDENTITY_KEYS.map((key) => ({ key, name: IDENTITIES[key].realName, role: IDENTITIES[key].role ?? 'no grant' })),
      channels: [...workspace.channels.values()].filter((c) => !c.dmOf || c.dmOf === me).map((c) => ({ id: c.id, name: c.name, dm: Boolean(c.dmOf) })),
      messages: workspace.messages.filter((m) => !m.visibleTo || m.visibleTo === me).map(messageView),
      modal: modal ? { id: modal.id, hash: modal.hash, view: modal.view, errors: modal.errors ?? {}, depth: workspace.stacks.get(me)?.length ?? 1 } : null,
      home: home ? { id: home.id, hash: home.hash, view: home.view } : null,
      outbox: workspace.outbox.map((mail) => ({ ...mail })),
      users: Object.fromEntries(Object.values(IDENTITIES).map((i) => [i.userId, i.realName])),
    };
  };

  const routes: CustomRoute[] = [
    { path: '/', method: 'GET', handler: guarded(local, async (_req, res) => sendText(res, 200, pageHeaders, assets.page)) },
    // Browsers ask for it; a quiet "nothing here" keeps the page's console free of errors.
    { path: '/favicon.ico', method: 'GET', handler: guarded(local, async (_req, res) => sendText(res, 204, {}, '')) },
    {
      path: '/console/console.js',
      method: 'GET',
      handler: guarded(local, async (_req, res) => sendText(res, 200, { ...pageHeaders, 'content-type': 'text/javascript; charset=utf-8' }, assets.script)),
    },
    {
      path: '/console/console.css',
      method: 'GET',
      handler: guarded(local, async (_req, res) => sendText(res, 200, { ...pageHeaders, 'content-type': 'text/css; charset=utf-8' }, assets.style)),
    },
    {
      path: '/console/state',
      method: 'GET',
      handler: guarded(fromPage, async (req, res) => {
        const query = new URL(req.url ?? '/', 'http://console').searchParams;
        const identity = identityOf(query.get('as'));
        if (!identity) return sendJson(res, 400, { ok: false, error: 'Say who you are.' });
        if (closed) return sendJson(res, 503, { ok: false, error: 'Roster is stopping.' });
        await workspace.changedSince(Number(query.get('since') ?? -1), POLL_WAIT_MS);
        sendJson(res, 200, stateFor(identity));
      }),
    },
    pageAction('/console/command', (identity, body) =>
      String(body.text ?? '').startsWith('/')
        ? app.command(identity, String(body.channel), String(body.text))
        : app.message(identity, String(body.channel), String(body.text ?? ''), Array.isArray(body.fileIds) ? body.fileIds.map(String) : []),
    ),
    pageAction('/console/action', (identity, body) => app.action(identity, body as never)),
    pageAction('/console/suggest', (identity, body) => app.suggest(identity, body as never)),
    pageAction('/console/submit', (identity, body) => app.submit(identity, String(body.viewId), body.values ?? {})),
    pageAction('/console/close', (identity, body) => app.close(identity, String(body.viewId))),
    pageAction('/console/home', (identity) => app.openHome(identity)),
    {
      path: '/console/attach',
      method: 'POST',
      handler: guarded(fromPage, async (req, res) => {
        const query = new URL(req.url ?? '/', 'http://console').searchParams;
        const identity = identityOf(query.get('as'));
        const name = (query.get('name') ?? '').trim();
        if (!identity || !name) return sendJson(res, 400, { ok: false, error: 'Say who you are and name the file.' });
        const file = workspace.addUserFile(identity.userId, name, await readBytes(req, FILE_LIMIT));
        sendJson(res, 200, { ok: true, file: { id: file.id, name: file.name, size: file.bytes.length } });
      }),
    },
    {
      path: '/console/download/:file',
      method: 'GET',
      handler: guarded(local, async (req, res) => {
        const file = workspace.files.get(req.params?.file ?? '');
        if (!file) return sendJson(res, 404, { ok: false, error: 'file_not_found' });
        res.writeHead(200, {
          'content-type': file.mimetype,
          'content-length': String(file.bytes.length),
          'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(file.name)}`,
          'x-content-type-options': 'nosniff',
        });
        res.end(file.bytes);
      }),
    },
    {
      path: '/console/api/:method',
      method: 'POST',
      handler: guarded(local, async (req, res) => {
        const raw = (await readBytes(req, API_BODY_LIMIT)).toString('utf8');
        const args = { ...Object.fromEntries(new URL(req.url ?? '/', 'http://console').searchParams), ...parseApiBody(req.headers['content-type'], raw) };
        const auth = req.headers.authorization;
        const token = auth?.startsWith('Bearer ') ? auth.slice('Bearer '.length) : typeof args.token === 'string' ? args.token : undefined;
        const answer = workspace.call(req.params?.method ?? '', args, token);
        if (answer.body.ok === false)
          logger.warn({ method: req.params?.method, error: answer.body.error, errors: answer.body.errors }, 'console refused a Web API call');
        sendJson(res, answer.status, answer.body, answer.headers);
      }),
    },
    {
      path: '/console/response/:id',
      method: 'POST',
      handler: guarded(local, async (req, res) => {
        const raw = (await readBytes(req, API_BODY_LIMIT)).toString('utf8');
        const answer = workspace.respond(req.params?.id ?? '', parseApiBody(req.headers['content-type'], raw));
        sendJson(res, answer.status, answer.body);
      }),
    },
    {
      path: '/console/upload/:file',
      method: 'POST',
      handler: guarded(local, async (req, res) => {
        const answer = workspace.receiveUpload(req.params?.file ?? '', await readBytes(req, FILE_LIMIT));
        sendText(res, answer.status, { 'content-type': 'text/plain' }, answer.text);
      }),
    },
    {
      // url_private(_download): the bytes for the bot token, Slack's sign-in page for anyone else.
      path: '/console/files/:file/*rest',
      method: 'GET',
      handler: guarded(local, async (req, res) => {
        const auth = req.headers.authorization;
        const file = workspace.files.get((req.params?.file ?? '').replace(`${TEAM_ID}-`, ''));
        if (auth !== `Bearer ${options.botToken}`)
          return sendText(res, 200, { 'content-type': 'text/html; charset=utf-8' }, '<!doctype html><title>Slack</title><p>Sign in to Roster (local)</p>');
        if (!file) return sendText(res, 404, { 'content-type': 'text/plain' }, 'Not found');
        res.writeHead(200, { 'content-type': file.mimetype, 'content-length': String(file.bytes.length) });
        res.end(file.bytes);
      }),
    },
  ];

  const mailTransport = nodemailer.createTransport({
    name: 'roster-console-outbox',
    version: '1',
    send(mail, callback) {
      const { to, subject, text } = mail.data;
      workspace.deliverMail({ to: addressText(to), subject: String(subject ?? ''), text: String(text ?? '') });
      callback(null, { envelope: mail.message.getEnvelope(), messageId: mail.message.messageId() });
    },
  });

  return {
    routes,
    mailTransport,
    url: `http://localhost:${port}/`,
    workspace,
    close() {
      closed = true;
      workspace.changed();
    },
  };
}

function addressText(to: unknown): string {
  const list = Array.isArray(to) ? to : [to];
  return list.map((entry) => (typeof entry === 'string' ? entry : ((entry as { address?: string })?.address ?? ''))).join(', ');
}

class BodyTooLargeError extends Error {}

async function readBytes(req: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new BodyTooLargeError(`body larger than ${limit} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function parseJson(text: string): Json | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Json) : undefined;
  } catch {
    return undefined;
  }
}

function parseApiBody(contentType: string | undefined, raw: string): Json {
  if (raw.trim() === '') return {};
  if (contentType?.includes('application/json')) return parseJson(raw) ?? {};
  const args: Json = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    if (!JSON_ENCODED_FIELDS.has(key)) args[key] = value;
    else {
      try {
        args[key] = JSON.parse(value);
      } catch {
        args[key] = value;
      }
    }
  }
  return args;
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers });
  res.end(JSON.stringify(body));
}

function sendText(res: ServerResponse, status: number, headers: Record<string, string>, body: string): void {
  res.writeHead(status, headers);
  res.end(body);
}
