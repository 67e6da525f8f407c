import { randomUUID } from 'node:crypto';
import type { RespondFn } from '@slack/bolt';
import type { Logger } from 'pino';
import { RefusedError } from '../domain/errors.ts';
import { sentenceBlocks } from './blocks/usage.ts';

/**
 * Runs a listener's work and turns failures into an ephemeral sentence: a refusal says why, anything else gives
 * a reference to find in the logs. Nobody in Slack sees a stack trace.
 */
export async function answering(respond: RespondFn, log: Logger, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (error instanceof RefusedError) {
      await respond({ response_type: 'ephemeral', replace_original: false, text: error.userMessage, blocks: sentenceBlocks(error.userMessage) });
      return;
    }
    const reference = randomUUID().slice(0, 8);
    log.error({ err: error, reference }, 'listener failed');
    const sentence = `Something went wrong on Roster's side and nothing was changed. Reference: ${reference}.`;
    await respond({ response_type: 'ephemeral', replace_original: false, text: sentence, blocks: sentenceBlocks(sentence, ':warning:') });
  }
}
