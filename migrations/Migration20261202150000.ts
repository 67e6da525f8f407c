import { Migration } from '@mikro-orm/migrations';

export class Migration20261202150000 extends Migration {
  override name = 'Migration20261202150000';

  // Deactivating or deleting an account first asks whether it owns a group: without this, a scan of every group.
  override up(): void | Promise<void> {
    this.addSql(`create index "account_group_owner_id_index" on "account_group" ("owner_id");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "account_group_owner_id_index";`);
  }
}
