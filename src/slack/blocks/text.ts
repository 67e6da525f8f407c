/** Cuts text to Slack's limit (counted in characters), ending with an ellipsis: long text is shortened, never refused. */
export function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/** Slack renders this in the reader's own time zone; the fallback is for clients that cannot. */
export function slackDate(date: Date): string {
  const fallback = `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  return `<!date^${Math.floor(date.getTime() / 1000)}^{date_short_pretty} {time}|${fallback}>`;
}

/** Neutralises Slack's control characters in user-supplied text shown in mrkdwn. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const SLACK_SEQUENCE_OR_PLACEHOLDER = /<(?:@[UW][A-Z0-9]{2,}|#[CG][A-Z0-9]{2,}|!|https?:\/\/|mailto:)[^<>\n]*>|<([^<>\n]*)>/g;

/**
 * A sentence or usage line of Roster's own, for mrkdwn: its placeholders (`<who>`, `<text>`) escaped, which Slack
 * would otherwise read as links and show without their brackets (or not at all); Slack's own sequences in it (a
 * mention `<@U…>`, a channel `<#C…>`, `<!date…>`, a link) are kept.
 */
export function mrkdwnSentence(text: string): string {
  return text.replace(SLACK_SEQUENCE_OR_PLACEHOLDER, (sequence, placeholder: string | undefined) =>
    placeholder === undefined ? sequence : `&lt;${placeholder}&gt;`,
  );
}

export const slackFormat = { date: slackDate, text: escapeMrkdwn, user: (slackUserId: string) => `<@${slackUserId}>` };
