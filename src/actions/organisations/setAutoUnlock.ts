import { z } from 'zod';
import { type DoneOutcome, defineAction } from '../action.ts';
import { slugSchema } from '../inputs.ts';
import { loadOrganisation } from './organisations.ts';

/** Minutes an organisation may wait at most before a lockout ends by itself: a week. */
const MAX_AUTO_UNLOCK_MINUTES = 7 * 24 * 60;

export const autoUnlockMinutesSchema = z.number().int().min(1).max(MAX_AUTO_UNLOCK_MINUTES);

/** Sets, or turns off, an organisation's automatic unlock of locked-out accounts. */
export const setAutoUnlock = defineAction({
  name: 'org-auto-unlock',
  describedAs: "changing an organisation's automatic unlock",
  requires: 'owner',
  input: z.object({ organisation: slugSchema, minutes: autoUnlockMinutesSchema.nullable() }),
  async run(ctx, { organisation: slug, minutes }): Promise<DoneOutcome> {
    const { organisation, target } = await loadOrganisation(ctx, slug);
    const before = organisation.autoUnlockMinutes ?? null;
    organisation.autoUnlockMinutes = minutes;
    if (before !== minutes) ctx.audit.record({ action: 'org-auto-unlock', target, changes: { autoUnlockMinutes: { before, after: minutes } } });
    return {
      kind: 'done',
      message: minutes
        ? `Locked-out accounts of ${organisation.slug} unlock by themselves ${minutes} minutes after they lock out.`
        : `Locked-out accounts of ${organisation.slug} stay locked out until someone unlocks them.`,
    };
  },
});
