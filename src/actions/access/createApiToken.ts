import { z } from 'zod';
import { ApiToken } from '../../db/entities/index.ts';
import { API_SCOPES } from '../../domain/apiTokens.ts';
import { defineAction, type DoneOutcome, type Secret } from '../action.ts';
import { organisationBySlug } from '../organisations/organisations.ts';
import { slugSchema } from '../inputs.ts';
import { newApiToken, tokenLabel } from './apiTokens.ts';

export interface ApiTokenCreated extends DoneOutcome {
  tokenId: string;
  /** The token itself, shown once to whoever created it; Roster keeps only its hash. */
  secret: Secret;
}

/** A bearer token for one organisation's platform, with the scopes it may use (the sign-in API needs `sign-in`). */
export const createApiToken = defineAction({
  name: 'token-create',
  describedAs: 'creating API tokens',
  requires: 'owner',
  input: z.object({
    organisation: slugSchema,
    name: z.string().trim().min(1, 'must not be empty').max(100).default('sign-in'),
    scopes: z.array(z.enum(API_SCOPES)).min(1).default(['sign-in']),
  }),
  async run(ctx, { organisation: slug, name, scopes }): Promise<ApiTokenCreated> {
    const organisation = await organisationBySlug(ctx.em, slug);
    const { raw, prefix, hash } = newApiToken();
    const label = `${tokenLabel(prefix)} (${name}) of ${organisation.slug}`;
    const token = ctx.em.create(ApiToken, { organisation, name, prefix, hash, scopes: [...new Set(scopes)], createdBy: ctx.actor.id });
    ctx.aboutTarget({ type: 'api-token', id: token.id, label, organisationId: organisation.id });
    ctx.authorize(organisation.id);
    ctx.audit.record({
      action: 'token-create',
      target: { type: 'api-token', id: token.id, label, organisationId: organisation.id },
      changes: { name: { before: null, after: name }, scopes: { before: null, after: token.scopes } },
    });
    return {
      kind: 'done',
      tokenId: token.id,
      message: `Created API token ${tokenLabel(prefix)} "${name}" for ${organisation.slug} (${token.scopes.join(', ')}); it is shown once, below.`,
      secret: { label: 'API token', value: raw },
    };
  },
});
