import type { KnownBlock, ModalView } from '@slack/types';
import type { ImportPreview } from '../../actions/accounts/import/finishImportCheck.ts';
import type { ImportForm } from '../../actions/accounts/import/importForms.ts';
import type { ErrorReportOutcome } from '../../present/bulkProgress.ts';
import type { Message } from '../delivery.ts';
import { input, option, organisationInput, plain } from './accountModals.ts';
import { escapeMrkdwn, truncate } from './text.ts';

export const IMPORT_CALLBACK_ID = 'users.import';
export const IMPORT_APPLY_ACTION_ID = 'import.apply';
export const IMPORT_CANCEL_ACTION_ID = 'import.cancel';

/** Block ids of the import modal's fields, by the startImport input field they fill. */
export const IMPORT_FIELD_BLOCKS = { file: 'file', organisation: 'organisation', sendInvitations: 'invitations' } as const;

/** The values of the "send invitations" choice. */
export const SEND_INVITATIONS = { yes: 'yes', no: 'no' } as const;

const n = (value: number) => value.toLocaleString('en');

/** `/users import`: the file, the organisation the accounts go to, and whether new accounts are invited. */
export function importModal(form: ImportForm, privateMetadata: string, limits: { maxRows: number; maxFileMb: number }): ModalView {
  const b = IMPORT_FIELD_BLOCKS;
  const no = option('No: new accounts are staged, no mail goes out', SEND_INVITATIONS.no);
  const yes = option('Yes: each new account gets an invitation email', SEND_INVITATIONS.yes);
  return {
    type: 'modal',
    callback_id: IMPORT_CALLBACK_ID,
    private_metadata: privateMetadata,
    title: plain('Import accounts'),
    submit: plain('Check the file'),
    close: plain('Cancel'),
    blocks: [
      input(
        b.file,
        'Spreadsheet',
        { type: 'file_input', action_id: 'value', filetypes: ['csv', 'xlsx'], max_files: 1 },
        {
          hint: `CSV (UTF-8) or XLSX with a header row, at most ${n(limits.maxRows)} rows and ${n(limits.maxFileMb)} MB. “/users import template” gives an example; Google Workspace, Entra ID and Okta files are read too.`,
        },
      ),
      organisationInput(
        b.organisation,
        form.organisations,
        form.initialOrganisation ?? '',
        form.more,
        'The accounts are created or updated in this organisation.',
      ),
      input(b.sendInvitations, 'Send invitations', { type: 'radio_buttons', action_id: 'value', options: [no, yes], initial_option: no }),
      {
        type: 'context',
        block_id: 'dry-run',
        elements: [{ type: 'mrkdwn', text: 'First a dry run shows what the file would do, with Apply and Cancel: nothing changes before Apply.' }],
      },
    ],
  };
}

/** The dry run of an import: what it would do, the columns it did not read, where its error report is, and Apply / Cancel. */
export function importPreviewMessage(preview: ImportPreview, report?: ErrorReportOutcome): Message {
  const { counts } = preview;
  const head = `Dry run of ${preview.fileName} for ${preview.organisation}: ${n(preview.rows)} rows`;
  const lines = [
    `*${escapeMrkdwn(head)}* (${preview.format.toUpperCase()}, read as ${escapeMrkdwn(preview.layoutName)})`,
    `To create: *${n(counts.create)}* · to update: *${n(counts.update)}* · unchanged: *${n(counts.unchanged)}* · invalid: *${n(counts.invalid)}*`,
    preview.sendInvitations ? 'Invitations: each new account gets one by email.' : 'Invitations: none; new accounts are staged until you send them one.',
  ];
  const columns = [
    ...(preview.unknownColumns.length
      ? [`Columns not recognised, so not imported: ${preview.unknownColumns.map((c) => `\`${escapeMrkdwn(c)}\``).join(', ')}`]
      : []),
    ...(preview.ignoredColumns.length
      ? [`Columns left out: ${preview.ignoredColumns.map((c) => `\`${escapeMrkdwn(c.column)}\` (${escapeMrkdwn(c.reason)})`).join(', ')}`]
      : []),
    ...(report ? [reportSentence(report, counts.invalid)] : []),
  ];
  const blocks: KnownBlock[] = [
    { type: 'section', block_id: 'import-preview', text: { type: 'mrkdwn', text: truncate(lines.join('\n'), 3000) } },
    ...(columns.length
      ? [{ type: 'section', block_id: 'import-columns', text: { type: 'mrkdwn', text: truncate(columns.join('\n'), 3000) } } as KnownBlock]
      : []),
  ];
  if (!preview.applicable) {
    blocks.push({ type: 'context', block_id: 'import-nothing', elements: [{ type: 'mrkdwn', text: 'Nothing to import: every row is unchanged or invalid.' }] });
    return { text: head, blocks };
  }
  const doing = `${n(counts.create)} to create and ${n(counts.update)} to update in ${preview.organisation}`;
  blocks.push({
    type: 'actions',
    block_id: 'import-actions',
    elements: [
      {
        type: 'button',
        action_id: IMPORT_APPLY_ACTION_ID,
        style: 'primary',
        text: plain('Apply'),
        value: preview.jobId,
        confirm: {
          title: plain('Import these accounts?'),
          text: plain(truncate(`${doing}${preview.sendInvitations ? ', each new account invited by email' : ''}. Each change is audited.`, 300)),
          confirm: plain('Apply'),
          deny: plain('Back'),
        },
      },
      { type: 'button', action_id: IMPORT_CANCEL_ACTION_ID, text: plain('Cancel'), value: preview.jobId },
    ],
  });
  return { text: head, blocks };
}

function reportSentence(report: ErrorReportOutcome, invalid: number): string {
  if ('failed' in report) return `The error report could not be shared: ${escapeMrkdwn(report.failed)}`;
  return `The error report in this thread lists the ${n(invalid)} invalid rows: row number, column and reason.`;
}
