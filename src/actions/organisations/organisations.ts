import type { EntityManager } from '@mikro-orm/postgresql';
import { DEFAULT_ORGANISATION_SLUG, Organisation, type IOrganisation } from '../../db/entities/index.ts';
import { RefusedError } from '../../domain/errors.ts';
import type { ActionContext } from '../action.ts';
import type { AuditTarget } from '../auditTargets.ts';

/** The organisation named by slug, or the default one when none is named. */
export async function organisationBySlug(em: EntityManager, slug: string | undefined): Promise<IOrganisation> {
  const organisation = await em.findOne(Organisation, { slug: slug ?? DEFAULT_ORGANISATION_SLUG });
  if (!organisation) throw new RefusedError(`There is no organisation "${slug}".`, 'not-found');
  return organisation;
}

/** The organisation a change is about, named in its audit events, once the caller's grant covers it. */
export async function loadOrganisation(ctx: ActionContext, slug: string): Promise<{ organisation: IOrganisation; target: AuditTarget }> {
  const organisation = await organisationBySlug(ctx.em, slug);
  const target: AuditTarget = {
    type: 'organisation',
    id: organisation.id,
    label: `${organisation.name} (${organisation.slug})`,
    organisationId: organisation.id,
  };
  ctx.aboutTarget(target);
  ctx.authorize(organisation.id);
  return { organisation, target };
}
