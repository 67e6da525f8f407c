import { Migration } from '@mikro-orm/migrations';

export class Migration20261202140000 extends Migration {
  override name = 'Migration20261202140000';

  // Rows that a wrong-credentials answer writes when no account's count changes, so that it writes as a counted wrong
  // password does and takes as long (src/db/signInCredentials.ts). They hold nothing of anyone.
  override up(): void | Promise<void> {
    this.addSql(`create table "sign_in_decoy" ("slot" int primary key, "failures" bigint not null default 0);`);
    this.addSql(`insert into "sign_in_decoy" ("slot") select generate_series(0, 1023);`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table "sign_in_decoy";`);
  }
}
