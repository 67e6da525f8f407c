import { z } from 'zod';
import { defineAction, type AccountOutcome } from '../action.ts';
import { applyAccountEdit } from './accountEdit.ts';
import {
  emailSchema,
  externalIdSchema,
  personNameSchema,
  slugSchema,
  usernameSchema,
  accountRefSchema,
  expectedVersionSchema,
  reasonSchema,
} from '../inputs.ts';

/** The fields an edit may change; a field left out stays as it is. */
export const editableFieldsSchema = z.object({
  firstName: personNameSchema.optional(),
  lastName: personNameSchema.optional(),
  username: usernameSchema.optional(),
  email: emailSchema.optional(),
  organisation: slugSchema.optional(),
  externalId: externalIdSchema.nullable().optional(),
});

/**
 * Edits an account's names, username, email and organisation: the edit
 * modal submits it (`/user edit <who>` or the card's Edit button). Typed, one field at a time, it is `username` and
 * `email`.
 */
export const editAccount = defineAction({
  name: 'edit',
  describedAs: 'editing an account',
  requires: 'admin',
  input: editableFieldsSchema
    .extend({ account: accountRefSchema, reason: reasonSchema, expectedVersion: expectedVersionSchema })
    .refine((input) => Object.keys(editableFieldsSchema.shape).some((field) => input[field as keyof typeof input] !== undefined), {
      message: 'say what to change: first name, last name, username, email, organisation or external ID',
    }),
  async run(ctx, { account, reason, expectedVersion, ...edit }): Promise<AccountOutcome> {
    return applyAccountEdit(ctx, 'edit', account, edit, { expectedVersion, reason });
  },
});
