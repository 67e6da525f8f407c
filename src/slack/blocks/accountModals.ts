import type { InputBlock, KnownBlock, ModalView, PlainTextOption, StaticSelect } from '@slack/types';
import type { CreateAccountForm, EditAccountForm, OrganisationChoice } from '../../actions/accounts/accountForms.ts';
import { ACCOUNT_ROLES } from '../../domain/accounts.ts';
import { fitOptionText } from '../options/accountPick.ts';
import { groupPickElement } from '../options/groupPick.ts';
import { escapeMrkdwn, mrkdwnSentence, truncate } from './text.ts';

export const CREATE_ACCOUNT_CALLBACK_ID = 'account.create';
export const EDIT_ACCOUNT_CALLBACK_ID = 'account.edit';

/** The action_id of every input in these modals: the block_id says which field it is. */
const FIELD_ACTION_ID = 'value';

/** Block ids of the form fields, by the action input field they fill (a refusal about a field is shown under it). */
export const CREATE_FIELD_BLOCKS = {
  firstName: 'first_name',
  lastName: 'last_name',
  email: 'email',
  username: 'username',
  role: 'role',
  organisation: 'organisation',
  groups: 'groups',
  sendInvitation: 'invitation',
} as const;

export const EDIT_FIELD_BLOCKS = {
  firstName: 'first_name',
  lastName: 'last_name',
  username: 'username',
  email: 'email',
  organisation: 'organisation',
} as const;

/** The value of the ticked "send an invitation" box. */
export const SEND_INVITATION = 'send';

export function createAccountModal(form: CreateAccountForm, privateMetadata: string, prefill: { email?: string } = {}): ModalView {
  const b = CREATE_FIELD_BLOCKS;
  const roles = ACCOUNT_ROLES.map((role) => option(role[0]!.toUpperCase() + role.slice(1), role));
  const invite = option('Send an invitation email', SEND_INVITATION);
  return {
    type: 'modal',
    callback_id: CREATE_ACCOUNT_CALLBACK_ID,
    private_metadata: privateMetadata,
    title: plain('Add an account'),
    submit: plain('Create'),
    close: plain('Cancel'),
    blocks: [
      textInput(b.firstName, 'First name', { maxLength: 100 }),
      textInput(b.lastName, 'Last name', { maxLength: 100 }),
      textInput(b.email, 'Email', { maxLength: 320, initial: prefill.email, hint: 'They set their own password from the invitation sent here.' }),
      textInput(b.username, 'Username', { maxLength: 100, optional: true, hint: 'Leave empty to use the part of the email before the @.' }),
      input(b.role, 'Role', { type: 'static_select', action_id: FIELD_ACTION_ID, options: roles, initial_option: roles[0] }),
      organisationInput(b.organisation, form.organisations, form.initialOrganisation, form.more),
      input(b.groups, 'Groups', groupPickElement(), { optional: true, hint: 'Groups of the organisation chosen above.' }),
      input(
        b.sendInvitation,
        'Invitation',
        { type: 'checkboxes', action_id: FIELD_ACTION_ID, options: [invite], initial_options: [invite] },
        {
          optional: true,
          hint: 'Without one the account is staged: no mail goes out until an invitation is sent.',
        },
      ),
    ],
  };
}

export function editAccountModal(form: EditAccountForm, privateMetadata: string): ModalView {
  const b = EDIT_FIELD_BLOCKS;
  const summary = `*${escapeMrkdwn(`${form.firstName} ${form.lastName}`)}* · ${form.status} · changes are recorded in the audit trail.`;
  return {
    type: 'modal',
    callback_id: EDIT_ACCOUNT_CALLBACK_ID,
    private_metadata: privateMetadata,
    title: plain('Edit account'),
    submit: plain('Save'),
    close: plain('Cancel'),
    blocks: [
      { type: 'context', block_id: 'summary', elements: [{ type: 'mrkdwn', text: truncate(summary, 3000) }] },
      textInput(b.firstName, 'First name', { maxLength: 100, initial: form.firstName }),
      textInput(b.lastName, 'Last name', { maxLength: 100, initial: form.lastName }),
      textInput(b.username, 'Username', { maxLength: 100, initial: form.username }),
      textInput(b.email, 'Email', { maxLength: 320, initial: form.email }),
      organisationInput(
        b.organisation,
        form.organisations,
        form.organisation.slug,
        form.more,
        'Moving to another organisation takes the account out of its groups here.',
      ),
    ],
  };
}

/** A modal that only says something (a submission that cannot go on): it replaces the form, and Close ends it. */
export function sentenceModal(title: string, sentences: readonly string[]): ModalView {
  return {
    type: 'modal',
    title: plain(truncate(title, 24)),
    close: plain('Close'),
    blocks: sentences
      .slice(0, 50)
      .map(
        (sentence, i): KnownBlock => ({ type: 'section', block_id: `sentence-${i}`, text: { type: 'mrkdwn', text: truncate(mrkdwnSentence(sentence), 3000) } }),
      ),
  };
}

export function organisationInput(
  blockId: string,
  organisations: readonly OrganisationChoice[],
  initialSlug: string,
  more: boolean,
  hint?: string,
): InputBlock {
  const options = organisations.map((o) => option(`${o.name} (${o.slug})`, o.slug));
  const initial = options.find((o) => o.value === initialSlug);
  const element: StaticSelect = { type: 'static_select', action_id: FIELD_ACTION_ID, options, ...(initial ? { initial_option: initial } : {}) };
  const moreHint = more ? `The first ${organisations.length} organisations you may use, by name; for another, use the CLI.` : undefined;
  return input(blockId, 'Organisation', element, { hint: [hint, moreHint].filter(Boolean).join(' ') || undefined });
}

function textInput(blockId: string, label: string, opts: { maxLength: number; initial?: string; optional?: boolean; hint?: string }): InputBlock {
  return input(
    blockId,
    label,
    {
      type: 'plain_text_input',
      action_id: FIELD_ACTION_ID,
      max_length: opts.maxLength,
      ...(opts.initial ? { initial_value: truncate(opts.initial, 3000) } : {}),
    },
    opts,
  );
}

export function input(blockId: string, label: string, element: InputBlock['element'], opts: { optional?: boolean; hint?: string } = {}): InputBlock {
  return {
    type: 'input',
    block_id: blockId,
    label: plain(label),
    element,
    optional: opts.optional ?? false,
    ...(opts.hint ? { hint: plain(truncate(opts.hint, 2000)) } : {}),
  };
}

export function option(text: string, value: string): PlainTextOption {
  return { text: { type: 'plain_text', text: fitOptionText(text), emoji: false }, value };
}

export function plain(text: string) {
  return { type: 'plain_text' as const, text };
}
