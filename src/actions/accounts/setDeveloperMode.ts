import { z } from 'zod';
import { RefusedError } from '../../domain/errors.ts';
import { defineAction } from '../action.ts';
import { accountRefSchema, expectedVersionSchema, auditAccountChange, fullName, loadAccount, reasonSchema, snapshot, type AccountOutcome } from './account.ts';
import { onOffSchema } from './features.ts';

/** Seed 000's "Enable Developer Mode": the tools for building add-ons with the SDK. */
export const setDeveloperMode = defineAction({
  name: 'developer-mode',
  describedAs: 'changing developer mode',
  requires: 'owner',
  command: { usage: '<who> on|off [--reason <text>]', positional: ['account', 'state'], flags: { reason: { field: 'reason', type: 'string' } } },
  input: z.object({ account: accountRefSchema, state: onOffSchema, reason: reasonSchema, expectedVersion: expectedVersionSchema }),
  async run(ctx, { account: ref, state, reason, expectedVersion }): Promise<AccountOutcome> {
    const account = await loadAccount(ctx, ref, expectedVersion);
    if (account.status === 'DELETED') throw new RefusedError(`${fullName(account)} is DELETED; restore it first.`, 'invalid-state');
    if (account.developerMode === (state === 'on')) throw new RefusedError(`Developer mode is already ${state} for ${fullName(account)}.`, 'invalid-state');
    const before = snapshot(account);
    account.developerMode = state === 'on';
    auditAccountChange(ctx, 'developer-mode', account, before, reason);
    return {
      accountId: account.id,
      message: `Developer mode is ${state} for ${fullName(account)}${state === 'on' ? ': they have the SDK tools for building add-ons' : ''}.`,
    };
  },
});
