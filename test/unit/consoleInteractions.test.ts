// What the console sends the app for a modal's submission, and how it honours the app's answer, as Slack does: the
// app's side is a stand-in that records the payload and answers what each test says.
import { describe, expect, it } from 'vitest';
import type { AppRequester } from '../../src/console/appRequests.ts';
import { IDENTITIES } from '../../src/console/identities.ts';
import { interactions } from '../../src/console/interactions.ts';
import { Workspace } from '../../src/console/workspace.ts';

const TOKEN = 'xoxb-local-test';
const admin = IDENTITIES.admin;
const plain = (text: string) => ({ type: 'plain_text', text });
const form = {
  type: 'modal',
  callback_id: 'form',
  private_metadata: '{"channel":"C0ROSTER"}',
  title: plain('Form'),
  submit: plain('Save'),
  blocks: [
    { type: 'input', block_id: 'name', label: plain('Name'), element: { type: 'plain_text_input', action_id: 'value' } },
    {
      type: 'input',
      block_id: 'role',
      label: plain('Role'),
      element: {
        type: 'static_select',
        action_id: 'value',
        options: [{ text: plain('User'), value: 'user' }],
        initial_option: { text: plain('User'), value: 'user' },
      },
    },
    { type: 'input', block_id: 'note', optional: true, label: plain('Note'), element: { type: 'plain_text_input', action_id: 'value' } },
  ],
};
const sentence = (text: string) => ({ type: 'modal', title: plain('Done'), blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] });

function setUp(answer: unknown) {
  const workspace = new Workspace('http://127.0.0.1:1', TOKEN);
  const sent: any[] = [];
  const app: AppRequester = {
    command: async () => ({ ok: true, status: 200, body: '' }),
    event: async () => ({ ok: true, status: 200, body: '' }),
    interaction: async (payload) => {
      sent.push(payload);
      return { ok: true, status: 200, body: answer };
    },
  };
  expect(workspace.call('views.open', { trigger_id: workspace.issueTrigger(admin.userId), view: form }, TOKEN).body.ok).toBe(true);
  const view = workspace.topView(admin.userId)!;
  return { workspace, sent, view, console: interactions(workspace, app) };
}

describe("the console's modals", () => {
  it("sends the state as Slack builds it, only with the element's own options, and keeps a required field from going out empty", async () => {
    const { console, sent, view, workspace } = setUp('');
    await console.submit(admin, view.id, { name: { value: { value: '' } } });
    expect(sent).toEqual([]);
    expect(workspace.topView(admin.userId)?.errors).toEqual({ name: 'Please complete this required field.' });

    await console.submit(admin, view.id, { name: { value: { value: 'Ann' } }, role: { value: { selected: ['user', 'owner'] } } });
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      type: 'view_submission',
      user: { id: admin.userId },
      view: { callback_id: 'form', private_metadata: '{"channel":"C0ROSTER"}' },
    });
    expect(sent[0].view.state.values).toEqual({
      name: { value: { type: 'plain_text_input', value: 'Ann' } },
      role: { value: { type: 'static_select', selected_option: { text: plain('User'), value: 'user' } } },
      note: { value: { type: 'plain_text_input', value: null } },
    });
    // An empty ack closes the form.
    expect(workspace.topView(admin.userId)).toBeUndefined();
  });

  it('shows the errors the app answers under their fields, and refuses errors for a block the form does not have', async () => {
    const shown = setUp({ response_action: 'errors', errors: { name: 'Taken.' } });
    expect(await shown.console.submit(admin, shown.view.id, { name: { value: { value: 'Ann' } } })).toEqual({ ok: true });
    expect(shown.workspace.topView(admin.userId)?.errors).toEqual({ name: 'Taken.' });

    const stray = setUp({ response_action: 'errors', errors: { nowhere: 'Taken.' } });
    expect(await stray.console.submit(admin, stray.view.id, { name: { value: { value: 'Ann' } } })).toEqual({
      ok: false,
      error: "Slack refused the app's errors: no input block nowhere in this form (invalid_arguments).",
    });
  });

  it("updates, pushes and clears as the app answers, and shows Slack's refusal of a view beyond its limits", async () => {
    const updated = setUp({ response_action: 'update', view: sentence('Saved.') });
    await updated.console.submit(admin, updated.view.id, { name: { value: { value: 'Ann' } } });
    expect(updated.workspace.topView(admin.userId)).toMatchObject({ id: updated.view.id, view: { title: plain('Done') } });

    const pushed = setUp({ response_action: 'push', view: sentence('Next step.') });
    await pushed.console.submit(admin, pushed.view.id, { name: { value: { value: 'Ann' } } });
    expect(pushed.workspace.stacks.get(admin.userId)).toHaveLength(2);
    expect(pushed.workspace.topView(admin.userId)?.view.title).toEqual(plain('Done'));

    const cleared = setUp({ response_action: 'clear' });
    await cleared.console.submit(admin, cleared.view.id, { name: { value: { value: 'Ann' } } });
    expect(cleared.workspace.stacks.get(admin.userId)).toEqual([]);

    const tooBig = setUp({ response_action: 'update', view: { ...sentence('x'), blocks: Array.from({ length: 101 }, () => ({ type: 'divider' })) } });
    expect(await tooBig.console.submit(admin, tooBig.view.id, { name: { value: { value: 'Ann' } } })).toEqual({
      ok: false,
      error: "Slack refused the app's answer (invalid_blocks): blocks: more than 100 items (101)",
    });
    expect(tooBig.workspace.topView(admin.userId)?.view.callback_id).toBe('form');
  });
});
