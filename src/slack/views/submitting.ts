import { randomUUID } from 'node:crypto';
import type { AckFn, ViewResponseAction } from '@slack/bolt';
import type { Logger } from 'pino';
import { sentenceModal } from '../blocks/accountModals.ts';

/** What a submission answers: a response action for the modal (none closes it), then work once Slack has its answer. */
interface Submitted {
  response?: ViewResponseAction;
  afterwards?: () => Promise<void>;
}

/**
 * Runs a view_submission: Slack waits at most 3 seconds for the answer, which is the only way to put messages under
 * the modal's fields, so the action runs before the ack and anything else (posting the card) after it. A failure
 * shows a reference on the modal, never a stack trace, and the modal does not just hang.
 */
export async function submitting(ack: AckFn<ViewResponseAction>, log: Logger, title: string, work: () => Promise<Submitted>): Promise<void> {
  let submitted: Submitted;
  try {
    submitted = await work();
  } catch (error) {
    const reference = randomUUID().slice(0, 8);
    log.error({ err: error, reference }, 'view submission failed');
    await ack({
      response_action: 'update',
      view: sentenceModal(title, [`:warning: Something went wrong on Roster's side and nothing was changed. Reference: ${reference}.`]),
    });
    return;
  }
  await ack(submitted.response);
  await submitted.afterwards?.().catch((error: unknown) => log.error({ err: error }, 'work after a view submission failed'));
}
