import type { KnownBlock } from '@slack/types';

/**
 * A secret (a temporary password) for the caller's eyes only. It goes in an ephemeral message of its own, never in a
 * card or a channel message, and not in `text` either, which Slack shows in notifications.
 */
export function secretReply(secret: { label: string; value: string }): { text: string; blocks: KnownBlock[] } {
  return {
    text: `${secret.label}: shown once, only to you`,
    blocks: [
      { type: 'section', block_id: 'secret', text: { type: 'mrkdwn', text: `:key: *${secret.label}* (shown once, only to you): \`${secret.value}\`` } },
      {
        type: 'context',
        block_id: 'secret-note',
        elements: [{ type: 'mrkdwn', text: 'Give it to them over a channel you trust. Roster keeps only a hash of it and cannot show it again.' }],
      },
    ],
  };
}
