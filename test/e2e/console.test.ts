// The local console in a real browser, against Roster started with no Slack credentials: what the page shows is what
// the app posted through the console's Web API, and what you do there reaches the app as signed Slack requests.
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Account } from '../../src/db/entities/index.ts';
import { launchBrowser } from '../support/browser.ts';
import { startConsoleRoster, type ConsoleRoster } from '../support/consoleRoster.ts';

let t: ConsoleRoster;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  [t, browser] = await Promise.all([startConsoleRoster(), launchBrowser()]);
  page = await browser.newPage();
  await page.goto(t.url);
});
afterAll(async () => {
  await browser?.close();
  await t?.stop();
});

const account = (email: string) => t.roster.orm.em.fork().findOneOrFail(Account, { email });

async function beAs(who: 'owner' | 'admin' | 'helpdesk' | 'viewer' | 'none') {
  await page.getByLabel('You are').selectOption(who);
}

async function type(text: string) {
  const composer = page.getByRole('textbox', { name: /^Message / });
  await composer.fill(text);
  await composer.press('Enter');
}

/** The newest message in the channel that contains `text`. */
const message = (text: string | RegExp): Locator => page.locator('article.message').filter({ hasText: text }).last();

describe('the local console', () => {
  it('shows the card /user posts, and a Lock through its confirm dialog edits the card in place', async () => {
    const ann = await t.given.account({ firstName: 'Ann', lastName: 'Console', email: 'ann.console@example.test' });
    await beAs('admin');
    await type(`/user ${ann.email}`);
    const card = message('ann.console@example.test');
    await expect.poll(() => card.getByRole('heading', { name: 'Ann Console' }).isVisible()).toBe(true);
    await expect.poll(() => card.textContent()).toContain('Only visible to you');
    const ts = await card.getAttribute('data-ts');

    await card.getByRole('button', { name: 'Lock', exact: true }).click();
    const confirm = page.getByRole('alertdialog');
    await confirm.getByRole('button', { name: 'Lock' }).click();

    const same = page.locator(`article.message[data-ts="${ts}"]`);
    await expect.poll(() => same.textContent(), { timeout: 10_000 }).toContain('SUSPENDED');
    await expect.poll(() => same.textContent()).toContain('(edited)');
    expect((await account(ann.email)).status).toBe('SUSPENDED');
  });
});
