import type { App, BlockButtonAction, ViewSubmitAction } from '@slack/bolt';
import type { ModalView } from '@slack/types';
import { type GroupOutcome, runAction } from '../../actions/action.ts';
import { addToGroup } from '../../actions/groups/addToGroup.ts';
import { changeGroupOwner } from '../../actions/groups/changeGroupOwner.ts';
import { GROUP_ROLES } from '../../domain/accounts.ts';
import { RefusedError } from '../../domain/errors.ts';
import { sentenceModal } from '../blocks/accountModals.ts';
import { GROUP_ADD_MEMBER_ACTION_ID, GROUP_CHANGE_OWNER_ACTION_ID } from '../blocks/groupCard.ts';
import { type ListenerDeps, requestCaller } from '../context.ts';
import { accountPickElement } from '../options/accountPick.ts';
import { actionPlace } from '../places.ts';
import { answerTo, showOutcome } from '../replies.ts';
import { asFieldMessage } from './formErrors.ts';
import { groupMetadata, readGroupMetadata } from './modalMetadata.ts';
import { openModal } from './openAccountModals.ts';
import { stateReader } from './stateReader.ts';
import { submitting } from './submitting.ts';

const ADD_MEMBER_CALLBACK_ID = 'group.add-member.form';
const CHANGE_OWNER_CALLBACK_ID = 'group.change-owner.form';

/** The forms a group card opens to name a person, picked as you type; each runs its action and edits the card in place. */
const FORMS = [
  { button: GROUP_ADD_MEMBER_ACTION_ID, callbackId: ADD_MEMBER_CALLBACK_ID, title: 'Add member', submit: 'Add', withRole: true },
  { button: GROUP_CHANGE_OWNER_ACTION_ID, callbackId: CHANGE_OWNER_CALLBACK_ID, title: 'Change owner', submit: 'Make owner', withRole: false },
] as const;

export function registerGroupPeopleViews(app: App, deps: ListenerDeps): void {
  for (const form of FORMS) {
    app.action<BlockButtonAction>(form.button, async ({ ack, body, action, client }) => {
      await ack();
      await openModal(client, body.trigger_id, personModal(form, groupMetadata(action.value ?? '', actionPlace(body))));
    });

    app.view<ViewSubmitAction>(form.callbackId, async ({ ack, view, client, context }) => {
      const { services } = deps;
      await submitting(ack, services.logger, form.title, async () => {
        const opened = readGroupMetadata(view.private_metadata);
        if (!opened)
          return {
            response: { response_action: 'update', view: sentenceModal(form.title, [':warning: This form is out of date; close it and open it again.']) },
          };
        const read = stateReader(view);
        const account = read.selected('account') ?? '';
        const caller = requestCaller(deps, context);
        let message: string;
        try {
          message = form.withRole
            ? (await runAction(services, addToGroup, caller.actor, { account, group: opened.groupId, role: read.selected('role') })).message
            : (await runAction(services, changeGroupOwner, caller.actor, { account, group: opened.groupId })).message;
        } catch (error) {
          if (!(error instanceof RefusedError)) throw error;
          return { response: { response_action: 'errors', errors: { account: asFieldMessage(error.userMessage) } } };
        }
        const outcome: GroupOutcome = { kind: 'group', groupId: opened.groupId, message };
        return { afterwards: () => showOutcome(answerTo(client, services.logger, caller.actor.id, opened.place), services, caller, outcome, 'replace') };
      });
    });
  }
}

function personModal(form: (typeof FORMS)[number], privateMetadata: string): ModalView {
  const option = (role: string) => ({ text: { type: 'plain_text' as const, text: role }, value: role });
  return {
    type: 'modal',
    callback_id: form.callbackId,
    private_metadata: privateMetadata,
    title: { type: 'plain_text', text: form.title },
    submit: { type: 'plain_text', text: form.submit },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      { type: 'input', block_id: 'account', label: { type: 'plain_text', text: 'Who' }, element: accountPickElement() },
      ...(form.withRole
        ? [
            {
              type: 'input' as const,
              block_id: 'role',
              label: { type: 'plain_text' as const, text: 'Role in the group' },
              element: { type: 'static_select' as const, action_id: 'role', options: GROUP_ROLES.map(option), initial_option: option('member') },
            },
          ]
        : []),
    ],
  };
}
