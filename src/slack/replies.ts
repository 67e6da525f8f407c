import { randomUUID } from 'node:crypto';
import type { RespondFn } from '@slack/bolt';
import type { KnownBlock } from '@slack/types';
import type { Logger } from 'pino';
import type { ActionServices } from '../actions/action.ts';
import type { AccountOutcome } from '../actions/accounts/account.ts';
import type { GroupOutcome } from '../actions/groups/groups.ts';
import type { Actor } from '../actions/actor.ts';
import { findAccountCard } from '../db/accountCards.ts';
import { findGroupCard } from '../db/groupCards.ts';
import { RefusedError } from '../domain/errors.ts';
import { groupCardReply } from './blocks/groupCard.ts';
import { cardReply } from './blocks/lookupReply.ts';
import { slackDate } from './blocks/text.ts';
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

export type Message = { text: string; blocks: KnownBlock[] };

/** After an account action: what happened, who did it and when, above the account's current card. */
export async function replyWithAccount(
  services: ActionServices,
  actor: Actor,
  outcome: AccountOutcome,
  send: (message: Message) => Promise<unknown>,
): Promise<void> {
  const card = await findAccountCard(services.orm.em.fork(), { by: 'id', value: outcome.accountId });
  const line = `:white_check_mark: ${outcome.message} (<@${actor.id}>, ${slackDate(new Date())})`;
  await send(card ? cardReply(card, actor.grants, line) : { text: outcome.message, blocks: sentenceBlocks(outcome.message, ':white_check_mark:') });
}

/** After a group action: what happened above the group's current card (a deleted group leaves the sentence); a read shows the card alone. */
export async function replyWithGroup(
  services: ActionServices,
  actor: Actor,
  outcome: GroupOutcome,
  send: (message: Message) => Promise<unknown>,
): Promise<void> {
  const card = outcome.card ?? (outcome.groupId ? await findGroupCard(services.orm.em.fork(), outcome.groupId) : null);
  const line = outcome.informational ? undefined : `:white_check_mark: ${outcome.message} (<@${actor.id}>, ${slackDate(new Date())})`;
  await send(card ? groupCardReply(card, line) : { text: outcome.message, blocks: sentenceBlocks(outcome.message, ':white_check_mark:') });
}
