import type { EntityManager } from '@mikro-orm/postgresql';
import { AuditEvent } from '../db/entities/index.ts';
import type { Actor } from './actor.ts';
import { strongest } from '../domain/roles.ts';

export type FieldChanges = Record<string, { before: unknown; after: unknown }>;

export interface AuditTarget {
  type: 'account' | 'group' | 'organisation' | 'grant' | 'job';
  id: string | null;
  /** Kept as it was at the time, so the trail stays readable after the target is purged. */
  label: string | null;
  organisationId: string | null;
}

export interface AuditEntry {
  action: string;
  target?: AuditTarget;
  changes?: FieldChanges;
  reason?: string;
  approvalId?: string;
  jobId?: string;
}

/** Writes audit events through the action's own EntityManager, so they commit (or roll back) with the change. */
export class AuditTrail {
  readonly #em: EntityManager;
  readonly #actor: Actor;

  constructor(em: EntityManager, actor: Actor) {
    this.#em = em;
    this.#actor = actor;
  }

  record(entry: AuditEntry): void {
    this.#em.create(AuditEvent, { ...actorColumns(this.#actor), ...entryColumns(entry), outcome: 'done' });
  }
}

/** A refused attempt is written in its own transaction, since the attempt's own work was rolled back. */
export async function recordRefusal(em: EntityManager, actor: Actor, entry: AuditEntry & { detail: string }): Promise<void> {
  const fork = em.fork();
  fork.create(AuditEvent, { ...actorColumns(actor), ...entryColumns(entry), outcome: 'refused', detail: entry.detail.slice(0, 1000) });
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
function actorColumns(actor: Actor) {
  const grant = actor.acting ?? strongest(actor.grants);
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
    targetType: entry.target?.type ?? null,
    targetId: entry.target?.id ?? null,
    targetLabel: entry.target?.label?.slice(0, 500) ?? null,
    organisationId: entry.target?.organisationId ?? null,
    changes: entry.changes && Object.keys(entry.changes).length > 0 ? entry.changes : null,
    reason: entry.reason ?? null,
    approvalId: entry.approvalId ?? null,
    jobId: entry.jobId ?? null,
  };
}
