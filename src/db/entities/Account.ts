import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { ACCOUNT_STATUSES } from '../../domain/statuses.ts';
import { ACCOUNT_ROLES, AUTH_SOURCES } from '../../domain/accounts.ts';
import { Organisation } from './Organisation.ts';

export const Account = defineEntity({
  name: 'Account',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    organisation: () => p.manyToOne(Organisation),
    /** Folded to lower case; unique across the platform. */
    username: p.string().length(100).unique(),
    /** Folded to lower case; unique across the platform. */
    email: p.string().length(320).unique(),
    firstName: p.string().length(100),
    lastName: p.string().length(100),
    status: p.enum(ACCOUNT_STATUSES),
    statusReason: p.string().length(500).nullable(),
    statusChangedAt: p.datetime().onCreate(() => new Date()),
    suspendedUntil: p.datetime().nullable(),
    role: p.enum(ACCOUNT_ROLES).default('user'),
    authSource: p.enum(AUTH_SOURCES).default('local'),
    mfaEnrolled: p.boolean().default(false),
    developerMode: p.boolean().default(false),
    failedSignIns: p.integer().default(0),
    lastSignInAt: p.datetime().nullable(),
    deletedAt: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
    version: p.integer().version(),
  },
  indexes: [
    // Prefix search on names for lookup and typeahead (LIKE 'abc%' needs text_pattern_ops under a non-C collation).
    { name: 'account_full_name_prefix', expression: `create index "account_full_name_prefix" on "account" (lower(first_name || ' ' || last_name) text_pattern_ops)` },
    { name: 'account_last_name_prefix', expression: `create index "account_last_name_prefix" on "account" (lower(last_name) text_pattern_ops)` },
    { name: 'account_email_prefix', expression: `create index "account_email_prefix" on "account" (email text_pattern_ops)` },
    { name: 'account_username_prefix', expression: `create index "account_username_prefix" on "account" (username text_pattern_ops)` },
    // The inactivity sweep reads only ACTIVE accounts by the time of their last sign-in (or creation).
    {
      name: 'account_inactivity_sweep',
      expression: `create index "account_inactivity_sweep" on "account" (organisation_id, coalesce(last_sign_in_at, created_at)) where status = 'ACTIVE'`,
    },
    { name: 'account_organisation_status', properties: ['organisation', 'status'] },
  ],
});

export type IAccount = InferEntity<typeof Account>;
