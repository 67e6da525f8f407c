import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type AnyAction, defineAction, runAction, UncheckedGrantError } from '../../src/actions/action.ts';
import { accountActionFields } from '../../src/actions/formFields.ts';
import { registry, typedActions } from '../../src/actions/registry.ts';
import { Account, ApiToken, ApprovalRequest, BulkJob, BulkJobItem, Feature, Group, Membership, Organisation } from '../../src/db/entities/index.ts';
import { RefusedError } from '../../src/domain/errors.ts';
import { ROSTER_ROLES, roleIncludes, type RosterRole } from '../../src/domain/roles.ts';
import { blocksText } from '../support/slackReplies.ts';
import { startTestRoster, type TestRoster } from '../support/testRoster.ts';

/** One Slack user per Roster role, and one with no grant at all. */
const CALLERS: { role: RosterRole | 'none'; userId: string }[] = [
  { role: 'none', userId: 'U0MATRIX00' },
  ...ROSTER_ROLES.map((role, i) => ({ role, userId: `U0MATRIX0${i + 1}` })),
];
const TYPED_ACTIONS = typedActions;

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
    const words = action.command.positional.map((field) => (field === 'account' ? target.email : 'x'));
    const reply = blocksText(await t.slash([action.name, ...words].join(' '), caller.userId));
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

/**
 * The column for other organisations: every action in the registry, run by a viewer, helpdesk, admin and owner whose
 * grants are limited to organisation A, against targets in organisation B. Each is refused with a sentence and the
 * refusal audited, or (a search) answers with nothing of B's; either way nothing changes. Input values come from the
 * field names, so a new action is in this test without anyone adding it; a field this test has no value for fails it.
 */
describe('against another organisation', () => {
  const LIMITED: { role: RosterRole; userId: string }[] = ROSTER_ROLES.map((role, i) => ({ role, userId: `U0CROSSA0${i + 1}` }));
  let inB: { account: { id: string; email: string }; groupId: string; organisationId: string };
  let values: Record<string, unknown>;

  beforeAll(async () => {
    await t.given.organisation('cross-a');
    const b = await t.given.organisation('cross-b');
    for (const caller of LIMITED) await t.given.grant(caller.userId, caller.role, 'cross-a');
    const alpha = await t.given.account({ firstName: 'Crossorg', lastName: 'Alpha', organisationSlug: 'cross-a' });
    const beta = await t.given.account({ firstName: 'Crossorg', lastName: 'Beta', organisationSlug: 'cross-b' });
    const em = t.roster.orm.em.fork();
    const [orgA, orgB] = await Promise.all(['cross-a', 'cross-b'].map((slug) => em.findOneOrFail(Organisation, { slug })));
    em.create(Group, { organisation: orgA!, name: 'Crossorg Group A' });
    const groupB = em.create(Group, { organisation: orgB!, name: 'Crossorg Group B' });
    em.create(Membership, { account: beta.id, group: groupB, role: 'member' });
    em.create(Feature, { key: 'crossmod', name: 'Cross module', kind: 'module' });
    em.create(Feature, { key: 'crossaddon', name: 'Cross add-on', kind: 'add_on' });
    const tokenB = em.create(ApiToken, {
      organisation: orgB!,
      name: 'Crossorg token B',
      prefix: 'crossorgTokB',
      hash: '0'.repeat(64),
      scopes: ['sign-in'],
      createdBy: 'test',
    });
    // A bulk job of B's, and one of each caller's own (so a list of their jobs has something of A's in it).
    const jobOfB = em.create(BulkJob, { action: 'lock', params: {}, description: 'org:cross-b', requestedBy: 'U0CROSSBADM', total: 1, channel: null });
    for (const caller of LIMITED)
      em.create(BulkJob, { action: 'lock', params: {}, description: 'Crossorg Group A', requestedBy: caller.userId, total: 0, channel: null });
    // A deletion request in each organisation, asked by someone else (so A's list has A's, and a decision is possible).
    const requestOf = (organisation: typeof orgA, account: typeof alpha) =>
      em.create(ApprovalRequest, {
        organisation: organisation!,
        kind: 'delete',
        accountId: account.id,
        subject: { name: `${account.firstName} ${account.lastName}`, email: account.email, username: account.username, status: 'ACTIVE', role: 'user' },
        reason: 'crossorg test',
        requestedBy: 'U0CROSSREQ',
        expiresAt: new Date(Date.now() + 3600_000),
      });
    requestOf(orgA, alpha);
    const requestOfB = requestOf(orgB, beta);
    await em.flush();
    em.create(BulkJobItem, { job: jobOfB, seq: 1, accountId: beta.id });
    await em.flush();
    inB = { account: beta, groupId: groupB.id, organisationId: b.id };
    values = {
      account: beta.email,
      accountId: beta.id,
      userIds: [beta.id],
      group: 'Crossorg Group B',
      groups: [groupB.id],
      filter: 'org:cross-b',
      // A bulk change that takes a group: B's, which no grant of A's finds.
      change: 'add-to-group',
      value: 'Crossorg Group B',
      jobId: jobOfB.id,
      request: requestOfB.id,
      reason: 'crossorg test',
      organisation: 'cross-b',
      query: 'crossorg',
      slackUserId: 'U0CROSSTGT',
      email: 'new.crossorg@example.test',
      firstName: 'Cross',
      lastName: 'Org',
      username: 'crossorg-new',
      name: 'Crossorg New Group',
      slug: 'cross-new',
      externalId: 'CROSS-1',
      module: 'crossmod',
      addOn: 'crossaddon',
      state: 'on',
      product: 'Cross app',
      seats: '5',
      until: '2099-01-01',
      tokenId: tokenB.id,
      candidates: [{ row: 2, email: beta.email, firstName: 'Crossorg', lastName: 'Beta' }],
      fileId: 'F0CROSSFILE',
      fileName: 'crossorg.csv',
      rows: [],
      unknownColumns: [],
      ignoredColumns: [],
      columnNames: {},
    };
  });

  describe.each(registry.map((action) => [action.name, action] as const))('%s', (_name, action) => {
    it.each(LIMITED.map((caller) => [caller.role, caller] as const))('as %s of organisation A only', async (_role, caller) => {
      const before = await fingerprint();
      const refusalsBefore = (await t.given.audit({ actorId: caller.userId, action: action.name, outcome: 'refused' })).length;
      const actor = { kind: 'slack' as const, id: caller.userId, grants: [{ role: caller.role, organisationId: (await orgId('cross-a'))! }] };
      const services = { orm: t.roster.orm, logger: t.logger };
      let outcome: unknown;
      let refusal: RefusedError | undefined;
      try {
        outcome = await runAction(services, action, actor, inputFor(action));
      } catch (error) {
        if (!(error instanceof RefusedError)) throw error;
        refusal = error;
      }
      if (refusal) {
        expect(refusal.userMessage).toMatch(/\w.*\./);
        expect(await t.given.audit({ actorId: caller.userId, action: action.name, outcome: 'refused' })).toHaveLength(refusalsBefore + 1);
      } else {
        // Answered: a read within A's scope, which finds A's record and none of B's.
        const answer = JSON.stringify(outcome);
        for (const ofB of [inB.account.id, inB.account.email, inB.groupId, inB.organisationId, 'Crossorg Beta', 'Crossorg Group B', 'cross-b']) {
          expect(answer).not.toContain(ofB);
        }
        expect(answer).toMatch(/Crossorg Alpha|crossorg\.alpha|Crossorg Group A/i);
      }
      expect(await t.given.audit({ actorId: caller.userId, action: action.name, outcome: 'done' })).toEqual([]);
      expect(await fingerprint()).toBe(before);
    });
  });

  /** The action's input from the values above by field name; a required field without one takes its schema's first fit. */
  function inputFor(action: AnyAction): Record<string, unknown> {
    const shape = action.input instanceof z.ZodObject ? (action.input.shape as Record<string, z.ZodType>) : {};
    const input: Record<string, unknown> = {};
    for (const [field, schema] of Object.entries(shape)) {
      if (field in values && schema.safeParse(values[field]).success) input[field] = values[field];
      else if (!schema.safeParse(undefined).success) {
        const fit = [...choicesOf(schema), 'x', 1, true].find((candidate) => schema.safeParse(candidate).success);
        if (fit === undefined) throw new Error(`no value for ${action.name}.${field}: add one to the values of this test`);
        input[field] = fit;
      }
    }
    return input;
  }
});

