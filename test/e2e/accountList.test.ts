// `/users list`: filters, sorting, keyset paging through signed Slack requests, the organisation scope, and the CLI.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNT_LIST_PAGE_SIZE } from '../../src/actions/accounts/listAccounts.ts';
import { Account } from '../../src/db/entities/index.ts';
import { runCli } from '../support/cli.ts';
import type { RecordedCall } from '../support/fakeSlack.ts';
import { blocksText, shownText } from '../support/slackReplies.ts';
import { startTestRoster, type TestRoster, uniqueTag } from '../support/testRoster.ts';

const VIEWER = 'U0LISTVIEW';
const LIMITED = 'U0LISTLIM';
const NOBODY = 'U0LISTNONE';

let t: TestRoster;

beforeAll(async () => {
  t = await startTestRoster();
  await t.given.grant(VIEWER, 'viewer');
  await t.given.organisation('list-a');
  await t.given.organisation('list-b');
  await t.given.grant(LIMITED, 'viewer', 'list-a');
});
afterAll(() => t?.stop());

/** Types `/users <text>` and returns the reply, checking that Slack would accept it. */
async function users(text: string, userId = VIEWER): Promise<RecordedCall> {
  const responseUrl = t.slack.responseUrl();
  const ack = await t.send.command({ command: '/users', text, userId, responseUrl });
  expect(ack.status).toBe(200);
  const reply = await t.slack.waitFor('response_url', (c) => c.args._responseUrl === responseUrl);
  if (reply.failed) throw new Error(`Slack would refuse the reply to /users ${text}: ${reply.error} ${JSON.stringify(reply.args.errors ?? '')}`);
  return reply;
}

async function click(reply: RecordedCall, actionId: string, userId = VIEWER): Promise<RecordedCall> {
  const edited = await t.click(reply, actionId, userId);
  if (edited.failed) throw new Error(`Slack would refuse the edit after ${actionId}: ${edited.error} ${JSON.stringify(edited.args.errors ?? '')}`);
  expect(edited.args.replace_original).toBe(true);
  return edited;
}

/** The names listed, in order, as the bold start of each account's line. */
function listed(reply: RecordedCall): string[] {
  return (reply.args.blocks as any[]).filter((b) => /^account-\d+$/.test(b.block_id)).map((b) => /^\*(.+?)\*/.exec(b.text.text)![1]!);
}

function heading(reply: RecordedCall): string {
  return (reply.args.blocks as any[]).find((b) => b.block_id === 'list-title').text.text;
}

function buttons(reply: RecordedCall): string[] {
  return (reply.args.blocks as any[]).filter((b) => b.type === 'actions').flatMap((b) => b.elements.map((e: any) => e.action_id));
}

/** Accounts whose last names share a fresh tag, so a test lists only its own by that text. */
async function people(tag: string, specs: Parameters<TestRoster['given']['account']>[0][]) {
  const made = [];
  for (const [i, spec] of specs.entries()) made.push(await t.given.account({ firstName: `P${i}`, lastName: `${tag}${String(i).padStart(3, '0')}`, ...spec }));
  return made;
}

