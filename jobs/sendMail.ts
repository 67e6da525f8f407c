import type { Job } from 'bullmq';
import type { Logger } from 'pino';
import type { MailQueue } from '../src/actions/action.ts';
import { issueAccountToken } from '../src/db/accountTokens.ts';
import { Account, OutboxMail, type IAccount, type IOutboxMail } from '../src/db/entities/index.ts';
import type { Orm } from '../src/db/orm.ts';
import { STATUS_AWAITING_MAIL } from '../src/domain/tokens.ts';
import { accountLink, mailContent } from '../src/present/mailText.ts';
import { handOff } from './handOff.ts';
import type { MailSettings } from './mailTransport.ts';
import { SEND_MAIL_JOB, type Queues, type SendMailData } from './queues.ts';

export interface SendMailDeps {
  orm: Orm;
  logger: Logger;
  mailSettings: MailSettings;
}

/**
 * Queues the send of an outbox row, waiting for Redis only briefly (the outbox pass sends what this could not queue).
 * The job id is the row's id, so asking twice (the action, then the pass, or a late add when Redis returns) queues it
 * once, and a send job for a row already sent does nothing.
 */
export function outboxMailQueue(queues: Queues, logger: Logger): MailQueue {
  return {
    async send(outboxId) {
      await handOff(queues.mail.add(SEND_MAIL_JOB, { outboxId }, { jobId: outboxId }), logger, { queue: queues.mail.name, outboxId });
    },
    async sendAll(outboxIds) {
      if (!outboxIds.length) return;
      const jobs = outboxIds.map((outboxId) => ({ name: SEND_MAIL_JOB, data: { outboxId }, opts: { jobId: outboxId } }));
      await handOff(queues.mail.addBulk(jobs), logger, { queue: queues.mail.name, outboxIds: `${outboxIds.length} rows` });
    },
  };
}

export type SendMailResult = 'sent' | 'logged' | 'already-sent' | 'cancelled' | 'missing';

/**
 * Sends one outbox mail, at most once as far as Postgres can tell: a sent or cancelled row is skipped, and sentAt is
 * set only after the SMTP server accepted the mail. The link's token is made here, so the raw token exists only in
 * the mail (and in this function's memory): never in the outbox, Redis, the log or the audit trail.
 */
export async function processSendMail(job: Job<SendMailData>, deps: SendMailDeps): Promise<SendMailResult> {
  const em = deps.orm.em.fork();
  const mail = await em.findOne(OutboxMail, job.data.outboxId);
  if (!mail) {
    deps.logger.warn({ outboxId: job.data.outboxId }, 'mail job for an outbox row that does not exist');
    return 'missing';
  }
  if (mail.sentAt) return 'already-sent';
  if (mail.cancelledAt) return 'cancelled';

  const account = await em.findOne(Account, mail.accountId, { populate: ['organisation'] });
  const unwanted = await whyNotWanted(deps.orm, mail, account);
  if (unwanted || !account) {
    await em.nativeUpdate(OutboxMail, { id: mail.id, sentAt: null }, { cancelledAt: new Date(), lastError: unwanted ?? null });
    deps.logger.info({ outboxId: mail.id, template: mail.template, reason: unwanted }, 'mail not sent: no longer wanted');
    return 'cancelled';
  }

  const { transport, publicUrl, from } = deps.mailSettings;
  const validForMs = deps.mailSettings.linkValidForMs[mail.template];
  const facts = { firstName: account.firstName, username: account.username, organisationName: account.organisation.name, validForMs };
  // The mail goes to the address the account has now, which an admin may have corrected since it was queued.
  const to = account.email;

  if (!transport || !publicUrl) {
    // No SMTP server: the mail is "delivered" to the log, but a working link must not be, so no token is made at all.
    const content = mailContent(mail.template, { ...facts, link: '[link left out: set SMTP_URL to send mail]' });
    deps.logger.info(
      { outboxId: mail.id, template: mail.template, to, subject: content.subject, text: content.text },
      'mail written to the log instead of sent (SMTP_URL is unset)',
    );
    await em.nativeUpdate(OutboxMail, { id: mail.id, sentAt: null }, { sentAt: new Date(), to, attempts: mail.attempts + 1, lastError: null });
    return 'logged';
  }

  // The token is committed before the mail leaves, so its link works when the mail arrives. A retry issues a new
  // token that replaces this one, so the latest mail delivered always holds the working link.
  const token = await em.transactional(async (tx) => {
    const issued = await issueAccountToken(tx, account.id, mail.template, new Date(Date.now() + validForMs));
    await tx.nativeUpdate(OutboxMail, { id: mail.id }, { tokenId: issued.id, to, attempts: mail.attempts + 1 });
    return issued;
  });
  const content = mailContent(mail.template, { ...facts, link: accountLink(publicUrl, mail.template, token.raw) });
  try {
    await transport.sendMail({ from, to, subject: content.subject, text: content.text });
  } catch (error) {
    await em.nativeUpdate(OutboxMail, { id: mail.id }, { lastError: String((error as Error).message ?? error).slice(0, 1000) });
    throw error;
  }
  await em.nativeUpdate(OutboxMail, { id: mail.id }, { sentAt: new Date(), lastError: null });
  deps.logger.info({ outboxId: mail.id, template: mail.template, accountId: account.id }, 'mail sent');
  return 'sent';
}

/** A queued mail that the account no longer waits for is not sent (see STATUS_AWAITING_MAIL); nor is one a newer mail replaces. */
async function whyNotWanted(orm: Orm, mail: IOutboxMail, account: IAccount | null): Promise<string | undefined> {
  if (!account) return 'the account no longer exists';
  const awaited = STATUS_AWAITING_MAIL[mail.template];
  if (account.status !== awaited) return `the account is ${account.status} now, no longer ${awaited}`;
  const newer = await orm.em
    .fork()
    .count(OutboxMail, { accountId: account.id, template: mail.template, createdAt: { $gt: mail.createdAt }, cancelledAt: null });
  if (newer > 0) return 'a newer mail of the same kind replaces it';
  return undefined;
}
