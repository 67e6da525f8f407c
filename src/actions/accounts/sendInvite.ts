import { z } from 'zod';
import { defineAction } from '../action.ts';
import { accountRefSchema, applyLifecycle, expectedVersionSchema, fullName, loadAccount, reasonSchema, snapshot, type AccountOutcome } from './account.ts';
import { auditCredentialChange } from './credentials.ts';
import { queueMail } from './mail.ts';

/** Invites a STAGED account (created silently, e.g. by an import): INVITED, and a mail with a single-use link. */
export const sendInvite = defineAction({
  name: 'send-invite',
  describedAs: 'sending an invitation',
  requires: 'admin',
  onCard: { event: 'send-invite', label: 'Send invitation', style: 'primary' },
  command: { usage: '<who> [--reason <text>]', positional: ['account'], flags: { reason: { field: 'reason', type: 'string' } }, synonyms: ['invite'] },
  input: z.object({ account: accountRefSchema, reason: reasonSchema, expectedVersion: expectedVersionSchema }),
  async run(ctx, { account: ref, reason, expectedVersion }): Promise<AccountOutcome> {
    const account = await loadAccount(ctx, ref, expectedVersion);
    const before = snapshot(account);
    applyLifecycle(account, 'send-invite', reason ?? 'invitation sent');
    queueMail(ctx, account, 'invitation');
    auditCredentialChange(ctx, 'send-invite', account, before, 'invitation mail', reason);
    return { accountId: account.id, message: `${fullName(account)} is invited: the invitation goes to ${account.email} shortly, with a link that works once.` };
  },
});
