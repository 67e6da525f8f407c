import { Migration } from '@mikro-orm/migrations';

export class Migration20261201183500 extends Migration {
  override name = 'Migration20261201183500';

  // Account lists page by last name then id within each organisation; without this index a million-account list
  // sorts every account sharing the first last name. Reviewed: only this index.
  override up(): void | Promise<void> {
    this.addSql(`create index "account_list_last_name" on "account" (organisation_id, (lower(last_name) collate "C"), id) where status <> 'DELETED';`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "account_list_last_name";`);
  }
}
