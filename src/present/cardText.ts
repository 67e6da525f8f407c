import type { AccountCard, AccountSummary } from '../db/accountCards.ts';
import { accountFacts, extrasFacts, groupLine, plainText, type CardTimes } from './accountFacts.ts';

/** The account card as plain text, for the CLI. */
export function accountCardText(card: AccountCard, times: CardTimes = {}): string {
  const facts = [...accountFacts(card, plainText, times), ...extrasFacts(card, plainText)];
  const width = Math.max(...facts.map((f) => f.label.length));
  return [
    `${card.firstName} ${card.lastName}`,
    ...facts.map((f) => `  ${f.label.padEnd(width)}  ${f.value}`),
    card.groups.length ? '  Groups' : '  Groups: none',
    ...card.groups.map((g) => `    - ${groupLine(g, plainText)}`),
  ].join('\n');
}

export function matchLine(match: AccountSummary): string {
  return `${match.firstName} ${match.lastName} <${match.email}> ${match.username} ${match.status} (${match.organisationSlug}) ${match.id}`;
}
