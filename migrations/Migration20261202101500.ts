import { Migration } from '@mikro-orm/migrations';

export class Migration20261202101500 extends Migration {
  override name = 'Migration20261202101500';

  // Imports run as bulk jobs: a job checks its file first (checking, then previewed until Apply), and its items are the
  // file's rows, staged with what the dry run read (data), so an item has no account until the row creates one.
  // Reviewed: only these columns and checks.
  override up(): void | Promise<void> {
    this.addSql(`alter table "bulk_job" drop constraint if exists "bulk_job_state_check";`);
    this.addSql(
      `alter table "bulk_job" add constraint "bulk_job_state_check" check ("state" in ('checking', 'previewed', 'running', 'cancelling', 'cancelled', 'done', 'failed'));`,
    );
    this.addSql(`alter table "bulk_job_item" alter column "account_id" drop not null;`);
    this.addSql(`alter table "bulk_job_item" add column "data" jsonb null;`);
    this.addSql(`alter table "bulk_job_item" drop constraint if exists "bulk_job_item_state_check";`);
    this.addSql(
      `alter table "bulk_job_item" add constraint "bulk_job_item_state_check" check ("state" in ('pending', 'created', 'done', 'refused', 'unchanged'));`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`delete from "bulk_job" where "action" = 'import';`);
    this.addSql(`alter table "bulk_job_item" drop constraint if exists "bulk_job_item_state_check";`);
    this.addSql(`alter table "bulk_job_item" add constraint "bulk_job_item_state_check" check ("state" in ('pending', 'done', 'refused', 'unchanged'));`);
    this.addSql(`alter table "bulk_job_item" drop column "data";`);
    this.addSql(`alter table "bulk_job_item" alter column "account_id" set not null;`);
    this.addSql(`alter table "bulk_job" drop constraint if exists "bulk_job_state_check";`);
    this.addSql(`alter table "bulk_job" add constraint "bulk_job_state_check" check ("state" in ('running', 'cancelling', 'cancelled', 'done', 'failed'));`);
  }
}
