// Without SMTP_URL (a developer's machine), mail is written to the log instead of sent, and its link is left out:
// no working link may sit in a log file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountToken, OutboxMail } from '../../src/db/entities/index.ts';
import { blocksText } from '../support/slackReplies.ts';
import { startTestRoster, type TestRoster } from '../support/testRoster.ts';

const ADMIN = 'U0NOSMTP01';

let t: TestRoster;

beforeAll(async () => {
  t = await startTestRoster();
  await t.given.grant(ADMIN, 'admin');
});
afterAll(() => t?.stop());

describe('mail without SMTP_URL', () => {
  it('says so once at start-up', () => {
    expect(t.logs.filter((line) => String(line.msg).includes('SMTP_URL is unset'))).toHaveLength(1);
  });

  it('writes the mail to the log without its link, and makes no token', async () => {
    const ann = await t.given.account({ firstName: 'Ann', lastName: 'Logged', status: 'STAGED', lastSignInAt: null });
    expect(blocksText(await t.slash(`send-invite ${ann.email}`, ADMIN))).toContain('Ann Logged is invited');
    expect((await t.read.account(ann.id)).status).toBe('INVITED');

    await expect.poll(() => t.logs.find((line) => line.to === ann.email), { timeout: 10_000 }).toBeDefined();
    const line = t.logs.find((l) => l.to === ann.email)!;
    expect(line).toMatchObject({
      msg: expect.stringContaining('written to the log'),
      template: 'invitation',
      subject: 'Your Default organisation account is ready',
    });
    expect(line.text).toContain('Hello Ann,');
    expect(line.text).toContain('[link left out: set SMTP_URL to send mail]');
    expect(t.rawLogs()).not.toMatch(/token=/);

    const em = t.roster.orm.em.fork();
    expect(await em.count(AccountToken, { account: ann.id })).toBe(0);
    // The row is marked sent in the same job, just after the line is written.
    await expect.poll(() => em.fork().find(OutboxMail, { accountId: ann.id })).toMatchObject([{ sentAt: expect.any(Date), tokenId: null }]);
  });
});
