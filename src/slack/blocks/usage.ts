import type { KnownBlock } from '@slack/types';
import { truncate } from './text.ts';

export const USER_USAGE = [
  '*Usage*',
  '`/user <email | username | ID | name | @mention>`: show the account card',
  '`/user lookup <text>`: the same, for a name that is also a command word',
  '`/user help`: this help',
].join('\n');

export function usageBlocks(problem?: string): KnownBlock[] {
  return [
    ...(problem ? [{ type: 'section', block_id: 'problem', text: { type: 'mrkdwn', text: truncate(`:warning: ${problem}`, 3000) } } as KnownBlock] : []),
    { type: 'section', block_id: 'usage', text: { type: 'mrkdwn', text: USER_USAGE } },
  ];
}

export function sentenceBlocks(sentence: string, emoji = ':no_entry:'): KnownBlock[] {
  return [{ type: 'section', block_id: 'sentence', text: { type: 'mrkdwn', text: truncate(`${emoji} ${sentence}`, 3000) } }];
}
