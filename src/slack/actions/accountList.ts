import type { App, BlockButtonAction, BlockStaticSelectAction } from '@slack/bolt';
import { z } from 'zod';
import { runAction } from '../../actions/action.ts';
import { listAccounts } from '../../actions/accounts/listAccounts.ts';
import { RefusedError } from '../../domain/errors.ts';
import { previewBulkJob } from '../../actions/accounts/bulk/previewBulkJob.ts';
import { exportAccounts } from '../../actions/accounts/exportAccounts.ts';
import { ACCOUNT_LIST_ACTIONS, LIST_BULK_ACTION_ID, LIST_EXPORT_ACTION_ID } from '../blocks/accountList.ts';
import { bulkPreviewReply, bulkValueModal } from '../blocks/bulk.ts';
import { bulkChangeTakes } from '../../actions/accounts/bulk/bulkChanges.ts';
import { bulkValueMetadata } from '../views/modalMetadata.ts';
import { openModal } from '../views/openAccountModals.ts';
import { sentenceBlocks } from '../blocks/usage.ts';
import { showList } from '../commands/users.ts';
import { type ListenerDeps, requestCaller } from '../context.ts';
import { actionPlace } from '../places.ts';
import { answerTo, answering } from '../replies.ts';

const buttonValue = z.object({ filter: z.string(), after: z.string().optional(), before: z.string().optional() });

/** Next, Previous and Reset filters on a list: the page the button names replaces the list in place. */
export function registerAccountListActions(app: App, deps: ListenerDeps): void {
  for (const actionId of Object.values(ACCOUNT_LIST_ACTIONS)) {
    app.action<BlockButtonAction>(actionId, async ({ ack, body, action, client, context }) => {
      await ack();
      const { services } = deps;
      const answer = answerTo(client, services.logger, body.user.id, actionPlace(body));
      await answering(answer, services.logger, async () => {
        const value = buttonValue.safeParse(parseJson(action.value ?? ''));
        if (!value.success) throw new RefusedError('That button is not one Roster knows; type `/users list` again.', 'invalid-input');
        const { actor } = requestCaller(deps, context);
        await showList(answer, () => runAction(services, listAccounts, actor, value.data), 'replace', actor);
      });
    });
  }

  // Export on a list: the same selection as a file (refused with a sentence to a caller below admin).
  app.action<BlockButtonAction>(LIST_EXPORT_ACTION_ID, async ({ ack, body, action, client, context }) => {
    await ack();
    const { services } = deps;
    const answer = answerTo(client, services.logger, body.user.id, actionPlace(body));
    await answering(answer, services.logger, async () => {
      const value = buttonValue.safeParse(parseJson(action.value ?? ''));
      if (!value.success) throw new RefusedError('That button is not one Roster knows; type `/users list` again.', 'invalid-input');
      const { actor } = requestCaller(deps, context);
      const started = await runAction(services, exportAccounts, actor, { filter: value.data.filter, channel: body.channel?.id });
      await answer.privately({ text: started.message, blocks: sentenceBlocks(started.message, ':outbox_tray:') });
    });
  });

  // "Change them all…" on a list: the preview of that change over the same selection, with its Confirm button; a
  // change that takes a role or group asks which first, in a modal (its trigger_id lasts 3 s: nothing is read before).
  app.action<BlockStaticSelectAction>(LIST_BULK_ACTION_ID, async ({ ack, body, action, client, context }) => {
    await ack();
    const { services } = deps;
    const place = actionPlace(body);
    const answer = answerTo(client, services.logger, body.user.id, place);
    await answering(answer, services.logger, async () => {
      const chosen = bulkChoice.safeParse(parseJson(action.selected_option?.value ?? ''));
      if (!chosen.success) throw new RefusedError('That menu option is not one Roster knows; type `/users list` again.', 'invalid-input');
      const takes = bulkChangeTakes(chosen.data.c);
      if (takes) {
        const request = { change: chosen.data.c, filter: chosen.data.f };
        await openModal(
          client,
          body.trigger_id,
          bulkValueModal({ ...request, takes, description: chosen.data.f || 'every status but deactivated' }, bulkValueMetadata(request, place)),
        );
        return;
      }
      const { actor } = requestCaller(deps, context);
      await answer.privately(bulkPreviewReply(await runAction(services, previewBulkJob, actor, { change: chosen.data.c, filter: chosen.data.f })));
    });
  });
}

const bulkChoice = z.object({ c: z.string(), f: z.string() });

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
