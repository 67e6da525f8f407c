import type { App, ViewOutput, ViewSubmitAction } from '@slack/bolt';
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { runAction } from '../../actions/action.ts';
import { addToGroup } from '../../actions/groups/addToGroup.ts';
import { createAccount } from '../../actions/accounts/createAccount.ts';
import { DEFAULT_ORGANISATION_SLUG, Group } from '../../db/entities/index.ts';
import { RefusedError } from '../../domain/errors.ts';
import { CREATE_ACCOUNT_CALLBACK_ID, CREATE_FIELD_BLOCKS, SEND_INVITATION } from '../blocks/accountModals.ts';
import { requestActor, requestServices, type ListenerDeps } from '../context.ts';
import { deliverAccountCard } from './deliverAccountCard.ts';
import { asFieldMessage, fieldErrors, type FieldErrors } from './formErrors.ts';
import { readCreateMetadata } from './modalMetadata.ts';
import { stateReader } from './stateReader.ts';
import { submitting } from './submitting.ts';

const b = CREATE_FIELD_BLOCKS;

/**
 * The create modal's submission runs `createAccount`; a refusal stays on the modal under the field it is about and
 * changes nothing. Created, the modal closes, the account joins the chosen groups (one `group-add` each), and its
 * card goes to the person who asked.
 */
export function registerCreateAccountView(app: App, deps: ListenerDeps): void {
  app.view<ViewSubmitAction>(CREATE_ACCOUNT_CALLBACK_ID, async ({ ack, view, client, context }) => {
    const services = requestServices(deps, context);
    await submitting(ack, services.logger, 'Add an account', async () => {
      const { input, groupIds } = readCreateForm(view);
      const actor = requestActor(context);
      // Checked before anything is created, so a wrong group leaves nothing half done.
      const groups = await chosenGroups(services.orm.em.fork(), groupIds, input.organisation ?? DEFAULT_ORGANISATION_SLUG);
      if ('problem' in groups) return { response: { response_action: 'errors', errors: { [b.groups]: groups.problem } } };
      let account: Awaited<ReturnType<typeof createAccount.run>>;
      try {
        account = await runAction(services, createAccount, actor, input);
      } catch (error) {
        if (error instanceof RefusedError) return { response: { response_action: 'errors', errors: createRefusalErrors(error, input) } };
        throw error;
      }
      return {
        afterwards: async () => {
          const joined: string[] = [];
          const notJoined: string[] = [];
          for (const group of groups.chosen) {
            try {
              await runAction(services, addToGroup, actor, { account: account.id, group: group.name });
              joined.push(`“${group.name}”`);
            } catch (error) {
              if (!(error instanceof RefusedError)) throw error;
              notJoined.push(`not added to “${group.name}”: ${error.userMessage}`);
            }
          }
          const message = [
            `Created ${account.firstName} ${account.lastName} <${account.email}> as ${account.username} in ${account.organisation.slug}, ${account.status === 'INVITED' ? 'INVITED: the invitation email is on its way' : `${account.status}: no invitation sent`}.`,
            ...(joined.length ? [`Added to ${joined.join(', ')}.`] : []),
            ...(notJoined.length ? [`:warning: ${notJoined.join('; ')}`] : []),
          ].join(' ');
          await deliverAccountCard(services, client, actor, { accountId: account.id, message }, readCreateMetadata(view.private_metadata));
        },
      };
    });
  });
}

function readCreateForm(view: ViewOutput) {
  const read = stateReader(view);
  return {
    input: {
      firstName: read.text(b.firstName),
      lastName: read.text(b.lastName),
      email: read.text(b.email),
      username: read.text(b.username) || undefined,
      role: read.selected(b.role) as never,
      organisation: read.selected(b.organisation),
      sendInvitation: read.selectedMany(b.sendInvitation).includes(SEND_INVITATION),
    },
    groupIds: read.selectedMany(b.groups),
  };
}

/** createAccount names the clash in its sentence (the email, or the username made from it); other refusals concern the organisation. */
function createRefusalErrors(error: RefusedError, input: ReturnType<typeof readCreateForm>['input']): FieldErrors {
  const mapped = fieldErrors(error, createAccount.input, input, b);
  if (mapped) return mapped;
  if (error.code === 'conflict') {
    return error.userMessage.startsWith('The username')
      ? { [b.username]: asFieldMessage(error.userMessage.replace('with --username', 'in the Username field')) }
      : { [b.email]: asFieldMessage(error.userMessage) };
  }
  return { [b.organisation]: asFieldMessage(error.userMessage) };
}

/** The chosen groups, when each still exists and belongs to the chosen organisation: an account joins its own organisation's groups. */
async function chosenGroups(
  em: EntityManager,
  ids: readonly string[],
  organisationSlug: string,
): Promise<{ chosen: { id: string; name: string }[] } | { problem: string }> {
  if (ids.length === 0) return { chosen: [] };
  if (!ids.every((id) => z.uuid().safeParse(id).success)) return { problem: 'Choose groups from the list.' };
  const found = await em.find(
    Group,
    { id: { $in: [...ids] } },
    { populate: ['organisation'], fields: ['name', 'organisation.slug'], orderBy: { name: 'asc' } },
  );
  if (found.length < new Set(ids).size) return { problem: 'A chosen group no longer exists; choose the groups again.' };
  const elsewhere = found.filter((g) => g.organisation.slug !== organisationSlug);
  if (elsewhere.length) {
    return {
      problem: asFieldMessage(
        `${elsewhere.map((g) => `“${g.name}” is in ${g.organisation.slug}`).join(', ')}, not ${organisationSlug}; choose groups of the account's organisation.`,
      ),
    };
  }
  return { chosen: found.map((g) => ({ id: g.id, name: g.name })) };
}
