import type { Button, KnownBlock } from '@slack/types';
import { escapeMrkdwn, slackDate, truncate } from './text.ts';
import type { LockoutFacts } from '../../present/lockoutFacts.ts';
import { personMention } from '../../present/people.ts';

export const HELPDESK_UNLOCK_ACTION_ID = 'helpdesk.unlock';
export const HELPDESK_LOOKUP_ACTION_ID = 'helpdesk.lookup';

/** The alert in the helpdesk channel: who, when, how many attempts, from where, with Unlock (asks first) and Look up. */
export function lockoutAlert(facts: LockoutFacts): { text: string; blocks: KnownBlock[] } {
  const who = `${facts.name} <${facts.email}>`;
  return {
    text: `${who} is locked out after ${facts.attempts} wrong passwords`,
    blocks: [
      { type: 'section', block_id: 'lockout', text: { type: 'mrkdwn', text: truncate(lockoutLine(facts, 'is'), 3000) } },
      {
        type: 'actions',
        block_id: 'lockout-actions',
        elements: [unlockButton(facts.accountId, who), lookUpButton(facts.accountId)],
      },
    ],
  };
}

/** Unlock (helpdesk and above), asking first: the alert's, and Home's beside each locked-out account. */
export function unlockButton(accountId: string, who: string): Button {
  return {
    type: 'button',
    action_id: HELPDESK_UNLOCK_ACTION_ID,
    style: 'primary',
    text: { type: 'plain_text', text: 'Unlock' },
    value: accountId,
    confirm: {
      title: { type: 'plain_text', text: 'Unlock this account?' },
      text: { type: 'plain_text', text: truncate(`Unlock ${who}? They can sign in again at once. This is recorded in the audit trail.`, 300) },
      confirm: { type: 'plain_text', text: 'Unlock' },
      deny: { type: 'plain_text', text: 'Cancel' },
    },
  };
}

export function lookUpButton(accountId: string): Button {
  return { type: 'button', action_id: HELPDESK_LOOKUP_ACTION_ID, text: { type: 'plain_text', text: 'Look up' }, value: accountId };
}

/** The same alert once someone unlocked the account: no buttons left to press, and who did it when. */
export function resolvedLockoutAlert(facts: LockoutFacts, unlockedBy: string, at: Date): { text: string; blocks: KnownBlock[] } {
  const by = personMention(unlockedBy);
  return {
    text: `${facts.name} <${facts.email}> was unlocked`,
    blocks: [
      { type: 'section', block_id: 'lockout', text: { type: 'mrkdwn', text: truncate(lockoutLine(facts, 'was'), 3000) } },
      { type: 'context', block_id: 'lockout-resolved', elements: [{ type: 'mrkdwn', text: `:unlock: Unlocked by ${by} at ${slackDate(at)}` }] },
    ],
  };
}

/** The alert's sentence: the account "is" locked out, or, once unlocked, "was". */
function lockoutLine(facts: LockoutFacts, tense: 'is' | 'was'): string {
  return `:lock: *${escapeMrkdwn(facts.name)}* ${escapeMrkdwn(`<${facts.email}>`)} (${escapeMrkdwn(facts.organisation)}) ${tense} locked out after ${facts.attempts} wrong passwords in a row, the last from ${escapeMrkdwn(facts.ip)} at ${slackDate(facts.lockedAt)}.`;
}