function choicesOf(schema: z.ZodType): readonly unknown[] {
  const field = accountActionFields({ ...typedActions[0]!, input: z.object({ probe: schema }), command: { usage: '', positional: ['account', 'probe'] } });
  return field[0]?.choices ?? [];
}

async function orgId(slug: string): Promise<string | undefined> {
  return (await t.roster.orm.em.fork().findOne(Organisation, { slug }))?.id;
}

/** Every row Roster keeps, but the audit trail: equal before and after means nothing changed. */
async function fingerprint(): Promise<string> {
  const tables = [
    'account',
    'account_group',
    'membership',
    'slack_grant',
    'organisation',
    'outbox_mail',
    'account_feature',
    'group_feature',
    'licence',
    'account_token',
    'api_token',
    'bulk_job',
    'bulk_job_item',
  ];
  const rows = await t.roster.orm.em
    .fork()
    .getConnection()
    .execute<{ digest: string }[]>(
      tables
        .map((table) => `select '${table}' as t, md5(coalesce(string_agg(x::text, ',' order by x::text), '')) as digest from ${table} x`)
        .join(' union all '),
    );
  return rows.map((row) => row.digest).join(':');
}

describe('an action that never checks the organisation', () => {
  it('is rolled back and logged as a defect, never a silent pass', async () => {
    const victim = await t.given.account({ firstName: 'Unchecked', lastName: 'Victim' });
    const careless = defineAction({
      name: 'careless-rename',
      describedAs: 'renaming carelessly',
      requires: 'viewer',
      input: z.object({ accountId: z.uuid() }),
      async run(ctx, { accountId }) {
        const account = await ctx.em.findOneOrFail(Account, accountId);
        account.firstName = 'Renamed';
        return { kind: 'done' as const, message: 'renamed' };
      },
    });
    const services = { orm: t.roster.orm, logger: t.logger };
    const actor = { kind: 'slack' as const, id: 'U0MATRIX01', grants: [{ role: 'viewer' as const, organisationId: null }] };
    await expect(runAction(services, careless, actor, { accountId: victim.id })).rejects.toBeInstanceOf(UncheckedGrantError);
    expect((await t.roster.orm.em.fork().findOneOrFail(Account, victim.id)).firstName).toBe('Unchecked');
    expect(t.logs.some((line) => line.level === 60 && String(line.msg).includes('careless-rename'))).toBe(true);
  });
});
