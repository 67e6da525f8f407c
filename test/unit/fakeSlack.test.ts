import { App, LogLevel } from '@slack/bolt';
import { ErrorCode, WebClient } from '@slack/web-api';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { blockKitErrors, FILE_DOWNLOAD_METHOD, FILE_UPLOAD_METHOD, startFakeSlack, type FakeSlack } from '../support/fakeSlack.ts';
import { blockActionsPayload, blockSuggestionPayload, slackRequester, viewSubmissionPayload } from '../support/slackRequests.ts';

const plain = (text: string) => ({ type: 'plain_text' as const, text });
const mrkdwn = (text: string) => ({ type: 'mrkdwn' as const, text });
const section = (text: string, blockId?: string) => ({ type: 'section' as const, ...(blockId ? { block_id: blockId } : {}), text: mrkdwn(text) });

const confirmDialog = {
  title: plain('Deactivate alice?'),
  text: mrkdwn('She will be signed out everywhere.'),
  confirm: plain('Deactivate'),
  deny: plain('Cancel'),
  style: 'danger',
};

const accountCard = [
  { type: 'header', block_id: 'card.header', text: plain('Alice Example') },
  {
    type: 'section',
    block_id: 'card.fields',
    fields: [mrkdwn('*Login*\nalice'), mrkdwn('*Status*\nActive')],
    accessory: {
      type: 'overflow',
      action_id: 'card.more',
      options: [
        { text: plain('Reset password'), value: 'reset:1' },
        { text: plain('Deactivate'), value: 'deactivate:1' },
      ],
      confirm: confirmDialog,
    },
  },
  {
    type: 'actions',
    block_id: 'card.actions',
    elements: [
      { type: 'button', action_id: 'card.unlock', text: plain('Unlock'), value: 'acc-1', style: 'primary' },
      { type: 'button', action_id: 'card.deactivate', text: plain('Deactivate'), value: 'acc-1', style: 'danger', confirm: confirmDialog },
    ],
  },
  { type: 'divider' },
  { type: 'context', elements: [mrkdwn('Last sign-in 2 days ago')] },
];

