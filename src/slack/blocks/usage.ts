import type { KnownBlock } from '@slack/types';
import type { TypedAction } from '../../actions/action.ts';
import { commandUsage } from '../../actions/commandArgs.ts';
import { mrkdwnSentence, truncate } from './text.ts';

const SECTION_TEXT_LIMIT = 3000;

/** Usage of /user, a line per form: every typed action with its arguments. */
export function userUsageLines(typed: readonly TypedAction[]): string[] {
  return [
    '*Usage*',
    '`/user <email | username | ID | name | @mention>`: show the account card',
    '`/user create`: a form for a new account; `/user edit <who>`: a form to edit one',
    ...typed.map((a) => `\`/user ${a.name} ${commandUsage(a.command)}\`${a.command.synonyms?.length ? ` (also: ${a.command.synonyms.join(', ')})` : ''}`),
    '`/user lookup <text>`: look up a name that is also a command word',
    '`/user help`: this help',
  ];
}

/** The usage in as many sections as it needs, so it grows with the registry without being cut. */
export function usageBlocks(typed: readonly TypedAction[], problem?: string): KnownBlock[] {
  const sections: string[] = [];
  for (const line of userUsageLines(typed).map(mrkdwnSentence)) {
    const last = sections.at(-1);
    if (last !== undefined && last.length + 1 + line.length <= SECTION_TEXT_LIMIT) sections[sections.length - 1] = `${last}\n${line}`;
    else sections.push(truncate(line, SECTION_TEXT_LIMIT));
  }
  return [
    ...(problem
      ? [
          {
            type: 'section',
            block_id: 'problem',
            text: { type: 'mrkdwn', text: truncate(`:warning: ${mrkdwnSentence(problem)}`, SECTION_TEXT_LIMIT) },
          } as KnownBlock,
        ]
      : []),
    ...sections.map((text, i): KnownBlock => ({ type: 'section', block_id: `usage-${i}`, text: { type: 'mrkdwn', text } })),
  ];
}

export function sentenceBlocks(sentence: string, emoji = ':no_entry:'): KnownBlock[] {
  return [{ type: 'section', block_id: 'sentence', text: { type: 'mrkdwn', text: truncate(`${emoji} ${mrkdwnSentence(sentence)}`, 3000) } }];
}
