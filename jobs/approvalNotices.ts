import type { KnownBlock } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import type { Job } from 'bullmq';
import type { Logger } from 'pino';
import { type ActionServices, type ApprovalNotices, runAction } from '../src/actions/action.ts';
import { systemActor } from '../src/actions/actor.ts';
import { PURGE_BATCH_SIZE, purgeDeletedAccounts } from '../src/actions/accounts/purgeDeletedAccounts.ts';
import { EXPIRY_BATCH_SIZE, expireRequests } from '../src/actions/approvals/expireRequests.ts';
import { approvalFacts } from '../src/actions/approvals/approvals.ts';
import { ApprovalRequest, type IApprovalRequest } from '../src/db/entities/index.ts';
import type { Orm } from '../src/db/orm.ts';
import type { ApprovalFacts } from '../src/present/approvalFacts.ts';
import { handOff } from './handOff.ts';
import { APPROVAL_DECIDED_JOB, APPROVAL_REQUESTED_JOB, APPROVALS_PASS_JOB, APPROVALS_PASS_SCHEDULER, type ApprovalNoticeData, type Queues } from './queues.ts';
import { upsertSchedule } from './scheduler.ts';

export function approvalNotices(queues: Queues, logger: Logger): ApprovalNotices {
  const add = (name: string, requestId: string) =>
    handOff(queues.approvals.add(name, { requestId }, { jobId: `${name}-${requestId}` }), logger, { queue: queues.approvals.name, requestId });
  return {
    requested: (requestId) => add(APPROVAL_REQUESTED_JOB, requestId),
    decided: (requestId) => add(APPROVAL_DECIDED_JOB, requestId),
  };
}

type Message = { text: string; blocks: KnownBlock[] };

/** How approval messages read (the Slack adapter's blocks, handed in at start-up so jobs need not know Block Kit). */
export interface ApprovalMessages {
  request(facts: ApprovalFacts): Message;
  toRequester(facts: ApprovalFacts, link: string | undefined): Message;
}

export interface ApprovalNoticeDeps {
  orm: Orm;
  slack: WebClient;
  approvalsChannel: string | undefined;
  approvalMessages: ApprovalMessages;
}

/**
 * A new request is posted once in the approvals channel (a retried job finds the message it posted) and its requester
 * is sent the link; a decided one has its message edited to say how it ended, and its requester is told.
 */
export async function processApprovalNotice(job: Job<ApprovalNoticeData>, deps: ApprovalNoticeDeps): Promise<void> {
  const em = deps.orm.em.fork();
  const request = await em.findOne(ApprovalRequest, { id: job.data.requestId }, { populate: ['organisation'] });
  if (!request) return;
  const facts = approvalFacts(request);
  if (job.name === APPROVAL_REQUESTED_JOB) {
    if (deps.approvalsChannel && !request.messageTs) {
      const posted = await deps.slack.chat.postMessage({ channel: deps.approvalsChannel, ...deps.approvalMessages.request(facts) });
      request.channel = deps.approvalsChannel;
      request.messageTs = posted.ts ?? null;
      await em.flush();
    }
    const link = request.channel && request.messageTs ? await permalink(deps.slack, request.channel, request.messageTs) : undefined;
    await tellRequester(deps, request, deps.approvalMessages.toRequester(facts, link));
    return;
  }
  if (job.name === APPROVAL_DECIDED_JOB) {
    if (request.channel && request.messageTs)
      await deps.slack.chat.update({ channel: request.channel, ts: request.messageTs, ...deps.approvalMessages.request(facts) });
    await tellRequester(deps, request, deps.approvalMessages.toRequester(facts, undefined));
    return;
  }
  throw new Error(`unknown approvals job "${job.name}"`);
}

/** Expires the requests whose time ran out and purges the deleted accounts whose restore window has passed. */
export async function processApprovalsPass(services: ActionServices): Promise<{ expired: number; purged: number }> {
  const actor = systemActor('approvals-pass');
  let expired = 0;
  for (let batch = EXPIRY_BATCH_SIZE; batch === EXPIRY_BATCH_SIZE; expired += batch) batch = (await runAction(services, expireRequests, actor, {})).expired;
  let purged = 0;
  for (let batch = PURGE_BATCH_SIZE; batch === PURGE_BATCH_SIZE; purged += batch) batch = (await runAction(services, purgeDeletedAccounts, actor, {})).purged;
  if (expired || purged) services.logger.info({ expired, purged }, 'approvals pass expired requests and purged deleted accounts');
  return { expired, purged };
}

/** Upserting is idempotent, so every worker process may call it at start. */
export async function scheduleApprovalsPass(queues: Queues, everyMs: number): Promise<void> {
  await upsertSchedule(queues.maintenance, APPROVALS_PASS_SCHEDULER, { every: everyMs }, APPROVALS_PASS_JOB);
}

async function permalink(slack: WebClient, channel: string, ts: string): Promise<string | undefined> {
  const found = await slack.chat.getPermalink({ channel, message_ts: ts }).catch(() => undefined);
  return found?.permalink;
}

/** A DM to the requester when a Slack user asked (the CLI has nobody to tell). */
async function tellRequester(deps: ApprovalNoticeDeps, request: IApprovalRequest, message: Message): Promise<void> {
  if (!/^[UW][A-Z0-9]{2,}$/.test(request.requestedBy)) return;
  await deps.slack.chat.postMessage({ channel: request.requestedBy, ...message });
}
