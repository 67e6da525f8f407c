import type { App, BlockStaticSelectAction, ViewOutput, ViewSubmitAction } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Logger } from 'pino';
import { runAction, type ActionOutcome, type ActionServices, type AnyAction } from '../../actions/action.ts';
import { accountActionForm } from '../../actions/accounts/accountActionForm.ts';
import type { AccountOutcome } from '../../actions/accounts/account.ts';
import { accountActionFields, isAccountAction, runsWithoutForm, type ActionField } from '../../actions/formFields.ts';
import { actionsByName } from '../../actions/registry.ts';
import { Account } from '../../db/entities/index.ts';
import { RefusedError } from '../../domain/errors.ts';
import { ACCOUNT_ACTION_CALLBACK_ID, TICKED, accountActionModal } from '../blocks/accountActionModal.ts';
import { sentenceModal } from '../blocks/accountModals.ts';
import { MORE_ACTIONS_ACTION_ID, parseMoreActionValue } from '../blocks/moreActionsMenu.ts';
import { secretReply } from '../blocks/secretReply.ts';
import { sentenceBlocks } from '../blocks/usage.ts';
import { requestActor, requestServices, type ListenerDeps } from '../context.ts';
import { answering, type Message } from '../replies.ts';
import { deliverAccountCard } from './deliverAccountCard.ts';
import { asFieldMessage, fieldErrors, type FieldErrors } from './formErrors.ts';
import { editMetadata, readEditMetadata, type ReplyPlace } from './modalMetadata.ts';
import { openModal } from './openAccountModals.ts';
import { stateReader } from './stateReader.ts';
import { submitting } from './submitting.ts';

type Outcome = ActionOutcome & Partial<Pick<AccountOutcome, 'accountId'>>;

/**
 * The card's "More actions…" menu: every account action, through a form generated from its typed command. The form
 * runs the action like any surface does (runAction: role, audit, the version the form was opened on), then edits the
 * card it was opened from in place.
 */
export function registerMoreActionsView(app: App, deps: ListenerDeps): void {
  app.action<BlockStaticSelectAction>(MORE_ACTIONS_ACTION_ID, async ({ ack, body, action, respond, client, context }) => {
    await ack();
    const services = requestServices(deps, context);
    await answering(respond, services.logger, async () => {
      const chosen = parseMoreActionValue(action.selected_option?.value ?? '');
      const definition = chosen && actionsByName.get(chosen.actionName);
      if (!chosen || !definition || !isAccountAction(definition))
        throw new RefusedError('That menu option is not one Roster knows; look the account up again.', 'invalid-input');
      const actor = requestActor(context);
      const inChannel = !body.container?.is_ephemeral && body.channel?.id && body.message?.ts;
      const place: ReplyPlace = inChannel
        ? { channel: body.channel!.id, messageTs: body.message!.ts }
        : { channel: body.channel?.id, responseUrl: body.response_url };

      if (runsWithoutForm(definition)) {
        // Nothing to ask (a read such as the history): it runs now and only the chooser sees what it says.
        const outcome = (await runAction(services, definition, actor, {
          account: chosen.accountId,
          expectedVersion: chosen.expectedVersion,
        } as never)) as Outcome;
        if (outcome.accountId && !outcome.informational) await deliverAccountCard(services, client, actor, { ...outcome, accountId: outcome.accountId }, place);
        else
          await respond({
            response_type: 'ephemeral',
            replace_original: false,
            text: outcome.message,
            blocks: sentenceBlocks(outcome.message, outcome.informational ? ':scroll:' : ':white_check_mark:'),
          });
        if (outcome.secret) await respond({ response_type: 'ephemeral', replace_original: false, ...secretReply(outcome.secret) });
        return;
      }

      // Only the caller's grant and the account's current state are read before views.open (a trigger_id lasts 3 s).
      const form = await runAction(services, accountActionForm(definition), actor, { account: chosen.accountId });
      const metadata = formMetadata(definition, { id: form.accountId, version: form.version }, place);
      await openModal(
        client,
        body.trigger_id,
        accountActionModal(definition, form, accountActionFields(definition), metadata, { changedSinceCard: form.version !== chosen.expectedVersion }),
      );
    });
  });

  app.view<ViewSubmitAction>(ACCOUNT_ACTION_CALLBACK_ID, async ({ ack, view, client, context }) => {
    const services = requestServices(deps, context);
    const opened = readFormMetadata(view.private_metadata);
    const title = opened?.action.name ?? 'More actions';
    await submitting(ack, services.logger, title, async () => {
      if (!opened)
        return { response: { response_action: 'update', view: sentenceModal(title, [':warning: This form is out of date; close it and open it again.']) } };
      const fields = accountActionFields(opened.action);
      const rawInput = { ...readForm(view, fields), account: opened.accountId, expectedVersion: opened.version };
      const actor = requestActor(context);
      let outcome: Outcome;
      try {
        outcome = (await runAction(services, opened.action, actor, rawInput as never)) as Outcome;
      } catch (error) {
        if (!(error instanceof RefusedError)) throw error;
        const errors = fieldErrors(error, opened.action.input, rawInput, Object.fromEntries(fields.map((f) => [f.name, f.name])));
        if (errors) return { response: { response_action: 'errors', errors } };
        const sentence = await refusalSentence(services, error, opened);
        // Not about one field: said under the first, where the form keeps what was entered.
        if (fields[0]) return { response: { response_action: 'errors', errors: { [fields[0].name]: asFieldMessage(sentence) } satisfies FieldErrors } };
        return { response: { response_action: 'update', view: sentenceModal(title, [`:no_entry: ${sentence}`]) } };
      }
      return {
        afterwards: async () => {
          if (outcome.informational)
            await tellPrivately(client, services.logger, actor.id, opened.place, {
              text: outcome.message,
              blocks: sentenceBlocks(outcome.message, ':scroll:'),
            });
          else await deliverAccountCard(services, client, actor, { ...outcome, accountId: outcome.accountId ?? opened.accountId }, opened.place);
          if (outcome.secret) await tellPrivately(client, services.logger, actor.id, opened.place, secretReply(outcome.secret));
        },
      };
    });
  });
}

