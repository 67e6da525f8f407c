import type { AccountCard, GroupOnCard } from '../db/accountCards.ts';
import { nextAutomaticTransition } from '../domain/schedule.ts';
import { explainStatus } from '../domain/statuses.ts';

/** How a surface renders dates and user-supplied text: Slack uses date tokens and escapes mrkdwn, the CLI prints plain text. */
export interface Formatter {
  date(date: Date): string;
  text(text: string): string;
  /** A Slack user: a mention in Slack, the ID elsewhere. */
  user(slackUserId: string): string;
}

/** Plain text for the CLI: dates in UTC, text and user IDs as they are. */
export const plainText: Formatter = { date: (date) => `${date.toISOString().replace('T', ' ').slice(0, 16)} UTC`, text: (text) => text, user: (id) => id };

export interface Fact {
  label: string;
  value: string;
}

/** The clock a card is read against: what is already due says so, rather than giving a past date for it. */
export interface CardTimes {
  /** When the inactivity sweep runs next (see `nextSweepRun`); without it the card says "at the next sweep". */
  nextSweepAt?: Date;
  /** The moment the card describes; now when not given. */
  now?: Date;
}

/** The account's fields as label/value pairs, in the order every surface shows them. */
export function accountFacts(card: AccountCard, format: Formatter, times: CardTimes = {}): Fact[] {
  return [
    { label: 'Status', value: statusLine(card, format, times) },
    { label: 'Role', value: card.role },
    { label: 'Email', value: format.text(card.email) },
    { label: 'Username', value: format.text(card.username) },
    { label: 'Organisation', value: format.text(organisationName(card.organisation)) },
    { label: 'Last sign-in', value: card.lastSignInAt ? format.date(card.lastSignInAt) : 'never' },
    { label: 'Added', value: format.date(card.createdAt) },
    { label: 'Modified', value: format.date(card.updatedAt) },
    {
      label: 'Sign-in',
      value: `${card.authSource === 'sso' ? 'SSO' : 'password'} · MFA ${card.mfaEnrolled ? 'enrolled' : card.organisation.mfaRequired ? 'required, not enrolled' : 'not enrolled'}`,
    },
    { label: 'User ID', value: card.id },
  ];
}

export function extrasFacts(card: AccountCard, format: Formatter): Fact[] {
  return [
    { label: 'Modules', value: format.text(card.modules.join(', ')) || 'none' },
    { label: 'Add-ons', value: format.text(card.addOns.map((a) => `${a.name}${a.active ? '' : ' (off)'}`).join(', ')) || 'none' },
    { label: 'Developer mode', value: card.developerMode ? 'on' : 'off' },
    ...(card.lastChange ? [{ label: 'Last change', value: lastChangeLine(card.lastChange, format) }] : []),
  ];
}

function lastChangeLine(change: NonNullable<AccountCard['lastChange']>, format: Formatter): string {
  const who = change.actorType === 'slack' ? format.user(change.actorId) : format.text(change.actorId);
  return `${change.action} by ${who}, ${format.date(change.at)}${change.reason ? `: “${format.text(change.reason)}”` : ''}`;
}

/** An organisation by name and slug (the slug is what `--org` takes), or once when the two are the same. */
export function organisationName(organisation: { name: string; slug: string }): string {
  return organisation.name === organisation.slug ? organisation.slug : `${organisation.name} (${organisation.slug})`;
}

export function statusLine(card: AccountCard, format: Formatter, times: CardTimes = {}): string {
  const now = times.now ?? new Date();
  const meaning = [explainStatus(card.status), card.statusReason ? format.text(card.statusReason) : null].filter(Boolean).join(': ');
  const parts = [`${card.status}${meaning ? ` (${meaning})` : ''} since ${format.date(card.statusChangedAt)}`];
  const next = nextAutomaticTransition(card, card.organisation);
  if (next?.what === 'suspension-ends') parts.push(`suspension ends ${format.date(next.at)}`);
  if (next?.what === 'inactivity-suspension') parts.push(inactivityLine(next.at, now, times.nextSweepAt, format));
  if (next?.what === 'auto-unlock') parts.push(next.at > now ? `unlocks by itself ${format.date(next.at)}` : 'unlocks by itself within a minute');
  if (next?.what === 'purge') parts.push(`purged for good on ${format.date(next.at)}`);
  if (card.failedSignIns > 0 && card.status !== 'LOCKED_OUT') parts.push(`${card.failedSignIns} failed sign-in${card.failedSignIns === 1 ? '' : 's'}`);
  return parts.join('; ');
}

// Past its date an account stays ACTIVE until the sweep reaches it: say that it is due and when that is, not a past
// date for a suspension that has not happened.
function inactivityLine(dueAt: Date, now: Date, nextSweepAt: Date | undefined, format: Formatter): string {
  if (dueAt.getTime() > now.getTime()) return `suspended for inactivity on ${format.date(dueAt)} without a sign-in`;
  const sweep = nextSweepAt ? ` (${format.date(nextSweepAt)})` : '';
  return `due for suspension for inactivity since ${format.date(dueAt)}, at the next sweep${sweep}`;
}

export function groupLine(group: GroupOnCard, format: Formatter): string {
  const licences = group.licences.map((l) => `${l.product} (${l.seats} seats)`).join(', ') || 'none';
  return [
    `${format.text(group.name)}: ${group.role}`,
    `owner ${format.text(group.owner ?? 'none')}`,
    `${group.memberCount} member${group.memberCount === 1 ? '' : 's'}`,
    `licences ${format.text(licences)}`,
    `modules ${format.text(group.modules.join(', ') || 'none')}`,
  ].join(' · ');
}
