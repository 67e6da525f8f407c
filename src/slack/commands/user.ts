import type { App } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { runAction, runCommand, type ActionOutcome } from '../../actions/action.ts';
import type { AccountOutcome } from '../../actions/accounts/account.ts';
import type { GroupOutcome } from '../../actions/groups/groups.ts';
import { lookupAccount } from '../../actions/accounts/lookupAccount.ts';
import { actionsByVerb } from '../../actions/registry.ts';
import { RefusedError } from '../../domain/errors.ts';
import { lookupReply } from '../blocks/lookupReply.ts';
import { secretReply } from '../blocks/secretReply.ts';
import { sentenceBlocks, usageBlocks } from '../blocks/usage.ts';
import { requestActor, requestServices, type ListenerDeps } from '../context.ts';
import { MODAL_VERBS, openModalFromCommand, opensModal } from '../views/openAccountModals.ts';
import { answering, replyWithAccount, replyWithGroup, type Message } from '../replies.ts';
import { MENTION, parseUserCommand } from './parseUserCommand.ts';

const verbs = new Set([...actionsByVerb.keys(), ...MODAL_VERBS]);
const typedActions = [...new Set(actionsByVerb.values())];

export function registerUserCommand(app: App, deps: ListenerDeps): void {
  app.command('/user', async ({ ack, command, respond, client, context }) => {
    await ack();
    const services = requestServices(deps, context);
    await answering(respond, services.logger, async () => {
      const parsed = parseUserCommand(command.text, verbs);
      if (parsed.kind === 'usage') {
        await respond({ response_type: 'ephemeral', text: parsed.problem ?? 'How to use /user', blocks: usageBlocks(typedActions, parsed.problem) });
        return;
      }
      const actor = requestActor(context);
      if (parsed.kind === 'action' && opensModal(parsed.verb)) {
        const words = await Promise.all(parsed.words.map((word) => resolveMention(client, word)));
        await openModalFromCommand({ services, client, actor, triggerId: command.trigger_id, place: { channel: command.channel_id } }, parsed.verb, words);
        return;
      }
      if (parsed.kind === 'action') {
        const action = actionsByVerb.get(parsed.verb)!;
        const words =
          action.command!.mentions === 'slack-user'
            ? parsed.words.map(mentionedUserId)
            : await Promise.all(parsed.words.map((word) => resolveMention(client, word)));
        const outcome = (await runCommand(services, action, actor, parsed.verb, words)) as ActionOutcome | AccountOutcome | GroupOutcome;
        const send = (message: Message) => respond({ response_type: 'ephemeral', ...message });
        if ('accountId' in outcome) await replyWithAccount(services, actor, outcome, send);
        else if ('groupId' in outcome) await replyWithGroup(services, actor, outcome, send);
        else await send({ text: outcome.message, blocks: sentenceBlocks(outcome.message, outcome.informational ? ':scroll:' : ':white_check_mark:') });
        if (outcome.secret) await send(secretReply(outcome.secret));
        return;
      }
      const query = parsed.kind === 'lookup-mention' ? await emailOfSlackUser(client, parsed.slackUserId) : parsed.query;
      const result = await runAction(services, lookupAccount, actor, { query });
      await respond({ response_type: 'ephemeral', ...lookupReply(result, actor.grants) });
    });
  });
}

function mentionedUserId(word: string): string {
  return MENTION.exec(word)?.[1] ?? word;
}

/** `@alice` in a command names the account with Alice's Slack profile email. */
async function resolveMention(client: WebClient, word: string): Promise<string> {
  const mention = MENTION.exec(word);
  return mention ? emailOfSlackUser(client, mention[1]!) : word;
}

async function emailOfSlackUser(client: WebClient, slackUserId: string): Promise<string> {
  const info = await client.users.info({ user: slackUserId }).catch(() => undefined);
  const email = info?.user?.profile?.email;
  if (!email)
    throw new RefusedError(`Slack does not share an email for <@${slackUserId}>, so I cannot find their account. Try their email or username.`, 'not-found');
  return email;
}
