import type { KnownBlock } from '@slack/types';
import type { AnyAction } from '../../actions/action.ts';
import { truncate } from './text.ts';

/** Usage of /user, with every typed action and its arguments. */
export function userUsage(typed: readonly AnyAction[]): string {
  return [
    '*Usage*',
    '`/user <email | username | ID | name | @mention>`: show the account card',
    ...typed.map((a) => `\`/user ${a.name} ${a.command!.usage}\`${a.command!.synonyms?.length ? ` (also: ${a.command!.synonyms.join(', ')})` : ''}`),
    '`/user lookup <text>`: look up a name that is also a command word',
    '`/user help`: this help',
  ].join('\n');
}

export function usageBlocks(typed: readonly AnyAction[], problem?: string): KnownBlock[] {
  return [
    ...(problem ? [{ type: 'section', block_id: 'problem', text: { type: 'mrkdwn', text: truncate(`:warning: ${problem}`, 3000) } } as KnownBlock] : []),
    { type: 'section', block_id: 'usage', text: { type: 'mrkdwn', text: truncate(userUsage(typed), 3000) } },
  ];
}

export function sentenceBlocks(sentence: string, emoji = ':no_entry:'): KnownBlock[] {
  return [{ type: 'section', block_id: 'sentence', text: { type: 'mrkdwn', text: truncate(`${emoji} ${sentence}`, 3000) } }];
}