describe('filters', () => {
  it('shows every status but deactivated by default, and deactivated accounts when asked for', async () => {
    const tag = `Dflt${uniqueTag()}`;
    await people(tag, [{ status: 'ACTIVE' }, { status: 'LOCKED_OUT' }, { status: 'DEACTIVATED' }, { status: 'DELETED' }]);
    const shown = await users(tag);
    expect(listed(shown)).toEqual([`P0 ${tag}000`, `P1 ${tag}001`]);
    expect(heading(shown)).toContain('2 accounts match. Every status but deactivated');
    const deactivated = await users(`list status:deactivated ${tag}`);
    expect(listed(deactivated)).toEqual([`P2 ${tag}002`]);
    expect(heading(deactivated)).toContain('1 account matches. Status deactivated');
    expect(listed(await users(`list status:deleted,active ${tag}`))).toEqual([`P0 ${tag}000`, `P3 ${tag}003`]);
  });

  it('filters by status (a comma list), role, inactivity and the start of a name, username or email', async () => {
    const tag = `Flt${uniqueTag()}`;
    const old = new Date(Date.now() - 100 * 86_400_000);
    const [a, b] = await people(tag, [
      { status: 'LOCKED_OUT' },
      { status: 'SUSPENDED', lastSignInAt: old },
      { status: 'ACTIVE', lastSignInAt: null, createdAt: old },
      { status: 'ACTIVE' },
    ]);
    const em = t.roster.orm.em.fork();
    await em.nativeUpdate(Account, { id: b!.id }, { role: 'manager' });
    expect(listed(await users(`list status:locked-out,suspended ${tag}`))).toEqual([`P0 ${tag}000`, `P1 ${tag}001`]);
    expect(listed(await users(`list role:manager ${tag}`))).toEqual([`P1 ${tag}001`]);
    // Never signed in, added 100 days ago, counts as inactive as much as a sign-in 100 days ago.
    expect(listed(await users(`list inactive&gt;:90 ${tag}`))).toEqual([`P1 ${tag}001`, `P2 ${tag}002`]);
    expect(listed(await users(`list inactive&gt;:101 ${tag}`))).toEqual([]);
    expect(listed(await users(`list ${a!.email.slice(0, 12)}`))).toContain(`P0 ${tag}000`);
    expect(listed(await users(`list ${a!.username}`))).toEqual([`P0 ${tag}000`]);
  });

  it('filters by group name or external ID, and by organisation', async () => {
    const tag = `Grp${uniqueTag()}`;
    const [a, , c] = await people(tag, [{}, {}, { organisationSlug: 'list-b' }]);
    await t.given.group({ name: `Crew ${tag}`, externalId: `EXT-${tag}`, members: [[a!, 'member']] });
    await t.given.group({ name: `Crew ${tag}`, organisationSlug: 'list-b', members: [[c!, 'editor']] });
    expect(listed(await users(`list group:"Crew ${tag}" ${tag}`))).toEqual([`P0 ${tag}000`, `P2 ${tag}002`]);
    expect(listed(await users(`list group:EXT-${tag}`))).toEqual([`P0 ${tag}000`]);
    expect(listed(await users(`list group:“crew ${tag}” org:list-b`))).toEqual([`P2 ${tag}002`]);
    expect(listed(await users(`list org:list-b ${tag}`))).toEqual([`P2 ${tag}002`]);
  });

  it('sorts by any column, ascending or descending', async () => {
    const tag = `Srt${uniqueTag()}`;
    await people(tag, [{ firstName: 'Bea' }, { firstName: 'Abe' }, { firstName: 'Cy' }]);
    expect(listed(await users(`list sort:first-name ${tag}`))).toEqual([`Abe ${tag}001`, `Bea ${tag}000`, `Cy ${tag}002`]);
    expect(listed(await users(`list sort:-first-name ${tag}`))).toEqual([`Cy ${tag}002`, `Bea ${tag}000`, `Abe ${tag}001`]);
    expect(listed(await users(`list sort:-last-name ${tag}`))).toEqual([`Cy ${tag}002`, `Abe ${tag}001`, `Bea ${tag}000`]);
    expect(listed(await users(`list sort:-added ${tag}`))).toEqual([`Cy ${tag}002`, `Abe ${tag}001`, `Bea ${tag}000`]);
  });

  it('answers a misspelt filter or an unknown value with what is allowed, with the usage, and audits it', async () => {
    const typo = await users('list stauts:active');
    expect(blocksText(typo)).toContain('did you mean `status:`?');
    expect(blocksText(typo)).toContain('/users list [filters] [text]');
    const unknown = await users('list status:actve');
    expect(blocksText(unknown)).toContain('did you mean `active`?');
    expect(blocksText(unknown)).toContain('`password-expired`');
    const group = await users(`list group:"No such group ${uniqueTag()}"`);
    expect(blocksText(group)).toContain('has no group');
    const refusals = await t.given.audit({ actorId: VIEWER, action: 'list', outcome: 'refused' });
    expect(refusals.map((r) => r.detail)).toEqual(expect.arrayContaining([expect.stringContaining('“stauts:” is not a filter')]));
    expect(refusals.map((r) => r.detail)).toEqual(expect.arrayContaining([expect.stringContaining('has no value “actve”')]));
  });

  it('refuses someone without a Roster role, and audits it', async () => {
    const reply = await users('list', NOBODY);
    expect(blocksText(reply)).toMatch(/no Roster role|needs a viewer/);
    expect(await t.given.audit({ actorId: NOBODY, action: 'list', outcome: 'refused' })).toHaveLength(1);
  });
});

