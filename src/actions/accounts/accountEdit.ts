import { Account, Group, Membership, Organisation, type IAccount } from '../../db/entities/index.ts';
import { FieldRefusedError, RefusedError } from '../../domain/errors.ts';
import { mayRead } from '../../domain/roles.ts';
import type { ActionContext } from '../action.ts';
import { fullName, loadLiveAccount, accountOutcome } from './account.ts';
import { changedFields } from '../audit.ts';
import type { AccountOutcome } from '../action.ts';
import { accountLabel } from '../auditTargets.ts';
import { refuseIfExternalIdTaken } from './createAccount.ts';

/** What an edit may change, already validated and folded by the action's schema; a missing field stays as it is. */
export interface AccountEdit {
  firstName?: string;
  lastName?: string;
  username?: string;
  email?: string;
  /** The slug of the organisation to move the account to. */
  organisation?: string;
  /** The identity provider's ID for the person; null clears it. */
  externalId?: string | null;
}

const EDITED = ['firstName', 'lastName', 'username', 'email', 'organisation', 'externalId'] as const;
type EditedValues = Record<Exclude<(typeof EDITED)[number], 'externalId'>, string> & { externalId: string | null };

/**
 * Applies an edit to one account with one audit event listing each changed field before and after. Email and
 * username stay unique platform-wide (they are stored folded, so case-insensitively); moving to another organisation
 * needs the caller's grant to cover both, and takes the account out of the old organisation's groups.
 * Editing to the values it already has changes nothing and records nothing.
 */
export async function applyAccountEdit(
  ctx: ActionContext,
  action: string,
  ref: string,
  edit: AccountEdit,
  options: { expectedVersion?: number; reason?: string } = {},
): Promise<AccountOutcome> {
  const account = await loadLiveAccount(ctx, ref, { expectedVersion: options.expectedVersion });
  const before = editedValues(account);

  if (edit.email !== undefined && edit.email !== account.email) await refuseIfTaken(ctx, account, 'email', edit.email);
  if (edit.username !== undefined && edit.username !== account.username) await refuseIfTaken(ctx, account, 'username', edit.username);
  const move =
    edit.organisation !== undefined && edit.organisation !== account.organisation.slug ? await checkMove(ctx, account, edit.organisation) : undefined;

  if (edit.externalId && edit.externalId !== account.externalId)
    await refuseIfExternalIdTaken(ctx, move?.to ?? account.organisation, edit.externalId, account.id);

  if (edit.firstName !== undefined) account.firstName = edit.firstName;
  if (edit.externalId !== undefined) account.externalId = edit.externalId;
  if (edit.lastName !== undefined) account.lastName = edit.lastName;
  if (edit.email !== undefined) account.email = edit.email;
  if (edit.username !== undefined) account.username = edit.username;
  if (move) {
    // Groups belong to one organisation, so an account that moves leaves the old one's groups.
    ctx.em.remove(move.memberships);
    account.organisation = move.to;
  }

  const changes = changedFields(before, editedValues(account), EDITED);
  if (move?.leftGroups.length) changes.groups = { before: move.leftGroups.map((g) => g.name), after: [] };
  if (Object.keys(changes).length === 0) {
    return accountOutcome(account, `Nothing to change: ${fullName(account)} already has these values.`);
  }
  ctx.audit.record({
    action,
    target: { type: 'account', id: account.id, label: accountLabel(account), organisationId: account.organisation.id },
    changes,
    reason: options.reason,
  });
  const described = Object.entries(changes)
    .filter(([field]) => field !== 'groups')
    .map(([field, { before: was, after: now }]) => `${FIELD_NAMES[field as keyof EditedValues]} ${String(was)} → ${String(now)}`);
  const left = move?.leftGroups.length ? ` Left ${move.leftGroups.map((g) => `“${g.name}”`).join(', ')}.` : '';
  return accountOutcome(account, `Updated ${fullName(account)}: ${described.join(', ')}.${left}`);
}

const FIELD_NAMES: Record<keyof EditedValues, string> = {
  firstName: 'first name',
  lastName: 'last name',
  username: 'username',
  email: 'email',
  organisation: 'organisation',
  externalId: 'external ID',
};

function editedValues(account: IAccount): EditedValues {
  return {
    firstName: account.firstName,
    lastName: account.lastName,
    username: account.username,
    email: account.email,
    organisation: account.organisation.slug,
    externalId: account.externalId ?? null,
  };
}

/** Names who has the value, when the caller may read their organisation; otherwise only that someone elsewhere does. */
async function refuseIfTaken(ctx: ActionContext, account: IAccount, field: 'email' | 'username', value: string): Promise<void> {
  const holder = await ctx.em.findOne(Account, { [field]: value, id: { $ne: account.id } }, { populate: ['organisation'] });
  if (!holder) return;
  const who = mayRead(ctx.actor.grants, holder.organisation.id)
    ? `${fullName(holder)} (${field === 'email' ? holder.username : holder.email}${holder.status === 'DELETED' ? ', deleted' : ''})`
    : 'an account in an organisation you cannot see';
  const sentence = field === 'email' ? `${value} already belongs to ${who}` : `The username “${value}” is taken by ${who}`;
  throw new FieldRefusedError(`${sentence}; nothing was changed.`, 'conflict', field);
}

async function checkMove(ctx: ActionContext, account: IAccount, slug: string) {
  const to = await ctx.em.findOne(Organisation, { slug });
  if (!to) throw new FieldRefusedError(`There is no organisation “${slug}”.`, 'not-found', 'organisation');
  try {
    ctx.authorize(to.id);
  } catch (error) {
    if (error instanceof RefusedError)
      throw new FieldRefusedError(`Moving ${fullName(account)} to ${to.slug}: ${error.userMessage}`, error.code, 'organisation');
    throw error;
  }
  const owned = await ctx.em.find(Group, { owner: account.id }, { fields: ['name'], orderBy: { name: 'asc' } });
  if (owned.length) {
    throw new FieldRefusedError(
      `${fullName(account)} owns ${owned.map((g) => `“${g.name}”`).join(', ')} in ${account.organisation.slug}; give ${owned.length === 1 ? 'that group' : 'those groups'} another owner before moving them.`,
      'invalid-state',
      'organisation',
    );
  }
  const memberships = await ctx.em.find(Membership, { account: account.id }, { populate: ['group'], orderBy: { group: { name: 'asc' } } });
  return { to, memberships, leftGroups: memberships.map((m) => ({ id: m.group.id, name: m.group.name })) };
}
