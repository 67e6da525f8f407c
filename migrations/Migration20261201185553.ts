import { Migration } from '@mikro-orm/migrations';

export class Migration20261201185553 extends Migration {
  override name = 'Migration20261201185553';

  // An organisation's automatic unlock of lockouts (null: off). Reviewed: only this column.
  override up(): void | Promise<void> {
    this.addSql(`alter table "organisation" add "auto_unlock_minutes" int null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "organisation" drop column "auto_unlock_minutes";`);
  }
}