describe('blockKitErrors', () => {
  it('accepts a valid account card, modal and home', () => {
    expect(blockKitErrors('message', { blocks: accountCard })).toEqual([]);
    const modal = {
      type: 'modal',
      callback_id: 'account.create',
      title: plain('Create account'),
      submit: plain('Create'),
      close: plain('Cancel'),
      private_metadata: JSON.stringify({ channel: 'C1' }),
      blocks: [{ type: 'input', block_id: 'email', label: plain('Email'), element: { type: 'email_text_input', action_id: 'value' } }],
    };
    expect(blockKitErrors('modal', modal)).toEqual([]);
    expect(blockKitErrors('home', { type: 'home', blocks: accountCard })).toEqual([]);
    // It did read them: the same card, modal and home one step over a limit are refused.
    expect(blockKitErrors('message', { blocks: [...accountCard, accountCard[0]] })).toEqual([
      'blocks[5].block_id: duplicate "card.header" (also at blocks[0])',
    ]);
    expect(blockKitErrors('modal', { ...modal, title: plain('t'.repeat(25)) })).toEqual(['title.text: longer than 24']);
    expect(blockKitErrors('home', { type: 'home', blocks: Array.from({ length: 101 }, () => ({ type: 'divider' })) })).toEqual([
      'blocks: more than 100 items (101)',
    ]);
  });

  it.each([
    ['51 blocks in a message', 'message', { blocks: Array.from({ length: 51 }, (_, i) => section(`row ${i}`)) }, 'blocks: more than 50 items (51)'],
    ['a 3,001-char section', 'message', { blocks: [section('x'), section('x'.repeat(3001))] }, 'blocks[1].text.text: longer than 3000'],
    [
      'a 76-char button',
      'message',
      { blocks: [{ type: 'actions', elements: [{ type: 'button', action_id: 'a', text: plain('b'.repeat(76)) }] }] },
      'blocks[0].elements[0].text.text: longer than 75',
    ],
    [
      'a 6-option overflow',
      'message',
      {
        blocks: [
          {
            type: 'section',
            text: mrkdwn('alice'),
            accessory: { type: 'overflow', action_id: 'more', options: Array.from({ length: 6 }, (_, i) => ({ text: plain(`o${i}`), value: `${i}` })) },
          },
        ],
      },
      'blocks[0].accessory.options: more than 5 items (6)',
    ],
    ['a duplicate block_id', 'message', { blocks: [section('a', 'card'), section('b', 'card')] }, 'blocks[1].block_id: duplicate "card" (also at blocks[0])'],
    ['a 25-char modal title', 'modal', { type: 'modal', title: plain('t'.repeat(25)), blocks: [section('x')] }, 'title.text: longer than 24'],
  ] as const)('reports %s', (_name, surface, payload, error) => {
    expect(blockKitErrors(surface, payload)).toEqual([error]);
  });

  it('takes a file input in a modal input block only, as Slack does', () => {
    const fileInput = { type: 'file_input', action_id: 'value', filetypes: ['csv', 'xlsx'], max_files: 1 };
    const modal = (element: Record<string, unknown>) => ({
      type: 'modal',
      title: plain('Import'),
      submit: plain('Check'),
      blocks: [{ type: 'input', block_id: 'file', label: plain('Spreadsheet'), element }],
    });
    expect(blockKitErrors('modal', modal(fileInput))).toEqual([]);
    expect(blockKitErrors('modal', modal({ ...fileInput, max_files: 11 }))).toEqual(['blocks[0].element.max_files: must be a whole number from 1 to 10']);
    expect(blockKitErrors('modal', modal({ ...fileInput, filetypes: 'csv' }))).toEqual(['blocks[0].element.filetypes: must be an array of file extensions']);
    expect(blockKitErrors('message', { blocks: [{ type: 'actions', elements: [fileInput] }] })).toEqual([
      'blocks[0].elements[0].type: a file_input works only in an input block of a modal',
    ]);
  });

  it('allows 100 blocks in a modal but not 101', () => {
    const view = (n: number) => ({ type: 'modal', title: plain('Users'), blocks: Array.from({ length: n }, (_, i) => section(`${i}`)) });
    expect(blockKitErrors('modal', view(100))).toEqual([]);
    expect(blockKitErrors('modal', view(101))).toEqual(['blocks: more than 100 items (101)']);
  });
});

