import { Migration } from '@mikro-orm/migrations';

export class Migration20261201181223 extends Migration {
  override name = 'Migration20261201181223';

  // The confirmed TOTP secret of an account, and the short-lived token of the enrolment step that follows a password
  // set from a mailed link. Reviewed: only this column and this check constraint.
  override up(): void | Promise<void> {
    this.addSql(`alter table "account" add "totp_secret" text null;`);

    this.addSql(`alter table "account_token" drop constraint "account_token_purpose_check";`);
    this.addSql(
      `alter table "account_token" add constraint "account_token_purpose_check" check ("purpose" in ('invitation', 'password-reset', 'mfa-enrolment'));`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "account" drop column "totp_secret";`);

    this.addSql(`delete from "account_token" where "purpose" = 'mfa-enrolment';`);
    this.addSql(`alter table "account_token" drop constraint "account_token_purpose_check";`);
    this.addSql(`alter table "account_token" add constraint "account_token_purpose_check" check ("purpose" in ('invitation', 'password-reset'));`);
  }
}
