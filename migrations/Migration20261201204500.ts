import { Migration } from '@mikro-orm/migrations';

export class Migration20261201204500 extends Migration {
  override name = 'Migration20261201204500';

  // Bulk changes wait for approval too (deletions always, deactivations over an organisation's threshold): a request
  // is about one account or about a selection. Reviewed: only these.
  override up(): void | Promise<void> {
    this.addSql(`alter table "approval_request" alter column "account_id" drop not null, alter column "subject" drop not null;`);
    this.addSql(`alter table "approval_request" add "selection" jsonb null;`);
    this.addSql(`alter table "organisation" add "bulk_deactivate_approval_over" int null;`);
    this.addSql(`alter table "approval_request" drop constraint "approval_request_kind_check";`);
    this.addSql(`alter table "approval_request" add constraint "approval_request_kind_check" check ("kind" in ('delete', 'bulk'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`delete from "approval_request" where "kind" = 'bulk';`);
    this.addSql(`alter table "approval_request" drop constraint "approval_request_kind_check";`);
    this.addSql(`alter table "approval_request" add constraint "approval_request_kind_check" check ("kind" in ('delete'));`);
    this.addSql(`alter table "approval_request" drop column "selection";`);
    this.addSql(`alter table "organisation" drop column "bulk_deactivate_approval_over";`);
    this.addSql(`alter table "approval_request" alter column "account_id" set not null, alter column "subject" set not null;`);
  }
}
