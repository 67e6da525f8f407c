import { z } from 'zod';
import { normaliseLogin } from '../domain/accounts.ts';

/** Input pieces shared by several actions, each with a message a person can act on. */
export const slugSchema = z
  .string()
  .trim()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be a slug of lower-case letters, digits and dashes, e.g. acme-emea');

export const slackUserIdSchema = z
  .string()
  .trim()
  .regex(/^[UW][A-Z0-9]{2,}$/, 'must be @someone or a Slack user ID such as U012ABCDEF');

export const emailSchema = z.string().trim().max(320).pipe(z.email('must be an email address such as alice@example.com')).transform(normaliseLogin);

export const usernameSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{1,99}$/, 'must be 2-100 letters, digits, dots, dashes or underscores')
  .transform(normaliseLogin);

export const personNameSchema = z.string().trim().min(1, 'must not be empty').max(100);

/** An identity provider's own ID for an account or group (SCIM `externalId`), kept as sent. */
export const externalIdSchema = z.string().trim().min(1, 'must not be empty').max(255);

/** Names one account: its ID, email or username (Slack resolves @mentions to the email before this). */
export const accountRefSchema = z.string().trim().min(1, 'say which account: an email, username or ID').max(320);

/** `--reason <text>`: why, kept in the audit trail and shown on the card. */
export const reasonSchema = z.string().trim().min(1).max(500).optional();

/** `--reason <text>` where a reason is required: a request a second person decides on says why. */
export const requiredReasonSchema = z.string('say why: --reason <text>').trim().min(1, 'say why: --reason <text>').max(500);

/** Names one request of the approvals queue. */
export const approvalRequestIdSchema = z.uuid('must be the ID of an approval request');

/** The version the caller saw; a different one means someone else changed the account meanwhile. */
export const expectedVersionSchema = z.number().int().positive().optional();

/** The flags that typed actions share, each read into the input field of the same meaning. */
export const flags = {
  reason: { reason: { field: 'reason', type: 'string', usage: '[--reason <text>]' } },
  org: { org: { field: 'organisation', type: 'string', usage: '[--org <slug>]' } },
} as const;
