import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { inject } from 'vitest';
import { configSchema, type Config } from '../../src/config.ts';
import { createLogger, type Logger } from '../../src/logger.ts';
import { startRoster, type Roster } from '../../src/roster.ts';
import { Account, AuditEvent, Group, Membership, Organisation, SlackGrant, type IAuditEvent } from '../../src/db/entities/index.ts';
import type { RosterRole } from '../../src/domain/roles.ts';
import type { AccountStatus } from '../../src/domain/statuses.ts';
import { createTestDatabase } from './database.ts';
import { removeRedisKeys } from './redisKeys.ts';
import { blockKitErrors, startFakeSlack, type FakeSlack, type RecordedCall } from './fakeSlack.ts';
import { blockActionsPayload, slackRequester, triggerId, viewSubmissionPayload, type SlackRequester, type ViewSubmissionOptions } from './slackRequests.ts';

export const SIGNING_SECRET = 'test-signing-secret-0123456789';
export const BOT_TOKEN = 'xoxb-test-bot-token-0123456789';

export type QueueKind = 'redis' | 'postgres';

/** The queue backends this run tests on: Redis where one answers (first), and always PostgreSQL (test/globalSetup.ts). */
export const queueBackends = (): QueueKind[] => inject('queueBackends');

/** The environment that puts a test Roster's queues on `kind`: an empty REDIS_URL means BullMQ's PostgreSQL backend. */
export const queueEnv = (kind: QueueKind): Record<string, string> => (kind === 'redis' ? { REDIS_URL: inject('redisUrl')! } : { REDIS_URL: '' });

/** A short random tag, to make names and emails unique within a test file's database. */
export const uniqueTag = () => randomBytes(4).toString('hex');

export interface TestRoster {
  roster: Roster;
  config: Config & { DATABASE_URL: string };
  slack: FakeSlack;
  send: SlackRequester;
  /** The app's logger, for calling actions directly. */
  logger: Logger;
  /** Every log line the app wrote, parsed. */
  logs: Record<string, unknown>[];
  rawLogs(): string;
  given: Given;
  /** The database as it is now, read through a fresh ORM context. */
  read: Read;
  /**
   * Types `/user <text>` as `userId` and returns what Roster posted back to the command's response_url, checking that
   * the command was acknowledged and that Slack would accept the reply (Block Kit limits).
   */
  slash(text: string, userId: string, options?: { channelId?: string; command?: string }): Promise<RecordedCall>;
  /**
   * Clicks a button on an ephemeral card (a slash command's answer) as `userId`, returning Roster's edit of it. `value`
   * picks one of several buttons with the same action_id (a list's Open buttons) by the value it carries.
   */
  click(card: RecordedCall, actionId: string, userId: string, options?: { value?: string }): Promise<RecordedCall>;
  /**
   * Types `/user <text>` as `userId` with a trigger_id and returns the modal Roster asked Slack to open, checking that the
   * command was acknowledged and that Slack would accept the modal.
   */
  openModal(text: string, userId: string, options?: { channelId?: string; command?: string }): Promise<any>;
  /** Sends an interaction (a button or menu choice, with its trigger_id) that opens a modal; returns the modal, checked likewise. */
  openModalFrom(payload: Record<string, any>): Promise<any>;
  /**
   * Submits `view` as `userId` with these state values (block_id -> action_id -> value); returns the body Roster acked
   * with ('' closes the modal), checking that a modal it updates to is one Slack would accept.
   */
  submitView(view: any, userId: string, values: ViewSubmissionOptions['values']): Promise<any>;
  stop(): Promise<void>;
}

/**
 * The whole app in this process, as `npm start` runs it (migrations, Bolt HTTP receiver, workers), against its own
 * database, its own Redis key prefix and a fake Slack Web API.
 */