describe('paging', () => {
  it('pages forward and back while accounts are added between clicks: none twice, none skipped', async () => {
    const tag = `Pg${uniqueTag()}`;
    // Last names with room between them, so accounts added later land before and after the current page.
    const name = (n: number) => `${tag}${String(n).padStart(4, '0')}`;
    for (let n = 0; n < 50; n++) await t.given.account({ firstName: 'Page', lastName: name(n * 10) });
    const page1 = await users(tag);
    expect(heading(page1)).toContain('50 accounts match');
    expect(listed(page1)).toHaveLength(ACCOUNT_LIST_PAGE_SIZE);
    expect(buttons(page1)).toEqual(['users.list.next', 'users.list.reset']);
    // One behind the first page's end, one ahead of it.
    await t.given.account({ firstName: 'Page', lastName: name(5) });
    await t.given.account({ firstName: 'Page', lastName: name(255) });
    const page2 = await click(page1, 'users.list.next');
    expect(heading(page2)).toContain('52 accounts match');
    await t.given.account({ firstName: 'Page', lastName: name(445) });
    const page3 = await click(page2, 'users.list.next');
    expect(buttons(page3)).toEqual(['users.list.previous', 'users.list.reset']);
    const forward = [...listed(page1), ...listed(page2), ...listed(page3)];
    expect(new Set(forward).size).toBe(forward.length);
    // Every account that was there at the start, and the two added ahead of the reader, in order.
    const expected = [...Array.from({ length: 50 }, (_, n) => n * 10), 255, 445].sort((x, y) => x - y).map((n) => `Page ${name(n)}`);
    expect(forward).toEqual(expected);
    expect(forward).not.toContain(`Page ${name(5)}`);
    // Back from the last page: the accounts just before it, now including one added behind the reader meanwhile.
    await t.given.account({ firstName: 'Page', lastName: name(395) });
    const back = await click(page3, 'users.list.previous');
    const now = [...expected, `Page ${name(5)}`, `Page ${name(395)}`].sort();
    const end = now.indexOf(listed(page3)[0]!);
    expect(listed(back)).toEqual(now.slice(end - ACCOUNT_LIST_PAGE_SIZE, end));
    expect(buttons(back)).toEqual(['users.list.previous', 'users.list.next', 'users.list.reset']);
    // Further back, page by page, to the first page (full, since pages stay full), which offers no Previous.
    let page = back;
    let start = end - ACCOUNT_LIST_PAGE_SIZE;
    while (buttons(page).includes('users.list.previous')) {
      page = await click(page, 'users.list.previous');
      start = Math.max(start - ACCOUNT_LIST_PAGE_SIZE, 0);
      expect(listed(page)).toEqual(now.slice(start, start + ACCOUNT_LIST_PAGE_SIZE));
    }
    expect(start).toBe(0);
    expect(buttons(page)).toEqual(['users.list.next', 'users.list.reset']);
  });

  it('orders accounts that share a last name, a role or a status by first name, across pages', async () => {
    const tag = `Same${uniqueTag()}`;
    // Made in an order unlike the alphabet's, so the order listed is not the order of creation (nor, likely, of ids).
    const firstNames = Array.from({ length: ACCOUNT_LIST_PAGE_SIZE + 5 }, (_, n) => `F${String((n * 7) % 25).padStart(2, '0')}`);
    for (const firstName of firstNames) await t.given.account({ firstName, lastName: tag });
    const alphabetical = [...firstNames].sort().map((first) => `${first} ${tag}`);
    const page1 = await users(tag);
    const page2 = await click(page1, 'users.list.next');
    expect([...listed(page1), ...listed(page2)]).toEqual(alphabetical);
    const back = await click(page2, 'users.list.previous');
    expect(listed(back)).toEqual(alphabetical.slice(0, ACCOUNT_LIST_PAGE_SIZE));
    const byRole = await users(`list sort:role ${tag}`);
    const byRole2 = await click(byRole, 'users.list.next');
    expect([...listed(byRole), ...listed(byRole2)]).toEqual(alphabetical);
    // Descending turns the whole order round, ties included.
    const descending = await users(`list sort:-last-name ${tag}`);
    expect(listed(descending)).toEqual(alphabetical.toReversed().slice(0, ACCOUNT_LIST_PAGE_SIZE));
  });

  it('Reset filters shows the default list', async () => {
    const tag = `Rst${uniqueTag()}`;
    await people(tag, [{ status: 'DEACTIVATED' }]);
    const filtered = await users(`list status:deactivated ${tag}`);
    expect(listed(filtered)).toEqual([`P0 ${tag}000`]);
    const reset = await click(filtered, 'users.list.reset');
    expect(heading(reset)).toContain('Every status but deactivated, sorted by last name');
    expect(listed(reset).length).toBeGreaterThan(0);
    expect(listed(reset)).not.toContain(`P0 ${tag}000`);
  });

  it('keeps a page of very long names within Slack’s limits, cut with an ellipsis', async () => {
    const tag = `Lng${uniqueTag()}`.toLowerCase();
    for (let i = 0; i < ACCOUNT_LIST_PAGE_SIZE + 1; i++) {
      await t.given.account({
        firstName: `${'&<>'.repeat(33)}X`,
        lastName: `${tag}${String(i).padStart(2, '0')}${'Ö&'.repeat(43)}`,
        email: `${tag}${i}${'x'.repeat(280)}@example.test`,
        username: `${tag}${i}${'u'.repeat(80)}`,
      });
    }
    const page = await users(tag);
    expect(listed(page)).toHaveLength(ACCOUNT_LIST_PAGE_SIZE);
    expect(listed(page)[0]).toContain('…');
    expect(heading(page)).toContain('21 accounts match');
    expect((await click(page, 'users.list.next')).args.blocks.length).toBeLessThanOrEqual(50);
  });
});

