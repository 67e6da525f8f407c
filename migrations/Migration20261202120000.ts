import { Migration } from '@mikro-orm/migrations';

export class Migration20261202120000 extends Migration {
  override name = 'Migration20261202120000';

  // SCIM's `name.familyName sw "…"` counts every match (totalResults): with last_name in the index, the count is an
  // index-only scan instead of a heap read per match. Reviewed: only this index.
  override up(): void | Promise<void> {
    this.addSql(`drop index "account_list_last_name";`);
    this.addSql(
      `create index "account_list_last_name" on "account" (organisation_id, (lower(last_name) collate "C"), id) include (last_name) where status <> 'DELETED';`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "account_list_last_name";`);
    this.addSql(`create index "account_list_last_name" on "account" (organisation_id, (lower(last_name) collate "C"), id) where status <> 'DELETED';`);
  }
}
