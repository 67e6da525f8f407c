import type { KnownBlock } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import type { ActionServices } from '../src/actions/action.ts';
import { BulkJob } from '../src/db/entities/index.ts';
import type { Claims } from './sharedState.ts';
import type { SlackBudget } from './slackBudget.ts';

/** A job's progress message is edited at most this often, and less when the shared budget is short. */
const PROGRESS_EVERY_MS = 1000;
/** How long a job's last message (a summary, a dry run) may wait for the shared budget before it goes out regardless. */
const FINAL_WAIT_MS = 60_000;

export interface ProgressDeps extends ActionServices {
  slack: WebClient;
  claims: Claims;
  budget: SlackBudget;
}

export type JobMessage = { text: string; blocks?: KnownBlock[] };

/** Where a job's one message is, once posted. */
interface MessagePlace {
  channel?: string | null;
  messageTs?: string | null;
  requestedBy: string;
}

/**
 * The first runner to get here posts the job's one message, in the channel it was asked from (or the DM of the person
 * who asked, when the app cannot post there); the others find it posted. A job that has one already (an import's,
 * from its dry run) has it edited to show its progress instead.
 */
export async function postProgressOnce(jobId: string, deps: ProgressDeps, text: () => Promise<string>): Promise<void> {
  const em = deps.orm.em.fork();
  const job = await em.findOneOrFail(BulkJob, { id: jobId });
  // An import's dry run becomes its progress at once: its Apply button goes with it.
  if (job.messageTs) return maybeEditProgress(jobId, deps, text);
  if (!(await deps.claims.claim(`bulk-progress-posted:${jobId}`, 7 * 24 * 3600 * 1000))) return;
  const message = plainMessage(await text());
  const channel = job.channel ?? job.requestedBy;
  const posted = await deps.slack.chat.postMessage({ channel, ...message }).catch(() => deps.slack.chat.postMessage({ channel: job.requestedBy, ...message }));
  await em.nativeUpdate(BulkJob, { id: jobId }, { channel: posted.channel ?? channel, messageTs: posted.ts ?? null });
}

/** At most once a second per job, and only when the shared budget has a call to spare: a later edit shows the same. */
export async function maybeEditProgress(jobId: string, deps: ProgressDeps, text: () => Promise<string>): Promise<void> {
  const due = await deps.claims.claim(`bulk-progress-edited:${jobId}`, PROGRESS_EVERY_MS);
  if (!due || !(await deps.budget.tryTake())) return;
  const job = await deps.orm.em.fork().findOne(BulkJob, { id: jobId });
  if (!job?.messageTs || !job.channel) return;
  await showMessage(deps, job, plainMessage(await text())).catch((error: unknown) =>
    deps.logger.warn({ err: error, bulkJobId: jobId }, 'could not edit the progress message; the next edit shows the same'),
  );
}

/** A job's last message (its summary, a dry run) always goes out: it waits for the shared budget, and rides out a 429 itself. */
export async function showFinal(deps: ProgressDeps, place: MessagePlace, message: JobMessage): Promise<void> {
  await deps.budget.take(FINAL_WAIT_MS);
  for (let attempt = 1; ; attempt++) {
    try {
      await showMessage(deps, place, message.blocks ? message : plainMessage(message.text));
      return;
    } catch (error) {
      const retryAfter = (error as { retryAfter?: number }).retryAfter;
      if (retryAfter === undefined || attempt >= 5) throw error;
      await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000));
    }
  }
}

/** Plain text: names and filters are shown as typed, with nothing read as formatting. */
function plainMessage(text: string): Required<JobMessage> {
  const cut = text.slice(0, 3000);
  return { text: cut, blocks: [{ type: 'section', text: { type: 'plain_text', text: cut, emoji: false } }] };
}

async function showMessage(deps: ProgressDeps, { channel, messageTs, requestedBy }: MessagePlace, message: JobMessage): Promise<void> {
  if (channel && messageTs) await deps.slack.chat.update({ channel, ts: messageTs, ...message });
  else await deps.slack.chat.postMessage({ channel: channel ?? requestedBy, ...message });
}
