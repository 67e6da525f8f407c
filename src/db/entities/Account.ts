import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { ACCOUNT_STATUSES } from '../../domain/statuses.ts';
import { ACCOUNT_ROLES, AUTH_SOURCES } from '../../domain/accounts.ts';
import { Organisation } from './Organisation.ts';

export const Account = defineEntity({
  name: 'Account',
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    organisation: () => p.manyToOne(Organisation),
    /** Folded to lower case; unique across the platform. Collated "C", as the search compares it (see `indexes`). */
    username: p.string().length(100).collation('C').unique(),
    /** Folded to lower case; unique across the platform. Collated "C", as the search compares it (see `indexes`). */
    email: p.string().length(320).collation('C').unique(),
    /** The identity provider's own ID for the person (SCIM `externalId`), unique within the organisation; as sent, case kept. */
    externalId: p.string().length(255).nullable(),
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
    /**
     * argon2id hash of the account's password: a temporary one (reset-password --temporary) or the one its owner chose
     * on the invitation or reset page. Never loaded unless asked for, never serialised.
     */
    passwordHash: p.text().nullable().lazy().hidden(),
    /** The password is a temporary one (reset-password --temporary) that its owner has not replaced yet. */
    passwordTemporary: p.boolean().default(false),
    /**
     * The base32 TOTP secret confirmed on the enrolment page (set with mfaEnrolled, cleared by reset-mfa). Sign-in
     * needs it in the clear to check a code, so it is kept like the password hash: never loaded unless asked for,
     * never serialised, logged or audited.
     */
    totpSecret: p.text().nullable().lazy().hidden(),
    /** The time step of the last TOTP code accepted, so a code cannot be used twice. */
    totpLastStep: p.integer().nullable(),
    deletedAt: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
    version: p.integer().version(),
  },
  // No index holds `status` (as a key, an included column or a predicate), so that a status change, what bulk changes
  // and the sweep make by the thousand, is a HOT update: its new row version goes on the same page (the table keeps
  // 15% of each page free for them, `fillfactor = 85`, set by Migration20261202170000) and no index is touched.
  // "Not deleted" is `deleted_at is null` instead (src/db/notDeleted.ts), kept equal to `status <> 'DELETED'` by the check.
  checks: [{ name: 'account_deleted_at_check', expression: `(status = 'DELETED') = (deleted_at is not null)` }],
  indexes: [
    // Search as you type (src/db/accountSearch.ts): one range scan per key, in index order, LIMIT n. COLLATE "C" lets a
    // plain btree serve both LIKE 'abc%' and ORDER BY (text_pattern_ops serves no ORDER BY under the default collation);
    // organisation_id second keeps organisation-limited searches inside the index; deleted accounts are never listed.
    // The full name also serves first-name prefixes.
    {
      name: 'account_full_name_search',
      expression: `create index "account_full_name_search" on "account" ((lower(first_name || ' ' || last_name) collate "C"), organisation_id) where deleted_at is null`,
    },
    {
      name: 'account_last_name_search',
      expression: `create index "account_last_name_search" on "account" ((lower(last_name) collate "C"), organisation_id) where deleted_at is null`,
    },
    {
      name: 'account_username_search',
      expression: `create index "account_username_search" on "account" (username, organisation_id) where deleted_at is null`,
    },
    {
      name: 'account_email_search',
      expression: `create index "account_email_search" on "account" (email, organisation_id) where deleted_at is null`,
    },
    // The inactivity sweep reads accounts by the time of their last sign-in (or creation), ACTIVE ones among them, in
    // batches that each go on after the last account the one before took (so id too).
    {
      name: 'account_inactivity_sweep',
      expression: `create index "account_inactivity_sweep" on "account" (organisation_id, coalesce(last_sign_in_at, created_at), id) where deleted_at is null`,
    },
    // The end of timed locks (a pass every few seconds) reads only accounts that have an end date.
    {
      name: 'account_timed_lock_end',
      expression: `create index "account_timed_lock_end" on "account" (suspended_until) where suspended_until is not null`,
    },
    // SCIM's `externalId eq "..."` and its uniqueness per organisation. Partial: most accounts have none.
    {
      name: 'account_organisation_external_id',
      expression: `create unique index "account_organisation_external_id" on "account" (organisation_id, external_id) where external_id is not null`,
    },
    // Lists (src/db/accountList.ts) page in this order by default: per organisation, by last name, first name, then
    // id, so a page is read straight from the index however many accounts share a last name. last_name is included so that SCIM's
    // count of a last-name prefix is an index-only scan (the planner wants the column behind an expression).
    {
      name: 'account_list_last_name',
      expression: `create index "account_list_last_name" on "account" (organisation_id, (lower(last_name) collate "C"), (lower(first_name) collate "C"), id) include (last_name) where deleted_at is null`,
    },
  ],
});

export type IAccount = InferEntity<typeof Account>;
