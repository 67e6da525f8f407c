import type { KnownBlock, ModalView } from '@slack/types';
import { requestLabel } from '../../actions/approvals/approvals.ts';
import type { PendingRequests } from '../../actions/approvals/listApprovals.ts';
import type { ApprovalFacts } from '../../present/approvalFacts.ts';
import { personMention } from '../../present/people.ts';
import { escapeMrkdwn, slackDate, truncate } from './text.ts';

export const APPROVE_ACTION_ID = 'approval.approve';
export const REJECT_ACTION_ID = 'approval.reject';
export const REJECT_CALLBACK_ID = 'approval.reject.reason';

type Message = { text: string; blocks: KnownBlock[] };

const who = requestLabel;
/** The change asked for: a deletion (one account or many), or another bulk change (`deactivate`). */
const verbOf = (facts: ApprovalFacts) => (facts.grantee ? 'make an owner' : (facts.selection?.change ?? 'delete'));
const isDeletion = (facts: ApprovalFacts) => verbOf(facts) === 'delete';
/** Whom the request is about, in mrkdwn: a Slack user stays a mention, an account's name and email are escaped. */
const whoMrkdwn = (facts: ApprovalFacts) => (facts.grantee ? personMention(facts.grantee) : escapeMrkdwn(who(facts)));

/** What approvers are shown of whom the request deletes: the account's facts, or the selection's size and filter. */
function subjectFields(facts: ApprovalFacts): string[] {
  if (facts.grantee) return [`*Slack user*\n${personMention(facts.grantee)}`, `*Role*\nowner of ${escapeMrkdwn(facts.organisation)}`];
  if (facts.subject) return [`*Username*\n${escapeMrkdwn(facts.subject.username)}`, `*Status*\n${facts.subject.status}`, `*Role*\n${facts.subject.role}`];
  const selection = facts.selection!;
  return [`*Accounts*\n${selection.count.toLocaleString('en')} when asked`, `*Selection*\n${escapeMrkdwn(selection.description)}`];
}

/**
 * The request as approvers see it: the account's facts, who asked and why, when it expires, and while it waits the
 * buttons (left out where the reader may not decide, as in the requester's own `/users approvals`).
 */
export function approvalRequestMessage(facts: ApprovalFacts, { decidable = true }: { decidable?: boolean } = {}): Message {
  const pending = facts.state === 'pending';
  return {
    text: pending ? `${personMention(facts.requestedBy)} asks to ${verbOf(facts)} ${who(facts)}` : `Request to ${verbOf(facts)} ${who(facts)}: ${facts.state}`,
    blocks: [
      {
        type: 'section',
        block_id: `approval-request-${facts.id}`,
        text: {
          type: 'mrkdwn',
          text: truncate(
            `${isDeletion(facts) ? ':wastebasket:' : ':raised_hand:'} ${personMention(facts.requestedBy)} asks to *${verbOf(facts)}* ${whoMrkdwn(facts)}`,
            3000,
          ),
        },
        fields: [
          { type: 'mrkdwn', text: truncate(`*Organisation*\n${escapeMrkdwn(facts.organisation)}`, 2000) },
          ...subjectFields(facts).map((text) => ({ type: 'mrkdwn' as const, text: truncate(text, 2000) })),
          { type: 'mrkdwn', text: truncate(`*Reason*\n${escapeMrkdwn(facts.reason)}`, 2000) },
          { type: 'mrkdwn', text: `*Expires*\n${slackDate(facts.expiresAt)}` },
        ],
      },
      { type: 'context', block_id: `approval-policy-${facts.id}`, elements: [{ type: 'mrkdwn', text: policyLine(facts) }] },
      ...(pending ? (decidable ? [decisionButtons(facts)] : []) : [outcomeBlock(facts)]),
    ],
  };
}

/** Told to the requester in a DM: the request waits (with its link), or how it was decided. */
export function requesterNotice(facts: ApprovalFacts, link: string | undefined): Message {
  const opening = `Your request to ${verbOf(facts)} ${whoMrkdwn(facts)}`;
  const where = link ? `<${link}|in the approvals channel>` : 'in `/users approvals` (no approvals channel is set)';
  const text =
    facts.state === 'pending' ? `${opening} waits for a second approver ${where} until ${slackDate(facts.expiresAt)}.` : `${opening}: ${outcomeText(facts)}`;
  return {
    text: `Your request to ${verbOf(facts)} ${who(facts)}: ${facts.state}`,
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: truncate(text, 3000) } }],
  };
}