describe('organisation scope', () => {
  it('lists only the organisation an organisation-limited grant covers', async () => {
    const tag = `Org${uniqueTag()}`;
    await people(tag, [{ organisationSlug: 'list-a' }, { organisationSlug: 'list-b' }]);
    expect(listed(await users(tag, LIMITED))).toEqual([`P0 ${tag}000`]);
    expect(listed(await users(tag, VIEWER))).toEqual([`P0 ${tag}000`, `P1 ${tag}001`]);
    const other = await users(`list org:list-b ${tag}`, LIMITED);
    expect(blocksText(other)).toContain('has no organisation “list-b” that you can see. You can see one organisation: `list-a`.');
  });
});

describe('/users', () => {
  it('answers help with the usage, and the subcommands still to come honestly', async () => {
    expect(shownText(await users('help'))).toContain('`sort:<field>` or `sort:-<field>`');
    expect(blocksText(await users('audit'))).toContain('not in this version of Roster yet');
  });
});

describe('the CLI', () => {
  it('prints the same page as text, with the command that continues it', async () => {
    const tag = `Cli${uniqueTag()}`;
    for (let i = 0; i < ACCOUNT_LIST_PAGE_SIZE + 2; i++) await t.given.account({ firstName: 'Cli', lastName: `${tag}${String(i).padStart(2, '0')}` });
    const env = { DATABASE_URL: t.config.DATABASE_URL, LOG_LEVEL: 'warn' };
    const first = await runCli(['users', 'list', tag], env);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain(`22 accounts match. Every status but deactivated, name, username or email starting with “${tag}”`);
    expect(first.stdout).toContain(`Cli ${tag}00 · `);
    expect(first.stdout).not.toContain(`Cli ${tag}20 · `);
    const next = /Next page: npm run roster -- users list (\S+) --after (\S+)/.exec(first.stdout);
    expect(next).not.toBeNull();
    const second = await runCli(['users', 'list', next![1]!, '--after', next![2]!], env);
    expect(second.stdout).toContain(`Cli ${tag}20 · `);
    expect(second.stdout).toContain(`Cli ${tag}21 · `);
    expect(second.stdout).not.toContain(`Cli ${tag}19 · `);
    const typo = await runCli(['users', 'list', 'stauts:active'], env);
    expect(typo.code).toBe(1);
    expect(typo.stderr).toContain('did you mean `status:`?');
  });
});
