import { Migration } from '@mikro-orm/migrations';

export class Migration20261125082636 extends Migration {
  override name = 'Migration20261125082636';

  // Search as you type: per-key prefix indexes in COLLATE "C" (serving LIKE 'q%' and ORDER BY), with the organisation,
  // leaving deleted accounts out, replace the text_pattern_ops ones. See src/db/accountSearch.ts.
  override up(): void | Promise<void> {
    this.addSql(`drop index "account_email_prefix";`);
    this.addSql(`drop index "account_full_name_prefix";`);
    this.addSql(`drop index "account_last_name_prefix";`);
    this.addSql(`drop index "account_username_prefix";`);
    this.addSql(
      `create index "account_full_name_search" on "account" ((lower(first_name || ' ' || last_name) collate "C"), organisation_id) where status <> 'DELETED';`,
    );
    this.addSql(`create index "account_last_name_search" on "account" ((lower(last_name) collate "C"), organisation_id) where status <> 'DELETED';`);
    this.addSql(`create index "account_username_search" on "account" ((username collate "C"), organisation_id) where status <> 'DELETED';`);
    this.addSql(`create index "account_email_search" on "account" ((email collate "C"), organisation_id) where status <> 'DELETED';`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "account_full_name_search";`);
    this.addSql(`drop index "account_last_name_search";`);
    this.addSql(`drop index "account_username_search";`);
    this.addSql(`drop index "account_email_search";`);
    this.addSql(`create index "account_full_name_prefix" on "account" (lower(first_name || ' ' || last_name) text_pattern_ops);`);
    this.addSql(`create index "account_last_name_prefix" on "account" (lower(last_name) text_pattern_ops);`);
    this.addSql(`create index "account_email_prefix" on "account" (email text_pattern_ops);`);
    this.addSql(`create index "account_username_prefix" on "account" (username text_pattern_ops);`);
  }
}
