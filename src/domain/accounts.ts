/** The account's role in the managed product (not a Roster role: those are in roles.ts). */
export const ACCOUNT_ROLES = ['user', 'manager', 'administrator'] as const;
export type AccountRole = (typeof ACCOUNT_ROLES)[number];

/** An account's role inside one group. */
export const GROUP_ROLES = ['member', 'editor', 'manager'] as const;
export type GroupRole = (typeof GROUP_ROLES)[number];

export const AUTH_SOURCES = ['local', 'sso'] as const;

export const FEATURE_KINDS = ['module', 'add_on'] as const;
export type FeatureKind = (typeof FEATURE_KINDS)[number];

/** Emails and usernames are matched case-insensitively everywhere, so they are stored folded. */
export function normaliseLogin(value: string): string {
  return value.trim().toLowerCase();
}

/** The username an account gets when none is given: its email's part before the @, in the characters usernames allow. */
export function defaultUsername(email: string): string {
  return normaliseLogin(email.split('@')[0]!).replace(/[^a-z0-9._-]/g, '');
}