describe('fake Slack Web API', () => {
  let fake: FakeSlack;
  const client = (options: ConstructorParameters<typeof WebClient>[1] = {}) =>
    new WebClient('xoxb-test', { slackApiUrl: fake.url, logLevel: LogLevel.ERROR, ...options });

  beforeAll(async () => {
    fake = await startFakeSlack();
  });
  afterEach(() => fake.reset());
  afterAll(() => fake.close());

  it('records a WebClient message with its blocks decoded', async () => {
    const result = await client().chat.postMessage({ channel: 'C1', text: 'Alice Example', blocks: accountCard });

    expect(result).toMatchObject({ ok: true, channel: 'C1', ts: expect.stringMatching(/^\d{10}\.\d{6}$/) });
    const call = fake.last('chat.postMessage');
    expect(call).toMatchObject({ failed: false, token: 'xoxb-test', args: { channel: 'C1', text: 'Alice Example', blocks: accountCard } });
    const second = await client().chat.postMessage({ channel: 'C1', text: 'again' });
    expect(Number(second.ts)).toBeGreaterThan(Number(result.ts));
  });

  it('answers invalid_blocks like Slack, naming the problem', async () => {
    const tooLong = client().chat.postMessage({ channel: 'C1', text: 'x', blocks: [section('x'.repeat(3001))] });

    await expect(tooLong).rejects.toMatchObject({
      code: ErrorCode.PlatformError,
      data: { ok: false, error: 'invalid_blocks', errors: ['blocks[0].text.text: longer than 3000'] },
    });
    expect(fake.last('chat.postMessage')).toMatchObject({ failed: true, error: 'invalid_blocks' });
  });

  it('validates views as modals or home tabs', async () => {
    const open = client().views.open({ trigger_id: 't', view: { type: 'modal', title: plain('t'.repeat(25)), blocks: [] } });
    await expect(open).rejects.toMatchObject({ data: { error: 'invalid_blocks', errors: ['title.text: longer than 24'] } });

    const published = await client().views.publish({ user_id: 'U1', view: { type: 'home', blocks: accountCard } });
    expect(published.view).toMatchObject({ id: expect.stringMatching(/^V/), type: 'home' });
  });

  it('lets a WebClient with default retries ride out a 429', async () => {
    fake.failNext('chat.update', { status: 429, retryAfterSeconds: 1 });

    const result = await client().chat.update({ channel: 'C1', ts: '1700000000.000100', text: 'Unlocked by <@U1>' });

    expect(result).toMatchObject({ ok: true, channel: 'C1', ts: '1700000000.000100', text: 'Unlocked by <@U1>' });
    expect(fake.calls('chat.update').map((c) => c.failed)).toEqual([true, false]);
    expect(fake.calls('chat.update')[0]).toMatchObject({ error: 'ratelimited' });
  });

  it('rejects a rate-limited call when the client refuses to wait', async () => {
    fake.failNext('chat.update', { status: 429, retryAfterSeconds: 1 });

    const update = client({ rejectRateLimitedCalls: true }).chat.update({ channel: 'C1', ts: '1', text: 'x' });

    await expect(update).rejects.toMatchObject({ code: ErrorCode.RateLimitedError, retryAfter: 1 });
    expect(fake.calls('chat.update')).toHaveLength(1);
  });

  it('fails with HTTP 500 when asked to', async () => {
    fake.failNext('chat.postMessage', { status: 500 });

    const post = client({ retryConfig: { retries: 0 } }).chat.postMessage({ channel: 'C1', text: 'x' });

    await expect(post).rejects.toMatchObject({ code: ErrorCode.HTTPError, statusCode: 500 });
  });

  it('answers users.info and users.lookupByEmail from setUser', async () => {
    fake.setUser({ id: 'U1', email: 'Alice@example.com', real_name: 'Alice Example' });

    await expect(client().users.lookupByEmail({ email: 'alice@example.com' })).resolves.toMatchObject({
      user: { id: 'U1', real_name: 'Alice Example', profile: { email: 'Alice@example.com' } },
    });
    await expect(client().users.info({ user: 'U2' })).rejects.toMatchObject({ data: { error: 'user_not_found' } });
  });

  it('records posts to a response_url', async () => {
    const url = fake.responseUrl();

    const response = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ replace_original: true, text: 'Done', blocks: accountCard }),
    });

    expect(response.status).toBe(200);
    expect(fake.last('response_url')?.args).toEqual({ replace_original: true, text: 'Done', blocks: accountCard, _responseUrl: url });
    expect(fake.responseUrl()).not.toBe(url);
  });

  it('waitFor resolves on a later call and explains a timeout', async () => {
    const waiting = fake.waitFor('chat.postMessage', (c) => c.args.text === 'second');
    await client().chat.postMessage({ channel: 'C1', text: 'first' });
    await client().chat.postMessage({ channel: 'C1', text: 'second' });

    await expect(waiting).resolves.toMatchObject({ args: { text: 'second' } });
    await expect(fake.waitFor('chat.postMessage', (c) => c.args.text === 'third', 50)).rejects.toThrow(
      /waitFor\('chat.postMessage'\) timed out after 50ms: 2 chat.postMessage call\(s\) recorded, none matched/,
    );
  });
});

