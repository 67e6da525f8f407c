import type { App, BlockStaticSelectAction, ViewOutput, ViewSubmitAction } from '@slack/bolt';
import { type ActionServices, runAction, type TypedAction } from '../../actions/action.ts';
import type { Actor } from '../../actions/actor.ts';
import { accountActionForm } from '../../actions/accounts/accountActionForm.ts';
import { lookupAccount } from '../../actions/accounts/lookupAccount.ts';
import { type ActionField, accountActionFields, isAccountAction, runsWithoutForm } from '../../actions/formFields.ts';
import { typedActions } from '../../actions/registry.ts';
import { RefusedError } from '../../domain/errors.ts';
import { ACCOUNT_ACTION_CALLBACK_ID, accountActionModal, TICKED } from '../blocks/accountActionModal.ts';
import { sentenceModal } from '../blocks/accountModals.ts';
import { MORE_ACTIONS_ACTION_ID, parseMoreActionValue } from '../blocks/moreActionsMenu.ts';
import { type ListenerDeps, requestCaller } from '../context.ts';
import type { ReplyPlace } from '../delivery.ts';
import { actionPlace } from '../places.ts';
import { answerTo, answering, showOutcome } from '../replies.ts';
import { asFieldMessage, type FieldErrors, fieldErrors } from './formErrors.ts';
import { editMetadata, readEditMetadata } from './modalMetadata.ts';
import { openModal } from './openAccountModals.ts';
import { stateReader } from './stateReader.ts';
import { submitting } from './submitting.ts';

/** The account actions the menu offers, by name. */
const accountActions = new Map(typedActions.filter(isAccountAction).map((action) => [action.name, action]));

/**
 * The card's "More actions…" menu: every account action, through a form generated from its typed command. The form
 * runs the action like any surface does (runAction: role, audit, the version the form was opened on), then edits the
 * card it was opened from in place.
 */
export function registerMoreActionsView(app: App, deps: ListenerDeps): void {
  app.action<BlockStaticSelectAction>(MORE_ACTIONS_ACTION_ID, async ({ ack, body, action, client, context }) => {
    await ack();
    const { services } = deps;
    const place = actionPlace(body);
    const answer = answerTo(client, services.logger, body.user.id, place);
    await answering(answer, services.logger, async () => {
      const chosen = parseMoreActionValue(action.selected_option?.value ?? '');
      const definition = chosen && accountActions.get(chosen.actionName);
      if (!chosen || !definition) throw new RefusedError('That menu option is not one Roster knows; look the account up again.', 'invalid-input');
      const caller = requestCaller(deps, context);
      const { actor } = caller;
      if (runsWithoutForm(definition)) {
        // Nothing to ask (a read such as the history): it runs now; a report goes to the chooser alone.
        const outcome = await runAction(services, definition, actor, { account: chosen.accountId, expectedVersion: chosen.expectedVersion });
        await showOutcome(answer, services, caller, outcome, 'replace');
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
    const { services } = deps;
    const opened = readFormMetadata(view.private_metadata);
    const title = opened?.action.name ?? 'More actions';
    await submitting(ack, services.logger, title, async () => {
      if (!opened)
        return { response: { response_action: 'update', view: sentenceModal(title, [':warning: This form is out of date; close it and open it again.']) } };
      const fields = accountActionFields(opened.action);
      const rawInput = { ...readForm(view, fields), account: opened.accountId, expectedVersion: opened.version };
      const caller = requestCaller(deps, context);
      const { actor } = caller;
      let outcome: Awaited<ReturnType<TypedAction['run']>>;
      try {
        outcome = await runAction(services, opened.action, actor, rawInput);
      } catch (error) {
        if (!(error instanceof RefusedError)) throw error;
        const errors = fieldErrors(error, opened.action.input, rawInput, Object.fromEntries(fields.map((f) => [f.name, f.name])));
        if (errors) return { response: { response_action: 'errors', errors } };
        const sentence = await refusalSentence(services, actor, error, opened);
        // Not about one field: said under the first, where the form keeps what was entered.
        if (fields[0]) return { response: { response_action: 'errors', errors: { [fields[0].name]: asFieldMessage(sentence) } satisfies FieldErrors } };
        return { response: { response_action: 'update', view: sentenceModal(title, [`:no_entry: ${sentence}`]) } };
      }
      const answer = answerTo(client, services.logger, actor.id, opened.place);
      return { afterwards: () => showOutcome(answer, services, caller, outcome, 'replace') };
    });
  });
}

/** The edit modal's metadata (account:version and where the card is) with the action to run. */
function formMetadata(action: TypedAction, account: { id: string; version: number }, place: ReplyPlace): string {
  return JSON.stringify({ do: action.name, ...(JSON.parse(editMetadata(account, place)) as object) });
}

function readFormMetadata(metadata: string): (NonNullable<ReturnType<typeof readEditMetadata>> & { action: TypedAction }) | null {
  const opened = readEditMetadata(metadata);
  let name: unknown;
  try {
    name = (JSON.parse(metadata) as { do?: unknown }).do;
  } catch {
    return null;
  }
  const action = typeof name === 'string' ? accountActions.get(name) : undefined;
  return opened && action ? { ...opened, action } : null;
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
async function refusalSentence(services: ActionServices, actor: Actor, error: RefusedError, opened: { accountId: string; version: number }): Promise<string> {
  if (error.code !== 'conflict') return error.userMessage;
  const now = await runAction(services, lookupAccount, actor, { query: opened.accountId });
  if (now.kind !== 'card' || now.card.version === opened.version) return error.userMessage;
  return 'This account was changed by someone else meanwhile; nothing was changed. Close this form and choose the action again from the card to see the account as it is now.';
}
