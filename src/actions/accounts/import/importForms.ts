import { z } from 'zod';
import { RefusedError } from '../../../domain/errors.ts';
import { type DoneOutcome, defineAction } from '../../action.ts';
import { type OrganisationChoices, organisationChoices } from '../accountForms.ts';
import { startImport } from './startImport.ts';

export interface ImportForm extends OrganisationChoices {
  /** The organisation chosen at first, when the caller's grant covers one only. */
  initialOrganisation?: string;
}

/*
 * What `/users import` needs before anything is imported, as the create and edit forms' checks are (accountForms.ts):
 * each carries the name, role and description of startImport, so a caller refused here is refused (and audited)
 * exactly as an import would be. Neither reads nor changes an account, so neither is in the registry.
 */

/** The import modal's choices: the organisations the caller may import into. */
export const importForm = defineAction({
  name: startImport.name,
  describedAs: startImport.describedAs,
  requires: startImport.requires,
  readOnly: true,
  input: z.object({}),
  async run(ctx): Promise<ImportForm> {
    const choices = await organisationChoices(ctx.em, ctx.organisationsInScope());
    if (choices.organisations.length === 0)
      throw new RefusedError('None of the organisations your grants cover exists any more; ask a Roster owner.', 'not-found');
    return { ...choices, ...(choices.organisations.length === 1 ? { initialOrganisation: choices.organisations[0]!.slug } : {}) };
  },
});

/** `/users import template`: the example file, uploaded by a job to where it was asked from. */
export const requestImportTemplate = defineAction({
  name: startImport.name,
  describedAs: startImport.describedAs,
  requires: startImport.requires,
  readOnly: true,
  input: z.object({ channel: z.string().max(64).optional() }),
  async run(ctx, { channel }): Promise<DoneOutcome> {
    if (ctx.organisationsInScope()?.length === 0) throw new RefusedError('Your grants cover no organisation to import into.', 'forbidden');
    const imports = ctx.services.imports;
    if (!imports) throw new RefusedError('Imports need the job queue, which this process does not have.', 'invalid-state');
    const requestedBy = ctx.actor.id;
    ctx.afterCommit(() => imports.template({ requestedBy, channel: channel ?? requestedBy }));
    return { kind: 'done', message: 'The import template is on its way: a CSV file with the columns Roster reads and two example rows.' };
  },
});
