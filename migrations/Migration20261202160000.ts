import { Migration } from '@mikro-orm/migrations';

export class Migration20261202160000 extends Migration {
  override name = 'Migration20261202160000';

  // Fewer index entries for each account change (a status change touches every index holding the account).
  // Usernames and emails are folded to lower case and compared byte for byte, so "C" changes no equality and no
  // uniqueness; it lets the unique indexes also serve prefix search and its order, which made two search indexes
  // redundant. organisation_id, status and id are included so an organisation-limited search can still be answered
  // from the index alone. Accounts without an external ID (most) leave the external ID index.
  override up(): void | Promise<void> {
    this.addSql(`drop index "account_username_search";`);
    this.addSql(`drop index "account_email_search";`);
    this.addSql(`alter table "account" drop constraint "account_username_unique", drop constraint "account_email_unique";`);
    this.addSql(`alter table "account" alter column "username" type varchar(100) collate "C", alter column "email" type varchar(320) collate "C";`);
    this.addSql(`alter table "account" add constraint "account_username_unique" unique ("username") include ("organisation_id", "status", "id");`);
    this.addSql(`alter table "account" add constraint "account_email_unique" unique ("email") include ("organisation_id", "status", "id");`);
    this.addSql(`drop index "account_organisation_external_id";`);
    this.addSql(`create unique index "account_organisation_external_id" on "account" (organisation_id, external_id) where external_id is not null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "account_organisation_external_id";`);
    this.addSql(`create unique index "account_organisation_external_id" on "account" (organisation_id, external_id);`);
    this.addSql(`alter table "account" drop constraint "account_username_unique", drop constraint "account_email_unique";`);
    this.addSql(`alter table "account" alter column "username" type varchar(100) collate "default", alter column "email" type varchar(320) collate "default";`);
    this.addSql(`alter table "account" add constraint "account_username_unique" unique ("username");`);
    this.addSql(`alter table "account" add constraint "account_email_unique" unique ("email");`);
    this.addSql(`create index "account_username_search" on "account" ((username collate "C"), organisation_id) where status <> 'DELETED';`);
    this.addSql(`create index "account_email_search" on "account" ((email collate "C"), organisation_id) where status <> 'DELETED';`);
  }
}
