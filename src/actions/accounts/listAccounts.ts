import { z } from 'zod';
import { type AccountListRow, countSelection, type ListCursor, selectionPage, sortKeyCount } from '../../db/accountList.ts';
import { accountFilterText, describeAccountFilter, MAX_FILTER_TEXT, type SortField } from '../../domain/accountFilter.ts';
import { RefusedError } from '../../domain/errors.ts';
import { defineAction } from '../action.ts';
import { selectAccounts } from './accountSelection.ts';

/** How many accounts one page of a list shows (Slack shows each as one block, within its 50). */
export const ACCOUNT_LIST_PAGE_SIZE = 20;

export interface AccountPage {
  /** The filter as canonical text (what a Next button or a job carries): '' is the default list. */
  filter: string;
  /** The filter in words. */
  description: string;
  /** How many accounts match in all. */
  total: number;
  accounts: AccountListRow[];
  /** Cursors for the pages after and before this one (null: there is none). */
  next: string | null;
  previous: string | null;
}

/**
 * A page of the accounts a filter selects, within the organisations the caller's grants cover, in the filter's order,
 * with how many match in all. Keyset paging: `after`/`before` are cursors from an earlier page, so a page stays right
 * while accounts are added. A read, so only refusals are audited.
 */
export const listAccounts = defineAction({
  name: 'list',
  describedAs: 'listing accounts',
  requires: 'viewer',
  readOnly: true,
  input: z.object({
    filter: z.string().max(MAX_FILTER_TEXT, `a filter takes at most ${MAX_FILTER_TEXT} characters`).optional(),
    after: z.string().max(2000).optional(),
    before: z.string().max(2000).optional(),
  }),
  async run(ctx, { filter: text = '', after, before }): Promise<AccountPage> {
    const { filter, selection } = await selectAccounts(ctx.em, text, ctx.organisationsInScope());
    if (after !== undefined && before !== undefined) throw new RefusedError('Give one page cursor, after or before, not both.', 'invalid-input');
    const cursor = (after ?? before) === undefined ? undefined : readCursor(after ?? before!, filter.sort.field);
    const limit = ACCOUNT_LIST_PAGE_SIZE;
    let page = await selectionPage(ctx.em, selection, before !== undefined ? { before: cursor, limit } : { after: cursor, limit });
    let from: 'start' | 'after' | 'before' = cursor === undefined ? 'start' : after !== undefined ? 'after' : 'before';
    // Fewer accounts than a page lie before the cursor (some were removed): the first page is what comes before.
    if (from === 'before' && !page.more) {
      page = await selectionPage(ctx.em, selection, { limit });
      from = 'start';
    }
    const first = page.rows[0];
    const last = page.rows.at(-1);
    const hasNext = from === 'before' || page.more;
    const hasPrevious = from === 'after' || (from === 'before' && page.more);
    return {
      filter: accountFilterText(filter),
      description: describeAccountFilter(filter),
      total: await countSelection(ctx.em, selection),
      accounts: page.rows,
      next: hasNext && last ? writeCursor(filter.sort.field, last.cursor) : null,
      previous: hasPrevious && first ? writeCursor(filter.sort.field, first.cursor) : null,
    };
  },
});

const cursorShape = z.tuple([z.string(), z.array(z.string().max(1000)).min(1).max(3), z.uuid()]);
const TIME_KEY = /^(-?infinity|\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(\.\d{1,6})?([+-]\d\d(:?\d\d)?|Z)?)$/;
const TIME_SORTS: readonly SortField[] = ['last-sign-in', 'added', 'modified'];

/** A cursor as one opaque word (a button value, a CLI argument): the sort it belongs to, the keys and the id. */
function writeCursor(sort: SortField, cursor: ListCursor): string {
  return Buffer.from(JSON.stringify([sort, cursor.keys, cursor.id])).toString('base64url');
}

function readCursor(token: string, sort: SortField): ListCursor {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    decoded = undefined;
  }
  const parsed = cursorShape.safeParse(decoded);
  if (
    !parsed.success ||
    parsed.data[0] !== sort ||
    parsed.data[1].length !== sortKeyCount(sort) ||
    (TIME_SORTS.includes(sort) && !TIME_KEY.test(parsed.data[1][0]!))
  )
    throw new RefusedError('That page cursor does not belong to this list; list again from the first page.', 'invalid-input');
  return { keys: parsed.data[1], id: parsed.data[2] };
}
