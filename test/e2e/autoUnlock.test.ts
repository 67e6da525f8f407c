import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blocksText } from '../support/slackReplies.ts';
import { startTestRoster, type TestRoster } from '../support/testRoster.ts';

const HELPDESK = 'U0AUTOUNL1';
let t: TestRoster;

beforeAll(async () => {
  t = await startTestRoster({ ROSTER_LOCK_EXPIRY_PASS_SECONDS: '1' });
  await t.given.grant(HELPDESK, 'helpdesk');
  await t.given.organisation('auto-on');
  await t.given.organisation('auto-off');
  await t.roster.orm.em.fork().getConnection().execute(`update organisation set auto_unlock_minutes = 15 where slug = 'auto-on'`);
});
afterAll(() => t?.stop());

/** A LOCKED_OUT account that locked out `minutes` ago. */
async function lockedOut(organisationSlug: string, minutes: number) {
  const account = await t.given.account({ firstName: 'Auto', lastName: `Unlock ${organisationSlug} ${minutes}`, status: 'LOCKED_OUT', organisationSlug });
  await t.roster.orm.em
    .fork()
    .getConnection()
    .execute(`update account set failed_sign_ins = 10, status_changed_at = now() - make_interval(mins => ?) where id = ?`, [minutes, account.id]);
  return account;
}

describe('an organisation’s automatic unlock', () => {
  it('unlocks a lockout once its time has come, audited, and leaves the others locked', async () => {
    const due = await lockedOut('auto-on', 20);
    const notYet = await lockedOut('auto-on', 5);
    const off = await lockedOut('auto-off', 600);
    await expect.poll(async () => (await t.read.account(due.id)).status, { timeout: 10_000 }).toBe('ACTIVE');
    expect((await t.read.account(due.id)).failedSignIns).toBe(0);
    expect(await t.given.audit({ targetId: due.id, action: 'auto-unlock', outcome: 'done' })).toHaveLength(1);
    expect((await t.read.account(notYet.id)).status).toBe('LOCKED_OUT');
    expect((await t.read.account(off.id)).status).toBe('LOCKED_OUT');
  });

  it('shows on the card when a lockout will end by itself', async () => {
    const account = await lockedOut('auto-on', 5);
    const card = blocksText(await t.slash(account.email, HELPDESK));
    expect(card).toContain('unlocks by itself');
    const other = blocksText(await t.slash((await lockedOut('auto-off', 5)).email, HELPDESK));
    expect(other).toContain('LOCKED_OUT');
    expect(other).not.toContain('unlocks by itself');
  });
});
