import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountPickElement } from '../../src/slack/options/accountPick.ts';
import { blockSuggestionPayload } from '../support/slackRequests.ts';
import { startTestRoster, type TestRoster } from '../support/testRoster.ts';

const VIEWER = 'U0TAVIEW1';
const ACME_ONLY = 'U0TAACME1';
const NOBODY = 'U0TANOBODY';

type Account = Awaited<ReturnType<TestRoster['given']['account']>>;

let t: TestRoster;
let alice: Account;
let alicia: Account;
let alina: Account;
let gone: Account;
let longName: Account;

/** A modal holding the picker, as Slack sends it along with every suggestion request. */
const modal = {
  id: 'V0TYPEAHEAD',
  type: 'modal',
  callback_id: 'account.test',
  blocks: [{ type: 'input', block_id: 'account', label: { type: 'plain_text', text: 'Account' }, element: accountPickElement() }],
  state: { values: {} },
};

interface Option {
  text: { type: string; text: string };
  value: string;
}

/** What the picker offers `userId` after typing `value`. */
async function suggest(value: string, userId = VIEWER): Promise<Option[]> {
  const response = await t.send.options(blockSuggestionPayload({ userId, actionId: 'account.pick', value, view: modal }));
  expect(response.status).toBe(200);
  expect(Array.isArray(response.body.options)).toBe(true);
  return response.body.options;
}

const texts = (options: Option[]) => options.map((o) => o.text.text);
const values = (options: Option[]) => options.map((o) => o.value);

beforeAll(async () => {
  t = await startTestRoster();
  await t.given.grant(VIEWER, 'viewer');
  const acme = await t.given.organisation('acme');
  await t.given.grant(ACME_ONLY, 'viewer', acme.slug);
  alice = await t.given.account({ firstName: 'Alice', lastName: 'Liddell', email: 'alice.liddell@example.test', username: 'aliddell' });
  alicia = await t.given.account({ firstName: 'Alicia', lastName: 'Keys', email: 'akeys@example.test', username: 'akeys' });
  alina = await t.given.account({ firstName: 'Alina', lastName: 'Stone', email: 'alina.stone@acme.test', username: 'astone', organisationSlug: acme.slug });
  gone = await t.given.account({ firstName: 'Alistair', lastName: 'Gone', email: 'alistair.gone@example.test', username: 'agone', status: 'DELETED' });
  await t.given.account({ firstName: 'Under', lastName: 'Score', email: 'under_score@example.test', username: 'under_score' });
  await t.given.account({ firstName: 'Underx', lastName: 'Scorex', email: 'underxscore@example.test', username: 'underxscore' });
  await t.given.account({ firstName: 'Percy', lastName: '100%Sure', email: 'percy.sure@example.test', username: 'percy.sure' });
  longName = await t.given.account({
    firstName: 'Maximiliana',
    lastName: 'Wolfeschlegelsteinhausenbergerdorff',
    email: 'maximiliana.wolfeschlegelsteinhausenbergerdorff@subsidiary.example.test',
    username: 'mwolfeschlegel',
  });
  for (let i = 1; i <= 25; i += 1) {
    const n = String(i).padStart(2, '0');
    await t.given.account({ firstName: 'Many', lastName: `Person${n}`, email: `many.person${n}@example.test`, username: `many.person${n}` });
  }
});

afterAll(() => t?.stop());

describe('account picker (external select account.pick)', () => {
  it('matches a first-name prefix, as "First Last · email" valued by the account id', async () => {
    const options = await suggest('alic');
    expect(texts(options)).toEqual(expect.arrayContaining(['Alice Liddell · alice.liddell@example.test', 'Alicia Keys · akeys@example.test']));
    expect(options).toHaveLength(2);
    expect(options.find((o) => o.text.text.startsWith('Alice '))?.value).toBe(alice.id);
    expect(options.find((o) => o.text.text.startsWith('Alicia '))?.value).toBe(alicia.id);
    for (const option of options) expect(option.text.type).toBe('plain_text');
  });

  it('matches a last-name prefix', async () => {
    expect(values(await suggest('lidd'))).toEqual([alice.id]);
    expect(values(await suggest('key'))).toEqual([alicia.id]);
  });

  it('matches a full-name prefix with a space ("alice li" is Alice Liddell, not Alicia)', async () => {
    expect(values(await suggest('alice li'))).toEqual([alice.id]);
    expect(values(await suggest('  alice   lidd '))).toEqual([alice.id]);
    expect(await suggest('alice ke')).toEqual([]);
  });

  it('matches an email prefix and a username prefix', async () => {
    expect(values(await suggest('alice.lid'))).toEqual([alice.id]);
    expect(values(await suggest('alidd'))).toEqual([alice.id]);
    expect(values(await suggest('akey'))).toEqual([alicia.id]);
  });

  it('ignores case', async () => {
    expect(values(await suggest('ALICE LI'))).toEqual([alice.id]);
    expect(values(await suggest('LiDdElL'))).toEqual([alice.id]);
    expect(values(await suggest('Alice.Liddell@Example'))).toEqual([alice.id]);
  });

  it('takes % and _ literally', async () => {
    expect(texts(await suggest('under_'))).toEqual(['Under Score · under_score@example.test']);
    expect(await suggest('%')).toEqual([]);
    expect(await suggest('a%')).toEqual([]);
    expect(await suggest('_')).toEqual([]);
    expect(texts(await suggest('100%'))).toEqual(['Percy 100%Sure · percy.sure@example.test']);
  });

  it('offers at most 20 options, each text within 75 characters', async () => {
    const options = await suggest('many');
    expect(options).toHaveLength(20);
    expect(new Set(values(options)).size).toBe(20);
    for (const option of options) expect(option.text.text.length).toBeLessThanOrEqual(75);
    expect(texts(options)[0]).toBe('Many Person01 · many.person01@example.test');

    const [long] = await suggest('maximiliana');
    expect(long?.value).toBe(longName.id);
    expect(Array.from(long!.text.text)).toHaveLength(75);
    expect(long!.text.text).toMatch(/^Maximiliana Wolfeschlegelsteinhausenbergerdorff · maximiliana\.wolf.*…$/);
  });

  it('leaves out deleted accounts', async () => {
    expect(await suggest('alistair')).toEqual([]);
    expect(await suggest('agone')).toEqual([]);
    const all = values(await suggest('a'));
    expect(all).toEqual(expect.arrayContaining([alice.id, alicia.id, alina.id]));
    expect(all).not.toContain(gone.id);
  });

  it('limits an organisation-limited grant to its organisation', async () => {
    expect(values(await suggest('ali', ACME_ONLY))).toEqual([alina.id]);
    expect(await suggest('alice', ACME_ONLY)).toEqual([]);
    expect(values(await suggest('ali'))).toEqual(expect.arrayContaining([alice.id, alicia.id, alina.id]));
  });

  it('offers nothing for an empty query, and audits nothing', async () => {
    const before = (await t.given.audit()).length;
    expect(await suggest('')).toEqual([]);
    expect(await suggest('   ')).toEqual([]);
    expect(await t.given.audit()).toHaveLength(before);
    // The same picker, asked for something, answers.
    expect(values(await suggest('lidd'))).toEqual([alice.id]);
  });

  it('offers nothing to a Slack user without a grant, and audits the refusal once', async () => {
    expect(await suggest('alice', NOBODY)).toEqual([]);
    const audit = await t.given.audit({ actorId: NOBODY });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: 'search', outcome: 'refused', actorType: 'slack' });
    expect(audit[0]!.detail).toContain('You have no Roster role');
  });
});
