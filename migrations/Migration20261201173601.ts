import { Migration } from '@mikro-orm/migrations';

export class Migration20261201173601 extends Migration {
  override name = 'Migration20261201173601';

  // Every change to a Slack user's grants is announced on the roster_slack_grant channel with their Slack user ID,
  // so each web process forgets the grants it holds for them once the change commits (a NOTIFY is delivered at
  // commit, and not at all on rollback). Cascaded deletes (an organisation removed) fire the row trigger too; a
  // truncate announces '*', everyone. Reviewed: only the trigger function and its two triggers.
  override up(): void | Promise<void> {
    this.addSql(`create function "notify_slack_grant_change"() returns trigger language plpgsql as $$
begin
  if tg_level = 'STATEMENT' then
    perform pg_notify('roster_slack_grant', '*');
    return null;
  end if;
  if tg_op in ('UPDATE', 'DELETE') then
    perform pg_notify('roster_slack_grant', old.slack_user_id);
  end if;
  if tg_op in ('INSERT', 'UPDATE') then
    perform pg_notify('roster_slack_grant', new.slack_user_id);
  end if;
  return null;
end
$$;`);
    this.addSql(
      `create trigger "slack_grant_changed" after insert or update or delete on "slack_grant" for each row execute function "notify_slack_grant_change"();`,
    );
    this.addSql(`create trigger "slack_grant_truncated" after truncate on "slack_grant" for each statement execute function "notify_slack_grant_change"();`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop trigger if exists "slack_grant_truncated" on "slack_grant";`);
    this.addSql(`drop trigger if exists "slack_grant_changed" on "slack_grant";`);
    this.addSql(`drop function if exists "notify_slack_grant_change"();`);
  }
}
