import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAction } from '../../src/actions/action.ts';
import { slackActor } from '../../src/actions/actor.ts';
import { startBulkJob } from '../../src/actions/accounts/bulk/startBulkJob.ts';
import { cancelBulkJob } from '../../src/actions/accounts/bulk/cancelBulkJob.ts';
import { blocksText, firstUsageLine } from '../support/slackReplies.ts';
import { queueBackends, queueEnv, startTestRoster, type TestRoster } from '../support/testRoster.ts';

const ADMIN = 'U0BULKADM1';
const VIEWER = 'U0BULKVIE1';
const UPDATES_PER_MINUTE = 30;

let t: TestRoster;

/** `count` accounts of one organisation in one status, written set-based like the demo seed; returns their ids. */
async function accounts(organisationSlug: string, status: string, count: number, tag: string): Promise<string[]> {
  const rows = await t.roster.orm.em.fork().execute<{ id: string }[]>(
    `insert into account (id, organisation_id, username, email, first_name, last_name, status, status_changed_at, role, auth_source,
       mfa_enrolled, developer_mode, failed_sign_ins, last_sign_in_at, created_at, updated_at, version)
     select gen_random_uuid(), o.id, ? || n, ? || n || '@example.test', 'Bulk', 'Person ' || n, ?, now(), 'user', 'local', true, false,
       case when ? = 'LOCKED_OUT' then 10 else 0 end, now(), now(), now(), 1
     from organisation o, generate_series(1, ?) n where o.slug = ? returning id`,
    [`${tag}.`, `${tag}.`, status, status, count, organisationSlug],
  );
  return rows.map((row) => row.id);
}

const services = () => ({ orm: t.roster.orm, logger: t.logger, bulkJobs: t.roster.services.bulkJobs });
const summaryOf = (jobTag: string) =>
  t.slack.waitFor('chat.update', (c) => /^(Finished|Cancelled|Stopped)/.test(String(c.args.text)) && String(c.args.text).includes(jobTag), 60_000);

