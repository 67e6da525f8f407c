import { Migration } from '@mikro-orm/migrations';

export class Migration20261203160000 extends Migration {
  override name = 'Migration20261203160000';

  override up(): void | Promise<void> {
    this.addSql(`alter table "bulk_job_item" set unlogged;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "bulk_job_item" set logged;`);
  }
}
