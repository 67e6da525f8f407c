import type { InputBlock, KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import type { TypedAction } from '../../actions/action.ts';
import { commandUsage } from '../../actions/commandArgs.ts';
import type { AccountActionForm } from '../../actions/accounts/accountActionForm.ts';
import type { ActionField } from '../../actions/formFields.ts';
import { fitOptionText } from '../options/accountPick.ts';
import { actionLabel, humanise } from './moreActionsMenu.ts';
import { escapeMrkdwn, truncate } from './text.ts';

/** The callback of every form opened from "More actions…" (the action it runs is in its private_metadata). */
export const ACCOUNT_ACTION_CALLBACK_ID = 'account.more.submit';

/** The action_id of every input: the block_id is the action's input field, so a zod issue path names its block. */
const FIELD_ACTION_ID = 'value';

/** The value of a ticked boolean flag. */
export const TICKED = 'yes';

/** Slack's limit on the options of a static select. */
const MAX_OPTIONS = 100;

/**
 * A form generated from an account action's typed command: which account (and its status now), then one input per
 * value after the account, each hinted with how the action is typed. A destructive action names its verb on the submit
 * button and says so above the fields: that is the confirmation, as a modal cannot carry a confirm dialog.
 */
export function accountActionModal(
  action: TypedAction,
  account: AccountActionForm,
  fields: readonly ActionField[],
  privateMetadata: string,
  { changedSinceCard = false } = {},
): ModalView {
  const name = `${account.firstName} ${account.lastName}`;
  const verb = actionLabel(action);
  const usage = `/user ${action.name} ${commandUsage(action.command)}`;
  const notes: KnownBlock[] = [
    ...(changedSinceCard
      ? [note('about-changed', ':information_source: This account changed since the card was shown; this form is about it as it is now.')]
      : []),
    ...(action.confirm
      ? [
          note(
            'about-confirm',
            `:warning: *${escapeMrkdwn(verb)}* applies to ${escapeMrkdwn(name)} as soon as you press it, and is recorded in the audit trail.`,
          ),
        ]
      : []),
  ];
  return {
    type: 'modal',
    callback_id: ACCOUNT_ACTION_CALLBACK_ID,
    private_metadata: privateMetadata,
    title: plain(truncate(action.name, 24)),
    submit: plain(truncate(action.confirm ? verb : 'Apply', 24)),
    close: plain('Cancel'),
    blocks: [
      {
        type: 'section',
        block_id: 'about-account',
        text: { type: 'mrkdwn', text: truncate(`*${escapeMrkdwn(name)}* ${escapeMrkdwn(`<${account.email}>`)}, now ${account.status}`, 3000) },
      },
      ...notes,
      ...fields.slice(0, 100 - 1 - notes.length).map((field) => fieldInput(field, usage)),
    ],
  };
}

function fieldInput(field: ActionField, usage: string): InputBlock {
  return {
    type: 'input',
    block_id: field.name,
    label: plain(truncate(humanise(field.name), 2000)),
    element: fieldElement(field),
    optional: field.optional,
    hint: plain(truncate(usage, 2000)),
  };
}

function fieldElement(field: ActionField): InputBlock['element'] {
  switch (field.kind) {
    case 'boolean': {
      const yes = option('Yes', TICKED);
      return { type: 'checkboxes', action_id: FIELD_ACTION_ID, options: [yes], ...(field.initial === true ? { initial_options: [yes] } : {}) };
    }
    case 'choice': {
      const options = field.choices.slice(0, MAX_OPTIONS).map((choice) => option(choice, choice));
      const initial = options.find((o) => o.value === field.initial);
      return { type: 'static_select', action_id: FIELD_ACTION_ID, placeholder: plain('Choose…'), options, ...(initial ? { initial_option: initial } : {}) };
    }
    case 'text':
      return {
        type: 'plain_text_input',
        action_id: FIELD_ACTION_ID,
        ...(typeof field.initial === 'string' ? { initial_value: truncate(field.initial, 3000) } : {}),
      };
  }
}

function note(blockId: string, text: string): KnownBlock {
  return { type: 'context', block_id: blockId, elements: [{ type: 'mrkdwn', text: truncate(text, 3000) }] };
}

function option(text: string, value: string): PlainTextOption {
  return { text: { type: 'plain_text', text: fitOptionText(text), emoji: false }, value: value.slice(0, 150) };
}

function plain(text: string) {
  return { type: 'plain_text' as const, text };
}
