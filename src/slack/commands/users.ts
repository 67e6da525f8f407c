import type { App } from '@slack/bolt';
import { sentenceBlocks } from '../blocks/usage.ts';

const NOT_YET =
  'The `/users` commands for many accounts at once (list, import, export, bulk, jobs, approvals, audit) are not in this version of Roster yet. Use `/user <who>` for one account, or `/user help`.';

/**
 * `/users` is in the Slack manifest so the app needs no reinstall when it arrives; until then it answers honestly
 * instead of letting Slack time out.
 */
export function registerUsersCommand(app: App): void {
  app.command('/users', async ({ ack }) => {
    await ack({ response_type: 'ephemeral', text: NOT_YET, blocks: sentenceBlocks(NOT_YET, ':construction:') });
  });
}
