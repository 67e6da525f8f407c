import { OptimisticLockError, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import type { z } from 'zod';
import type { Orm } from '../db/orm.ts';
import { RefusedError } from '../domain/errors.ts';
import { requireRole, type Grant, type RosterRole } from '../domain/roles.ts';
import type { Actor } from './actor.ts';
import { AuditTrail, recordRefusal, type AuditTarget } from './audit.ts';
import { commandInput, type CommandSpec } from './commandArgs.ts';
import { accountTarget, findAccountByRef } from './accounts/account.ts';
import type { LifecycleEvent } from '../domain/statuses.ts';

/** Follow-up work that actions schedule on the queue; jobs/ implements it, so actions do not depend on BullMQ. */
export interface Scheduler {
  /** Ends an admin lock at `at` (the job is a no-op if the account changed meanwhile). */
  lockExpiry(accountId: string, at: Date): Promise<void>;
}

/** Sends mail that an action put in the outbox (src/actions/mail.ts); jobs/ implements it, so actions do not depend on BullMQ or SMTP. */
export interface MailQueue {
  /** Queues the send of a committed outbox row; if this request is lost, the workers' outbox pass sends the row anyway. */
  send(outboxId: string): Promise<void>;
}

/** What actions may reach besides the database; the web and worker processes both provide it. */
export interface ActionServices {
  orm: Orm;
  logger: Logger;
  scheduler?: Scheduler;
  mail?: MailQueue;
}

/** What a typed action tells whoever typed it: a sentence, and a secret to show once to that person only. */
export interface ActionOutcome {
  message: string;
  secret?: { label: string; value: string };
  /** A report (such as a history) rather than a change that was made. */
  informational?: boolean;
}

export interface ActionContext {
  em: EntityManager;
  actor: Actor;
  audit: AuditTrail;
  services: ActionServices;
  /** Checks that the actor's grant covers this organisation with the action's role; throws a RefusedError otherwise. */
  authorize(organisationId: string | null): Grant;
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

export function defineAction<Input extends z.ZodType, Output>(definition: ActionDefinition<Input, Output>): ActionDefinition<Input, Output> {
  return definition;
}

export type AnyAction = ActionDefinition<z.ZodType, unknown>;

/**
 * The one way every surface runs an action: validate the input, check the grant, run it in one transaction
 * with its audit events, and turn every refusal into a RefusedError that is also audited.
 */
export async function runAction<Input extends z.ZodType, Output>(
  services: ActionServices,
  action: ActionDefinition<Input, Output>,
  actor: Actor,
  rawInput: z.input<Input>,
): Promise<Output> {
  let target: AuditTarget | undefined;
  try {
    // The grant is checked before anything else: nobody without one learns anything, not even whether a target exists.
    requireRole(actor.grants, action.requires, 'any', action.describedAs);
    const parsed = action.input.safeParse(rawInput);
    if (!parsed.success) throw new RefusedError(describeInputError(parsed.error), 'invalid-input');
    const followUps: (() => Promise<void>)[] = [];
    const work = async (em: EntityManager) => {
      const ctx: ActionContext = {
        em,
        actor,
        services,
        audit: new AuditTrail(em, actor),
        authorize(organisationId) {
          actor.acting = requireRole(actor.grants, action.requires, organisationId, action.describedAs);
          return actor.acting;
        },
        aboutTarget(about) {
          target = about;
        },
        afterCommit(work) {
          followUps.push(work);
        },
      };
      return action.run(ctx, parsed.data);
    };
    // A read changes nothing, so it skips BEGIN and COMMIT: two round trips on the hottest path (the lookup).
    const output = action.readOnly ? await work(services.orm.em.fork()) : await services.orm.em.fork().transactional(work);
    for (const followUp of followUps) {
      await followUp().catch((error: unknown) => services.logger.error({ err: error, action: action.name }, 'follow-up after commit failed'));
    }
    return output;
  } catch (error) {
    const refusal = asRefusal(error);
    if (!refusal) throw error;
    await recordRefusal(services.orm.em, actor, {
      action: action.name,
      target: target ?? (await namedTarget(services, rawInput)),
      detail: refusal.userMessage,
    });
    services.logger.info({ action: action.name, actor: actor.id, code: refusal.code }, 'action refused');
    throw refusal;
  }
}

/**
 * A refusal by role comes before the target is loaded; the audit still files it under the account it named
 * (so it shows in that account's history), or keeps what was typed when no account matches.
 */
async function namedTarget(services: ActionServices, rawInput: unknown): Promise<AuditTarget | undefined> {
  const ref = (rawInput as { account?: unknown } | null)?.account;
  if (typeof ref !== 'string' || !ref.trim()) return namedGroup(rawInput);
  const account = await findAccountByRef(services.orm.em.fork(), ref.trim().slice(0, 320));
  return account ? accountTarget(account) : { type: 'account', id: null, label: ref.slice(0, 500), organisationId: null };
}

/** A group action refused before its group is loaded keeps the group as typed. */
function namedGroup(rawInput: unknown): AuditTarget | undefined {
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

function describeInputError(error: z.ZodError): string {
  return error.issues.map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message)).join('; ');
}

/** Runs an action from typed words (Slack or CLI); a usage problem is refused and audited like any other refusal. */
export async function runCommand(services: ActionServices, action: AnyAction, actor: Actor, verb: string, words: readonly string[]): Promise<unknown> {
  let input: Record<string, unknown>;
  try {
    requireRole(actor.grants, action.requires, 'any', action.describedAs);
    input = commandInput(verb, action.command!, words);
  } catch (error) {
    if (error instanceof RefusedError) {
      const named = await namedTarget(
        services,
        attempt(() => commandInput(verb, action.command!, words)),
      );
      await recordRefusal(services.orm.em, actor, { action: action.name, target: named, detail: error.userMessage });
    }
    throw error;
  }
  return runAction(services, action, actor, input as never);
}
