// The local console in a real browser, against Roster started with no Slack credentials: what the page shows is what
// the app posted through the console's Web API, and what you do there reaches the app as signed Slack requests.
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Account, Membership } from '../../src/db/entities/index.ts';
import { launchBrowser } from '../support/browser.ts';
import { startConsoleRoster, type ConsoleRoster } from '../support/consoleRoster.ts';

// The page long-polls, but the machine may be busy: a second is not always enough for the app's answer to arrive.
const SLOW = { timeout: 15_000 };

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
    await expect.poll(() => card.getByRole('heading', { name: 'Ann Console' }).isVisible(), SLOW).toBe(true);
    await expect.poll(() => card.textContent(), SLOW).toContain('Only visible to you');
    const ts = await card.getAttribute('data-ts');

    await card.getByRole('button', { name: 'Lock', exact: true }).click();
    const confirm = page.getByRole('alertdialog');
    await confirm.getByRole('button', { name: 'Lock' }).click();

    const same = page.locator(`article.message[data-ts="${ts}"]`);
    await expect.poll(() => same.textContent(), SLOW).toContain('SUSPENDED');
    await expect.poll(() => same.textContent(), SLOW).toContain('(edited)');
    expect((await account(ann.email)).status).toBe('SUSPENDED');
  });

  it('shows the field error of the create form, picks a group as you type, then the new account and its invitation in the outbox', async () => {
    await t.given.group({ name: 'Console Crew' });
    await beAs('admin');
    await type('/user create');
    const modal = page.getByRole('dialog', { name: 'Add an account' });
    await modal.getByLabel('First name').fill('Cara');
    await modal.getByLabel('Last name').fill('Modal');
    await modal.getByLabel('Email', { exact: true }).fill('not-an-email');
    await modal.getByRole('combobox', { name: 'Groups' }).fill('Console');
    await modal.getByRole('option', { name: 'Console Crew' }).click();
    await modal.getByRole('button', { name: 'Create' }).click();
    await expect.poll(() => modal.getByRole('alert').textContent(), SLOW).toMatch(/email address/);
    expect(await modal.getByLabel('First name').inputValue()).toBe('Cara');

    await modal.getByLabel('Email', { exact: true }).fill('cara.modal@example.test');
    await modal.getByRole('button', { name: 'Create' }).click();
    await expect.poll(() => modal.count(), SLOW).toBe(0);
    await expect.poll(() => message('cara.modal@example.test').getByRole('heading', { name: 'Cara Modal' }).isVisible(), SLOW).toBe(true);
    const cara = await account('cara.modal@example.test');
    expect(cara.status).toBe('INVITED');
    expect(await t.roster.orm.em.fork().count(Membership, { account: cara.id, group: { name: 'Console Crew' } })).toBe(1);

    await page.getByRole('button', { name: /^Outbox/ }).click();
    const mail = page.getByRole('article', { name: /account is ready/ });
    await expect.poll(() => mail.textContent(), SLOW).toContain('To cara.modal@example.test');
    const [passwordPage] = await Promise.all([page.waitForEvent('popup'), mail.getByRole('link', { name: /\/invitation\?token=/ }).click()]);
    await expect.poll(() => passwordPage.getByRole('heading', { name: 'Choose your password' }).isVisible(), SLOW).toBe(true);
    await passwordPage.close();
    await page.getByRole('button', { name: '# roster' }).click();
  });

  it('imports a CSV chosen in the file input: the dry run, then Apply edits its message with the progress and summary', async () => {
    await beAs('admin');
    await type('/users import');
    const modal = page.getByRole('dialog', { name: 'Import accounts' });
    await modal.getByLabel('Spreadsheet').setInputFiles({
      name: 'people.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('email,first name,last name\r\ndee.csv@example.test,Dee,Csv\r\neli.csv@example.test,Eli,Csv\r\n'),
    });
    await expect.poll(() => modal.textContent(), SLOW).toContain('1 file attached');
    await modal.getByRole('button', { name: 'Check the file' }).click();
    await expect.poll(() => modal.count(), SLOW).toBe(0);

    const dryRun = message('Dry run of people.csv');
    await expect.poll(() => dryRun.textContent(), SLOW).toContain('To create: 2');
    const ts = await dryRun.getAttribute('data-ts');
    await dryRun.getByRole('button', { name: 'Apply' }).click();
    await page.getByRole('alertdialog', { name: 'Import these accounts?' }).getByRole('button', { name: 'Apply' }).click();
    const same = page.locator(`article.message[data-ts="${ts}"]`);
    await expect.poll(() => same.textContent(), SLOW).toContain('2 created');
    expect((await account('eli.csv@example.test')).status).toBe('STAGED');
  });

  it('opens App Home with the counts Roster publishes', async () => {
    await beAs('admin');
    await page.getByRole('button', { name: 'Roster', exact: true }).click();
    const home = page.getByRole('region', { name: 'Home' });
    await expect.poll(() => home.textContent(), SLOW).toContain('Accounts by status');
    expect(await home.textContent()).toMatch(/1 suspended/i);
    await page.getByRole('button', { name: '# roster' }).click();
  });

  it('answers a viewer with a refusal, and someone without a grant too', async () => {
    const bo = await t.given.account({ firstName: 'Bo', lastName: 'Viewer', email: 'bo.viewer@example.test' });
    await beAs('viewer');
    await type(`/user lock ${bo.email}`);
    await expect.poll(() => message('Only visible to you').textContent(), SLOW).toContain('You are a viewer; locking an account needs an admin or above.');
    expect((await account(bo.email)).status).toBe('ACTIVE');

    await beAs('none');
    await type(`/user ${bo.email}`);
    await expect.poll(() => message('Only visible to you').textContent(), SLOW).toContain('You have no Roster role; looking up accounts needs a viewer.');
  });

  it("shows Slack's refusal of a message beyond Block Kit's limits where it would have been", async () => {
    const section = { type: 'section', text: { type: 'mrkdwn', text: 'one of too many' } };
    const response = await fetch(`${t.config.SLACK_API_URL}chat.postMessage`, {
      method: 'POST',
      headers: { authorization: `Bearer ${t.config.SLACK_BOT_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ channel: 'C0ROSTER', text: 'too big', blocks: Array.from({ length: 51 }, () => section) }),
    });
    expect(await response.json()).toEqual({ ok: false, error: 'invalid_blocks', errors: ['blocks: more than 50 items (51)'] });
    const notice = message("Slack refused the app's chat.postMessage");
    await expect.poll(() => notice.textContent(), SLOW).toContain('blocks: more than 50 items (51)');
    expect(await page.locator('article.message').filter({ hasText: 'one of too many' }).count()).toBe(0);
  });
});
