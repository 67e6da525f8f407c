import type { LookupResult } from '../../actions/lookupAccount.ts';
import { accountCardBlocks, accountCardText, matchListBlocks } from './accountCard.ts';
import { sentenceBlocks } from './usage.ts';

export function lookupReply(result: LookupResult) {
  switch (result.kind) {
    case 'card':
      return { text: accountCardText(result.card), blocks: accountCardBlocks(result.card) };
    case 'matches':
      return { text: `${result.matches.length} accounts match`, blocks: matchListBlocks(result.query, result.matches, result.more) };
    case 'none': {
      const sentence = `No account matches “${result.query}”. Try an email, a username, or the start of a first or last name.`;
      return { text: sentence, blocks: sentenceBlocks(sentence, ':mag:') };
    }
  }
}
