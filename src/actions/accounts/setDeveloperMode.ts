import { z } from 'zod';
import { RefusedError } from '../../domain/errors.ts';
import { defineAction, type AccountOutcome } from '../action.ts';
import { auditAccountChange, fullName, loadLiveAccount, snapshot } from './account.ts';
import { onOffSchema } from './features.ts';
import { accountRefSchema, expectedVersionSchema, reasonSchema, flags } from '../inputs.ts';

/** Developer mode: the tools for building add-ons with the SDK. */
export const setDeveloperMode = defineAction({
  name: 'developer-mode',
  describedAs: 'changing developer mode',
  requires: 'owner',
  command: { usage: '<who> on|off', positional: ['account', 'state'], flags: flags.reason },
  input: z.object({ account: accountRefSchema, state: onOffSchema, reason: reasonSchema, expectedVersion: expectedVersionSchema }),
  async run(ctx, { account: ref, state, reason, expectedVersion }): Promise<AccountOutcome> {
    const account = await loadLiveAccount(ctx, ref, { expectedVersion });
    if (account.developerMode === (state === 'on')) throw new RefusedError(`Developer mode is already ${state} for ${fullName(account)}.`, 'invalid-state');
    const before = snapshot(account);
    account.developerMode = state === 'on';
    auditAccountChange(ctx, 'developer-mode', account, before, reason);
    return {
      kind: 'account',
      accountId: account.id,
      message: `Developer mode is ${state} for ${fullName(account)}${state === 'on' ? ': they have the SDK tools for building add-ons' : ''}.`,
    };
  },
});
