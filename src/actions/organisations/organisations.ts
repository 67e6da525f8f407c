import type { EntityManager } from '@mikro-orm/postgresql';
import { DEFAULT_ORGANISATION_SLUG, Organisation, type IOrganisation } from '../../db/entities/index.ts';
import { RefusedError } from '../../domain/errors.ts';

/** The organisation named by slug, or the default one when none is named. */
export async function organisationBySlug(em: EntityManager, slug: string | undefined): Promise<IOrganisation> {
  const organisation = await em.findOne(Organisation, { slug: slug ?? DEFAULT_ORGANISATION_SLUG });
  if (!organisation) throw new RefusedError(`There is no organisation "${slug}".`, 'not-found');
  return organisation;
}
