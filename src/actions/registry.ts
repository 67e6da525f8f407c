import type { AnyAction } from './action.ts';
import { createAccount } from './createAccount.ts';
import { createOrganisation } from './createOrganisation.ts';
import { grantRole } from './grantRole.ts';
import { lookupAccount } from './lookupAccount.ts';
import { sweepInactiveAccounts } from './sweepInactiveAccounts.ts';

/** Every action, once. Slack, the CLI and jobs all run these definitions through runAction. */
export const actions = { lookupAccount, createAccount, createOrganisation, grantRole, sweepInactiveAccounts } as const;

export const actionsByName: ReadonlyMap<string, AnyAction> = new Map(Object.values(actions).map((action) => [action.name, action as AnyAction]));
