import type { WebClient } from '@slack/web-api';
import type { Logger } from 'pino';
import type { ActionServices } from '../../actions/action.ts';
import type { AccountOutcome } from '../../actions/accounts/account.ts';
import type { Actor } from '../../actions/actor.ts';
import { replyWithAccount, type Message } from '../replies.ts';
import type { ReplyPlace } from './modalMetadata.ts';

/**
 * After a modal's action: the sentence above the account's current card, shown where the modal was opened from.
 * A modal has no channel of its own, so each way is tried in turn and the last resort is a DM from the app.
 */
export async function deliverAccountCard(
  services: ActionServices & { logger: Logger },
  client: WebClient,
  actor: Actor,
  outcome: AccountOutcome,
  place: ReplyPlace,
): Promise<void> {
  await replyWithAccount(services, actor, outcome, (message) => deliver(client, services.logger, actor.id, message, place));
}

async function deliver(client: WebClient, log: Logger, userId: string, message: Message, place: ReplyPlace): Promise<void> {
  const attempts: [string, () => Promise<unknown>][] = [];
  if (place.channel && place.messageTs) attempts.push(['chat.update', () => client.chat.update({ channel: place.channel!, ts: place.messageTs!, ...message })]);
  if (place.responseUrl) attempts.push(['response_url', () => replaceViaResponseUrl(place.responseUrl!, message)]);
  if (place.channel) attempts.push(['chat.postEphemeral', () => client.chat.postEphemeral({ channel: place.channel!, user: userId, ...message })]);
  for (const [way, attempt] of attempts) {
    try {
      await attempt();
      return;
    } catch (error) {
      // Not in the channel, a response_url past its 30 minutes: the next way still reaches the person.
      log.warn({ err: error, way }, 'could not show the outcome there; trying the next way');
    }
  }
  await client.chat.postMessage({ channel: userId, ...message });
}

async function replaceViaResponseUrl(url: string, message: Message): Promise<void> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ response_type: 'ephemeral', replace_original: true, ...message }),
  });
  if (!response.ok) throw new Error(`response_url answered ${response.status}`);
}
