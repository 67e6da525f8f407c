import { z } from 'zod';
import { defineAction, type AccountOutcome } from '../action.ts';
import { applyLifecycle, fullName, loadAccount, snapshot, accountOutcome } from './account.ts';
import { auditCredentialChange } from './credentials.ts';
import { queueMail } from './mail.ts';
import { accountRefSchema, expectedVersionSchema, reasonSchema, flags } from '../inputs.ts';

/** Invites a STAGED account (created silently, e.g. by an import): INVITED, and a mail with a single-use link. */
export const sendInvite = defineAction({
  name: 'send-invite',
  describedAs: 'sending an invitation',
  requires: 'admin',
  onCard: { event: 'send-invite', label: 'Send invitation', style: 'primary' },
  command: { usage: '<who>', positional: ['account'], flags: flags.reason, synonyms: ['invite'] },
  input: z.object({ account: accountRefSchema, reason: reasonSchema, expectedVersion: expectedVersionSchema }),
  async run(ctx, { account: ref, reason, expectedVersion }): Promise<AccountOutcome> {
    const account = await loadAccount(ctx, ref, { expectedVersion });
    const before = snapshot(account);
    applyLifecycle(account, 'send-invite', reason ?? 'invitation sent');
    queueMail(ctx, account, 'invitation');
    auditCredentialChange(ctx, 'send-invite', account, before, 'invitation mail', reason);
    return accountOutcome(account, `${fullName(account)} is invited: the invitation goes to ${account.email} shortly, with a link that works once.`);
  },
});
