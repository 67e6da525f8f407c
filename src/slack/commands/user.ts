import type { App } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { runAction } from '../../actions/action.ts';
import { slackActor } from '../../actions/actor.ts';
import { lookupAccount } from '../../actions/lookupAccount.ts';
import { RefusedError } from '../../domain/errors.ts';
import { lookupReply } from '../blocks/lookupReply.ts';
import { usageBlocks } from '../blocks/usage.ts';
import { requestServices, type ListenerDeps } from '../context.ts';
import { answering } from '../replies.ts';
import { parseUserCommand } from './parseUserCommand.ts';

export function registerUserCommand(app: App, deps: ListenerDeps): void {
  app.command('/user', async ({ ack, command, respond, client, context }) => {
    await ack();
    const services = requestServices(deps, context);
    await answering(respond, services.logger, async () => {
      const parsed = parseUserCommand(command.text);
      if (parsed.kind === 'usage') {
        await respond({ response_type: 'ephemeral', text: parsed.problem ?? 'How to use /user', blocks: usageBlocks(parsed.problem) });
        return;
      }
      const actor = await slackActor(services.orm.em, command.user_id);
      const query = parsed.kind === 'lookup-mention' ? await emailOfSlackUser(client, parsed.slackUserId) : parsed.query;
      const result = await runAction(services, lookupAccount, actor, { query });
      await respond({ response_type: 'ephemeral', ...lookupReply(result) });
    });
  });
}

async function emailOfSlackUser(client: WebClient, slackUserId: string): Promise<string> {
  const info = await client.users.info({ user: slackUserId }).catch(() => undefined);
  const email = info?.user?.profile?.email;
  if (!email) throw new RefusedError(`Slack does not share an email for <@${slackUserId}>, so I cannot find their account. Try their email or username.`, 'not-found');
  return email;
}
