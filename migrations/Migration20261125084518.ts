import { Migration } from '@mikro-orm/migrations';

export class Migration20261125084518 extends Migration {
  override name = 'Migration20261125084518';

  // Mail and credentials: single-use link tokens (their SHA-256 only), the mail outbox, and the argon2 hash of a
  // temporary password. Reviewed: only these tables and the one column.
  override up(): void | Promise<void> {
    this.addSql(
      `create table "account_token" ("id" uuid not null, "account_id" uuid not null, "purpose" text not null, "hash" varchar(64) not null, "expires_at" timestamptz not null, "used_at" timestamptz null, "replaced_at" timestamptz null, "created_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(`alter table "account_token" add constraint "account_token_hash_unique" unique ("hash");`);
    this.addSql(`create index "account_token_account_id_purpose_index" on "account_token" ("account_id", "purpose");`);

    this.addSql(
      `create table "outbox_mail" ("id" uuid not null, "to" varchar(320) not null, "template" text not null, "account_id" uuid not null, "token_id" uuid null, "created_at" timestamptz not null, "sent_at" timestamptz null, "cancelled_at" timestamptz null, "attempts" int not null default 0, "last_error" varchar(1000) null, primary key ("id"));`,
    );
    this.addSql(`create index "outbox_mail_unsent" on "outbox_mail" (created_at) where sent_at is null and cancelled_at is null;`);
    this.addSql(`create index "outbox_mail_account_id_template_index" on "outbox_mail" ("account_id", "template");`);

    this.addSql(`alter table "account" add "password_hash" text null;`);

    this.addSql(
      `alter table "account_token" add constraint "account_token_account_id_foreign" foreign key ("account_id") references "account" ("id") on delete cascade;`,
    );
    this.addSql(`alter table "account_token" add constraint "account_token_purpose_check" check ("purpose" in ('invitation', 'password-reset'));`);

    this.addSql(`alter table "outbox_mail" add constraint "outbox_mail_template_check" check ("template" in ('invitation', 'password-reset'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "account_token" cascade;`);
    this.addSql(`drop table if exists "outbox_mail" cascade;`);

    this.addSql(`alter table "account" drop column "password_hash";`);
  }
}
