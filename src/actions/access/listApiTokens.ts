import { z } from 'zod';
import { ApiToken } from '../../db/entities/index.ts';
import { defineAction, type ReportOutcome } from '../action.ts';
import { organisationBySlug } from '../organisations/organisations.ts';
import { slugSchema } from '../inputs.ts';
import { tokenLabel } from './apiTokens.ts';

export interface ApiTokenListed {
  id: string;
  label: string;
  name: string;
  organisation: string;
  scopes: string[];
  createdAt: Date;
  createdBy: string;
  revokedAt: Date | null;
}

/** The API tokens of one organisation, or of every organisation the caller owns: names and prefixes, never a secret. */
export const listApiTokens = defineAction({
  name: 'token-list',
  describedAs: 'listing API tokens',
  requires: 'owner',
  readOnly: true,
  input: z.object({ organisation: slugSchema.optional() }),
  async run(ctx, { organisation: slug }): Promise<ReportOutcome & { tokens: ApiTokenListed[] }> {
    let where: object;
    if (slug) {
      const organisation = await organisationBySlug(ctx.em, slug);
      ctx.authorize(organisation.id);
      where = { organisation: organisation.id };
    } else {
      const scope = ctx.organisationsInScope();
      where = scope ? { organisation: { $in: scope } } : {};
    }
    const rows = await ctx.em.find(ApiToken, where, { populate: ['organisation'], orderBy: { createdAt: 'asc' } });
    const tokens = rows.map((row) => ({
      id: row.id,
      label: tokenLabel(row.prefix),
      name: row.name,
      organisation: row.organisation.slug,
      scopes: row.scopes,
      createdAt: row.createdAt,
      createdBy: row.createdBy,
      revokedAt: row.revokedAt ?? null,
    }));
    const lines = tokens.map(
      (t) =>
        `${t.id}  ${t.label}  ${t.organisation}  "${t.name}"  ${t.scopes.join(',')}  created ${t.createdAt.toISOString().slice(0, 16)} by ${t.createdBy}${t.revokedAt ? `  revoked ${t.revokedAt.toISOString().slice(0, 16)}` : ''}`,
    );
    return { kind: 'report', tokens, message: lines.length ? lines.join('\n') : 'No API tokens.' };
  },
});
