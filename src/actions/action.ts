import { OptimisticLockError, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import { z } from 'zod';
import { findAccountByRef } from '../db/accountLookup.ts';
import { approvalTarget } from '../db/approvalRequests.ts';
import type { GroupCard } from '../db/groupCards.ts';
import type { Orm } from '../db/orm.ts';
import { RefusedError } from '../domain/errors.ts';
import { organisationsWithRole, requireRole, strongest, type Grant, type RosterRole } from '../domain/roles.ts';
import type { LifecycleEvent } from '../domain/statuses.ts';
import { currentGrants, type Actor } from './actor.ts';
import { AuditTrail, recordRefusal } from './audit.ts';
import { accountTarget, type AuditTarget } from './auditTargets.ts';
import { commandInput, type CommandSpec, usageRefusal } from './commandArgs.ts';

/** Follow-up work that actions schedule on the queue; jobs/ implements it, so actions do not depend on BullMQ. */
export interface Scheduler {
  /** Ends an admin lock at `at` (the job is a no-op if the account changed meanwhile). */
  lockExpiry(accountId: string, at: Date): Promise<void>;
}

/** Sends mail that an action put in the outbox (accounts/mail.ts); jobs/ implements it, so actions do not depend on BullMQ or SMTP. */
export interface MailQueue {
  /** Queues the send of a committed outbox row; if this request is lost, the workers' outbox pass sends the row anyway. */
  send(outboxId: string): Promise<void>;
  /** The same for many rows at once (a bulk change's chunk), in one request to the queue. */
  sendAll(outboxIds: readonly string[]): Promise<void>;
}

/** An account the sign-in API has just locked out after too many wrong passwords (or TOTP codes). */
export interface LockoutEvent {
  accountId: string;
  organisationId: string;
  /** Consecutive failures that locked it: the organisation's threshold. */
  attempts: number;
  /** Where the last failure came from, as the sign-in API saw it. */
  ip: string;
  at: Date;
}

/** An account unlocked by someone (from the helpdesk alert, the card, `/user unlock` or the CLI). */
export interface UnlockEvent {
  accountId: string;
  /** Who unlocked it: a Slack user ID, or the CLI's or a job's name. */
  by: string;
  at: Date;
}

/** Tells people about lockouts (the helpdesk channel); called after the change has committed. */
export interface LockoutAlerts {
  /** At most once per lockout. */
  lockedOut(event: LockoutEvent): Promise<void>;
  /** The account's open alerts now say who unlocked it and when. */
  unlocked(event: UnlockEvent): Promise<void>;
}

/** Runs bulk jobs that an action started (accounts/bulk/); jobs/ implements it. */
export interface BulkJobQueue {
  /** Hands the job to the workers; if this is lost, the bulk pass picks the job up. */
  start(jobId: string): Promise<void>;
}

/** An export a person asked for: which accounts (a list filter), in which format, and where the file goes. */
export interface ExportRequest {
  requestedBy: string;
  filter: string;
  format: 'csv' | 'xlsx';
  channel: string;
}

/** Runs exports in a job (jobs/ implements it). */
export interface ExportQueue {
  start(request: ExportRequest): Promise<void>;
}

/** Where `/users import template` sends the template file. */
export interface TemplateRequest {
  requestedBy: string;
  channel: string;
}

/** Runs an import's dry run, and sends the import template, in jobs (jobs/ implements it). */
export interface ImportQueue {
  /** Reads the file of an import that startImport created, checks every row and posts the dry run. */
  check(jobId: string): Promise<void>;
  template(request: TemplateRequest): Promise<void>;
}

/** Tells people about approval requests (the approvals channel, the requester's DM); jobs/ implements it. */
export interface ApprovalNotices {
  /** A new request: posted in the approvals channel, and its requester sent the link. */
  requested(requestId: string): Promise<void>;
  /** A request decided or expired: its message edited in place, and its requester told. */
  decided(requestId: string): Promise<void>;
}

/** A job that lives only in the queue (an export, the inactivity sweep), as the Home tab lists it. */
export interface QueueJobLine {
  kind: 'export' | 'sweep';
  /** Scheduled: it waits for its time (the nightly sweep), which `at` is. */
  state: 'scheduled' | 'waiting' | 'running' | 'done' | 'failed';
  /** The export's filter in words, or the sweep's ("dry run" when it changes nothing). */
  description: string;
  /** Who asked (an export); null for a scheduled sweep. */
  requestedBy: string | null;
  /** When it was asked for, or when a scheduled one runs. */
  at: Date;
  /** Accounts exported or suspended, once done. */
  accounts: number | null;
}

/** What the queue knows of its own jobs; jobs/ implements it. */
export interface QueueJobHistory {
  /**
   * The latest exports (those `requestedBy` asked for; everyone's, and the sweeps, for null), newest first; empty when
   * the queue does not answer at once, since nobody waits on Redis for a list.
   */
  recent(requestedBy: string | null): Promise<QueueJobLine[]>;
}

/** Keeps people's Home tabs in Slack current; jobs/ implements it. */
export interface HomeViews {
  /** Something changed: the tabs opened lately are rebuilt soon, each at most once every few seconds. Never waits. */
  changed(): void;
  /** Someone opened their Home tab: it is kept current from now on. */
  opened(slackUserId: string): Promise<void>;
}

/** What actions may reach besides the database; the web and worker processes both provide it. */
export interface ActionServices {
  orm: Orm;
  logger: Logger;
  scheduler?: Scheduler;
  mail?: MailQueue;
  alerts?: LockoutAlerts;
  bulkJobs?: BulkJobQueue;
  exports?: ExportQueue;
  imports?: ImportQueue;
  approvals?: ApprovalNotices;
  home?: HomeViews;
  queueJobs?: QueueJobHistory;
}

/** Shown once, to the person who asked only (a temporary password). */
export interface Secret {
  label: string;
  value: string;
}

/** A change to one account: every surface shows the sentence above the account's current card. */
export interface AccountOutcome {
  kind: 'account';
  accountId: string;
  message: string;
  secret?: Secret;
}

/** A change to a group, shown above the group's current card (none once the group is deleted). */
export interface GroupOutcome {
  kind: 'group';
  groupId: string | null;
  message: string;
  /** Set by a read (the group's card itself): shown alone, nothing was changed. */
  card?: GroupCard;
}

/** A report (an account's history): the text, to the person who asked only. */
export interface ReportOutcome {
  kind: 'report';
  message: string;
}

/** A change with nothing to show but the sentence (a grant). */
export interface DoneOutcome {
  kind: 'done';
  message: string;
}

/** What an action that people type tells them; each kind is shown its own way by every surface. */
export type CommandOutcome = AccountOutcome | GroupOutcome | ReportOutcome | DoneOutcome;

export interface ActionContext {
  em: EntityManager;
  /** The caller, with their grants as they are now: a change reads them again inside its own transaction. */
  actor: Actor;
  audit: AuditTrail;
  services: ActionServices;
  /** The grant this run acts under, once `authorize` or `organisationsInScope` has checked it. */
  readonly grant: Grant | undefined;
  /**
   * Checks that the caller's grant covers this organisation with the action's role (null: the whole platform, which
   * only a platform-wide grant covers); throws a RefusedError otherwise. Every run must check its target this way, or
   * read within `organisationsInScope`.
   */
  authorize(organisationId: string | null): Grant;
  /**
   * The organisations in which the caller holds the action's role (null: every organisation), for actions that read
   * or offer across organisations (a search, a form's choices): whatever they return must come from these.
   */
  organisationsInScope(): string[] | null;
  /** Names what the action is about, so a refusal after this point is audited against it. */
  aboutTarget(target: AuditTarget): void;
  /** Runs once the transaction has committed (queue work); a failure there is logged, the change stands. */
  afterCommit(work: () => Promise<void>): void;
}

export interface ActionDefinition<Input extends z.ZodType, Output> {
  /** The verb used in Slack (`/user <name> ...`), the CLI and audit events. */
  name: string;
  /** Completes "… needs an admin": e.g. "creating an account". */
  describedAs: string;
  input: Input;
  requires: RosterRole;
  /**
   * Where the grant is checked. `target` (the default): the run names its target's organisation through
   * `ctx.authorize` (loadAccount and loadGroup do) or reads within `ctx.organisationsInScope()`, and a run that did
   * neither is rolled back as a programming error. `platform`: the action is about no one organisation (the sweep,
   * a new organisation), so only a platform-wide grant may run it, checked before it runs.
   */
  scope?: 'target' | 'platform';
  /** How the action reads typed words in Slack and the CLI, when it can be typed. */
  command?: CommandSpec;
  /** Only reads (a lookup, a search, a history): runs without a transaction and writes nothing but refusals. */
  readOnly?: boolean;
  /** Asked to confirm in Slack before it runs (destructive actions). */
  confirm?: boolean;
  /** For actions on one account: the lifecycle event it applies, and its button on the account card. */
  onCard?: { event: LifecycleEvent; label: string; style?: 'primary' | 'danger' };
  run(ctx: ActionContext, input: z.output<Input>): Promise<Output>;
}

type WithCard<Input extends z.ZodType, Output> = ActionDefinition<Input, Output> & { command: CommandSpec; onCard: NonNullable<AnyAction['onCard']> };
type WithCommand<Input extends z.ZodType, Output> = ActionDefinition<Input, Output> & { command: CommandSpec };

/** Declares an action; its type keeps whether it can be typed and whether it has a card button, for the registry. */
export function defineAction<Input extends z.ZodType, Output>(definition: WithCard<Input, Output>): WithCard<Input, Output>;
export function defineAction<Input extends z.ZodType, Output>(definition: WithCommand<Input, Output>): WithCommand<Input, Output>;
export function defineAction<Input extends z.ZodType, Output>(definition: ActionDefinition<Input, Output>): ActionDefinition<Input, Output>;
export function defineAction<Input extends z.ZodType, Output>(definition: ActionDefinition<Input, Output>): ActionDefinition<Input, Output> {
  return definition;
}

export type AnyAction = ActionDefinition<z.ZodType, unknown>;

/** An action people type (`/user <verb> ...`, the CLI): it says what it did as a CommandOutcome. */
export type TypedAction = ActionDefinition<z.ZodType, CommandOutcome> & { command: CommandSpec };

/** An action whose button sits on the account card: it takes the account and the version the card showed. */
export type CardAction = ActionDefinition<z.ZodType<unknown, { account: string; expectedVersion?: number }>, AccountOutcome> & {
  onCard: NonNullable<AnyAction['onCard']>;
};

/**
 * What a surface hands an action: the input's fields as they came (typed words, form values), each checked by the
 * action's schema, so a caller never casts and a misspelt field name still fails to compile.
 */
export type RawInput<Input extends z.ZodType> = z.input<Input> extends object ? { [Field in keyof z.input<Input>]?: unknown } : unknown;

/** A run that never checked the caller's grant against an organisation: a defect in the action, never a silent pass. */
export class UncheckedGrantError extends Error {
  constructor(action: string) {
    super(`action "${action}" finished without checking the caller's grant against an organisation; its work was rolled back`);
    this.name = 'UncheckedGrantError';
  }
}

/**
 * The one way every surface runs an action: check the grant, validate the input, run it in one transaction with its
 * audit events, make sure the grant was checked against the target's organisation, and turn every refusal into a
 * RefusedError that is also audited.
 */
export async function runAction<Input extends z.ZodType, Output>(
  services: ActionServices,
  action: ActionDefinition<Input, Output>,
  actor: Actor,
  rawInput: RawInput<Input>,
): Promise<Output> {
  let target: AuditTarget | undefined;
  let grant: Grant | undefined;
  try {
    // The grant is checked before anything else: nobody without one learns anything, not even whether a target exists.
    requireRole(actor.grants, action.requires, 'any', action.describedAs);
    const parsed = action.input.safeParse(rawInput, { error: plainIssue });
    if (!parsed.success) throw new RefusedError(describeInputError(parsed.error), 'invalid-input');
    const followUps: (() => Promise<void>)[] = [];
    const work = async (em: EntityManager) => {
      // A change reads the caller's grants again in its own transaction: a grant revoked a moment ago changes nothing.
      const runActor = action.readOnly ? actor : { ...actor, grants: await currentGrants(em, actor) };
      let checked = false;
      const authorize = (organisationId: string | null): Grant => {
        const granted = requireRole(runActor.grants, action.requires, organisationId, action.describedAs);
        grant ??= granted;
        checked = true;
        return granted;
      };
      const ctx: ActionContext = {
        em,
        actor: runActor,
        services,
        audit: new AuditTrail(em, runActor, () => grant),
        get grant() {
          return grant;
        },
        authorize,
        organisationsInScope() {
          const scope = organisationsWithRole(runActor.grants, action.requires);
          // Only grants revoked since the run began leave no organisation: that is a refusal by role, with its sentence.
          if (scope?.length === 0) requireRole(runActor.grants, action.requires, 'any', action.describedAs);
          grant ??= strongest(runActor.grants);
          checked = true;
          return scope;
        },
        aboutTarget(about) {
          target = about;
        },
        afterCommit(work) {
          followUps.push(work);
        },
      };
      if (action.scope === 'platform') authorize(null);
      const output = await action.run(ctx, parsed.data);
      if (!checked) throw new UncheckedGrantError(action.name);
      return output;
    };
    // A read changes nothing, so it skips BEGIN and COMMIT: two round trips on the hottest path (the lookup).
    const output = action.readOnly ? await work(services.orm.em.fork()) : await services.orm.em.fork().transactional(work);
    for (const followUp of followUps) {
      await followUp().catch((error: unknown) => services.logger.error({ err: error, action: action.name }, 'follow-up after commit failed'));
    }
    if (!action.readOnly) services.home?.changed();
    return output;
  } catch (error) {
    if (error instanceof UncheckedGrantError) services.logger.fatal({ err: error, action: action.name, actor: actor.id }, error.message);
    const refusal = asRefusal(error);
    if (!refusal) throw error;
    await recordRefusal(services.orm.em, actor, grant, {
      action: action.name,
      target: target ?? (await namedTarget(services, rawInput)),
      detail: refusal.userMessage,
    });
    services.logger.info({ action: action.name, actor: actor.id, code: refusal.code }, 'action refused');
    throw refusal;
  }
}

/**
 * Another action's rules as one step of this action, in its transaction: its input checked and its role required as
 * runAction does, its changes and audit events committed with this action's or not at all; a refusal is this action's,
 * audited under its name. For an action that changes several things one surface asks for at once (a SCIM PATCH of a
 * group's name and members).
 */
export async function runWithin<Input extends z.ZodType, Output>(
  ctx: ActionContext,
  action: ActionDefinition<Input, Output>,
  rawInput: RawInput<Input>,
): Promise<Output> {
  requireRole(ctx.actor.grants, action.requires, 'any', action.describedAs);
  const parsed = action.input.safeParse(rawInput, { error: plainIssue });
  if (!parsed.success) throw new RefusedError(describeInputError(parsed.error), 'invalid-input');
  return action.run(ctx, parsed.data);
}

/**
 * A refusal by role comes before the target is loaded; the audit still files it under the account it named
 * (so it shows in that account's history), or keeps what was typed when no account matches.
 */
async function namedTarget(services: ActionServices, rawInput: unknown): Promise<AuditTarget | undefined> {
  const ref = (rawInput as { account?: unknown } | null)?.account;
  if (typeof ref !== 'string' || !ref.trim()) return namedGroup(services, rawInput);
  const account = await findAccountByRef(services.orm.em.fork(), ref.trim().slice(0, 320));
  return account ? accountTarget(account) : { type: 'account', id: null, label: ref.slice(0, 500), organisationId: null };
}

/** A group action refused before its group is loaded keeps the group as typed; a decision, the request's account. */
async function namedGroup(services: ActionServices, rawInput: unknown): Promise<AuditTarget | undefined> {
  const request = (rawInput as { request?: unknown } | null)?.request;
  if (typeof request === 'string' && z.uuid().safeParse(request).success) return (await approvalTarget(services.orm.em.fork(), request)) ?? undefined;
  const group = (rawInput as { group?: unknown } | null)?.group;
  return typeof group === 'string' && group.trim() ? { type: 'group', id: null, label: group.trim().slice(0, 500), organisationId: null } : undefined;
}

function attempt<T>(work: () => T): T | undefined {
  try {
    return work();
  } catch {
    return undefined;
  }
}

function asRefusal(error: unknown): RefusedError | undefined {
  if (error instanceof RefusedError) return error;
  if (error instanceof OptimisticLockError)
    return new RefusedError('It was changed by someone else meanwhile; nothing was changed. Here is the current state.', 'conflict');
  if (error instanceof UniqueConstraintViolationException)
    return new RefusedError('That would duplicate an existing record (an email, username or name must be unique); nothing was changed.', 'conflict');
  return undefined;
}

/**
 * Zod's own wording for the issues a schema gives no message of its own: what a person typed is named with what is
 * allowed, not as a type error. Returning undefined keeps zod's.
 */
const plainIssue: z.core.$ZodErrorMap = (issue) => {
  if (issue.code === 'invalid_value') {
    const allowed = issue.values.map(String);
    const either = allowed.length > 1 ? `${allowed.slice(0, -1).join(', ')} or ${allowed.at(-1)}` : (allowed[0] ?? '');
    return `must be ${either}${typeof issue.input === 'string' ? `, not “${issue.input.slice(0, 100)}”` : ''}`;
  }
  if (issue.code === 'invalid_type' && issue.input === undefined) return 'is missing';
  return undefined;
};

function describeInputError(error: z.ZodError): string {
  return error.issues
    .map((issue) => (issue.path.length ? `${issue.path.map((part) => FIELD_WORDS[String(part)] ?? String(part)).join('.')}: ${issue.message}` : issue.message))
    .join('; ');
}

/** Input fields whose names are not words a person would use. */
const FIELD_WORDS: Readonly<Record<string, string>> = { slackUserId: 'person', externalId: 'external ID', addOn: 'add-on' };

/** Runs an action from typed words (Slack or CLI); a usage problem is refused and audited like any other refusal. */
export async function runCommand<Output>(
  services: ActionServices,
  action: ActionDefinition<z.ZodType, Output> & { command: CommandSpec },
  actor: Actor,
  verb: string,
  words: readonly string[],
): Promise<Output> {
  let input: Record<string, unknown>;
  try {
    requireRole(actor.grants, action.requires, 'any', action.describedAs);
    input = commandInput(verb, action.command, words);
    // A value the action's schema refuses is a problem with what was typed, answered with the usage too.
    const checked = action.input.safeParse(input, { error: plainIssue });
    if (!checked.success) throw usageRefusal(verb, action.command, describeInputError(checked.error));
  } catch (error) {
    if (error instanceof RefusedError) {
      const named = await namedTarget(
        services,
        attempt(() => commandInput(verb, action.command, words)),
      );
      await recordRefusal(services.orm.em, actor, undefined, { action: action.name, target: named, detail: error.userMessage });
    }
    throw error;
  }
  return runAction(services, action, actor, input);
}
