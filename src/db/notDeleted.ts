/**
 * The SQL condition for an account that is not (soft-)deleted, over the alias given. It reads `deleted_at`, not
 * `status`, because the account's partial indexes are written on it: an index on `status` would make every status
 * change update every index (see the checks and indexes of entities/Account.ts). A check constraint keeps the two
 * equal, so this is exactly `status <> 'DELETED'`.
 */
export function notDeleted(alias: string): string {
  return `${alias}.deleted_at is null`;
}
