import { Migration } from '@mikro-orm/migrations';

export class Migration20261125075031 extends Migration {
  override name = 'Migration20261125075031';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "audit_event" ("id" bigserial primary key, "at" timestamptz not null, "actor_type" text not null, "actor_id" varchar(64) not null, "actor_role" varchar(32) null, "actor_grant_organisation_id" uuid null, "action" varchar(64) not null, "outcome" text not null, "target_type" varchar(32) null, "target_id" varchar(64) null, "target_label" varchar(500) null, "organisation_id" uuid null, "changes" jsonb null, "reason" varchar(500) null, "detail" varchar(1000) null, "approval_id" varchar(64) null, "job_id" varchar(128) null);`,
    );
    this.addSql(`create index "audit_event_target_id_at_index" on "audit_event" ("target_id", "at");`);
    this.addSql(`create index "audit_event_at_index" on "audit_event" ("at");`);
    this.addSql(`create index "audit_event_actor_id_at_index" on "audit_event" ("actor_id", "at");`);
    this.addSql(`alter table "audit_event" add constraint "audit_event_actor_type_check" check ("actor_type" in ('slack', 'cli', 'system'));`);
    this.addSql(`alter table "audit_event" add constraint "audit_event_outcome_check" check ("outcome" in ('done', 'refused'));`);

    this.addSql(
      `create table "feature" ("id" uuid not null, "key" varchar(100) not null, "name" varchar(200) not null, "kind" text not null, primary key ("id"));`,
    );
    this.addSql(`alter table "feature" add constraint "feature_key_unique" unique ("key");`);
    this.addSql(`alter table "feature" add constraint "feature_kind_check" check ("kind" in ('module', 'add_on'));`);

    this.addSql(
      `create table "organisation" ("id" uuid not null, "slug" varchar(63) not null, "name" varchar(200) not null, "lockout_threshold" int not null default 10, "inactivity_days" int not null default 90, "deletion_policy" text not null default 'soft', "mfa_required" boolean not null default false, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(`alter table "organisation" add constraint "organisation_slug_unique" unique ("slug");`);
    this.addSql(`alter table "organisation" add constraint "organisation_deletion_policy_check" check ("deletion_policy" in ('soft', 'hard', 'never'));`);

    this.addSql(
      `create table "account" ("id" uuid not null, "organisation_id" uuid not null, "username" varchar(100) not null, "email" varchar(320) not null, "first_name" varchar(100) not null, "last_name" varchar(100) not null, "status" text not null, "status_reason" varchar(500) null, "status_changed_at" timestamptz not null, "suspended_until" timestamptz null, "role" text not null default 'user', "auth_source" text not null default 'local', "mfa_enrolled" boolean not null default false, "developer_mode" boolean not null default false, "failed_sign_ins" int not null default 0, "last_sign_in_at" timestamptz null, "deleted_at" timestamptz null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, primary key ("id"));`,
    );
    this.addSql(`alter table "account" add constraint "account_username_unique" unique ("username");`);
    this.addSql(`alter table "account" add constraint "account_email_unique" unique ("email");`);
    this.addSql(`create index "account_full_name_prefix" on "account" (lower(first_name || ' ' || last_name) text_pattern_ops);`);
    this.addSql(`create index "account_last_name_prefix" on "account" (lower(last_name) text_pattern_ops);`);
    this.addSql(`create index "account_email_prefix" on "account" (email text_pattern_ops);`);
    this.addSql(`create index "account_username_prefix" on "account" (username text_pattern_ops);`);
    this.addSql(`create index "account_inactivity_sweep" on "account" (organisation_id, coalesce(last_sign_in_at, created_at)) where status = 'ACTIVE';`);
    this.addSql(`create index "account_organisation_status" on "account" ("organisation_id", "status");`);
    this.addSql(
      `alter table "account" add constraint "account_status_check" check ("status" in ('STAGED', 'INVITED', 'ACTIVE', 'RECOVERY', 'PASSWORD_EXPIRED', 'LOCKED_OUT', 'SUSPENDED', 'DEACTIVATED', 'DELETED'));`,
    );
    this.addSql(`alter table "account" add constraint "account_role_check" check ("role" in ('user', 'manager', 'administrator'));`);
    this.addSql(`alter table "account" add constraint "account_auth_source_check" check ("auth_source" in ('local', 'sso'));`);

    this.addSql(
      `create table "account_group" ("id" uuid not null, "organisation_id" uuid not null, "name" varchar(200) not null, "external_id" varchar(200) null, "owner_id" uuid null, "parent_id" uuid null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, primary key ("id"));`,
    );
    this.addSql(`alter table "account_group" add constraint "account_group_organisation_id_name_unique" unique ("organisation_id", "name");`);
    this.addSql(`alter table "account_group" add constraint "account_group_organisation_id_external_id_unique" unique ("organisation_id", "external_id");`);

    this.addSql(
      `create table "membership" ("account_id" uuid not null, "group_id" uuid not null, "role" text not null default 'member', "created_at" timestamptz not null, primary key ("account_id", "group_id"));`,
    );
    this.addSql(`create index "membership_group_id_index" on "membership" ("group_id");`);
    this.addSql(`alter table "membership" add constraint "membership_role_check" check ("role" in ('member', 'editor', 'manager'));`);

    this.addSql(
      `create table "licence" ("id" uuid not null, "group_id" uuid not null, "product" varchar(200) not null, "seats" int not null, "expires_at" timestamptz null, "created_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(`create index "licence_group_id_index" on "licence" ("group_id");`);

    this.addSql(
      `create table "group_feature" ("group_id" uuid not null, "feature_id" uuid not null, "active" boolean not null default true, "created_at" timestamptz not null, primary key ("group_id", "feature_id"));`,
    );

    this.addSql(
      `create table "account_feature" ("account_id" uuid not null, "feature_id" uuid not null, "active" boolean not null default true, "created_at" timestamptz not null, primary key ("account_id", "feature_id"));`,
    );

    this.addSql(
      `create table "slack_grant" ("id" uuid not null, "slack_user_id" varchar(32) not null, "role" text not null, "organisation_id" uuid null, "granted_by" varchar(64) not null, "created_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(
      `create unique index "slack_grant_user_scope_unique" on "slack_grant" (slack_user_id, coalesce(organisation_id, '00000000-0000-0000-0000-000000000000'::uuid));`,
    );
    this.addSql(`alter table "slack_grant" add constraint "slack_grant_role_check" check ("role" in ('viewer', 'helpdesk', 'admin', 'owner'));`);

    this.addSql(`alter table "account" add constraint "account_organisation_id_foreign" foreign key ("organisation_id") references "organisation" ("id");`);

    this.addSql(
      `alter table "account_group" add constraint "account_group_organisation_id_foreign" foreign key ("organisation_id") references "organisation" ("id");`,
    );
    this.addSql(
      `alter table "account_group" add constraint "account_group_owner_id_foreign" foreign key ("owner_id") references "account" ("id") on delete set null;`,
    );
    this.addSql(
      `alter table "account_group" add constraint "account_group_parent_id_foreign" foreign key ("parent_id") references "account_group" ("id") on delete set null;`,
    );

    this.addSql(
      `alter table "membership" add constraint "membership_account_id_foreign" foreign key ("account_id") references "account" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "membership" add constraint "membership_group_id_foreign" foreign key ("group_id") references "account_group" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "licence" add constraint "licence_group_id_foreign" foreign key ("group_id") references "account_group" ("id") on delete cascade;`,
    );

    this.addSql(
      `alter table "group_feature" add constraint "group_feature_group_id_foreign" foreign key ("group_id") references "account_group" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "group_feature" add constraint "group_feature_feature_id_foreign" foreign key ("feature_id") references "feature" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "account_feature" add constraint "account_feature_account_id_foreign" foreign key ("account_id") references "account" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "account_feature" add constraint "account_feature_feature_id_foreign" foreign key ("feature_id") references "feature" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "slack_grant" add constraint "slack_grant_organisation_id_foreign" foreign key ("organisation_id") references "organisation" ("id") on delete cascade;`,
    );

    // Added by hand: Roster works out of the box with one organisation; `roster org create` adds more.
    this.addSql(
      `insert into "organisation" ("id", "slug", "name", "created_at", "updated_at") values (gen_random_uuid(), 'default', 'Default organisation', now(), now());`,
    );
  }
}
