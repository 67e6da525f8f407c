import type { App } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { runAction, runCommand } from '../../actions/action.ts';
import { lookupAccount } from '../../actions/accounts/lookupAccount.ts';
import { typedActionsByVerb } from '../../actions/registry.ts';
import { RefusedError } from '../../domain/errors.ts';
import { lookupReply } from '../blocks/lookupReply.ts';
import { usageBlocks } from '../blocks/usage.ts';
import { type ListenerDeps, requestCaller } from '../context.ts';
import { answerTo, answering, showOutcome } from '../replies.ts';
import { MODAL_VERBS, openModalFromCommand, opensModal } from '../views/openAccountModals.ts';
import { MENTION, parseUserCommand } from './parseUserCommand.ts';

const verbs = new Set([...typedActionsByVerb.keys(), ...MODAL_VERBS]);
const typedActions = [...new Set(typedActionsByVerb.values())];

export function registerUserCommand(app: App, deps: ListenerDeps): void {
  app.command('/user', async ({ ack, command, client, context }) => {
    await ack();
    const { services } = deps;
    const answer = answerTo(client, services.logger, command.user_id, { channel: command.channel_id, responseUrl: command.response_url });
    await answering(answer, services.logger, async () => {
      const parsed = parseUserCommand(command.text, verbs);
      if (parsed.kind === 'usage') {
        await answer.privately({ text: parsed.problem ?? 'How to use /user', blocks: usageBlocks(typedActions, parsed.problem) });
        return;
      }
      const caller = requestCaller(deps, context);
      const { actor } = caller;
      if (parsed.kind === 'action' && opensModal(parsed.verb)) {
        const words = await Promise.all(parsed.words.map((word) => resolveMention(client, word)));
        const place = { channel: command.channel_id };
        await openModalFromCommand({ services, client, actor, triggerId: command.trigger_id, place }, parsed.verb, words);
        return;
      }
      if (parsed.kind === 'action') {
        const action = typedActionsByVerb.get(parsed.verb)!;
        const words =
          action.command.mentions === 'slack-user'
            ? parsed.words.map(mentionedUserId)
            : await Promise.all(parsed.words.map((word) => resolveMention(client, word)));
        await showOutcome(answer, services, caller, await runCommand(services, action, actor, parsed.verb, words), 'privately');
        return;
      }
      const query = parsed.kind === 'lookup-mention' ? await emailOfSlackUser(client, parsed.slackUserId) : parsed.query;
      await answer.privately(lookupReply(await runAction(services, lookupAccount, actor, { query }), caller.reader));
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
