import { z } from 'zod';
import { defineAction, type AccountOutcome } from '../action.ts';
import { applyAccountEdit } from './accountEdit.ts';
import { emailSchema, slugSchema, accountRefSchema, expectedVersionSchema, reasonSchema, flags } from '../inputs.ts';

/** Changes the primary email, unique platform-wide, optionally with a move. */
export const changeEmail = defineAction({
  name: 'email',
  describedAs: 'changing an email or organisation',
  requires: 'admin',
  command: {
    usage: '<who> <new-email>',
    positional: ['account', 'email'],
    flags: { ...flags.org, ...flags.reason },
  },
  input: z.object({
    account: accountRefSchema,
    email: emailSchema,
    organisation: slugSchema.optional(),
    reason: reasonSchema,
    expectedVersion: expectedVersionSchema,
  }),
  async run(ctx, { account, email, organisation, reason, expectedVersion }): Promise<AccountOutcome> {
    return applyAccountEdit(ctx, 'email', account, { email, organisation }, { expectedVersion, reason });
  },
});
