import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnyAction } from '../../src/actions/action.ts';
import { typedActions } from '../../src/actions/registry.ts';
import { ROSTER_ROLES, roleIncludes, type RosterRole } from '../../src/domain/roles.ts';
import { startTestRoster, type TestRoster } from '../support/testRoster.ts';

/** One Slack user per Roster role, and one with no grant at all. */
const CALLERS: { role: RosterRole | 'none'; userId: string }[] = [
  { role: 'none', userId: 'U0MATRIX00' },
  ...ROSTER_ROLES.map((role, i) => ({ role, userId: `U0MATRIX0${i + 1}` })),
];
const TYPED_ACTIONS: readonly AnyAction[] = typedActions;

let t: TestRoster;

beforeAll(async () => {
  t = await startTestRoster();
  for (const caller of CALLERS) if (caller.role !== 'none') await t.given.grant(caller.userId, caller.role);
});
afterAll(() => t?.stop());

/**
 * Every typed action against every Roster role: a caller below the action's role is refused with a sentence naming
 * the role needed, and the refusal is audited; a caller with the role is never refused for their role (the action
 * may still refuse the made-up arguments, which other tests cover action by action).
 */
describe.each(TYPED_ACTIONS.map((action) => [action.name, action] as const))('%s', (_name, action) => {
  it.each(CALLERS.map((caller) => [caller.role, caller] as const))('as %s', async (_role, caller) => {
    const target = await t.given.account({ firstName: 'Matrix', lastName: action.name });
    const words = action.command!.positional.map((field) => (field === 'account' ? target.email : 'x'));
    const responseUrl = t.slack.responseUrl();
    await t.send.command({ text: [action.name, ...words].join(' '), userId: caller.userId, responseUrl });
    const reply = JSON.stringify((await t.slack.waitFor('response_url', (c) => c.args._responseUrl === responseUrl)).args.blocks);
    const allowed = caller.role !== 'none' && roleIncludes(caller.role, action.requires);
    const refusedForRole = /You have no Roster role|needs an? (viewer|helpdesk|admin|owner)/.test(reply);
    expect(refusedForRole, reply).toBe(!allowed);
    if (!allowed) {
      const audit = await t.given.audit({ actorId: caller.userId, action: action.name, outcome: 'refused' });
      expect(audit.length).toBeGreaterThan(0);
      expect(audit.at(-1)!.detail).toContain(action.requires);
    }
  });
});
