import { z } from 'zod';
import { escapeLike } from '../../db/like.ts';
import { Feature, type IFeature } from '../../db/entities/index.ts';
import type { FeatureKind } from '../../domain/accounts.ts';
import { RefusedError } from '../../domain/errors.ts';
import type { ActionContext } from '../action.ts';
import { quoted } from '../groups/groups.ts';

/** The switch at the end of `module`, `group-module`, `add-on` and `developer-mode`. */
export const onOffSchema = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.enum(['on', 'off'], { error: 'must be on or off' }));

/** How many catalogue keys a refusal lists before "and N more". */
const KNOWN_KEYS_SHOWN = 20;

/**
 * The module or add-on with this key (or name). An unknown one is refused listing the catalogue of that kind; one
 * of the other kind is refused naming the command that takes it.
 */
export async function loadFeature(ctx: ActionContext, kind: FeatureKind, ref: string): Promise<IFeature> {
  const key = ref.trim().toLowerCase();
  const feature = (await ctx.em.findOne(Feature, { key })) ?? (await ctx.em.findOne(Feature, { name: { $ilike: escapeLike(ref.trim()) } }));
  const noun = kind === 'module' ? 'module' : 'add-on';
  if (feature && feature.kind !== kind) {
    throw new RefusedError(
      `${quoted(feature.key)} is ${feature.kind === 'module' ? 'a module' : 'an add-on'}, not ${kind === 'module' ? 'a module' : 'an add-on'}; use ${feature.kind === 'module' ? 'module or group-module' : 'add-on'}.`,
      'invalid-input',
    );
  }
  if (feature) return feature;
  const [known, total] = await ctx.em.findAndCount(Feature, { kind }, { fields: ['key'], orderBy: { key: 'asc' }, limit: KNOWN_KEYS_SHOWN });
  if (total === 0) throw new RefusedError(`There is no ${noun} ${quoted(ref)}: the catalogue has no ${noun}s yet.`, 'not-found');
  const more = total > known.length ? `, and ${total - known.length} more` : '';
  throw new RefusedError(`There is no ${noun} ${quoted(ref)}. Known ${noun}s: ${known.map((f) => f.key).join(', ')}${more}.`, 'not-found');
}
