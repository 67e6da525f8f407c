import { z } from 'zod';
import { defineAction, type AccountOutcome } from '../action.ts';
import { applyLifecycle, loadAccount, snapshot, accountOutcome } from './account.ts';
import { auditCredentialChange } from './credentials.ts';
import { queueMail } from './mail.ts';
import { accountRefSchema, expectedVersionSchema, reasonSchema, flags } from '../inputs.ts';

/** Sends an INVITED account a new invitation (the new-user mail again); its link replaces the earlier one. */
export const resendInvite = defineAction({
  name: 'resend-invite',
  describedAs: 'resending an invitation',
  requires: 'helpdesk',
  onCard: { event: 'resend-invite', label: 'Resend invitation' },
  command: { usage: '<who>', positional: ['account'], flags: flags.reason, synonyms: ['reinvite'] },
  input: z.object({ account: accountRefSchema, reason: reasonSchema, expectedVersion: expectedVersionSchema }),
  async run(ctx, { account: ref, reason, expectedVersion }): Promise<AccountOutcome> {
    const account = await loadAccount(ctx, ref, { expectedVersion });
    const before = snapshot(account);
    applyLifecycle(account, 'resend-invite', reason);
    queueMail(ctx, account, 'invitation');
    auditCredentialChange(ctx, 'resend-invite', account, before, 'invitation mail', reason);
    return accountOutcome(account, `A new invitation goes to ${account.email} shortly; once it is sent, the link in the earlier one stops working.`);
  },
});
