import type { HomeView, KnownBlock } from '@slack/types';
import type { QueueJobLine } from '../../actions/action.ts';
import type { HomeOverview } from '../../actions/home/homeOverview.ts';
import { personMention } from '../../present/people.ts';
import { statusWord } from '../../domain/accountFilter.ts';
import { ACCOUNT_STATUSES, type AccountStatus } from '../../domain/statuses.ts';
import { accountPickElement } from '../options/accountPick.ts';
import { approvalRequestMessage } from './approvalRequest.ts';
import { bulkJobsReply } from './bulk.ts';
import { lookUpButton, unlockButton } from './helpdeskAlert.ts';
import { escapeMrkdwn, mrkdwnSentence, slackDate, truncate } from './text.ts';

/** The Home tab's account picker: search as you type (its options are the account picker's), then the card in a DM. */
export const HOME_FIND_ACTION_ID = 'home.find';

/** Requests the tab shows; the rest are one `/users approvals` away. */
const HOME_APPROVALS = 5;
/** Slack refuses a Home view of more than 100 blocks. */
const MAX_HOME_BLOCKS = 100;

const section = (text: string, blockId?: string): KnownBlock => ({
  type: 'section',
  ...(blockId ? { block_id: blockId } : {}),
  text: { type: 'mrkdwn', text: truncate(text, 3000) },
});
const header = (text: string): KnownBlock => ({ type: 'header', text: { type: 'plain_text', text: truncate(text, 150) } });
const note = (text: string): KnownBlock => ({ type: 'context', elements: [{ type: 'mrkdwn', text: truncate(text, 3000) }] });
const more = (shown: number, total: number, where: string): KnownBlock[] =>
  total > shown ? [note(`…and ${total - shown} more: ${mrkdwnSentence(where)}.`)] : [];

/**
 * The Home tab, built from what the caller's grants may see: a picker to find anyone, accounts by status per
 * organisation, the locked-out accounts (Unlock for helpdesk and above, Look up for all), the requests that wait for a
 * decision (buttons only where the caller may decide), and the jobs (Cancel while they run). Long lists stop with
 * "and N more", so the view stays within Slack's limit.
 */
export function homeView(overview: HomeOverview, now: Date): HomeView {
  const blocks: KnownBlock[] = [
    header('Roster'),
    note(`You are ${overview.role === 'admin' || overview.role === 'owner' ? 'an' : 'a'} ${overview.role} · updated ${slackDate(now)}`),
    {
      type: 'actions',
      block_id: 'home-find',
      elements: [accountPickElement('Find an account: name, username or email', HOME_FIND_ACTION_ID)],
    },
    { type: 'divider' },
    ...organisationBlocks(overview),
    { type: 'divider' },
    ...lockedOutBlocks(overview),
    ...(overview.approvals ? [{ type: 'divider' } as KnownBlock, ...approvalBlocks(overview.approvals)] : []),
    ...(overview.jobs
      ? [{ type: 'divider' } as KnownBlock, header('Jobs'), ...bulkJobsReply(overview.jobs).blocks, ...queueJobBlocks(overview.queueJobs ?? [])]
      : []),
  ];
  return { type: 'home', blocks: blocks.slice(0, MAX_HOME_BLOCKS) };
}

function organisationBlocks({ organisations }: HomeOverview): KnownBlock[] {
  if (organisations.total === 0) return [header('Accounts'), section('No organisation is in your grant yet.')];
  return [
    header('Accounts by status'),
    ...organisations.shown.map((o) => section(`*${escapeMrkdwn(o.name)}* (${escapeMrkdwn(o.slug)})\n${countsLine(o.counts)}`, `home-org-${o.id}`)),
    ...more(organisations.shown.length, organisations.total, '`/users list org:<slug>` lists any of them'),
  ];
}

function countsLine(counts: Record<string, number>): string {
  const present = ACCOUNT_STATUSES.filter((status) => (counts[status] ?? 0) > 0);
  if (present.length === 0) return 'No accounts yet.';
  return present.map((status: AccountStatus) => `${(counts[status] ?? 0).toLocaleString('en-GB')} ${statusWord(status)}`).join(' · ');
}

function lockedOutBlocks({ lockedOut }: HomeOverview): KnownBlock[] {
  if (lockedOut.total === 0) return [header('Locked out'), section(':white_check_mark: Nobody is locked out.')];
  return [
    header(`Locked out (${lockedOut.total})`),
    ...lockedOut.accounts.flatMap((account): KnownBlock[] => [
      section(
        `:lock: *${escapeMrkdwn(`${account.firstName} ${account.lastName}`)}* ${escapeMrkdwn(`<${account.email}>`)} (${escapeMrkdwn(account.organisation)}) since ${slackDate(account.lockedAt)}`,
        `home-locked-${account.id}`,
      ),
      {
        type: 'actions',
        block_id: `home-locked-actions-${account.id}`,
        elements: [
          ...(account.mayUnlock ? [unlockButton(account.id, `${account.firstName} ${account.lastName} <${account.email}>`)] : []),
          lookUpButton(account.id),
        ],
      },
    ]),
    ...more(lockedOut.accounts.length, lockedOut.total, '`/users list status:locked-out` lists them all'),
  ];
}

function approvalBlocks(approvals: NonNullable<HomeOverview['approvals']>): KnownBlock[] {
  if (approvals.total === 0) return [header('Approvals'), section('No request waits for a decision.')];
  const shown = approvals.requests.slice(0, HOME_APPROVALS);
  return [
    header(`Approvals waiting (${approvals.total})`),
    ...shown.flatMap((request) => approvalRequestMessage(request, { decidable: request.mayDecide }).blocks),
    ...more(shown.length, approvals.total, '`/users approvals` lists them'),
  ];
}

/** Exports and sweeps, one line each: what, how it went, and for whom. */
function queueJobBlocks(jobs: readonly QueueJobLine[]): KnownBlock[] {
  if (jobs.length === 0) return [];
  const lines = jobs.map((job) => {
    const what = job.kind === 'export' ? `*export* ${escapeMrkdwn(job.description)}` : `*${escapeMrkdwn(job.description)}*`;
    const done = job.accounts !== null ? ` · ${job.accounts.toLocaleString('en')} accounts` : '';
    const who = job.requestedBy ? ` · by ${personMention(job.requestedBy)}` : '';
    return `${what} · ${job.state}${done}${who} · ${slackDate(job.at)}`;
  });
  return [section(lines.join('\n'), 'home-queue-jobs')];
}
