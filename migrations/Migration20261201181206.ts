import { Migration } from '@mikro-orm/migrations';

export class Migration20261201181206 extends Migration {
  override name = 'Migration20261201181206';

  // API tokens for the sign-in API (scopes as an array, so a later SCIM scope is a new value, not a new column); the
  // audit trail's actor may now be an API token; the last TOTP time step an account's sign-in accepted (no replays).
  // Reviewed: nothing else in the schema changes.
  override up(): void | Promise<void> {
    this.addSql(
      `create table "api_token" ("id" uuid not null, "organisation_id" uuid not null, "name" varchar(100) not null, "prefix" varchar(16) not null, "hash" varchar(64) not null, "scopes" text[] not null, "created_by" varchar(64) not null, "created_at" timestamptz not null, "revoked_at" timestamptz null, "revoked_by" varchar(64) null, primary key ("id"));`,
    );
    this.addSql(`alter table "api_token" add constraint "api_token_prefix_unique" unique ("prefix");`);
    this.addSql(`create index "api_token_organisation_id_index" on "api_token" ("organisation_id");`);

    this.addSql(`alter table "audit_event" drop constraint "audit_event_actor_type_check";`);
    this.addSql(`alter table "audit_event" add constraint "audit_event_actor_type_check" check ("actor_type" in ('slack', 'cli', 'system', 'api'));`);

    this.addSql(`alter table "account" add "totp_last_step" int null;`);

    this.addSql(
      `alter table "api_token" add constraint "api_token_organisation_id_foreign" foreign key ("organisation_id") references "organisation" ("id") on delete cascade;`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "api_token" cascade;`);

    this.addSql(`alter table "account" drop column "totp_last_step";`);

    this.addSql(`alter table "audit_event" drop constraint "audit_event_actor_type_check";`);
    this.addSql(`alter table "audit_event" add constraint "audit_event_actor_type_check" check ("actor_type" in ('slack', 'cli', 'system'));`);
  }
}