describe('fake Slack files', () => {
  const botToken = 'xoxb-files-bot';
  let fake: FakeSlack;
  const client = (token = botToken) => new WebClient(token, { slackApiUrl: fake.url, logLevel: LogLevel.ERROR });

  beforeAll(async () => {
    fake = await startFakeSlack({ botToken });
  });
  afterEach(() => fake.reset());
  afterAll(() => fake.close());

  it('describes a shared file with files.info and serves its bytes to the bot token only', async () => {
    const shared = fake.shareFile({ name: 'people.csv', bytes: 'email\nzoë@example.com\n', channels: ['D0ADMIN'] });

    const { file } = await client().files.info({ file: shared.id });
    expect(file).toMatchObject({ id: shared.id, name: 'people.csv', mimetype: 'text/csv', filetype: 'csv', size: 23, ims: ['D0ADMIN'] });
    const download = await fetch(file!.url_private_download!, { headers: { Authorization: `Bearer ${botToken}` } });
    expect(download.headers.get('content-type')).toBe('text/csv');
    expect(await download.text()).toBe('email\nzoë@example.com\n');
    expect(fake.last(FILE_DOWNLOAD_METHOD)).toMatchObject({ failed: false, token: botToken, args: { file: shared.id } });

    // Like Slack, a download without the bot's token gets the sign-in page, not the file.
    for (const headers of [{}, { Authorization: 'Bearer xoxb-someone-else' }]) {
      const refused = await fetch(file!.url_private!, { headers });
      expect(refused.status).toBe(200);
      expect(refused.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await refused.text()).not.toContain('zoë');
    }
    expect(fake.calls(FILE_DOWNLOAD_METHOD).map((c) => c.error)).toEqual([undefined, 'not_authed', 'not_authed']);
    await expect(client().files.info({ file: 'F404' })).rejects.toMatchObject({ data: { error: 'file_not_found' } });
  });

  it("records what the SDK's uploadV2 sends (a multipart form) with its title, channel and comment", async () => {
    await client().filesUploadV2({
      channel_id: 'C0REPORTS',
      filename: 'errors.csv',
      title: 'Import errors',
      initial_comment: '3 rows failed',
      content: 'row,reason\n',
    });

    expect(fake.uploads()).toEqual([
      expect.objectContaining({ name: 'errors.csv', title: 'Import errors', channels: ['C0REPORTS'], initialComment: '3 rows failed', mimetype: 'text/csv' }),
    ]);
    expect(fake.uploads()[0]!.bytes.toString()).toBe('row,reason\n');
    expect(fake.calls().map((c) => c.method)).toEqual(['files.getUploadURLExternal', FILE_UPLOAD_METHOD, 'files.completeUploadExternal']);
  });

  it('refuses bytes of another length than promised, and completing a file never uploaded', async () => {
    const { upload_url, file_id } = await client().files.getUploadURLExternal({ filename: 'a.csv', length: 5 });
    expect(upload_url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/upload\/v1\/F/);

    const short = await fetch(upload_url!, { method: 'POST', body: 'abc' });
    expect(short.status).toBe(400);
    await expect(client().files.completeUploadExternal({ files: [{ id: file_id! }], channel_id: 'C1' })).rejects.toMatchObject({
      data: { error: 'file_not_found' },
    });
    const right = await fetch(upload_url!, { method: 'POST', body: 'abcde' });
    expect(await right.text()).toBe('OK - 5');
    await client().files.completeUploadExternal({ files: [{ id: file_id! }], channel_id: 'C1' });
    expect(fake.uploads().map((f) => [f.title, f.bytes.toString(), f.channels])).toEqual([['a.csv', 'abcde', ['C1']]]);
  });
});

