import type { KnownBlock } from '@slack/types';
import type { LookupResult } from '../../actions/accounts/lookupAccount.ts';
import { mayEditAccount } from '../../actions/accounts/accountForms.ts';
import { availableAccountActions } from '../../actions/accounts/availableActions.ts';
import { moreAccountActions } from '../../actions/accounts/moreAccountActions.ts';
import type { AccountCard } from '../../db/accountCards.ts';
import type { Grant } from '../../domain/roles.ts';
import type { CardTimes } from '../../present/accountFacts.ts';
import { accountCardBlocks, accountCardText, matchListBlocks } from './accountCard.ts';
import { cardActionBlocks, outcomeContext } from './cardActions.ts';
import { moreActionsMenu } from './moreActionsMenu.ts';
import { sentenceBlocks } from './usage.ts';

/** Who reads a card: their grants decide its buttons, and the times what it says is due. */
export interface CardReader {
  grants: readonly Grant[];
  times: CardTimes;
}

/** The card with the buttons and "More actions…" this reader may use, under an optional line saying what just happened. */
export function cardReply(card: AccountCard, { grants, times }: CardReader, outcome?: string): { text: string; blocks: KnownBlock[] } {
  return {
    text: outcome ?? accountCardText(card),
    blocks: [
      ...(outcome ? [outcomeContext(outcome)] : []),
      ...accountCardBlocks(card, times),
      ...cardActionBlocks(card, availableAccountActions(card, grants), {
        editable: mayEditAccount(card, grants),
        menu: moreActionsMenu(card, moreAccountActions(card, grants)),
      }),
    ],
  };
}

export function lookupReply(result: LookupResult, reader: CardReader) {
  switch (result.kind) {
    case 'card':
      return cardReply(result.card, reader);
    case 'matches':
      return { text: `${result.matches.length} accounts match`, blocks: matchListBlocks(result.query, result.matches, result.more) };
    case 'none': {
      const sentence = `No account matches “${result.query}”. Try an email, a username, or the start of a first or last name; \`/user help\` lists the commands.`;
      return { text: sentence, blocks: sentenceBlocks(sentence, ':mag:') };
    }
  }
}
