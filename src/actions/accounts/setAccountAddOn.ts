import { z } from 'zod';
import { AccountFeature } from '../../db/entities/index.ts';
import { RefusedError } from '../../domain/errors.ts';
import { defineAction } from '../action.ts';
import { accountRefSchema, expectedVersionSchema, accountTarget, fullName, loadAccount, reasonSchema, type AccountOutcome } from './account.ts';
import { loadFeature, onOffSchema } from './features.ts';

/** Seed 000's "Activate or deactivate custom add-ons": on installs or switches on; off switches off and keeps it installed. */
export const setAccountAddOn = defineAction({
  name: 'add-on',
  describedAs: 'switching add-ons',
  requires: 'owner',
  command: {
    usage: '<who> <add-on-key> on|off [--reason <text>]',
    positional: ['account', 'addOn', 'state'],
    flags: { reason: { field: 'reason', type: 'string' } },
    synonyms: ['addon', 'plugin'],
  },
  input: z.object({
    account: accountRefSchema,
    addOn: z.string().trim().min(1).max(100),
    state: onOffSchema,
    reason: reasonSchema,
    expectedVersion: expectedVersionSchema,
  }),
  async run(ctx, { account: ref, addOn: key, state, reason, expectedVersion }): Promise<AccountOutcome> {
    const account = await loadAccount(ctx, ref, expectedVersion);
    if (account.status === 'DELETED') throw new RefusedError(`${fullName(account)} is DELETED; restore it first.`, 'invalid-state');
    const feature = await loadFeature(ctx, 'add_on', key);
    const installed = await ctx.em.findOne(AccountFeature, { account, feature });
    const before = installed ? (installed.active ? 'on' : 'off') : null;
    if (!installed && state === 'off') throw new RefusedError(`${fullName(account)} does not have the add-on ${feature.key} installed.`, 'invalid-state');
    if (before === state) throw new RefusedError(`The add-on ${feature.key} is already ${state} for ${fullName(account)}.`, 'invalid-state');
    if (installed) installed.active = state === 'on';
    else ctx.em.create(AccountFeature, { account, feature, active: true });
    ctx.audit.record({
      action: 'add-on',
      target: accountTarget(account),
      changes: { [`addOns.${feature.key}`]: { before, after: state } },
      reason,
    });
    const how = state === 'off' ? ' (still installed, listed as off)' : before === null ? ' (installed)' : '';
    return { accountId: account.id, message: `The add-on ${feature.name} (${feature.key}) is ${state} for ${fullName(account)}${how}.` };
  },
});
