import { randomUUID } from 'node:crypto';
import type { WebClient } from '@slack/web-api';
import type { Logger } from 'pino';
import { type AccountOutcome, type ActionServices, type CommandOutcome, type GroupOutcome, runAction } from '../actions/action.ts';
import type { Actor } from '../actions/actor.ts';
import { lookupAccount } from '../actions/accounts/lookupAccount.ts';
import { groupInfo } from '../actions/groups/groupInfo.ts';
import { RefusedError } from '../domain/errors.ts';
import { groupCardReply } from './blocks/groupCard.ts';
import type { GroupCard } from '../db/groupCards.ts';
import { organisationsWithRole } from '../domain/roles.ts';
import { addToGroup } from '../actions/groups/addToGroup.ts';
import { type CardReader, cardReply } from './blocks/lookupReply.ts';
import { secretReply } from './blocks/secretReply.ts';
import { slackDate } from './blocks/text.ts';
import { sentenceBlocks } from './blocks/usage.ts';
import { deliver, type Message, type ReplyPlace } from './delivery.ts';

/** Who a listener acts for, and how cards read to them. */
export interface Caller {
  actor: Actor;
  reader: CardReader;
}

/** How a listener answers the person whose request it handles, wherever the request came from. */
export interface Answer {
  /** Shows the answer where the request came from: the card is edited in place. */
  replace(message: Message): Promise<void>;
  /** Tells the person alone, in a new message. */
  privately(message: Message): Promise<void>;
}

export function answerTo(client: WebClient, log: Logger, userId: string, place: ReplyPlace): Answer {
  return {
    replace: (message) => deliver(client, log, userId, place, message, 'replace'),
    privately: (message) => deliver(client, log, userId, place, message, 'private'),
  };
}

/**
 * Runs a listener's work and turns failures into a sentence for the person alone: a refusal says why, anything else
 * gives a reference to find in the logs. Nobody in Slack sees a stack trace.
 */
export async function answering(answer: Answer, log: Logger, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (error instanceof RefusedError) {
      await answer.privately({ text: error.userMessage, blocks: sentenceBlocks(error.userMessage) });
      return;
    }
    const reference = randomUUID().slice(0, 8);
    log.error({ err: error, reference }, 'listener failed');
    const sentence = `Something went wrong on Roster's side and nothing was changed. Reference: ${reference}.`;
    await answer.privately({ text: sentence, blocks: sentenceBlocks(sentence, ':warning:') });
  }
}

/**
 * Shows what an action did, each kind its own way: a change above the current card of what it changed (where the
 * request came from, `how`), a report to the person alone; a secret always to the person alone, never on a card.
 */
export async function showOutcome(
  answer: Answer,
  services: ActionServices,
  caller: Caller,
  outcome: CommandOutcome,
  how: 'replace' | 'privately',
): Promise<void> {
  if (outcome.kind === 'report') {
    await answer.privately({ text: outcome.message, blocks: sentenceBlocks(outcome.message, ':scroll:') });
    return;
  }
  await answer[how](await outcomeMessage(services, caller, outcome));
  if (outcome.kind === 'account' && outcome.secret) await answer.privately(secretReply(outcome.secret));
}

async function outcomeMessage(services: ActionServices, caller: Caller, outcome: Exclude<CommandOutcome, { kind: 'report' }>): Promise<Message> {
  switch (outcome.kind) {
    case 'account':
      return accountMessage(services, caller, outcome);
    case 'group':
      return groupMessage(services, caller.actor, outcome);
    case 'done':
      return { text: outcome.message, blocks: sentenceBlocks(outcome.message, ':white_check_mark:') };
  }
}

/** What happened, who did it and when, above the account's card as the caller may see it now. */
export async function accountMessage(services: ActionServices, { actor, reader }: Caller, outcome: AccountOutcome): Promise<Message> {
  const line = doneLine(actor, outcome.message);
  const lookup = await readable(runAction(services, lookupAccount, actor, { query: outcome.accountId }));
  return lookup?.kind === 'card'
    ? cardReply(lookup.card, reader, line)
    : { text: outcome.message, blocks: sentenceBlocks(outcome.message, ':white_check_mark:') };
}

/** What happened above the group's current card (a deleted group leaves the sentence); a read shows the card alone. */
async function groupMessage(services: ActionServices, actor: Actor, outcome: GroupOutcome): Promise<Message> {
  const manageable = (card: GroupCard) => organisationsWithRole(actor.grants, MANAGES_GROUPS)?.includes(card.organisation.id) ?? true;
  if (outcome.card) return groupCardReply(outcome.card, { manageable: manageable(outcome.card) });
  const read = outcome.groupId ? await readable(runAction(services, groupInfo, actor, { group: outcome.groupId })) : undefined;
  return read?.card
    ? groupCardReply(read.card, { outcome: doneLine(actor, outcome.message), manageable: manageable(read.card) })
    : { text: outcome.message, blocks: sentenceBlocks(outcome.message, ':white_check_mark:') };
}

/** Who may use a group card's Add member… and Change owner…: whoever may add members (changing the owner needs the same). */
const MANAGES_GROUPS = addToGroup.requires;

function doneLine(actor: Actor, message: string): string {
  return `:white_check_mark: ${message} (<@${actor.id}>, ${slackDate(new Date())})`;
}

/** The card after a change, unless the caller may no longer read it: then the sentence alone says what happened. */
async function readable<T>(read: Promise<T>): Promise<T | undefined> {
  try {
    return await read;
  } catch (error) {
    if (error instanceof RefusedError) return undefined;
    throw error;
  }
}
