import { Migration } from '@mikro-orm/migrations';

export class Migration20261201185116 extends Migration {
  override name = 'Migration20261201185116';

  // The helpdesk channel's lockout alerts, so an unlock from anywhere edits its alert. Reviewed: only this table.
  override up(): void | Promise<void> {
    this.addSql(
      `create table "helpdesk_alert" ("id" uuid not null, "account_id" uuid not null, "locked_at" timestamptz not null, "attempts" int not null, "ip" varchar(64) not null, "channel" varchar(64) null, "message_ts" varchar(64) null, "resolved_at" timestamptz null, "resolved_by" varchar(64) null, primary key ("id"));`,
    );
    this.addSql(`create index "helpdesk_alert_open" on "helpdesk_alert" (account_id) where resolved_at is null;`);
    this.addSql(`alter table "helpdesk_alert" add constraint "helpdesk_alert_account_id_locked_at_unique" unique ("account_id", "locked_at");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "helpdesk_alert" cascade;`);
  }
}