export async function startTestRoster(env: Record<string, string> = {}): Promise<TestRoster> {
  const slack = await startFakeSlack({ botToken: BOT_TOKEN });
  const database = await createTestDatabase(inject('templateDatabase'));
  const config = configSchema.parse({
    DATABASE_URL: database.url,
    ...queueEnv(inject('queueBackends')[0]!),
    REDIS_PREFIX: `roster-test-${randomBytes(4).toString('hex')}`,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_API_URL: slack.url,
    PORT: '0',
    LOG_LEVEL: 'debug',
    ROSTER_SHUTDOWN_GRACE_SECONDS: '5',
    ...env,
  }) as TestRoster['config'];
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  const logger = createLogger(config.LOG_LEVEL, sink);
  const roster = await startRoster(config, logger);
  const send = slackRequester(`http://127.0.0.1:${roster.port}`, SIGNING_SECRET);
  const openedWith = async (trigger: string, what: string) => {
    const call = await slack.waitFor('views.open', (c) => c.args.trigger_id === trigger);
    if (call.failed) throw new Error(`Slack would refuse the modal Roster opened for ${what}: ${call.error} ${JSON.stringify(call.args.errors ?? '')}`);
    return call.args.view;
  };
  return {
    roster,
    config,
    slack,
    logger,
    send,
    get logs() {
      return lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    },
    rawLogs: () => lines.join('\n'),
    given: given(roster),
    read: reader(roster),
    async slash(text, userId, options = {}) {
      const responseUrl = slack.responseUrl();
      const ack = await send.command({ text, userId, responseUrl, ...options });
      if (ack.status !== 200) throw new Error(`/user ${text} was answered with HTTP ${ack.status}`);
      const reply = await slack.waitFor('response_url', (c) => c.args._responseUrl === responseUrl);
      if (reply.failed) throw new Error(`Slack would refuse Roster's reply to /user ${text}: ${reply.error} ${JSON.stringify(reply.args.errors ?? '')}`);
      return reply;
    },
    async click(card, actionId, userId, options = {}) {
      const responseUrl = slack.responseUrl();
      const payload = blockActionsPayload({ userId, actionId, blocks: card.args.blocks, responseUrl, value: options.value });
      payload.container.is_ephemeral = true;
      const ack = await send.interaction(payload);
      if (ack.status !== 200) throw new Error(`the click on ${actionId} was answered with HTTP ${ack.status}`);
      return slack.waitFor('response_url', (c) => c.args._responseUrl === responseUrl);
    },
    async openModal(text, userId, options = {}) {
      const trigger = triggerId();
      const ack = await send.command({ text, userId, triggerId: trigger, responseUrl: slack.responseUrl(), ...options });
      if (ack.status !== 200) throw new Error(`/user ${text} was answered with HTTP ${ack.status}`);
      return openedWith(trigger, `/user ${text}`);
    },
    async openModalFrom(payload) {
      const ack = await send.interaction(payload);
      if (ack.status !== 200) throw new Error(`the interaction was answered with HTTP ${ack.status}`);
      return openedWith(payload.trigger_id, `the ${payload.actions?.[0]?.action_id ?? payload.type} interaction`);
    },
    async submitView(view, userId, values) {
      const payload = viewSubmissionPayload({ userId, callbackId: view.callback_id, privateMetadata: view.private_metadata, blocks: view.blocks, values });
      const response = await send.interaction(payload);
      if (response.status !== 200) throw new Error(`the ${view.callback_id} submission was answered with HTTP ${response.status}`);
      const errors = response.body?.response_action === 'update' ? blockKitErrors('modal', response.body.view) : [];
      if (errors.length) throw new Error(`Slack would refuse the modal Roster updated ${view.callback_id} to: ${errors.join('; ')}`);
      return response.body;
    },
    async stop() {
      await roster.stop();
      await removeRedisKeys(config.REDIS_URL, config.REDIS_PREFIX);
      await slack.close();
      await database.drop();
    },
  };
}

export interface Given {
  grant(slackUserId: string, role: RosterRole, organisationSlug?: string): Promise<void>;
  organisation(
    slug: string,
    overrides?: Partial<{ inactivityDays: number; lockoutThreshold: number; deletionPolicy: 'soft' | 'hard' | 'never' }>,
  ): Promise<{ id: string; slug: string }>;
  account(
    fields: Partial<{
      email: string;
      username: string;
      firstName: string;
      lastName: string;
      status: AccountStatus;
      lastSignInAt: Date | null;
      createdAt: Date;
      organisationSlug: string;
      /** Enrolled in two-step verification, with a secret as enrolment saves one. */
      mfaEnrolled: boolean;
      /**
       * When it took its status; by default, for an ACTIVE account, no later than its last sign-in or creation (it
       * was ACTIVE when it signed in), else now.
       */
      statusChangedAt: Date;
    }>,
  ): Promise<{ id: string; email: string; username: string; firstName: string; lastName: string }>;
  /** A group, with its owner as a manager, members with their roles, and a parent found by name in the same organisation. */
  group(fields: {
    name: string;
    organisationSlug?: string;
    owner?: { id: string };
    members?: [{ id: string }, 'member' | 'editor' | 'manager'][];
    parent?: string;
    externalId?: string;
  }): Promise<string>;
  audit(filter?: Record<string, unknown>): Promise<IAuditEvent[]>;
}

