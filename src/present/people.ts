/** Who did something, as Slack shows a person (`<@U…>`); the CLI's or a job's name is shown as it is. */
export function personMention(actorId: string): string {
  return /^[UW][A-Z0-9]{2,}$/.test(actorId) ? `<@${actorId}>` : actorId.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
