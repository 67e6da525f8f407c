import { z } from 'zod';
import type { AccountStatus } from '../../domain/statuses.ts';
import { defineAction, type ActionDefinition, type AnyAction } from '../action.ts';
import { loadAccount } from './account.ts';
import { accountRefSchema } from '../inputs.ts';

/** What an account action's form shows about its account, and the version its submission must still find. */
export interface AccountActionForm {
  accountId: string;
  version: number;
  firstName: string;
  lastName: string;
  email: string;
  status: AccountStatus;
}

/**
 * The "can open" check of an account action's form (as accountForms.ts does for create and edit): it carries the
 * action's name, role and description, so a caller refused here is refused, and audited, exactly as the submission
 * would be, before a modal opens. A read: it records nothing when allowed, and it is not in the registry.
 */
export function accountActionForm(action: AnyAction): ActionDefinition<z.ZodObject<{ account: typeof accountRefSchema }>, AccountActionForm> {
  return defineAction({
    name: action.name,
    describedAs: action.describedAs,
    requires: action.requires,
    input: z.object({ account: accountRefSchema }),
    async run(ctx, { account: ref }) {
      const account = await loadAccount(ctx, ref);
      return {
        accountId: account.id,
        version: account.version,
        firstName: account.firstName,
        lastName: account.lastName,
        email: account.email,
        status: account.status,
      };
    },
  });
}
