import { z } from 'zod';
import { escapeLike } from '../../db/like.ts';
import { Licence } from '../../db/entities/index.ts';
import { RefusedError } from '../../domain/errors.ts';
import { defineAction, type GroupOutcome } from '../action.ts';
import { groupOrgSchema, groupRefSchema, groupTarget, loadGroup, quoted } from './groups.ts';
import { reasonSchema, flags } from '../inputs.ts';

const MAX_SEATS = 1_000_000;

const seatsSchema = z.coerce
  .number({ error: 'must be a whole number of seats (0 removes the licence)' })
  .int('must be a whole number of seats (0 removes the licence)')
  .min(0, 'must be 0 (removes the licence) or more')
  .max(MAX_SEATS, `must be at most ${MAX_SEATS}`);

/** A group's licences: one licence per product and group, with a number of seats; 0 seats removes it. */
export const setGroupLicence = defineAction({
  name: 'group-licence',
  describedAs: 'changing a group’s licences',
  requires: 'owner',
  command: {
    usage: '<group> <product> <seats>',
    positional: ['group', 'product', 'seats'],
    flags: { ...flags.org, ...flags.reason },
  },
  input: z.object({
    group: groupRefSchema,
    product: z.string().trim().min(1, 'must not be empty').max(200),
    seats: seatsSchema,
    organisation: groupOrgSchema,
    reason: reasonSchema,
  }),
  async run(ctx, { group: ref, product, seats, organisation, reason }): Promise<GroupOutcome> {
    const group = await loadGroup(ctx, ref, { organisation });
    const licence = await ctx.em.findOne(Licence, { group, product: { $ilike: escapeLike(product) } });
    const name = licence?.product ?? product;
    if (!licence && seats === 0) throw new RefusedError(`${quoted(group.name)} has no ${name} licence to remove.`, 'invalid-state');
    if (licence?.seats === seats) throw new RefusedError(`${quoted(group.name)} already has ${seats} seats of ${name}.`, 'invalid-state');
    const before = licence?.seats ?? null;
    if (seats === 0) ctx.em.remove(licence!);
    else if (licence) licence.seats = seats;
    else ctx.em.create(Licence, { group, product, seats });
    ctx.audit.record({ action: 'group-licence', target: groupTarget(group), changes: { [`licences.${name}`]: { before, after: seats || null } }, reason });
    const was = before === null ? 'new' : `was ${before}`;
    return {
      kind: 'group',
      groupId: group.id,
      message:
        seats === 0
          ? `${quoted(group.name)} no longer has a ${name} licence (was ${before} seats).`
          : `${quoted(group.name)} now has ${seats} seats of ${name} (${was}).`,
    };
  },
});
