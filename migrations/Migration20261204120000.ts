import { Migration } from '@mikro-orm/migrations';

export class Migration20261204120000 extends Migration {
  override name = 'Migration20261204120000';

  // Lists and SCIM's pages order accounts that share a last name by first name, then id: the list index follows.
  override up(): void | Promise<void> {
    this.addSql(`drop index "account_list_last_name";`);
    this.addSql(
      `create index "account_list_last_name" on "account" (organisation_id, (lower(last_name) collate "C"), (lower(first_name) collate "C"), id) include (last_name) where deleted_at is null;`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "account_list_last_name";`);
    this.addSql(
      `create index "account_list_last_name" on "account" (organisation_id, (lower(last_name) collate "C"), id) include (last_name) where deleted_at is null;`,
    );
  }
}
