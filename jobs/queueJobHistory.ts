import type { Job } from 'bullmq';
import type { Logger } from 'pino';
import type { QueueJobHistory, QueueJobLine } from '../src/actions/action.ts';
import { settlesWithin } from './handOff.ts';
import { INACTIVITY_SWEEP_JOB, type Queues } from './queues.ts';

/** How long a list waits for Redis before it goes without these jobs. */
const QUEUE_WAIT_MS = 500;
const LISTED = 10;
const STATES = ['active', 'waiting', 'delayed', 'completed', 'failed'] as const;

/** Exports and sweeps as their queues keep them (completed ones for a week: the queues' removeOnComplete). */
export function queueJobHistory(queues: Queues, logger: Logger): QueueJobHistory {
  return {
    async recent(requestedBy) {
      const read = Promise.all([
        queues.exports.getJobs([...STATES], 0, 50),
        requestedBy === null ? queues.maintenance.getJobs([...STATES], 0, 50) : Promise.resolve([]),
      ]);
      if (!(await settlesWithin(read, QUEUE_WAIT_MS))) {
        logger.warn('the queue did not answer at once; the jobs list goes without exports and sweeps');
        return [];
      }
      const [exports, maintenance] = await read;
      const lines = [
        ...exports
          .filter((job) => requestedBy === null || job.data.requestedBy === requestedBy)
          .map((job) => line(job, 'export', job.data.filter || 'every status but deactivated', job.data.requestedBy)),
        ...maintenance
          .filter((job) => job.name === INACTIVITY_SWEEP_JOB)
          .map((job) => line(job, 'sweep', 'dryRun' in job.data && job.data.dryRun ? 'dry run' : 'inactivity sweep', null)),
      ];
      return lines.sort((a, b) => b.at.getTime() - a.at.getTime()).slice(0, LISTED);
    },
  };
}

function line(job: Job, kind: QueueJobLine['kind'], description: string, requestedBy: string | null): QueueJobLine {
  const runsAt = job.timestamp + (job.delay ?? 0);
  const scheduled = !job.processedOn && runsAt > Date.now();
  const state = job.failedReason ? 'failed' : job.finishedOn ? 'done' : job.processedOn ? 'running' : scheduled ? 'scheduled' : 'waiting';
  const result = job.returnvalue as unknown;
  const accounts =
    typeof result === 'number' ? result : typeof result === 'object' && result !== null && 'suspended' in result ? Number(result.suspended) : null;
  return { kind, state, description, requestedBy, at: new Date(scheduled ? runsAt : job.timestamp), accounts: state === 'done' ? accounts : null };
}
