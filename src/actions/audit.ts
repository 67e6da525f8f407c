import type { EntityManager } from '@mikro-orm/postgresql';
import { boundQuery } from '../db/boundQuery.ts';
import { AuditEvent } from '../db/entities/index.ts';
import { strongest, type Grant } from '../domain/roles.ts';
import type { Actor } from './actor.ts';
import type { AuditTarget } from './auditTargets.ts';

export type FieldChanges = Record<string, { before: unknown; after: unknown }>;

export interface AuditEntry {
  action: string;
  target?: AuditTarget;
  changes?: FieldChanges;
  reason?: string;
  approvalId?: string;
  jobId?: string;
}

/** What the events of one statement share. */
type AuditShared = Omit<AuditEntry, 'target' | 'changes'>;

/** Writes audit events through the action's own EntityManager, so they commit (or roll back) with the change. */
export class AuditTrail {
  readonly #em: EntityManager;
  readonly #actor: Actor;
  readonly #grant: () => Grant | undefined;

  /** `grant` gives the grant the run acts under, once it has been checked. */
  constructor(em: EntityManager, actor: Actor, grant: () => Grant | undefined) {
    this.#em = em;
    this.#actor = actor;
    this.#grant = grant;
  }

  record(entry: AuditEntry): void {
    this.#em.create(AuditEvent, { ...actorColumns(this.#actor, this.#grant()), ...entryColumns(entry), outcome: 'done' });
  }

  /**
   * Events of one kind about many targets at once, written now in one statement, in the action's transaction (a chunk
   * of an import updating many accounts): the same columns as `record`, what they share passed once.
   */
  async recordMany(shared: AuditShared, each: readonly Required<Pick<AuditEntry, 'target' | 'changes'>>[]): Promise<void> {
    if (each.length === 0) return;
    const insert = this.insertSelected(shared, 2);
    await boundQuery(
      this.#em,
      `with audit_targets as (
         select * from jsonb_to_recordset($1::jsonb) as e("targetType" text, "targetId" text, "targetLabel" text, "organisationId" uuid, changes jsonb)
       ) ${insert.sql}`,
      [JSON.stringify(each.map(targetColumns)), ...insert.params],
    );
  }

  /**
   * The statement that writes these events for the rows of `audit_targets`, a relation the caller's statement defines
   * (columns `"targetType"`, `"targetId"`, `"targetLabel"`, `"organisationId"`, `changes`), its parameters numbered from
   * `firstParam`: for a statement that changes rows and audits them at once, so they never travel through here.
   */
  insertSelected(shared: AuditShared, firstParam: number): { sql: string; params: unknown[] } {
    const actor = actorColumns(this.#actor, this.#grant());
    const $ = (n: number) => `$${firstParam + n}`;
    return {
      sql: `insert into audit_event (at, actor_type, actor_id, actor_role, actor_grant_organisation_id, action, outcome, target_type, target_id,
         target_label, organisation_id, changes, reason, approval_id, job_id)
       select ${$(0)}::timestamptz, ${$(1)}, ${$(2)}, ${$(3)}, ${$(4)}::uuid, ${$(5)}, 'done', e."targetType", e."targetId", e."targetLabel", e."organisationId",
         e.changes, ${$(6)}, ${$(7)}, ${$(8)}
       from audit_targets as e`,
      params: [
        new Date(),
        actor.actorType,
        actor.actorId,
        actor.actorRole,
        actor.actorGrantOrganisationId,
        shared.action,
        shared.reason ?? null,
        shared.approvalId ?? null,
        shared.jobId ?? null,
      ],
    };
  }

  /**
   * A refused attempt whose side effects stand and commit with it (a wrong password counts towards the lockout), unlike
   * a thrown refusal, which rolls the run back and is written on its own.
   */
  recordRefused(entry: AuditEntry & { detail: string }): void {
    this.#em.create(AuditEvent, {
      ...actorColumns(this.#actor, this.#grant()),
      ...entryColumns(entry),
      outcome: 'refused',
      detail: entry.detail.slice(0, 1000),
    });
  }
}

/** A refused attempt is written in its own transaction, since the attempt's own work was rolled back. */
export async function recordRefusal(em: EntityManager, actor: Actor, grant: Grant | undefined, entry: AuditEntry & { detail: string }): Promise<void> {
  const fork = em.fork();
  fork.create(AuditEvent, { ...actorColumns(actor, grant), ...entryColumns(entry), outcome: 'refused', detail: entry.detail.slice(0, 1000) });
  await fork.flush();
}

/** The fields whose value differs, with before and after; secrets are never passed in here. */
export function changedFields<T extends object>(before: T, after: T, fields: readonly (keyof T & string)[]): FieldChanges {
  const changes: FieldChanges = {};
  for (const field of fields) {
    const [was, now] = [before[field], after[field]];
    const same = was instanceof Date && now instanceof Date ? was.getTime() === now.getTime() : was === now;
    if (!same) changes[field] = { before: was ?? null, after: now ?? null };
  }
  return changes;
}

/** The grant the action ran under; for a refusal before any grant applied, the strongest one the actor holds. */
function actorColumns(actor: Actor, acting: Grant | undefined) {
  const grant = acting ?? strongest(actor.grants);
  return {
    actorType: actor.kind,
    actorId: actor.id,
    actorRole: grant?.role ?? null,
    actorGrantOrganisationId: grant?.organisationId ?? null,
  };
}

function entryColumns(entry: AuditEntry) {
  return {
    action: entry.action,
    ...targetColumns(entry),
    reason: entry.reason ?? null,
    approvalId: entry.approvalId ?? null,
    jobId: entry.jobId ?? null,
  };
}

/** The columns that say what an event is about and what changed. */
function targetColumns({ target, changes }: Pick<AuditEntry, 'target' | 'changes'>) {
  return {
    targetType: target?.type ?? null,
    targetId: target?.id ?? null,
    targetLabel: target?.label?.slice(0, 500) ?? null,
    organisationId: target?.organisationId ?? null,
    changes: changes && Object.keys(changes).length > 0 ? changes : null,
  };
}
