import type { KnownBlock } from '@slack/types';
import { ACCOUNT_ROLES } from '../../domain/accounts.ts';
import { SORT_FIELDS, statusWord } from '../../domain/accountFilter.ts';
import { ACCOUNT_STATUSES } from '../../domain/statuses.ts';
import { truncate } from './text.ts';

export const USERS_NOT_YET = 'Approvals and audit in `/users` are not in this version of Roster yet. `/users list` lists accounts; `/user <who>` works on one.';

/** Usage of /users: the list and its filters. */
export function usersUsageLines(): string[] {
  return [
    '*Usage*',
    '`/users` or `/users list [filters] [text]`: a page of accounts (every status but deactivated), with Next / Previous',
    `\`status:<s>\` (several: \`status:a,b\` or repeat it): ${ACCOUNT_STATUSES.map((s) => `\`${statusWord(s)}\``).join(', ')}; deactivated accounts show with \`status:deactivated\``,
    '`group:<name or external ID>` (quote names with spaces: `group:"Field Crew"`), `org:<slug>`',
    `\`role:<r>\`: ${ACCOUNT_ROLES.map((r) => `\`${r}\``).join(', ')}`,
    '`inactive>:<days>`: no sign-in (or, never signed in, added) more than that many days ago',
    `\`sort:<field>\` or \`sort:-<field>\` (descending): ${SORT_FIELDS.map((f) => `\`${f}\``).join(', ')}; default \`sort:last-name\``,
    'Other words match the start of a first name, last name, full name, username or email.',
    'Example: `/users list status:locked-out,suspended org:acme sort:-last-sign-in`',
    '`/users import`: a form to share a CSV or XLSX file of accounts, checked in a dry run before Apply; `/users import template`: an example file',
    '`/users export [filters] [format:csv|xlsx]`, `/users bulk <change> [filters] [--reason <text>]`, `/users jobs`: export, change many, running jobs',
    '`/users help`: this help',
  ];
}

export function usersUsageBlocks(problem?: string): KnownBlock[] {
  return [
    ...(problem ? [{ type: 'section', block_id: 'problem', text: { type: 'mrkdwn', text: truncate(`:warning: ${problem}`, 3000) } } as KnownBlock] : []),
    { type: 'section', block_id: 'usage', text: { type: 'mrkdwn', text: truncate(usersUsageLines().join('\n'), 3000) } },
  ];
}
