import { describe, expect, it } from 'vitest';
import { accountActionFields, isAccountAction, runsWithoutForm } from '../../src/actions/formFields.ts';
import { actionsByName, typedActions } from '../../src/actions/registry.ts';
import { accountActionModal } from '../../src/slack/blocks/accountActionModal.ts';
import { blockKitErrors } from '../support/fakeSlack.ts';
import { inputBlocks } from '../support/slackReplies.ts';

const action = (name: string) => actionsByName.get(name)!;
const accountActions = typedActions.filter(isAccountAction);

describe('account action fields', () => {
  it('reads the values after the account from the command and the zod input', () => {
    expect(accountActionFields(action('role'))).toEqual([
      { name: 'role', kind: 'choice', choices: ['user', 'manager', 'administrator'], optional: false, initial: undefined },
      { name: 'reason', kind: 'text', choices: [], optional: true, initial: undefined },
    ]);
    expect(accountActionFields(action('group-add')).map((f) => [f.name, f.kind, f.optional, f.initial])).toEqual([
      ['group', 'text', false, undefined],
      ['role', 'choice', true, 'member'],
      ['reason', 'text', true, undefined],
    ]);
    // on|off is trimmed and lower-cased before the enum: the select still offers its values.
    expect(accountActionFields(action('developer-mode'))[0]).toMatchObject({ name: 'state', kind: 'choice', choices: ['on', 'off'] });
    expect(accountActionFields(action('reset-password'))[0]).toMatchObject({ name: 'temporary', kind: 'boolean', initial: false });
    expect(accountActionFields(action('email')).map((f) => f.name)).toEqual(['email', 'organisation', 'reason']);
  });

  it('runs only reads with nothing to ask without a form', () => {
    expect(accountActions.filter(runsWithoutForm).map((a) => a.name)).toEqual(['audit']);
    expect(isAccountAction(action('group-owner'))).toBe(false);
  });

  it.each(accountActions.map((a) => [a.name, a] as const))('builds a form for %s that Slack accepts', (_name, definition) => {
    const account = {
      accountId: '00000000-0000-4000-8000-000000000000',
      version: 3,
      firstName: 'Alice',
      lastName: 'Smith',
      email: 'alice@example.com',
      status: 'ACTIVE' as const,
    };
    const fields = accountActionFields(definition);
    const view = accountActionModal(definition, account, fields, '{}', { changedSinceCard: true });
    expect(blockKitErrors('modal', view)).toEqual([]);
    // What Slack accepts is the whole form: about Alice, with an input for every field.
    expect(view.blocks[0]).toMatchObject({ block_id: 'about-account', text: { text: expect.stringContaining('*Alice Smith*') } });
    expect(Object.keys(inputBlocks(view))).toEqual(fields.map((field) => field.name));
  });
});
