import type { App } from '@slack/bolt';
import { runAction } from '../../actions/action.ts';
import { startImport } from '../../actions/accounts/import/startImport.ts';
import { RefusedError } from '../../domain/errors.ts';
import { sentenceBlocks } from '../blocks/usage.ts';
import { type ListenerDeps, requestActor } from '../context.ts';
import { answerTo, answering } from '../replies.ts';

const HINT =
  'To import accounts from a file, share it here with the word import in the message: `import`, `import org:<slug>`, and `invite:yes` to invite the new accounts. `/users import` opens a form instead.';

/** `org:<slug>` and `invite:yes|no` in the message that shares the file; invitations are off unless asked for. */
function importWords(text: string): { organisation?: string; sendInvitations: boolean } {
  const organisation = /(?:^|\s)org:(\S+)/i.exec(text)?.[1]?.toLowerCase();
  const sendInvitations = /(?:^|\s)invite:yes(?:\s|$)/i.test(text);
  return { ...(organisation ? { organisation } : {}), sendInvitations };
}

/**
 * A file shared in the app's DM with the word `import` starts an import of it, as the import modal does: the dry run
 * follows in the DM. A file shared without the word is answered with how to import it.
 */
export function registerImportFileShare(app: App, deps: ListenerDeps): void {
  app.event('message', async ({ event, client, context }) => {
    if (event.channel_type !== 'im' || event.subtype !== 'file_share' || !event.files?.length) return;
    const { services } = deps;
    const answer = answerTo(client, services.logger, event.user, { channel: event.channel });
    await answering(answer, services.logger, async () => {
      const text = event.text ?? '';
      if (!/\bimport\b/i.test(text)) {
        await answer.privately({ text: HINT, blocks: sentenceBlocks(HINT, ':information_source:') });
        return;
      }
      const [file, ...more] = event.files!;
      if (more.length > 0) throw new RefusedError('Share one file at a time to import it; nothing was imported.', 'invalid-input');
      await runAction(services, startImport, requestActor(context), {
        fileId: file!.id,
        fileName: file!.name ?? file!.id,
        channel: event.channel,
        ...importWords(text),
      });
    });
  });
}
