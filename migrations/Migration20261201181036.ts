import { Migration } from '@mikro-orm/migrations';

export class Migration20261201181036 extends Migration {
  override name = 'Migration20261201181036';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "bulk_job" ("id" uuid not null, "action" varchar(64) not null, "params" jsonb not null, "description" varchar(500) not null, "requested_by" varchar(64) not null, "state" text not null default 'running', "total" int not null, "channel" varchar(64) null, "message_ts" varchar(64) null, "created_at" timestamptz not null, "cancel_requested_at" timestamptz null, "finished_at" timestamptz null, primary key ("id"));`,
    );
    this.addSql(`create index "bulk_job_requested_by_created_at_index" on "bulk_job" ("requested_by", "created_at");`);

    this.addSql(
      `create table "bulk_job_item" ("job_id" uuid not null, "seq" int not null, "account_id" uuid not null, "state" text not null default 'pending', "detail" varchar(500) null, primary key ("job_id", "seq"));`,
    );
    this.addSql(`create index "bulk_job_item_pending" on "bulk_job_item" (job_id, seq) where state = 'pending';`);

    this.addSql(`alter table "bulk_job" add constraint "bulk_job_state_check" check ("state" in ('running', 'cancelling', 'cancelled', 'done', 'failed'));`);

    this.addSql(
      `alter table "bulk_job_item" add constraint "bulk_job_item_job_id_foreign" foreign key ("job_id") references "bulk_job" ("id") on delete cascade;`,
    );
    this.addSql(`alter table "bulk_job_item" add constraint "bulk_job_item_state_check" check ("state" in ('pending', 'done', 'refused', 'unchanged'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "bulk_job_item" drop constraint "bulk_job_item_job_id_foreign";`);

    this.addSql(`drop table if exists "bulk_job" cascade;`);
    this.addSql(`drop table if exists "bulk_job_item" cascade;`);
  }
}
