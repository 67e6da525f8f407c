import type { KnownBlock } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import type { Logger } from 'pino';

export type Message = { text: string; blocks: KnownBlock[] };

/**
 * Where an answer can go: the message a request came from (a card in a channel, edited in place), the response_url
 * Slack gave with it (an ephemeral card, or a command's answer), and the channel. A modal has no channel of its own,
 * so it keeps its opener's place in its metadata.
 */
export interface ReplyPlace {
  channel?: string;
  messageTs?: string;
  responseUrl?: string;
}

/**
 * `replace`: the card the request came from shows the answer in place, so a channel shows the truth.
 * `private`: a new message only the person who asked sees (a refusal, a history, a temporary password).
 */
export type Delivery = 'replace' | 'private';

/**
 * The one way every listener answers: each way that fits is tried in turn (a response_url past its 30 minutes, a
 * channel the app is not in) and the last resort is a DM from the app, so the person always hears back.
 */
export async function deliver(client: WebClient, log: Logger, userId: string, place: ReplyPlace, message: Message, how: Delivery): Promise<void> {
  const { channel, messageTs, responseUrl } = place;
  const attempts: [string, () => Promise<unknown>][] = [];
  if (how === 'replace' && channel && messageTs) attempts.push(['chat.update', () => client.chat.update({ channel, ts: messageTs, ...message })]);
  if (responseUrl) attempts.push(['response_url', () => postToResponseUrl(responseUrl, message, how === 'replace')]);
  if (channel) attempts.push(['chat.postEphemeral', () => client.chat.postEphemeral({ channel, user: userId, ...message })]);
  for (const [way, attempt] of attempts) {
    try {
      await attempt();
      return;
    } catch (error) {
      log.warn({ err: error, way }, 'could not answer there; trying the next way');
    }
  }
  await client.chat.postMessage({ channel: userId, ...message });
}

async function postToResponseUrl(url: string, message: Message, replaceOriginal: boolean): Promise<void> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ response_type: 'ephemeral', replace_original: replaceOriginal, ...message }),
  });
  if (!response.ok) throw new Error(`response_url answered ${response.status}`);
}
