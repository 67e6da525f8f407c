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

/**
 * The same for many accounts at once (a chunk of a bulk change or an import), in one statement: each account gets its
 * own outbox row, and the rows are handed to the queue in one request after the commit.
 */
export async function queueMailToMany(ctx: ActionContext, accountIds: readonly string[], template: MailTemplate): Promise<void> {
  if (accountIds.length === 0) return;
  const mails = await ctx.em.execute<{ id: string }[]>(
    `insert into outbox_mail (id, "to", template, account_id, created_at, attempts)
     select gen_random_uuid(), a.email, ?, a.id, ?, 0 from account a where a.id = any(?::uuid[]) returning id`,
    [template, new Date(), `{${accountIds.join(',')}}`],
  );
  const queue = ctx.services.mail;
  if (queue) ctx.afterCommit(() => queue.sendAll(mails.map((mail) => mail.id)));
}
