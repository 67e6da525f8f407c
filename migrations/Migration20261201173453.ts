import { Migration } from '@mikro-orm/migrations';

export class Migration20261201173453 extends Migration {
  override name = 'Migration20261201173453';

  // The pass that ends timed locks whose end has passed reads this index every 30 s by default. Reviewed: only this index.
  override up(): void | Promise<void> {
    this.addSql(`create index "account_timed_lock_end" on "account" (suspended_until) where status = 'SUSPENDED' and suspended_until is not null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "account_timed_lock_end";`);
  }
}
