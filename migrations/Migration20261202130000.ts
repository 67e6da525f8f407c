import { Migration } from '@mikro-orm/migrations';

export class Migration20261202130000 extends Migration {
  override name = 'Migration20261202130000';

  // Whether the password is a temporary one not yet replaced: a deactivated account with one comes back
  // PASSWORD_EXPIRED when reactivated, not ACTIVE. Accounts PASSWORD_EXPIRED today got there by a temporary password.
  override up(): void | Promise<void> {
    this.addSql(`alter table "account" add column "password_temporary" boolean not null default false;`);
    this.addSql(`update "account" set "password_temporary" = true where "status" = 'PASSWORD_EXPIRED';`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "account" drop column "password_temporary";`);
  }
}
