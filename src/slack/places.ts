import type { BlockAction } from '@slack/bolt';
import type { ReplyPlace } from './delivery.ts';

/**
 * Where a click's answer goes: a card posted in a channel is edited in place with chat.update (everyone there sees
 * the truth); an ephemeral card can only be reached through its response_url.
 */
export function actionPlace(body: BlockAction): ReplyPlace {
  const inChannel = !body.container?.is_ephemeral && body.channel?.id && body.message?.ts;
  const responseUrl = body.response_url;
  return inChannel ? { channel: body.channel!.id, messageTs: body.message!.ts, responseUrl } : { channel: body.channel?.id, responseUrl };
}
