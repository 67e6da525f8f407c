import { z } from 'zod';
import { defineAction, type AccountOutcome } from '../action.ts';
import { applyAccountEdit } from './accountEdit.ts';
import { usernameSchema, accountRefSchema, expectedVersionSchema, reasonSchema, flags } from '../inputs.ts';

/** Changes the login, unique platform-wide whatever its case. */
export const changeUsername = defineAction({
  name: 'username',
  describedAs: 'changing a username',
  requires: 'admin',
  command: { usage: '<who> <new-username>', positional: ['account', 'username'], flags: flags.reason },
  input: z.object({ account: accountRefSchema, username: usernameSchema, reason: reasonSchema, expectedVersion: expectedVersionSchema }),
  async run(ctx, { account, username, reason, expectedVersion }): Promise<AccountOutcome> {
    return applyAccountEdit(ctx, 'username', account, { username }, { expectedVersion, reason });
  },
});
