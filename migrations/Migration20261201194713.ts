import { Migration } from '@mikro-orm/migrations';

export class Migration20261201194713 extends Migration {
  override name = 'Migration20261201194713';

  // Deletion requests waiting for a second person, and who approves them per organisation. Reviewed: only these.
  override up(): void | Promise<void> {
    this.addSql(
      `create table "approval_request" ("id" uuid not null, "organisation_id" uuid not null, "kind" text not null, "account_id" uuid not null, "subject" jsonb not null, "reason" varchar(500) not null, "requested_by" varchar(64) not null, "requested_at" timestamptz not null, "expires_at" timestamptz not null, "state" text not null default 'pending', "decided_by" varchar(64) null, "decided_at" timestamptz null, "decision_note" varchar(500) null, "channel" varchar(64) null, "message_ts" varchar(64) null, primary key ("id"));`,
    );
    this.addSql(`create unique index "approval_request_pending_account" on "approval_request" (account_id) where state = 'pending';`);
    this.addSql(`create index "approval_request_pending_expiry" on "approval_request" (expires_at) where state = 'pending';`);

    this.addSql(`alter table "organisation" add "approvers" text not null default 'owners', add "approval_hours" int not null default 24;`);
    this.addSql(`alter table "organisation" add constraint "organisation_approvers_check" check ("approvers" in ('owners', 'admins'));`);

    this.addSql(
      `alter table "approval_request" add constraint "approval_request_organisation_id_foreign" foreign key ("organisation_id") references "organisation" ("id");`,
    );
    this.addSql(`alter table "approval_request" add constraint "approval_request_kind_check" check ("kind" in ('delete'));`);
    this.addSql(
      `alter table "approval_request" add constraint "approval_request_state_check" check ("state" in ('pending', 'approved', 'rejected', 'expired'));`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "approval_request" cascade;`);

    this.addSql(`alter table "organisation" drop constraint "organisation_approvers_check";`);
    this.addSql(`alter table "organisation" drop column "approvers", drop column "approval_hours";`);
  }
}
