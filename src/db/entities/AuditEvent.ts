import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export const AUDIT_OUTCOMES = ['done', 'refused'] as const;

/**
 * One change or refused attempt. Targets are kept by id and by a label (name and email as they were),
 * not by foreign key, so the trail stays readable after an account is purged.
 */
export const AuditEvent = defineEntity({
  name: 'AuditEvent',
  properties: {
    id: p.bigint('string').primary().autoincrement(),
    at: p.datetime().onCreate(() => new Date()),
    actorType: p.enum(['slack', 'cli', 'system', 'api'] as const),
    actorId: p.string().length(64),
    actorRole: p.string().length(32).nullable(),
    actorGrantOrganisationId: p.uuid().nullable(),
    action: p.string().length(64),
    outcome: p.enum(AUDIT_OUTCOMES),
    targetType: p.string().length(32).nullable(),
    targetId: p.string().length(64).nullable(),
    targetLabel: p.string().length(500).nullable(),
    organisationId: p.uuid().nullable(),
    changes: p.json<Record<string, { before: unknown; after: unknown }>>().nullable(),
    reason: p.string().length(500).nullable(),
    detail: p.string().length(1000).nullable(),
    approvalId: p.string().length(64).nullable(),
    jobId: p.string().length(128).nullable(),
  },
  indexes: [{ properties: ['targetId', 'at'] }, { properties: ['at'] }, { properties: ['actorId', 'at'] }],
});

export type IAuditEvent = InferEntity<typeof AuditEvent>;
