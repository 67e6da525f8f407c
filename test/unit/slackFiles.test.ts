import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { LogLevel, WebClient } from '@slack/web-api';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { downloadSlackFile, SlackFileError, uploadSlackFile } from '../../jobs/slackFiles.ts';
import { FILE_UPLOAD_METHOD, startFakeSlack, type FakeSlack } from '../support/fakeSlack.ts';

describe('Slack files port', () => {
  const botToken = 'xoxb-port-bot';
  let fake: FakeSlack;
  const client = (token = botToken) => new WebClient(token, { slackApiUrl: fake.url, logLevel: LogLevel.ERROR, retryConfig: { retries: 0 } });

  beforeAll(async () => {
    fake = await startFakeSlack({ botToken });
  });
  afterEach(() => fake.reset());
  afterAll(() => fake.close());

  it('downloads a shared file by ID with the bot token', async () => {
    const shared = fake.shareFile({ name: 'équipe.csv', bytes: 'email,first name\nkenji@example.com,健二\n' });

    const file = await downloadSlackFile(client(), shared.id, { maxBytes: 1024 });

    expect(file).toMatchObject({ id: shared.id, name: 'équipe.csv', mimetype: 'text/csv', size: shared.bytes.length });
    expect(await text(file.stream)).toBe('email,first name\nkenji@example.com,健二\n');
    expect(fake.calls().map((c) => [c.method, c.token])).toEqual([
      ['files.info', botToken],
      ['file_download', botToken],
    ]);
  });

  it('refuses a file over the size limit before downloading it', async () => {
    const shared = fake.shareFile({ name: 'big.csv', bytes: Buffer.alloc(2 * 1024 * 1024, 'a') });

    await expect(downloadSlackFile(client(), shared.id, { maxBytes: 1024 * 1024 })).rejects.toThrow(
      new SlackFileError('big.csv is 2 MB; Roster reads files of at most 1 MB.'),
    );
    expect(fake.calls().map((c) => c.method)).toEqual(['files.info']);
  });

  it('says what is wrong when Slack answers with its sign-in page or has no such file', async () => {
    const shared = fake.shareFile({ name: 'people.csv', bytes: 'email\n' });
    const otherWorkspace = client('xoxb-not-this-app');

    await expect(downloadSlackFile(otherWorkspace, shared.id, { maxBytes: 1024 })).rejects.toThrow(/needs the files:read scope/);
    await expect(downloadSlackFile(client(), 'F0MISSING', { maxBytes: 1024 })).rejects.toThrow('Slack no longer has that file; share it again.');
    // The same file with the right token arrives: the refusals above were about the token and the ID.
    expect(await text((await downloadSlackFile(client(), shared.id, { maxBytes: 1024 })).stream)).toBe('email\n');
  });

  it('uploads a buffer to a channel with its title and comment through the external upload flow', async () => {
    const id = await uploadSlackFile(client(), {
      to: 'C0REPORTS',
      filename: 'import-errors.csv',
      title: 'Import errors',
      initialComment: '2 rows were refused',
      content: Buffer.from('row,column,reason\n'),
    });

    expect(fake.uploads()).toEqual([
      expect.objectContaining({ id, name: 'import-errors.csv', title: 'Import errors', channels: ['C0REPORTS'], initialComment: '2 rows were refused' }),
    ]);
    expect(fake.uploads()[0]!.bytes.toString()).toBe('row,column,reason\n');
    expect(fake.calls().map((c) => c.method)).toEqual(['files.getUploadURLExternal', FILE_UPLOAD_METHOD, 'files.completeUploadExternal']);
    // The pre-signed upload URL gets the bytes, never the token.
    expect(fake.last(FILE_UPLOAD_METHOD)?.token).toBeUndefined();
    expect(fake.last('files.getUploadURLExternal')).toMatchObject({ token: botToken, args: { filename: 'import-errors.csv', length: '18' } });
  });

  it("streams a file of unknown length to a person's DM", async () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => `user${i}@example.com,Zoë,Ångström\n`);

    await uploadSlackFile(client(), { to: 'U0ADMIN', filename: 'accounts.csv', content: Readable.from(rows) });

    const [file] = fake.uploads();
    expect(file?.channels).toEqual(['DU0ADMIN']);
    expect(file?.title).toBe('accounts.csv');
    expect(file?.bytes.toString()).toBe(rows.join(''));
  });
});
