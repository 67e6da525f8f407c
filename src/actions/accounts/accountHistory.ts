import { z } from 'zod';
import { AuditEvent, type IAuditEvent } from '../../db/entities/index.ts';
import { deletedAccountByEmail } from '../../db/approvalRequests.ts';
import { normaliseLogin } from '../../domain/accounts.ts';
import { RefusedError } from '../../domain/errors.ts';
import { type ActionContext, defineAction, type ReportOutcome } from '../action.ts';
import { fullName, loadAccount } from './account.ts';
import { accountRefSchema } from '../inputs.ts';

/** Events on one page of an account's history; a Slack section holds this many comfortably. */
export const HISTORY_PAGE_SIZE = 10;

/** The account's audit trail, newest first, a page at a time. A read, so only refusals are audited. */
export const accountHistory = defineAction({
  name: 'audit',
  describedAs: 'reading the audit trail',
  requires: 'viewer',
  readOnly: true,
  command: { usage: '<who> [--page <n>]', positional: ['account'], flags: { page: { field: 'page', type: 'string' } }, synonyms: ['history'] },
  input: z.object({ account: accountRefSchema, page: z.coerce.number().int().min(1).max(10_000).default(1) }),
  async run(ctx, { account: ref, page }): Promise<ReportOutcome> {
    const account = await historySubject(ctx, ref);
    const [events, total] = await ctx.em.findAndCount(
      AuditEvent,
      { targetId: account.id },
      { orderBy: { id: 'desc' }, limit: HISTORY_PAGE_SIZE, offset: (page - 1) * HISTORY_PAGE_SIZE },
    );
    const pages = Math.max(1, Math.ceil(total / HISTORY_PAGE_SIZE));
    const lines = events.map(historyLine);
    const footer = page < pages ? `Page ${page} of ${pages}: \`/user audit ${account.ref} --page ${page + 1}\` for older events.` : `Page ${page} of ${pages}.`;
    const message = total === 0 ? `${account.name} has no recorded history yet.` : [`History of ${account.name}, newest first:`, ...lines, footer].join('\n');
    return { kind: 'report', message };
  },
});

/** The account whose trail is read: a live or soft-deleted one, or, by its email, one purged since (its events remain). */
async function historySubject(ctx: ActionContext, ref: string): Promise<{ id: string; name: string; ref: string }> {
  try {
    const account = await loadAccount(ctx, ref);
    return { id: account.id, name: fullName(account), ref: account.username };
  } catch (error) {
    const purged =
      error instanceof RefusedError && error.code === 'not-found' && ref.includes('@') ? await deletedAccountByEmail(ctx.em, normaliseLogin(ref)) : null;
    if (!purged) throw error;
    ctx.aboutTarget({ type: 'account', id: purged.accountId, label: `${purged.name} <${normaliseLogin(ref)}>`, organisationId: purged.organisationId });
    ctx.authorize(purged.organisationId);
    return { id: purged.accountId, name: purged.name, ref: normaliseLogin(ref) };
  }
}

function historyLine(event: IAuditEvent): string {
  const when = `${event.at.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  // A Slack user as a mention, which Slack shows as their name; the CLI, the system and API tokens by their ID.
  const actor = event.actorType === 'slack' ? `<@${event.actorId}>` : event.actorId;
  const who = `${actor}${event.actorRole ? ` (${event.actorRole})` : ''}`;
  const changes = Object.entries(event.changes ?? {})
    .map(([field, { before, after }]) => `${fieldWords(field)} ${format(before)} → ${format(after)}`)
    .join(', ');
  const outcome = event.outcome === 'refused' ? `refused: ${event.detail ?? ''}` : changes;
  return `• ${when} · ${event.action} by ${who}${outcome ? ` · ${outcome}` : ''}${event.reason ? ` · reason “${event.reason}”` : ''}${event.jobId ? ` · job ${event.jobId}` : ''}`;
}

/** A changed field as words: `statusReason` as "status reason". */
function fieldWords(field: string): string {
  return CHANGED_FIELD_WORDS[field] ?? field.replace(/[A-Z]/g, (letter) => ` ${letter.toLowerCase()}`);
}

const CHANGED_FIELD_WORDS: Readonly<Record<string, string>> = { mfaEnrolled: 'MFA enrolled', failedSignIns: 'failed sign-ins', addOns: 'add-ons' };

function format(value: unknown): string {
  if (value === null || value === undefined) return '∅';
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value)) return value.slice(0, 16).replace('T', ' ');
  return String(value);
}
