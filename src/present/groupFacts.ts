import type { GroupCard } from '../db/groupCards.ts';
import { organisationName, plainText, type Fact, type Formatter } from './accountFacts.ts';

/** The group's fields as label/value pairs, in the order every surface shows them. */
export function groupFacts(card: GroupCard, format: Formatter): Fact[] {
  const more = card.subgroupCount > card.subgroups.length ? `, and ${card.subgroupCount - card.subgroups.length} more` : '';
  return [
    { label: 'Organisation', value: format.text(organisationName(card.organisation)) },
    { label: 'External ID', value: card.externalId ? format.text(card.externalId) : 'none' },
    { label: 'Owner', value: card.owner ? format.text(`${card.owner.name} <${card.owner.email}>`) : 'none' },
    { label: 'Parent', value: card.parent ? format.text(card.parent.name) : 'none (top level)' },
    { label: 'Members', value: String(card.memberCount) },
    { label: 'Subgroups', value: card.subgroupCount ? `${card.subgroupCount}: ${format.text(card.subgroups.join(', '))}${more}` : 'none' },
    { label: 'Licences', value: format.text(card.licences.map((l) => `${l.product} (${l.seats} seats)`).join(', ')) || 'none' },
    { label: 'Modules', value: format.text(card.modules.join(', ')) || 'none' },
    { label: 'Group ID', value: card.id },
  ];
}

/** The group card as plain text, for the CLI. */
export function groupCardText(card: GroupCard): string {
  const facts = groupFacts(card, plainText);
  const width = Math.max(...facts.map((f) => f.label.length));
  return [card.name, ...facts.map((f) => `  ${f.label.padEnd(width)}  ${f.value}`)].join('\n');
}
