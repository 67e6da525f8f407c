import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { WebClient } from '@slack/web-api';

/** A Slack file Roster could not fetch or send; `message` is a sentence for the person who shared or asked for it. */
export class SlackFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SlackFileError';
  }
}

export interface SlackFileDownload {
  id: string;
  name: string;
  mimetype: string;
  /** The size Slack reports, in bytes. */
  size: number;
  /** The file's bytes as they arrive; it fails with a SlackFileError past `maxBytes`. */
  stream: Readable;
}

/**
 * Fetches a shared file: files.info, then its url_private_download with the bot token, as Slack requires. The size is
 * checked before the download and counted during it, so a file larger than `maxBytes` is never read whole.
 */
export async function downloadSlackFile(slack: WebClient, fileId: string, { maxBytes }: { maxBytes: number }): Promise<SlackFileDownload> {
  const info = await slack.files.info({ file: fileId }).catch((error: unknown) => {
    if ((error as { data?: { error?: string } }).data?.error === 'file_not_found') throw new SlackFileError('Slack no longer has that file; share it again.');
    throw error;
  });
  const file = info.file;
  const url = file?.url_private_download ?? file?.url_private;
  if (!file?.id || !url) throw new SlackFileError('Slack gave no way to download that file; share it again.');
  const size = file.size ?? 0;
  if (size > maxBytes) throw new SlackFileError(`${file.name ?? 'The file'} is ${megabytes(size)}; Roster reads files of at most ${megabytes(maxBytes)}.`);
  const token = slack.token;
  if (!token || !sameSlack(url, slack.slackApiUrl)) throw new SlackFileError('That file is not on this Slack workspace.');

  // A redirect is not followed: the token must not travel to wherever it points.
  const response = await fetch(url, { headers: { Authorization: `Bearer ${token}` }, redirect: 'manual' });
  const mimetype = file.mimetype ?? 'application/octet-stream';
  // Without a token that Slack accepts, url_private sends its sign-in page (or a redirect to it) instead of the file.
  const contentType = response.headers.get('content-type') ?? '';
  if (response.status !== 200 || !response.body || (contentType.startsWith('text/html') && !mimetype.startsWith('text/html'))) {
    await response.body?.cancel();
    throw new SlackFileError('Slack did not hand over the file: Roster needs the files:read scope (reinstall the app from its manifest).');
  }
  const stream = byteLimit(maxBytes, file.name ?? 'The file');
  // pipeline, unlike pipe, hands a broken connection on to the reader as an error.
  pipeline(Readable.fromWeb(response.body as WebReadableStream<Uint8Array>), stream).catch(() => {});
  return { id: file.id, name: file.name ?? fileId, mimetype, size, stream };
}

export interface SlackFileUpload {
  /** A channel (C..., G..., D...) or a person's user ID (U..., W...), whose DM receives the file. */
  to: string;
  filename: string;
  title?: string;
  /** The message that introduces the file. */
  initialComment?: string;
  threadTs?: string;
  content: Buffer | Readable;
}

/**
 * Shares a file through Slack's external upload flow: getUploadURLExternal (which needs the length first), a POST of
 * the bytes to the URL it gives, then completeUploadExternal to share it. A stream is spooled to a temporary file so
 * that its length is known without holding it in memory. Returns the file's ID.
 */
export async function uploadSlackFile(slack: WebClient, upload: SlackFileUpload): Promise<string> {
  if (Buffer.isBuffer(upload.content)) return uploadBytes(slack, upload, upload.content, upload.content.length);
  const dir = await mkdtemp(join(tmpdir(), 'roster-upload-'));
  try {
    const path = join(dir, 'file');
    await pipeline(upload.content, createWriteStream(path));
    const { size } = await stat(path);
    return await uploadBytes(slack, upload, path, size);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function uploadBytes(slack: WebClient, upload: SlackFileUpload, content: Buffer | string, length: number): Promise<string> {
  if (length === 0) throw new SlackFileError(`${upload.filename} is empty; Slack takes no empty files.`);
  const channel = /^[UW]/.test(upload.to) ? await directMessageChannel(slack, upload.to) : upload.to;
  const target = await slack.files.getUploadURLExternal({ filename: upload.filename, length });
  if (!target.upload_url || !target.file_id) throw new SlackFileError('Slack gave no upload address; try again.');
  await postBytes(target.upload_url, content, length);
  await slack.files.completeUploadExternal({
    files: [{ id: target.file_id, title: upload.title ?? upload.filename }],
    channel_id: channel,
    ...(upload.initialComment ? { initial_comment: upload.initialComment } : {}),
    ...(upload.threadTs ? { thread_ts: upload.threadTs } : {}),
  });
  return target.file_id;
}

async function directMessageChannel(slack: WebClient, userId: string): Promise<string> {
  const opened = await slack.conversations.open({ users: userId });
  if (!opened.channel?.id) throw new SlackFileError('Slack would not open a direct message to send the file.');
  return opened.channel.id;
}

/**
 * The raw bytes with their length (the upload URL is pre-signed: no token goes with them). node:http rather than
 * fetch, because fetch would send a stream chunked, without the length Slack was promised.
 */
function postBytes(url: string, content: Buffer | string, length: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const send = url.startsWith('https:') ? httpsRequest : httpRequest;
    const req = send(url, { method: 'POST', headers: { 'Content-Type': 'application/octet-stream', 'Content-Length': String(length) } }, (res) => {
      res.resume();
      res.on('end', () =>
        res.statusCode === 200 ? resolve() : reject(new SlackFileError(`Slack refused the file's upload (HTTP ${res.statusCode}); try again.`)),
      );
    });
    req.on('error', reject);
    if (Buffer.isBuffer(content)) req.end(content);
    else createReadStream(content).on('error', reject).pipe(req);
  });
}

/** The bot token goes only to Slack itself: an https address, or the same host as the Web API the app talks to. */
function sameSlack(fileUrl: string, apiUrl: string): boolean {
  const file = new URL(fileUrl);
  return file.protocol === 'https:' || file.origin === new URL(apiUrl).origin;
}

function byteLimit(maxBytes: number, name: string): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.length;
      if (seen > maxBytes) done(new SlackFileError(`${name} is larger than ${megabytes(maxBytes)}, the most Roster reads.`));
      else done(null, chunk);
    },
  });
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(bytes < 1024 * 1024 ? 2 : 0)} MB`;
}
