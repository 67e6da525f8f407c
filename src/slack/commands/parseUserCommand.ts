/** What `/user <text>` asks for. */
export type UserCommand =
  | { kind: 'usage'; problem?: string }
  | { kind: 'lookup'; query: string }
  | { kind: 'lookup-mention'; slackUserId: string }
  | { kind: 'action'; verb: string; words: string[] };

export const MAX_COMMAND_TEXT = 500;

export const MENTION = /^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$/;
// Slack may send an email it auto-linked as <mailto:a@b.c|a@b.c>.
// Typed text may carry control characters (pasted tabs, line breaks); they separate words like spaces.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]+/g;
const MAILTO = /<mailto:([^|>]+)(?:\|[^>]*)?>/g;

/**
 * Never throws: anything it cannot read becomes a usage answer with the problem named. `verbs` are the words that
 * name actions (`lock`, `ban`...); any other first word starts a lookup.
 */
export function parseUserCommand(text: string, verbs: ReadonlySet<string> = new Set()): UserCommand {
  if (text.length > MAX_COMMAND_TEXT) return { kind: 'usage', problem: `That is ${text.length} characters; a command takes at most ${MAX_COMMAND_TEXT}.` };
  const cleaned = text.replace(MAILTO, '$1').replace(CONTROL_CHARACTERS, ' ').trim();
  const tokens = tokenize(cleaned);
  if (tokens === null) return { kind: 'usage', problem: 'A quotation mark is not closed.' };
  const words = tokens.map((word) => (MENTION.test(word) ? word : unescapeSlack(word)));
  const [first, ...rest] = words;
  if (first === undefined || ['help', '-h', '--help', '?'].includes(first.toLowerCase())) return { kind: 'usage' };
  if (first.toLowerCase() === 'lookup') return lookup(rest);
  if (verbs.has(first.toLowerCase())) return { kind: 'action', verb: first.toLowerCase(), words: rest };
  return lookup(words);
}

function lookup(words: string[]): UserCommand {
  if (words.length === 0) return { kind: 'usage', problem: 'Say whose account: an email, a username, an ID, a name or an @mention.' };
  const mention = words.length === 1 ? MENTION.exec(words[0]!) : null;
  if (mention) return { kind: 'lookup-mention', slackUserId: mention[1]! };
  if (words.some((w) => w.startsWith('<@'))) return { kind: 'usage', problem: 'Mention one person at a time.' };
  return { kind: 'lookup', query: words.join(' ') };
}

/** Splits on spaces, keeping "quoted words" (straight or curly quotes) together; null when a quote is left open. */
function tokenize(text: string): string[] | null {
  const words: string[] = [];
  const pattern = /"([^"]*)"|“([^”]*)”|(\S+)/g;
  for (const match of text.matchAll(pattern)) {
    const word = match[1] ?? match[2] ?? match[3]!;
    if (match[3] && /["“”]/.test(word)) return null;
    if (word.trim()) words.push(word.trim());
  }
  return words;
}

/** Typed text as the person typed it: an auto-linked email as the email, control characters as spaces, entities decoded. */
export function plainCommandText(text: string): string {
  return unescapeSlack(text.replace(MAILTO, '$1').replace(CONTROL_CHARACTERS, ' ')).trim();
}

/** Slack sends &, < and > that people type as HTML entities; mentions and links are the only real angle brackets. */
function unescapeSlack(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}