/** When a test's ACTIVE account became ACTIVE, unless it says: before it last signed in, or when it was added. */
function activeSince(fields: { status?: AccountStatus; lastSignInAt?: Date | null; createdAt?: Date }): Date {
  const now = new Date();
  if ((fields.status ?? 'ACTIVE') !== 'ACTIVE') return now;
  return new Date(Math.min(now.getTime(), fields.lastSignInAt?.getTime() ?? now.getTime(), fields.createdAt?.getTime() ?? now.getTime()));
}

/** Test data written straight through the ORM, for states the actions cannot produce yet (e.g. an old last sign-in). */
export function given(roster: Roster): Given {
  const em = () => roster.orm.em.fork();
  return {
    async grant(slackUserId, role, organisationSlug) {
      const fork = em();
      const organisation = organisationSlug ? await fork.findOneOrFail(Organisation, { slug: organisationSlug }) : null;
      fork.create(SlackGrant, { slackUserId, role, organisation, grantedBy: 'test' });
      await fork.flush();
    },
    async organisation(slug, overrides = {}) {
      const fork = em();
      const organisation = fork.create(Organisation, { slug, name: `Org ${slug}`, ...overrides });
      await fork.flush();
      return { id: organisation.id, slug };
    },
    async account(fields) {
      const fork = em();
      const tag = uniqueTag();
      const organisation = await fork.findOneOrFail(Organisation, { slug: fields.organisationSlug ?? 'default' });
      const firstName = fields.firstName ?? 'Test';
      const lastName = fields.lastName ?? `Person${tag}`;
      const account = fork.create(Account, {
        organisation,
        email: fields.email ?? `${firstName}.${lastName}.${tag}@example.test`.toLowerCase(),
        username: fields.username ?? `${firstName}.${lastName}.${tag}`.toLowerCase(),
        firstName,
        lastName,
        status: fields.status ?? 'ACTIVE',
        // As deleting one does: a deleted account has the time of its deletion (the database checks it).
        ...(fields.status === 'DELETED' ? { deletedAt: new Date() } : {}),
        lastSignInAt: fields.lastSignInAt === undefined ? new Date() : fields.lastSignInAt,
        ...(fields.createdAt ? { createdAt: fields.createdAt } : {}),
        ...(fields.mfaEnrolled ? { mfaEnrolled: true, totpSecret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP' } : {}),
        statusChangedAt: fields.statusChangedAt ?? activeSince(fields),
      });
      await fork.flush();
      return { id: account.id, email: account.email, username: account.username, firstName, lastName };
    },
    async group(fields) {
      const fork = em();
      const organisation = await fork.findOneOrFail(Organisation, { slug: fields.organisationSlug ?? 'default' });
      const parent = fields.parent ? await fork.findOneOrFail(Group, { organisation, name: fields.parent }) : null;
      const group = fork.create(Group, { organisation, name: fields.name, externalId: fields.externalId ?? null, owner: fields.owner?.id ?? null, parent });
      if (fields.owner) fork.create(Membership, { account: fields.owner.id, group, role: 'manager' });
      for (const [member, role] of fields.members ?? []) fork.create(Membership, { account: member.id, group, role });
      await fork.flush();
      return group.id;
    },
    async audit(filter = {}) {
      return em().find(AuditEvent, filter as never, { orderBy: { id: 'asc' } });
    },
  };
}

export type Read = ReturnType<typeof reader>;

function reader(roster: Roster) {
  const em = () => roster.orm.em.fork();
  return {
    account: (id: string) => em().findOneOrFail(Account, id, { populate: ['organisation'] }),
    group: (name: string, organisationSlug = 'default') =>
      em().findOne(Group, { name, organisation: { slug: organisationSlug } }, { populate: ['owner', 'parent'] }),
    membership: (accountId: string, groupId: string) => em().findOne(Membership, { account: { id: accountId }, group: { id: groupId } }),
    membershipCount: (accountId: string) => em().count(Membership, { account: { id: accountId } }),
  };
}