describe('slackRequester against a real Bolt app', () => {
  const secret = 'test-signing-secret';
  let fake: FakeSlack;
  let app: App;
  let slack: ReturnType<typeof slackRequester>;

  beforeAll(async () => {
    fake = await startFakeSlack();
    app = new App({ signingSecret: secret, token: 'xoxb-test', logLevel: LogLevel.ERROR, clientOptions: { slackApiUrl: fake.url } });
    app.command('/user', async ({ ack, command, respond }) => {
      await ack({ text: `Looking up ${command.text}` });
      await respond({ text: 'Found', blocks: accountCard });
    });
    app.action('card.unlock', async ({ ack, body, client, action }) => {
      await ack();
      if (body.type !== 'block_actions' || action.type !== 'button' || !body.channel || !body.message) throw new Error('unexpected payload');
      await client.chat.update({ channel: body.channel.id, ts: body.message.ts, text: `Unlocked ${action.value}` });
    });
    app.view('account.create', async ({ ack, view }) => {
      const email = view.state.values.email?.value?.value ?? '';
      await ack({ response_action: 'errors', errors: { email: `${email} is taken` } });
    });
    app.options('user.pick', async ({ ack, options }) => {
      await ack({ options: [{ text: plain(`${options.value}@example.com`), value: 'U1' }] });
    });
    app.event('app_home_opened', async ({ event, client }) => {
      await client.views.publish({ user_id: event.user, view: { type: 'home', blocks: [section('Home')] } });
    });
    const server = (await app.start({ port: 0, host: '127.0.0.1' })) as { address(): AddressInfo };
    slack = slackRequester(`http://127.0.0.1:${server.address().port}`, secret);
  });
  afterAll(async () => {
    await app.stop();
    await fake.close();
  });

  it('delivers a signed slash command and its response_url', async () => {
    const responseUrl = fake.responseUrl();

    const answer = await slack.command({ text: 'alice', userId: 'U1', responseUrl });

    expect(answer).toMatchObject({ status: 200, body: { text: 'Looking up alice' } });
    await expect(fake.waitFor('response_url')).resolves.toMatchObject({ args: { text: 'Found', _responseUrl: responseUrl } });
  });

  it('is refused when signed wrongly, unsigned or stale', async () => {
    const command = { text: 'alice', userId: 'U1' };
    expect((await slack.command(command, { secret: 'wrong' })).status).toBe(401);
    expect((await slack.command(command, { omitSignature: true })).status).toBe(401);
    expect((await slack.command(command, { timestamp: Math.floor(Date.now() / 1000) - 600 })).status).toBe(401);
  });

  it('delivers a button click taken from the message blocks', async () => {
    const payload = blockActionsPayload({ userId: 'U1', actionId: 'card.unlock', channelId: 'C9', messageTs: '1700000000.000200', blocks: accountCard });
    expect(payload.actions[0]).toMatchObject({ type: 'button', block_id: 'card.actions', value: 'acc-1' });

    expect((await slack.interaction(payload)).status).toBe(200);
    await expect(fake.waitFor('chat.update')).resolves.toMatchObject({ args: { channel: 'C9', ts: '1700000000.000200', text: 'Unlocked acc-1' } });
  });

  it('delivers a view submission and returns its ack body', async () => {
    const payload = viewSubmissionPayload({ userId: 'U1', callbackId: 'account.create', values: { email: { value: 'alice@example.com' } } });

    const answer = await slack.interaction(payload);

    expect(answer).toEqual({ status: 200, body: { response_action: 'errors', errors: { email: 'alice@example.com is taken' } } });
  });

  it('delivers a suggestion request and an event', async () => {
    const answer = await slack.options(blockSuggestionPayload({ userId: 'U1', actionId: 'user.pick', value: 'ali', view: { id: 'V1', blocks: [] } }));
    expect(answer.body).toEqual({ options: [{ text: plain('ali@example.com'), value: 'U1' }] });

    expect((await slack.event({ type: 'app_home_opened', user: 'U1', channel: 'D1', tab: 'home' })).status).toBe(200);
    await expect(fake.waitFor('views.publish')).resolves.toMatchObject({ args: { user_id: 'U1', view: { type: 'home' } } });
  });
});
