import { describe, expect, it } from 'vitest';
import type { AccountPage } from '../../src/actions/accounts/listAccounts.ts';
import { ACCOUNT_LIST_PAGE_SIZE } from '../../src/actions/accounts/listAccounts.ts';
import { accountListReply } from '../../src/slack/blocks/accountList.ts';
import { blockKitErrors } from '../support/fakeSlack.ts';

function page(filter: string, key: string): AccountPage {
  const accounts = Array.from({ length: ACCOUNT_LIST_PAGE_SIZE }, (_, i) => ({
    id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    firstName: '&'.repeat(100),
    lastName: `<${'x'.repeat(99)}`,
    username: 'u'.repeat(100),
    email: `${'e'.repeat(300)}@example.test`,
    status: 'ACTIVE' as const,
    role: 'user' as const,
    organisationSlug: 'o'.repeat(63),
    lastSignInAt: null,
    createdAt: new Date(0),
    updatedAt: new Date(0),
    cursor: { keys: [key], id: '00000000-0000-4000-8000-000000000000' },
  }));
  return { filter, description: `Status active, name, username or email starting with “${filter}”`, total: 1000, accounts, next: key, previous: key };
}

describe('accountListReply', () => {
  it('fits a page of the longest names Slack-wise, with Previous, Next and Reset filters', () => {
    const reply = accountListReply(page('status:active', 'k'.repeat(400)));
    expect(blockKitErrors('message', reply)).toEqual([]);
    const buttons = reply.blocks.filter((b) => b.type === 'actions').flatMap((b: any) => b.elements.map((e: any) => e.action_id));
    expect(buttons).toEqual(['users.list.previous', 'users.list.next', 'users.list.reset']);
  });

  it('leaves out paging it cannot carry in a button and says why, keeping the page and Reset filters', () => {
    const longFilter = `"${'a:b '.repeat(240).trim()}"`;
    const reply = accountListReply(page(longFilter, 'k'.repeat(1100)));
    expect(blockKitErrors('message', reply)).toEqual([]);
    const buttons = reply.blocks.filter((b) => b.type === 'actions').flatMap((b: any) => b.elements.map((e: any) => e.action_id));
    expect(buttons).toEqual(['users.list.reset']);
    expect(JSON.stringify(reply.blocks)).toContain('too long for Slack to carry to the next page');
    expect(reply.blocks.filter((b) => b.block_id?.startsWith('account-'))).toHaveLength(ACCOUNT_LIST_PAGE_SIZE);
  });
});
