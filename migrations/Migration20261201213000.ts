import { Migration } from '@mikro-orm/migrations';

export class Migration20261201213000 extends Migration {
  override name = 'Migration20261201213000';

  // SCIM provisioning keeps the identity provider's own ID for each account, unique within its organisation.
  // Reviewed: only these.
  override up(): void | Promise<void> {
    this.addSql(`alter table "account" add "external_id" varchar(255) null;`);
    this.addSql(`create unique index "account_organisation_external_id" on "account" (organisation_id, external_id);`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "account_organisation_external_id";`);
    this.addSql(`alter table "account" drop column "external_id";`);
  }
}
