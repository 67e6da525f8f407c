import { z } from 'zod';
import { Account } from '../../db/entities/index.ts';
import { ACCOUNT_ROLES } from '../../domain/accounts.ts';
import { RefusedError } from '../../domain/errors.ts';
import { defineAction } from '../action.ts';
import { queueMail } from './mail.ts';
import { accountLabel, organisationBySlug } from '../organisations/organisations.ts';
import { emailSchema, personNameSchema, slugSchema, usernameSchema } from '../inputs.ts';

const AUDITED_FIELDS = ['email', 'username', 'firstName', 'lastName', 'role', 'status', 'authSource'] as const;

/**
 * Adds an account. With an invitation it starts INVITED (the person sets their own password from the mail);
 * without one it starts STAGED, for a silent import.
 */
export const createAccount = defineAction({
  name: 'create',
  describedAs: 'creating an account',
  requires: 'admin',
  input: z.object({
    email: emailSchema,
    firstName: personNameSchema,
    lastName: personNameSchema,
    username: usernameSchema.optional(),
    role: z.enum(ACCOUNT_ROLES).default('user'),
    organisation: slugSchema.optional(),
    authSource: z.enum(['local', 'sso']).default('local'),
    sendInvitation: z.boolean().default(true),
  }),
  async run(ctx, input) {
    const organisation = await organisationBySlug(ctx.em, input.organisation);
    const username = input.username ?? input.email.split('@')[0]!.replace(/[^a-z0-9._-]/g, '');
    const label = accountLabel(input);
    ctx.aboutTarget({ type: 'account', id: null, label, organisationId: organisation.id });
    ctx.authorize(organisation.id);

    const taken = await ctx.em.findOne(Account, { $or: [{ email: input.email }, { username }] }, { fields: ['email', 'username', 'firstName', 'lastName'] });
    if (taken?.email === input.email) throw new RefusedError(`${input.email} already belongs to ${taken.firstName} ${taken.lastName}.`, 'conflict');
    if (taken)
      throw new RefusedError(`The username "${username}" is taken by ${taken.firstName} ${taken.lastName}; choose another with --username.`, 'conflict');

    const account = ctx.em.create(Account, {
      organisation,
      email: input.email,
      username,
      firstName: input.firstName,
      lastName: input.lastName,
      role: input.role,
      authSource: input.authSource,
      status: input.sendInvitation ? 'INVITED' : 'STAGED',
    });
    ctx.aboutTarget({ type: 'account', id: account.id, label, organisationId: organisation.id });
    ctx.audit.record({
      action: 'create',
      target: { type: 'account', id: account.id, label, organisationId: organisation.id },
      changes: Object.fromEntries(AUDITED_FIELDS.map((field) => [field, { before: null, after: account[field] }])),
    });
    if (input.sendInvitation) queueMail(ctx, account, 'invitation');
    return account;
  },
});
