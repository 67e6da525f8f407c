import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SlackGrant } from '../../src/db/entities/index.ts';
import { blocksText, shownText } from '../support/slackReplies.ts';
import { startTestRoster, type TestRoster } from '../support/testRoster.ts';

const OWNER = 'U0OWNER001';
const ADMIN = 'U0ADMIN009';

let t: TestRoster;

/** The text of Roster's answer to `/user <text>`. */
const slash = async (text: string, userId: string) => blocksText(await t.slash(text, userId));
const grantsOf = (slackUserId: string) => t.roster.orm.em.fork().find(SlackGrant, { slackUserId }, { populate: ['organisation'] });

beforeAll(async () => {
  t = await startTestRoster({ ROSTER_BOOTSTRAP_ADMINS: OWNER });
  await t.given.grant(ADMIN, 'admin');
  await t.given.organisation('acme');
});
afterAll(() => t?.stop());

describe('Roster roles from Slack', () => {
  it('bootstraps the owners named in ROSTER_BOOTSTRAP_ADMINS', async () => {
    expect((await grantsOf(OWNER)).map((g) => g.role)).toEqual(['owner']);
  });

  it('lets an owner grant a role to a mentioned person, limited to one organisation, and revoke it', async () => {
    expect(await slash('grant <@U0NEWHELP1|nina> helpdesk --org acme', OWNER)).toContain('<@U0NEWHELP1> is helpdesk in acme.');
    expect(await grantsOf('U0NEWHELP1')).toMatchObject([{ role: 'helpdesk', organisation: { slug: 'acme' } }]);
    expect(await slash('grant <@U0NEWHELP1> admin --org acme', OWNER)).toContain('is admin in acme (was helpdesk)');
    expect(await slash('revoke <@U0NEWHELP1> --org acme', OWNER)).toContain('is no longer admin in acme');
    expect(await grantsOf('U0NEWHELP1')).toEqual([]);
    expect((await t.given.audit({ targetId: 'U0NEWHELP1' })).map((e) => [e.action, e.outcome])).toEqual([
      ['grant', 'done'],
      ['grant', 'done'],
      ['revoke', 'done'],
    ]);
  });

  it('refuses an admin, who cannot grant roles', async () => {
    expect(await slash('grant <@U0SOMEONE1> owner', ADMIN)).toContain('needs an owner');
    expect(await grantsOf('U0SOMEONE1')).toEqual([]);
    expect(await t.given.audit({ actorId: ADMIN, action: 'grant' })).toMatchObject([{ outcome: 'refused' }]);
  });

  it('refuses to revoke the last platform owner', async () => {
    expect(await slash(`revoke <@${OWNER}>`, OWNER)).toContain('last platform owner');
    expect((await grantsOf(OWNER)).map((g) => g.role)).toEqual(['owner']);
  });

  it('explains a role that does not exist, a name that is not a mention and a missing person in words, with the usage', async () => {
    const usage = 'Usage: grant <@someone> <viewer|helpdesk|admin|owner> [--org <slug>]';
    const superuser = shownText(await t.slash('grant <@U0SOMEONE2> superuser', OWNER));
    expect(superuser).toContain(`role: must be viewer, helpdesk, admin or owner, not “superuser”. ${usage}`);
    // "@nina" typed as text, not picked as a mention, reaches Roster as the word itself.
    const typed = shownText(await t.slash('grant @nina admin', OWNER));
    expect(typed).toContain(`person: must be @someone or a Slack user ID such as U012ABCDEF. ${usage}`);
    expect(shownText(await t.slash('grant', OWNER))).toContain(`grant needs <@someone> <viewer|helpdesk|admin|owner>. ${usage}`);
    expect(await t.given.audit({ actorId: OWNER, action: 'grant', outcome: 'refused' })).toHaveLength(3);
  });
});
