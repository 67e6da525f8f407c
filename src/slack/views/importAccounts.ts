import type { App, ViewOutput, ViewSubmitAction } from '@slack/bolt';
import { runAction } from '../../actions/action.ts';
import { importForm } from '../../actions/accounts/import/importForms.ts';
import { startImport } from '../../actions/accounts/import/startImport.ts';
import { RefusedError } from '../../domain/errors.ts';
import { IMPORT_CALLBACK_ID, IMPORT_FIELD_BLOCKS, importModal, SEND_INVITATIONS } from '../blocks/importBlocks.ts';
import { type ListenerDeps, requestCaller } from '../context.ts';
import { asFieldMessage, fieldErrors } from './formErrors.ts';
import { createMetadata, readCreateMetadata } from './modalMetadata.ts';
import { type ModalRequest, openModal } from './openAccountModals.ts';
import { stateReader } from './stateReader.ts';
import { submitting } from './submitting.ts';

const b = IMPORT_FIELD_BLOCKS;

/** `/users import`: the import modal, once the caller's grant is found to allow an import (refused and audited if not). */
export async function openImportModal({ services, client, actor, triggerId, place }: ModalRequest, limits: ListenerDeps['importLimits']): Promise<void> {
  const form = await runAction(services, importForm, actor, {});
  await openModal(client, triggerId, importModal(form, createMetadata(place), limits));
}

/**
 * The import modal's submission starts the dry run (startImport) and closes the modal; the dry run's message comes
 * where the modal was opened from. A refusal stays on the modal, under the field it is about.
 */
export function registerImportView(app: App, deps: ListenerDeps): void {
  app.view<ViewSubmitAction>(IMPORT_CALLBACK_ID, async ({ ack, view, context }) => {
    const { services } = deps;
    await submitting(ack, services.logger, 'Import accounts', async () => {
      const input = { ...readImportForm(view), channel: readCreateMetadata(view.private_metadata).channel };
      try {
        await runAction(services, startImport, requestCaller(deps, context).actor, input);
      } catch (error) {
        if (!(error instanceof RefusedError)) throw error;
        const errors = fieldErrors(error, startImport.input, input, { fileId: b.file, fileName: b.file, organisation: b.organisation }) ?? {
          [b.organisation]: asFieldMessage(error.userMessage),
        };
        return { response: { response_action: 'errors', errors } };
      }
      return {};
    });
  });
}

function readImportForm(view: ViewOutput) {
  const read = stateReader(view);
  const [file] = read.files(b.file);
  return {
    fileId: file?.id,
    fileName: file?.name,
    organisation: read.selected(b.organisation),
    sendInvitations: read.selected(b.sendInvitations) === SEND_INVITATIONS.yes,
  };
}
