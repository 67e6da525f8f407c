import type { KnownBlock } from '@slack/types';
import { BULK_CHANGE_NAMES, bulkChangeTakes } from '../../actions/accounts/bulk/bulkChanges.ts';
import { ACCOUNT_ROLES } from '../../domain/accounts.ts';
import { SORT_FIELDS, statusWord } from '../../domain/accountFilter.ts';
import { ACCOUNT_STATUSES } from '../../domain/statuses.ts';
import { mrkdwnSentence, truncate } from './text.ts';

/** A subcommand that is still to come says so, rather than being read as a filter. */
export function usersNotYet(subcommand: string): string {
  return `\`/users ${subcommand}\` is not in this version of Roster yet. \`/users help\` shows what is; \`/user <who>\` works on one account.`;
}

/** The subcommands of /users whose usage is read first when the problem is theirs (the list's comes first anyway). */
export type UsersSubcommand = 'import' | 'bulk' | 'export';

/** Usage of /users: the list and its filters, then the other subcommands, with `first`'s line at the top. */
export function usersUsageLines(first?: UsersSubcommand): string[] {
  const lines = usersLines();
  const own = first ? lines.findIndex((line) => new RegExp(`^\`/users ${first}[ \`]`).test(line)) : -1;
  return own < 0 ? ['*Usage*', ...lines] : ['*Usage*', lines[own]!, ...lines.filter((_, i) => i !== own)];
}

function usersLines(): string[] {
  return [
    '`/users` or `/users list [filters] [text]`: a page of accounts (every status but deactivated), with Next / Previous',
    `\`status:<s>\` (several: \`status:a,b\` or repeat it): ${ACCOUNT_STATUSES.map((s) => `\`${statusWord(s)}\``).join(', ')}; deactivated accounts show with \`status:deactivated\``,
    '`group:<name or external ID>` (quote names with spaces: `group:"Field Crew"`), `org:<slug>`',
    `\`role:<r>\`: ${ACCOUNT_ROLES.map((r) => `\`${r}\``).join(', ')}`,
    '`inactive>:<days>`: no sign-in (or, never signed in, added) more than that many days ago',
    `\`sort:<field>\` or \`sort:-<field>\` (descending): ${SORT_FIELDS.map((f) => `\`${f}\``).join(', ')}; default \`sort:last-name\``,
    'Other words match the start of a first name, last name, full name, username or email.',
    'Example: `/users list status:locked-out,suspended org:acme sort:-last-sign-in`',
    '`/users import` (admin): a form to share a CSV or XLSX file of accounts, checked in a dry run before Apply; `/users import template`: an example file',
    `\`/users bulk <change> [filters] [--reason <text>]\` (admin): a preview, then Confirm, of one change to every account the filters select; changes: ${bulkChangeUsage()}`,
    '`/users export [filters] [format:csv|xlsx]` (admin): the accounts as a file; `/users jobs`: your running and recent bulk jobs and imports',
    '`/users approvals`: the deletion requests that wait for a decision, with Approve / Reject',
    '`/users help`: this help',
  ];
}

export function usersUsageBlocks(problem?: string, first?: UsersSubcommand): KnownBlock[] {
  return [
    ...(problem
      ? [{ type: 'section', block_id: 'problem', text: { type: 'mrkdwn', text: truncate(`:warning: ${mrkdwnSentence(problem)}`, 3000) } } as KnownBlock]
      : []),
    { type: 'section', block_id: 'usage', text: { type: 'mrkdwn', text: truncate(usersUsageLines(first).map(mrkdwnSentence).join('\n'), 3000) } },
  ];
}

/** `deactivate`, …, `role <user|manager|administrator>`, `add-to-group <group>` (a group's name in quotes when it has spaces). */
function bulkChangeUsage(): string {
  const after = { role: ` <${ACCOUNT_ROLES.join('|')}>`, group: ' <group>' };
  const changes = BULK_CHANGE_NAMES.map((name) => {
    const takes = bulkChangeTakes(name);
    return `\`${name}${takes ? after[takes] : ''}\``;
  });
  return `${changes.join(', ')} (quote group names with spaces: \`"Field Crew"\`)`;
}