describe.each(queueBackends())('bulk jobs (queues on %s)', (queue) => {
  beforeAll(async () => {
    t = await startTestRoster({ ...queueEnv(queue), ROSTER_SLACK_UPDATES_PER_MINUTE: String(UPDATES_PER_MINUTE) });
    await t.given.grant(ADMIN, 'admin');
    await t.given.grant(VIEWER, 'viewer');
    await t.given.organisation('bulk-a');
  });
  afterAll(() => t?.stop());

  describe('a bulk change', () => {
    it('changes every selected account once, audits each, and posts one progress message and a summary', async () => {
      const locked = await accounts('bulk-a', 'LOCKED_OUT', 2500, 'bulklocked');
      const admin = await slackActor(t.roster.orm.em, ADMIN);
      const started = await runAction(services(), startBulkJob, admin, { change: 'unlock', filter: 'status:locked-out', channel: 'C0BULK' });
      expect(started).toMatchObject({ kind: 'done', total: 2500 });
      expect(started.message).toContain('Unlocking 2,500 accounts (status:locked-out)');

      const summary = await summaryOf('status:locked-out');
      expect(summary.args.text).toContain('Finished unlock on 2,500 accounts');
      expect(summary.args.text).toContain('2,500 changed · 0 refused');
      const posted = t.slack.calls('chat.postMessage').filter((c) => String(c.args.text).startsWith('Unlocking 2,500 accounts'));
      expect(posted).toHaveLength(1);
      expect(posted[0]!.args.channel).toBe('C0BULK');

      const [counts] = await t.roster.orm.em.fork().execute<{ active: string; audited: string; distinct_audited: string }[]>(
        `select (select count(*) from account where id = any(?::uuid[]) and status = 'ACTIVE' and failed_sign_ins = 0) as active,
                (select count(*) from audit_event where job_id = ? and action = 'unlock') as audited,
                (select count(distinct target_id) from audit_event where job_id = ? and action = 'unlock') as distinct_audited`,
        [`{${locked.join(',')}}`, started.jobId, started.jobId],
      );
      expect(counts).toEqual({ active: '2500', audited: '2500', distinct_audited: '2500' });
      const [one] = await t.given.audit({ jobId: started.jobId, action: 'unlock' });
      expect(one!.changes).toMatchObject({ status: { before: 'LOCKED_OUT', after: 'ACTIVE' } });
    });

    it('counts and names the accounts the status machine refuses, and changes the rest', async () => {
      const active = await accounts('bulk-a', 'ACTIVE', 3, 'bulkactive');
      const deactivated = await accounts('bulk-a', 'DEACTIVATED', 2, 'bulkgone');
      const admin = await slackActor(t.roster.orm.em, ADMIN);
      const started = await runAction(services(), startBulkJob, admin, { change: 'reactivate', filter: 'status:active,deactivated', channel: 'C0BULK' });
      expect(started.total).toBeGreaterThanOrEqual(5);
      const summary = String((await summaryOf('status:active,deactivated')).args.text);
      expect(summary).toMatch(/[\d,]+ changed · [\d,]+ refused/);
      expect(summary).toContain('it is not deactivated');
      const statuses = await t.roster.orm.em
        .fork()
        .execute<{ status: string }[]>(`select status from account where id = any(?::uuid[])`, [`{${[...active, ...deactivated].join(',')}}`]);
      expect(statuses.map((s) => s.status).sort()).toEqual(['ACTIVE', 'ACTIVE', 'ACTIVE', 'ACTIVE', 'ACTIVE']);
    });

    it('stops with a summary once every attempt of its runners failed on the database, changing nothing', async () => {
      const organisation = `bulk-broken-${queue}`;
      await t.given.organisation(organisation);
      const ids = await accounts(organisation, 'ACTIVE', 30, `bulkbroken${queue}`);
      // The database refuses to change these accounts, as a full disk or a broken constraint would.
      const em = t.roster.orm.em.fork();
      await em.execute(
        `create or replace function refuse_bulk_broken() returns trigger language plpgsql as $$ begin raise exception 'the disk is full'; end $$`,
      );
      await em.execute(
        `create trigger refuse_bulk_broken before update on account for each row when (old.id = any('{${ids.join(',')}}'::uuid[])) execute function refuse_bulk_broken()`,
      );
      try {
        const admin = await slackActor(t.roster.orm.em, ADMIN);
        const started = await runAction(services(), startBulkJob, admin, { change: 'lock', filter: `org:${organisation}`, channel: 'C0BULK' });
        const summary = String((await summaryOf(`org:${organisation}`)).args.text);
        expect(summary).toMatch(
          new RegExp(
            `^Stopped lock \\(org:${organisation}\\) after .*: it failed on an error, which the worker logged, each time it was tried; 30 accounts were left as they were`,
          ),
        );
        const statuses = await em.execute<{ status: string }[]>(`select distinct status from account where id = any(?::uuid[])`, [`{${ids.join(',')}}`]);
        expect(statuses).toEqual([{ status: 'ACTIVE' }]);
        const [job] = await em.execute<{ state: string }[]>(`select state from bulk_job where id = ?`, [started.jobId]);
        expect(job!.state).toBe('failed');
        expect(await t.given.audit({ jobId: started.jobId, action: 'lock' })).toHaveLength(0);
      } finally {
        await em.execute(`drop trigger refuse_bulk_broken on account`);
      }
    });

    it('is refused to a viewer, and audited', async () => {
      const viewer = await slackActor(t.roster.orm.em, VIEWER);
      await expect(runAction(services(), startBulkJob, viewer, { change: 'deactivate', filter: '' })).rejects.toThrow(/needs an admin/);
      expect(await t.given.audit({ actorId: VIEWER, action: 'bulk-start', outcome: 'refused' })).toHaveLength(1);
    });

    it('stops at the next chunk when cancelled, and says what it did', async () => {
      await accounts('bulk-a', 'SUSPENDED', 20_000, 'bulkcancel');
      const admin = await slackActor(t.roster.orm.em, ADMIN);
      const started = await runAction(services(), startBulkJob, admin, { change: 'unlock', filter: 'status:suspended', channel: 'C0BULK' });
      await t.slack.waitFor('chat.postMessage', (c) => String(c.args.text).startsWith('Unlocking 20,000'), 20_000);
      const cancelled = await runAction(services(), cancelBulkJob, admin, { jobId: started.jobId });
      expect(cancelled.message).toContain('stops after the accounts it is changing now');
      const summary = String((await summaryOf('status:suspended')).args.text);
      expect(summary).toContain('Cancelled unlock (status:suspended)');
      const [left] = await t.roster.orm.em
        .fork()
        .execute<{ n: string }[]>(`select count(*) as n from account where status = 'SUSPENDED' and username like 'bulkcancel.%'`);
      expect(Number(left!.n)).toBeGreaterThan(0);
      expect(summary).toContain(`${Number(left!.n).toLocaleString('en')} accounts were left as they were`);
    });
  });

  describe('progress messages', () => {
    it('share one chat.update budget across jobs running at once, and every summary goes out', async () => {
      const before = t.slack.calls('chat.update').length;
      const startedAt = Date.now();
      const organisations = ['bulk-p1', 'bulk-p2', 'bulk-p3'];
      for (const slug of organisations) {
        await t.given.organisation(slug);
        await accounts(slug, 'ACTIVE', 6000, `${slug}.x`);
        await t.given.grant(`U0${slug.replace('-', '').toUpperCase()}`, 'admin', slug);
      }
      const jobs = await Promise.all(
        organisations.map(async (slug) =>
          runAction(services(), startBulkJob, await slackActor(t.roster.orm.em, `U0${slug.replace('-', '').toUpperCase()}`), {
            change: 'lock',
            filter: 'status:active',
            channel: `C0${slug}`,
          }),
        ),
      );
      const summaries = await Promise.all(
        jobs.map((job) =>
          t.slack.waitFor(
            'chat.update',
            (c) => c.args.channel === `C0${organisations[jobs.indexOf(job)]}` && String(c.args.text).startsWith('Finished'),
            90_000,
          ),
        ),
      );
      expect(summaries).toHaveLength(3);
      const seconds = (Date.now() - startedAt) / 1000;
      const edits = t.slack
        .calls('chat.update')
        .slice(before)
        .filter((c) => organisations.some((slug) => c.args.channel === `C0${slug}`));
      // The budget: a burst of 5, then UPDATES_PER_MINUTE a minute, for everything the three jobs edit, summaries included.
      expect(edits.length).toBeLessThanOrEqual(5 + Math.ceil((UPDATES_PER_MINUTE / 60) * seconds) + 1);
      expect(edits.length).toBeGreaterThanOrEqual(3);
      expect(edits.filter((c) => c.failed)).toEqual([]);
    });
  });

  describe('/users bulk in Slack', () => {
    it('previews, and changes the accounts only when an admin confirms; a viewer pressing Confirm changes nothing', async () => {
      await t.given.organisation('bulk-s');
      await t.given.grant('U0BULKSADM', 'admin', 'bulk-s');
      await t.given.grant('U0BULKSVIE', 'viewer', 'bulk-s');
      const ids = await accounts('bulk-s', 'ACTIVE', 12, 'bulkslack');
      const preview = await t.slash('bulk lock org:bulk-s --reason "audit week"', 'U0BULKSADM', { command: '/users' });
      const text = blocksText(preview);
      expect(text).toContain('Locking 12 accounts (org:bulk-s)?');
      expect(text).toContain('12 would change');
      expect(text).toContain('First accounts');
      const statusOf = async () =>
        (
          await t.roster.orm.em.fork().execute<{ status: string }[]>(`select distinct status from account where id = any(?::uuid[])`, [`{${ids.join(',')}}`])
        ).map((r) => r.status);
      expect(await statusOf()).toEqual(['ACTIVE']);

      const refused = await t.click(preview, 'bulk.confirm', 'U0BULKSVIE');
      expect(blocksText(refused)).toContain('needs an admin');
      expect(await statusOf()).toEqual(['ACTIVE']);
      expect(await t.given.audit({ actorId: 'U0BULKSVIE', action: 'bulk-start', outcome: 'refused' })).toHaveLength(1);

      const started = await t.click(preview, 'bulk.confirm', 'U0BULKSADM');
      expect(blocksText(started)).toContain('Locking 12 accounts (org:bulk-s)');
      await t.slack.waitFor('chat.update', (c) => String(c.args.text).startsWith('Finished lock on 12 accounts (org:bulk-s)'), 30_000);
      expect(await statusOf()).toEqual(['SUSPENDED']);
      const audit = await t.given.audit({ actorId: 'U0BULKSADM', action: 'lock' });
      expect(audit).toHaveLength(12);
      expect(audit[0]).toMatchObject({ reason: 'audit week', outcome: 'done' });

      const jobs = blocksText(await t.slash('jobs', 'U0BULKSADM', { command: '/users' }));
      expect(jobs).toContain('org:bulk-s');
      expect(jobs).toContain('done');
    });

    it('answers a filter with a typo with what is allowed, and an unknown change with the changes there are', async () => {
      const typo = blocksText(await t.slash('bulk lock stauts:active', ADMIN, { command: '/users' }));
      expect(typo).toContain('status');
      const unknown = await t.slash('bulk explode status:active', ADMIN, { command: '/users' });
      expect(blocksText(unknown)).toContain('must be one of deactivate, reactivate, lock, unlock, send-invite, resend-invite, reset-password, reset-mfa');
      expect(firstUsageLine(unknown)).toMatch(/^`\/users bulk <change> \[filters\]/);
    });
  });

  describe('bulk changes that send mail', () => {
    it('sends each changed account its reset link through the outbox, and refuses SSO accounts with the status machine’s sentence', async () => {
      await t.given.organisation('bulk-mail');
      const local = await accounts('bulk-mail', 'ACTIVE', 40, 'bulkreset');
      const sso = await accounts('bulk-mail', 'ACTIVE', 2, 'bulksso');
      await t.roster.orm.em.fork().execute(`update account set auth_source = 'sso' where id = any(?::uuid[])`, [`{${sso.join(',')}}`]);
      const admin = await slackActor(t.roster.orm.em, ADMIN);
      const started = await runAction(services(), startBulkJob, admin, { change: 'reset-password', filter: 'org:bulk-mail', channel: 'C0BULK' });
      const summary = String((await summaryOf('org:bulk-mail')).args.text);
      expect(summary).toContain('40 changed · 2 refused');
      expect(summary).toMatch(/SSO|single sign-on/i);
      const rows = await t.roster.orm.em.fork().execute<{ status: string; mails: string }[]>(
        `select a.status, (select count(*) from outbox_mail m where m.account_id = a.id and m.template = 'password-reset') as mails
         from account a where a.id = any(?::uuid[]) group by a.id, a.status`,
        [`{${[...local, ...sso].join(',')}}`],
      );
      expect(rows.filter((r) => r.status === 'RECOVERY' && r.mails === '1')).toHaveLength(40);
      expect(rows.filter((r) => r.status === 'ACTIVE' && r.mails === '0')).toHaveLength(2);
      await expect
        .poll(
          async () =>
            (
              await t.roster.orm.em
                .fork()
                .execute<{ n: string }[]>(`select count(*) as n from outbox_mail where account_id = any(?::uuid[]) and sent_at is not null`, [
                  `{${local.join(',')}}`,
                ])
            )[0]!.n,
          { timeout: 20_000 },
        )
        .toBe('40');
      const audit = await t.given.audit({ jobId: started.jobId, action: 'reset-password' });
      expect(audit).toHaveLength(40);
      expect(audit[0]!.changes).toMatchObject({ status: { after: 'RECOVERY' }, credential: { after: 'password reset mail' } });
    });

    it('resets MFA with the authenticator secrets it leaves behind, and leaves accounts without MFA as they are', async () => {
      await t.given.organisation('bulk-mfa');
      const enrolled = await accounts('bulk-mfa', 'ACTIVE', 3, 'bulkmfa');
      const without = await accounts('bulk-mfa', 'ACTIVE', 2, 'bulknomfa');
      const em = t.roster.orm.em.fork();
      await em.execute(`update account set totp_secret = 'JBSWY3DPEHPK3PXP', totp_last_step = 1 where id = any(?::uuid[])`, [`{${enrolled.join(',')}}`]);
      await em.execute(`update account set mfa_enrolled = false where id = any(?::uuid[])`, [`{${without.join(',')}}`]);
      const admin = await slackActor(t.roster.orm.em, ADMIN);
      const started = await runAction(services(), startBulkJob, admin, { change: 'reset-mfa', filter: 'org:bulk-mfa', channel: 'C0BULK' });
      expect(String((await summaryOf('org:bulk-mfa')).args.text)).toContain('3 changed · 0 refused · 2 already so');
      const rows = await em.execute<{ left: string }[]>(
        `select count(*) as left from account where id = any(?::uuid[]) and (mfa_enrolled or totp_secret is not null or totp_last_step is not null)`,
        [`{${[...enrolled, ...without].join(',')}}`],
      );
      expect(rows[0]!.left).toBe('0');
      expect(await t.given.audit({ jobId: started.jobId, action: 'reset-mfa' })).toHaveLength(3);
    });
  });
});