function policyLine(facts: ApprovalFacts): string {
  if (facts.grantee) return 'Once approved, they can do everything in this organisation, approving requests included.';
  if (!isDeletion(facts)) return `Once approved, a job makes the change account by account, as \`/user ${verbOf(facts)}\` would, under the approver's grant.`;
  return facts.deletionPolicy === 'hard'
    ? ':warning: This organisation deletes for good: once approved, the account cannot be recovered.'
    : 'Once approved, the account disappears from lookups, lists and sign-in at once; it can be restored for 30 days, then it is purged.';
}

function decisionButtons(facts: ApprovalFacts): KnownBlock {
  return {
    type: 'actions',
    block_id: `approval-actions-${facts.id}`,
    elements: [
      {
        type: 'button',
        action_id: APPROVE_ACTION_ID,
        style: 'danger',
        text: { type: 'plain_text', text: 'Approve' },
        value: facts.id,
        confirm: {
          title: { type: 'plain_text', text: 'Approve this request?' },
          text: {
            type: 'plain_text',
            text: truncate(`${capitalised(verbOf(facts))} ${who(facts)}? ${undoLine(facts)} This is recorded in the audit trail.`, 300),
          },
          confirm: { type: 'plain_text', text: 'Approve' },
          deny: { type: 'plain_text', text: 'Cancel' },
          style: 'danger',
        },
      },
      { type: 'button', action_id: REJECT_ACTION_ID, text: { type: 'plain_text', text: 'Reject…' }, value: facts.id },
    ],
  };
}

function undoLine(facts: ApprovalFacts): string {
  if (facts.grantee) return 'The grant can be revoked later.';
  if (!isDeletion(facts)) return 'Each account can be changed back one by one.';
  return facts.deletionPolicy === 'hard' ? 'This cannot be undone.' : 'It can be restored for 30 days.';
}

const capitalised = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

function outcomeBlock(facts: ApprovalFacts): KnownBlock {
  return { type: 'context', block_id: `approval-outcome-${facts.id}`, elements: [{ type: 'mrkdwn', text: truncate(outcomeText(facts), 3000) }] };
}

function outcomeText(facts: ApprovalFacts): string {
  const when = facts.decidedAt ? slackDate(facts.decidedAt) : '';
  if (facts.state === 'approved')
    return `:white_check_mark: Approved by ${personMention(facts.decidedBy ?? '')} at ${when}: ${whoMrkdwn(facts)} ${escapeMrkdwn(facts.decisionNote ?? 'is deleted')}.`;
  if (facts.state === 'rejected')
    return `:no_entry_sign: Rejected by ${personMention(facts.decidedBy ?? '')} at ${when}, because “${escapeMrkdwn(facts.decisionNote ?? '')}”. The account is unchanged.`;
  return `:hourglass: Expired at ${slackDate(facts.expiresAt)} without a decision. The account is unchanged; ask again if it is still needed.`;
}

/** Asks the rejecter why; the request's ID travels in the view's metadata. */
export function rejectReasonModal(requestId: string): ModalView {
  return {
    type: 'modal',
    callback_id: REJECT_CALLBACK_ID,
    private_metadata: requestId,
    title: { type: 'plain_text', text: 'Reject request' },
    submit: { type: 'plain_text', text: 'Reject' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      {
        type: 'section',
        text: { type: 'mrkdwn', text: 'Nothing is changed. Say why: the requester is told your reason, and the audit trail keeps it.' },
      },
      {
        type: 'input',
        block_id: 'reason',
        label: { type: 'plain_text', text: 'Reason' },
        element: { type: 'plain_text_input', action_id: 'reason', max_length: 500 },
      },
    ],
  };
}

/** `/users approvals`: the requests that wait, each with its buttons for a reader who may decide it. */
export function pendingRequestsReply(pending: PendingRequests): Message {
  if (pending.total === 0) {
    const text = 'No requests wait for a decision in your organisations.';
    return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `:white_check_mark: ${text}` } }] };
  }
  const shown = pending.requests.length;
  const text = `${pending.total} request${pending.total === 1 ? '' : 's'} wait${pending.total === 1 ? 's' : ''} for a decision`;
  return {
    text,
    blocks: [
      { type: 'header', text: { type: 'plain_text', text } },
      ...pending.requests.flatMap((request): KnownBlock[] => [
        ...approvalRequestMessage(request, { decidable: request.mayDecide }).blocks,
        { type: 'divider' },
      ]),
      ...(pending.total > shown
        ? [{ type: 'context' as const, elements: [{ type: 'mrkdwn' as const, text: `The oldest ${shown} are shown; decide them to see the next.` }] }]
        : []),
    ],
  };
}
