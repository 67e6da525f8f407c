import type { AccountPage } from '../actions/accounts/listAccounts.ts';
import type { AccountListRow } from '../db/accountList.ts';
import type { Formatter } from './accountFacts.ts';
import { plainText } from './accountFacts.ts';

/** "1 account matches", "20 accounts match". */
export function matchCount(total: number): string {
  return `${total.toLocaleString('en')} account${total === 1 ? ' matches' : 's match'}`;
}

/** An account's list columns after its name (seed 004's: username, email, status, role, last sign-in, added, modified). */
export function accountListDetails(row: AccountListRow, format: Formatter): string {
  return [
    format.text(row.username),
    format.text(row.email),
    row.status,
    row.role,
    `last sign-in ${row.lastSignInAt ? format.date(row.lastSignInAt) : 'never'}`,
    `added ${format.date(row.createdAt)}`,
    `modified ${format.date(row.updatedAt)}`,
    format.text(row.organisationSlug),
  ].join(' · ');
}

/** The page as text for the CLI, with the command that continues it. */
export function accountPageText(page: AccountPage, command: string): string {
  const filter = page.filter ? ` ${page.filter}` : '';
  return [
    `${matchCount(page.total)}. ${page.description}.`,
    ...page.accounts.map((row) => `  ${row.firstName} ${row.lastName} · ${accountListDetails(row, plainText)} · ${row.id}`),
    ...(page.next ? [`Next page: ${command}${filter} --after ${page.next}`] : []),
    ...(page.previous ? [`Previous page: ${command}${filter} --before ${page.previous}`] : []),
  ].join('\n');
}
