import { z } from 'zod';
import { ApiToken } from '../../db/entities/index.ts';
import { RefusedError } from '../../domain/errors.ts';
import { defineAction, type DoneOutcome } from '../action.ts';
import { tokenLabel } from './apiTokens.ts';

/** Ends an API token at once: the next request with it is answered 401. */
export const revokeApiToken = defineAction({
  name: 'token-revoke',
  describedAs: 'revoking API tokens',
  requires: 'owner',
  input: z.object({ tokenId: z.string().trim().min(1, 'say which token: its ID or its roster_... prefix').max(64) }),
  async run(ctx, { tokenId }): Promise<DoneOutcome> {
    const byId = z.uuid().safeParse(tokenId).success;
    const prefix = tokenId.replace(/^roster_/, '');
    const token = await ctx.em.findOne(ApiToken, byId ? { id: tokenId.toLowerCase() } : { prefix }, { populate: ['organisation'] });
    if (!token) throw new RefusedError(`No API token matches “${tokenId}”.`, 'not-found');
    const label = `${tokenLabel(token.prefix)} (${token.name}) of ${token.organisation.slug}`;
    ctx.aboutTarget({ type: 'api-token', id: token.id, label, organisationId: token.organisation.id });
    ctx.authorize(token.organisation.id);
    if (token.revokedAt) throw new RefusedError(`API token ${tokenLabel(token.prefix)} is already revoked.`, 'invalid-state');
    token.revokedAt = new Date();
    token.revokedBy = ctx.actor.id;
    ctx.audit.record({
      action: 'token-revoke',
      target: { type: 'api-token', id: token.id, label, organisationId: token.organisation.id },
      changes: { revokedAt: { before: null, after: token.revokedAt } },
    });
    return { kind: 'done', message: `API token ${tokenLabel(token.prefix)} "${token.name}" of ${token.organisation.slug} is revoked.` };
  },
});
