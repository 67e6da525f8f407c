import { OutboxMail, type IAccount } from '../../db/entities/index.ts';
import type { MailTemplate } from '../../domain/tokens.ts';
import type { ActionContext } from '../action.ts';

/**
 * Puts a mail in the outbox in the action's own transaction, so the mail exists exactly when the change does; after
 * the commit it asks the queue to send it now. Without a queue (the CLI), or if that request is lost, the workers'
 * outbox pass sends it within a minute. The link and its token are made by the sender, never here.
 */
export function queueMail(ctx: ActionContext, account: IAccount, template: MailTemplate): void {
  const mail = ctx.em.create(OutboxMail, { to: account.email, template, accountId: account.id });
  const queue = ctx.services.mail;
  if (queue) ctx.afterCommit(() => queue.send(mail.id));
}
