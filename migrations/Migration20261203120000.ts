import { Migration } from '@mikro-orm/migrations';

export class Migration20261203120000 extends Migration {
  override name = 'Migration20261203120000';

  // An import row that creates its account leaves the job's items and is counted on the job
  // (src/db/importedAccounts.ts): deleting the item costs a fraction of writing it again as created.
  override up(): void | Promise<void> {
    this.addSql(`alter table "bulk_job" add column "created" int not null default 0;`);
    this.addSql(
      `update "bulk_job" b set "created" = c.n from (select job_id, count(*) as n from "bulk_job_item" where state = 'created' group by job_id) c where c.job_id = b.id;`,
    );
    this.addSql(`delete from "bulk_job_item" where state = 'created';`);
    this.addSql(`alter table "bulk_job_item" drop constraint "bulk_job_item_state_check";`);
    this.addSql(`alter table "bulk_job_item" add constraint "bulk_job_item_state_check" check ("state" in ('pending', 'done', 'refused', 'unchanged'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "bulk_job_item" drop constraint "bulk_job_item_state_check";`);
    this.addSql(
      `alter table "bulk_job_item" add constraint "bulk_job_item_state_check" check ("state" in ('pending', 'created', 'done', 'refused', 'unchanged'));`,
    );
    this.addSql(`alter table "bulk_job" drop column "created";`);
  }
}
