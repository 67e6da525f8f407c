import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Group, Membership } from '../../src/db/entities/index.ts';
import type { RecordedCall } from '../support/fakeSlack.ts';
import { blocksText } from '../support/slackReplies.ts';
import { blockActionsPayload, blockSuggestionPayload, staticSelectValue } from '../support/slackRequests.ts';
import { startTestRoster, type TestRoster } from '../support/testRoster.ts';

const ADMIN = 'U0GPADMIN1';
const VIEWER = 'U0GPVIEW01';
const CHANNEL = 'C0GROUPPPL';

let t: TestRoster;
let groupId: string;
let owner: Awaited<ReturnType<TestRoster['given']['account']>>;
let newcomer: Awaited<ReturnType<TestRoster['given']['account']>>;

beforeAll(async () => {
  t = await startTestRoster();
  await t.given.grant(ADMIN, 'admin');
  await t.given.grant(VIEWER, 'viewer');
  owner = await t.given.account({ firstName: 'Olga', lastName: 'Owner' });
  newcomer = await t.given.account({ firstName: 'Nils', lastName: 'Newcomer' });
  groupId = await t.given.group({ name: 'Night Shift', owner });
});
afterAll(() => t?.stop());

const buttonsOf = (card: RecordedCall): string[] =>
  (card.args.blocks as any[]).flatMap((b) => (b.type === 'actions' ? b.elements : [])).map((e: any) => e.action_id);

/** Clicks a button of the group card, as posted in a channel, and returns the form Slack was asked to open. */
const openFrom = (card: RecordedCall, actionId: string) =>
  t.openModalFrom(blockActionsPayload({ userId: ADMIN, actionId, blocks: card.args.blocks, channelId: CHANNEL, messageTs: '1700000000.000555' }));

/** The picker's first option for what is typed, as Slack would put it in the submitted form. */
async function pick(form: any, typed: string) {
  const suggested = await t.send.options(
    blockSuggestionPayload({ userId: ADMIN, actionId: 'account.pick', value: typed, view: { ...form, id: 'V0GROUPPPL' } }),
  );
  const option = suggested.body.options[0];
  return { type: 'external_select', selected_option: option };
}

describe('a group card names people through the account picker', () => {
  it('offers Add member… and Change owner… to an admin, and neither to a viewer', async () => {
    expect(buttonsOf(await t.slash('group "Night Shift"', ADMIN))).toEqual(['group.add-member', 'group.change-owner']);
    expect(buttonsOf(await t.slash('group "Night Shift"', VIEWER))).toEqual([]);
  });

  it('adds the person picked as you type, with the role chosen, and edits the card in place', async () => {
    const card = await t.slash('group "Night Shift"', ADMIN);
    const form = await openFrom(card, 'group.add-member');
    expect(form.blocks[0].element).toMatchObject({ type: 'external_select', action_id: 'account.pick' });
    const chosen = await pick(form, 'nils');
    expect(chosen.selected_option.value).toBe(newcomer.id);
    expect(await t.submitView(form, ADMIN, { account: { 'account.pick': chosen }, role: { role: staticSelectValue('editor').value } })).toBe('');
    const edited = await t.slack.waitFor('chat.update', (c) => c.args.ts === '1700000000.000555' && blocksText(c).includes('Nils Newcomer'), 10_000);
    expect(blocksText(edited)).toContain('Night Shift');
    expect(await t.roster.orm.em.fork().findOne(Membership, { account: { id: newcomer.id }, group: { id: groupId } })).toMatchObject({ role: 'editor' });

    const again = await openFrom(card, 'group.add-member');
    const refused = await t.submitView(again, ADMIN, { account: { 'account.pick': await pick(again, 'nils') } });
    expect(refused).toMatchObject({ response_action: 'errors', errors: { account: expect.stringContaining('already in') } });
  });

  it('makes the person picked the owner', async () => {
    const card = await t.slash('group "Night Shift"', ADMIN);
    const form = await openFrom(card, 'group.change-owner');
    expect(await t.submitView(form, ADMIN, { account: { 'account.pick': await pick(form, 'nils') } })).toBe('');
    await t.slack.waitFor('chat.update', (c) => c.args.ts === '1700000000.000555' && blocksText(c).includes('now owns'), 10_000);
    expect((await t.roster.orm.em.fork().findOneOrFail(Group, { id: groupId }, { populate: ['owner'] })).owner?.id).toBe(newcomer.id);
  });
});
