import { z } from 'zod';
import { AccountFeature } from '../../db/entities/index.ts';
import { RefusedError } from '../../domain/errors.ts';
import { defineAction, type AccountOutcome } from '../action.ts';
import { fullName, loadLiveAccount } from './account.ts';
import { loadFeature, onOffSchema } from './features.ts';
import { accountRefSchema, expectedVersionSchema, reasonSchema, flags } from '../inputs.ts';
import { accountTarget } from '../auditTargets.ts';

/** Adds or removes a functional module for one account: on adds the module, off removes it. */
export const setAccountModule = defineAction({
  name: 'module',
  describedAs: 'changing an account’s modules',
  requires: 'owner',
  command: {
    usage: '<who> <module-key> on|off',
    positional: ['account', 'module', 'state'],
    flags: flags.reason,
  },
  input: z.object({
    account: accountRefSchema,
    module: z.string().trim().min(1).max(100),
    state: onOffSchema,
    reason: reasonSchema,
    expectedVersion: expectedVersionSchema,
  }),
  async run(ctx, { account: ref, module: key, state, reason, expectedVersion }): Promise<AccountOutcome> {
    const account = await loadLiveAccount(ctx, ref, { expectedVersion });
    const feature = await loadFeature(ctx, 'module', key);
    const installed = await ctx.em.findOne(AccountFeature, { account, feature });
    if (Boolean(installed) === (state === 'on'))
      throw new RefusedError(`${fullName(account)} ${state === 'on' ? 'already has' : 'does not have'} the module ${feature.key}.`, 'invalid-state');
    if (installed) ctx.em.remove(installed);
    else ctx.em.create(AccountFeature, { account, feature });
    ctx.audit.record({
      action: 'module',
      target: accountTarget(account),
      changes: { [`modules.${feature.key}`]: { before: installed ? 'on' : null, after: installed ? null : 'on' } },
      reason,
    });
    return {
      kind: 'account',
      accountId: account.id,
      message: `${fullName(account)} ${state === 'on' ? 'now has' : 'no longer has'} the module ${feature.name} (${feature.key}).`,
    };
  },
});
