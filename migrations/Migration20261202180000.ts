import { Migration } from '@mikro-orm/migrations';

export class Migration20261202180000 extends Migration {
  override name = 'Migration20261202180000';

  // The sweep's batches go on from the last account they took (src/actions/accounts/sweepInactiveAccounts.ts): id
  // makes the index's order total, so that cursor is one range.
  override up(): void | Promise<void> {
    this.addSql(`drop index "account_inactivity_sweep";`);
    this.addSql(`create index "account_inactivity_sweep" on "account" (organisation_id, coalesce(last_sign_in_at, created_at), id) where deleted_at is null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "account_inactivity_sweep";`);
    this.addSql(`create index "account_inactivity_sweep" on "account" (organisation_id, coalesce(last_sign_in_at, created_at)) where deleted_at is null;`);
  }
}
