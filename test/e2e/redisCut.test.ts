// Redis away: Roster answers a committed action at once, and what it could not queue is done once Redis is back.
// Each block runs the whole app with REDIS_URL through a TCP proxy that the test cuts, and sends mail to a real SMTP
// server on loopback; the recovery passes run every second here (every half minute or minute by default).
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Account, OutboxMail } from '../../src/db/entities/index.ts';
import type { RecordedCall } from '../support/fakeSlack.ts';
import { startMailbox, type Mailbox } from '../support/mailbox.ts';
import { startTcpProxy, type TcpProxy } from '../support/tcpProxy.ts';
import { queueBackends, startTestRoster, type TestRoster } from '../support/testRoster.ts';

const ADMIN = 'U0REDISCUT1';
const HANDED_OFF_LATE = 'the job queue did not take a job in time; a recovery pass does it once Redis answers';
const REDIS_PORT = Number(new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379').port || 6379);

interface Setup {
  t: TestRoster;
  redis: TcpProxy;
  mailbox: Mailbox;
}

/** A Roster whose Redis goes through `redis`; with `cutBeforeStart`, Redis is already away when it starts. */
async function setUp(cutBeforeStart = false): Promise<Setup> {
  const mailbox = await startMailbox();
  const redis = await startTcpProxy(REDIS_PORT);
  if (cutBeforeStart) redis.cut();
  const t = await startTestRoster({
    REDIS_URL: `redis://127.0.0.1:${redis.port}`,
    SMTP_URL: mailbox.url,
    ROSTER_PUBLIC_URL: 'https://roster.example.com',
    ROSTER_OUTBOX_PASS_SECONDS: '1',
    ROSTER_LOCK_EXPIRY_PASS_SECONDS: '1',
  });
  await t.given.grant(ADMIN, 'admin');
  return { t, redis, mailbox };
}

async function tearDown(setup: Setup | undefined): Promise<void> {
  setup?.redis.restore();
  await setup?.t.stop();
  await Promise.all([setup?.redis.close(), setup?.mailbox.close()]);
}

const textOf = (call: RecordedCall) => JSON.stringify(call.args.blocks ?? []);

/** `/user <text>` as the admin: the reply, and the time from sending the signed command to the reply reaching Slack. */
async function timedSlash(t: TestRoster, text: string): Promise<{ text: string; ms: number }> {
  const sent = Date.now();
  const reply = await t.slash(text, ADMIN);
  return { text: textOf(reply), ms: reply.at - sent };
}

describe.runIf(queueBackends().includes('redis'))('with Redis cut off', () => {
  let setup: Setup;
  beforeAll(async () => {
    setup = await setUp();
  });
  afterAll(() => tearDown(setup));

  it('answers resend-invite and a timed lock within 3 seconds; once Redis is back the mail goes out once and the lock ends', async () => {
    const { t, redis, mailbox } = setup;
    const ivy = await t.given.account({ firstName: 'Ivy', lastName: 'Invited', status: 'INVITED', lastSignInAt: null });
    const lou = await t.given.account({ firstName: 'Lou', lastName: 'Locked' });
    const mailsTo = (email: string) => mailbox.messages.filter((mail) => mail.envelopeTo.includes(email));
    const statusOf = async (id: string) => (await t.roster.orm.em.fork().findOneOrFail(Account, id)).status;

    redis.cut();
    const resent = await timedSlash(t, `resend-invite ${ivy.email}`);
    expect(resent.text).toContain(`A new invitation goes to ${ivy.email} shortly`);
    expect(resent.ms).toBeLessThan(3000);

    const until = new Date(Date.now() + 3000);
    const locked = await timedSlash(t, `lock ${lou.email} --until ${until.toISOString()}`);
    expect(locked.text).toContain('Lou Locked is locked until');
    expect(locked.ms).toBeLessThan(3000);

    const [outboxRow] = await t.roster.orm.em.fork().find(OutboxMail, { accountId: ivy.id });
    const warnings = t.logs.filter((line) => line.msg === HANDED_OFF_LATE);
    expect(warnings).toEqual([
      expect.objectContaining({ level: 40, queue: 'mail', outboxId: outboxRow!.id }),
      expect.objectContaining({ level: 40, queue: 'maintenance', accountId: lou.id }),
    ]);

    // The lock's end passes while Redis is away, so nothing can end it yet, and no mail can be sent.
    await sleep(until.getTime() - Date.now() + 500);
    expect(await statusOf(lou.id)).toBe('SUSPENDED');
    expect(mailsTo(ivy.email)).toEqual([]);

    redis.restore();
    const mail = await mailbox.waitFor((m) => m.envelopeTo.includes(ivy.email), 15_000);
    expect(mail.subject).toBe('Your Default organisation account is ready');
    await expect.poll(() => statusOf(lou.id), { timeout: 15_000, interval: 200 }).toBe('ACTIVE');

    // Two more outbox passes and lock-expiry passes later, and after the job adds that ioredis held and sent late,
    // the mail was still sent once and the lock ended once.
    await sleep(2500);
    expect(mailsTo(ivy.email)).toHaveLength(1);
    expect(await t.roster.orm.em.fork().find(OutboxMail, { accountId: ivy.id })).toEqual([
      expect.objectContaining({ id: outboxRow!.id, sentAt: expect.any(Date), cancelledAt: null }),
    ]);
    const lockAudit = await t.given.audit({ targetId: lou.id });
    expect(lockAudit.map((event) => [event.action, event.outcome, event.actorType])).toEqual([
      ['lock', 'done', 'slack'],
      ['lock-expiry', 'done', 'system'],
    ]);
    expect(lockAudit[1]!.changes).toMatchObject({ status: { before: 'SUSPENDED', after: 'ACTIVE' }, suspendedUntil: { after: null } });
  });

  it('ends, through the lock-expiry pass, a timed lock whose job Redis lost, and leaves other locks alone', async () => {
    const { t } = setup;
    const em = t.roster.orm.em.fork();
    const lost = await t.given.account({ firstName: 'Lee', lastName: 'Lost' });
    const open = await t.given.account({ firstName: 'Ola', lastName: 'Open' });
    const later = await t.given.account({ firstName: 'Lia', lastName: 'Later' });
    // Locks written as the lock action writes them, but with no job in Redis, as after a Redis restart without AOF.
    await em.nativeUpdate(Account, { id: lost.id }, { status: 'SUSPENDED', suspendedUntil: new Date(Date.now() - 60_000) });
    await em.nativeUpdate(Account, { id: open.id }, { status: 'SUSPENDED', suspendedUntil: null });
    await em.nativeUpdate(Account, { id: later.id }, { status: 'SUSPENDED', suspendedUntil: new Date(Date.now() + 3600_000) });

    const statusOf = async (id: string) => (await t.roster.orm.em.fork().findOneOrFail(Account, id)).status;
    await expect.poll(() => statusOf(lost.id), { timeout: 5000, interval: 200 }).toBe('ACTIVE');
    expect(await t.given.audit({ targetId: lost.id })).toEqual([expect.objectContaining({ action: 'lock-expiry', outcome: 'done', actorId: 'lock-expiry' })]);
    expect(await statusOf(open.id)).toBe('SUSPENDED');
    expect(await statusOf(later.id)).toBe('SUSPENDED');
    expect(await t.given.audit({ targetId: open.id })).toEqual([]);
  });
});

describe.runIf(queueBackends().includes('redis'))('with Redis away when Roster starts', () => {
  let setup: Setup;
  let startedInMs: number;
  beforeAll(async () => {
    const started = Date.now();
    setup = await setUp(true);
    startedInMs = Date.now() - started;
  });
  afterAll(() => tearDown(setup));

  it('starts, answers within 3 seconds, and sends the mail once Redis answers', async () => {
    const { t, redis, mailbox } = setup;
    expect(startedInMs).toBeLessThan(10_000);
    expect(t.logs.some((line) => line.msg === 'Redis does not answer: Roster starts, and sets its job schedules once Redis answers')).toBe(true);
    const kit = await t.given.account({ firstName: 'Kit', lastName: 'Early', status: 'INVITED', lastSignInAt: null });

    const resent = await timedSlash(t, `resend-invite ${kit.email}`);
    expect(resent.text).toContain(`A new invitation goes to ${kit.email} shortly`);
    expect(resent.ms).toBeLessThan(3000);

    redis.restore();
    const mail = await mailbox.waitFor((m) => m.envelopeTo.includes(kit.email), 15_000);
    expect(mail.subject).toBe('Your Default organisation account is ready');
    await sleep(2000);
    expect(mailbox.messages.filter((m) => m.envelopeTo.includes(kit.email))).toHaveLength(1);
  });
});