/** The edit modal's metadata (account:version and where the card is) with the action to run. */
function formMetadata(action: AnyAction, account: { id: string; version: number }, place: ReplyPlace): string {
  return JSON.stringify({ do: action.name, ...(JSON.parse(editMetadata(account, place)) as object) });
}

function readFormMetadata(metadata: string): (NonNullable<ReturnType<typeof readEditMetadata>> & { action: AnyAction }) | null {
  const opened = readEditMetadata(metadata);
  let name: unknown;
  try {
    name = (JSON.parse(metadata) as { do?: unknown }).do;
  } catch {
    return null;
  }
  const action = typeof name === 'string' ? actionsByName.get(name) : undefined;
  return opened && action && isAccountAction(action) ? { ...opened, action } : null;
}

/** The submitted values as the action's raw input, as typed words would give them; its schema then checks them. */
function readForm(view: ViewOutput, fields: readonly ActionField[]): Record<string, unknown> {
  const read = stateReader(view);
  const input: Record<string, unknown> = {};
  for (const field of fields) {
    if (field.kind === 'boolean') input[field.name] = read.selectedMany(field.name).includes(TICKED);
    else if (field.kind === 'choice') input[field.name] = read.selected(field.name);
    else {
      const text = read.text(field.name);
      // An empty optional box is an option not given; an empty required one gets the schema's own message.
      input[field.name] = text.trim() === '' && field.optional ? undefined : text;
    }
  }
  return input;
}

/** A refusal for a stale form says so in the form's words; the others say what the action said. */
async function refusalSentence(services: ActionServices, error: RefusedError, opened: { accountId: string; version: number }): Promise<string> {
  if (error.code !== 'conflict') return error.userMessage;
  const now = await services.orm.em.fork().findOne(Account, { id: opened.accountId }, { fields: ['version'] });
  if (!now || now.version === opened.version) return error.userMessage;
  return 'This account was changed by someone else meanwhile; nothing was changed. Close this form and choose the action again from the card to see the account as it is now.';
}

/**
 * What only the submitter may see (a temporary password, a history): ephemeral in the channel the card is in, else
 * through the card's response_url as a new ephemeral message, else a DM from the app. Never the card, which a channel sees.
 */
async function tellPrivately(client: WebClient, log: Logger, userId: string, place: ReplyPlace, message: Message): Promise<void> {
  const attempts: [string, () => Promise<unknown>][] = [];
  if (place.channel) attempts.push(['chat.postEphemeral', () => client.chat.postEphemeral({ channel: place.channel!, user: userId, ...message })]);
  if (place.responseUrl) attempts.push(['response_url', () => postEphemeral(place.responseUrl!, message)]);
  for (const [way, attempt] of attempts) {
    try {
      await attempt();
      return;
    } catch (error) {
      log.warn({ err: error, way }, 'could not tell the submitter there; trying the next way');
    }
  }
  await client.chat.postMessage({ channel: userId, ...message });
}

async function postEphemeral(url: string, message: Message): Promise<void> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ response_type: 'ephemeral', replace_original: false, ...message }),
  });
  if (!response.ok) throw new Error(`response_url answered ${response.status}`);
}
