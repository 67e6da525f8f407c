import { z } from 'zod';
import { AccountFeature } from '../../db/entities/index.ts';
import { RefusedError } from '../../domain/errors.ts';
import { defineAction, type AccountOutcome } from '../action.ts';
import { fullName, loadLiveAccount, accountOutcome } from './account.ts';
import { loadFeature, onOffSchema } from './features.ts';
import { accountRefSchema, expectedVersionSchema, reasonSchema, flags } from '../inputs.ts';
import { accountTarget } from '../auditTargets.ts';

/** Switches a custom add-on for one account: on installs or switches on; off switches off and keeps it installed. */
export const setAccountAddOn = defineAction({
  name: 'add-on',
  describedAs: 'switching add-ons',
  requires: 'owner',
  command: {
    usage: '<who> <add-on-key> on|off',
    positional: ['account', 'addOn', 'state'],
    flags: flags.reason,
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
    const account = await loadLiveAccount(ctx, ref, { expectedVersion });
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
    return accountOutcome(account, `The add-on ${feature.name} (${feature.key}) is ${state} for ${fullName(account)}${how}.`);
  },
});
