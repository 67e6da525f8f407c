import { z } from 'zod';
import { Organisation } from '../../db/entities/index.ts';
import { RefusedError } from '../../domain/errors.ts';
import { DELETION_POLICIES } from '../../domain/statuses.ts';
import { type DoneOutcome, defineAction } from '../action.ts';
import { slugSchema } from '../inputs.ts';
import { autoUnlockMinutesSchema } from './setAutoUnlock.ts';

export const createOrganisation = defineAction({
  name: 'org-create',
  describedAs: 'creating an organisation',
  requires: 'owner',
  scope: 'platform',
  input: z.object({
    slug: slugSchema,
    name: z.string().trim().min(1, 'must not be empty').max(200),
    lockoutThreshold: z.number().int().min(1).max(100).default(10),
    inactivityDays: z.number().int().min(1).max(3650).default(90),
    deletionPolicy: z.enum(DELETION_POLICIES).default('soft'),
    mfaRequired: z.boolean().default(false),
    autoUnlockMinutes: autoUnlockMinutesSchema.optional(),
  }),
  async run(ctx, input): Promise<DoneOutcome & { organisationId: string }> {
    if (await ctx.em.count(Organisation, { slug: input.slug })) {
      throw new RefusedError(`An organisation with the slug "${input.slug}" already exists.`, 'conflict');
    }
    const organisation = ctx.em.create(Organisation, input);
    ctx.audit.record({
      action: 'org-create',
      target: { type: 'organisation', id: organisation.id, label: `${input.name} (${input.slug})`, organisationId: organisation.id },
      changes: Object.fromEntries(Object.entries(input).map(([field, after]) => [field, { before: null, after }])),
    });
    const { lockoutThreshold, inactivityDays, deletionPolicy } = input;
    return {
      kind: 'done',
      organisationId: organisation.id,
      message: `Created organisation ${input.slug} (${input.name}): lockout after ${lockoutThreshold} wrong passwords, suspended after ${inactivityDays} days without sign-in, deletion policy ${deletionPolicy}.`,
    };
  },
});
