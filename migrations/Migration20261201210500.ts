import { Migration } from '@mikro-orm/migrations';

export class Migration20261201210500 extends Migration {
  override name = 'Migration20261201210500';

  // An organisation may send grants of its owner role for approval: a request then names the Slack user it would make
  // owner. Reviewed: only these.
  override up(): void | Promise<void> {
    this.addSql(`alter table "organisation" add "owner_grants_need_approval" boolean not null default false;`);
    this.addSql(`alter table "approval_request" add "grantee" varchar(64) null;`);
    this.addSql(`alter table "approval_request" drop constraint "approval_request_kind_check";`);
    this.addSql(`alter table "approval_request" add constraint "approval_request_kind_check" check ("kind" in ('delete', 'bulk', 'grant-owner'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`delete from "approval_request" where "kind" = 'grant-owner';`);
    this.addSql(`alter table "approval_request" drop constraint "approval_request_kind_check";`);
    this.addSql(`alter table "approval_request" add constraint "approval_request_kind_check" check ("kind" in ('delete', 'bulk'));`);
    this.addSql(`alter table "approval_request" drop column "grantee";`);
    this.addSql(`alter table "organisation" drop column "owner_grants_need_approval";`);
  }
}
