// The local console's Web API answers the app as Slack does, refusals included, and shows each refusal where the
// message would have been: no server, just the workspace the console keeps.
import { describe, expect, it, vi } from 'vitest';
import { IDENTITIES } from '../../src/console/identities.ts';
import { HOME_CHANNEL, Workspace } from '../../src/console/workspace.ts';

const TOKEN = 'xoxb-local-test';
const admin = IDENTITIES.admin.userId;
const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });
const modal = (blocks: unknown[]) => ({ type: 'modal', title: { type: 'plain_text', text: 'Form' }, blocks });

function workspace() {
  const ws = new Workspace('http://127.0.0.1:1', TOKEN);
  return { ws, call: (method: string, args: Record<string, unknown>) => ws.call(method, args, TOKEN).body };
}

const noticesIn = (ws: Workspace, channel: string) => ws.messages.filter((m) => m.channel === channel && m.notice).map((m) => m.notice);

describe("the console's Web API", () => {
  it('refuses a message of more than 50 blocks, a section text over 3,000 characters and a text over 40,000, and says so in the channel', () => {
    const { ws, call } = workspace();
    const tooMany = call('chat.postMessage', { channel: HOME_CHANNEL.id, text: 'x', blocks: Array.from({ length: 51 }, () => section('hi')) });
    expect(tooMany).toEqual({ ok: false, error: 'invalid_blocks', errors: ['blocks: more than 50 items (51)'] });
    const tooLong = call('chat.postMessage', { channel: HOME_CHANNEL.id, text: 'x', blocks: [section('a'.repeat(3001))] });
    expect(tooLong).toMatchObject({ ok: false, error: 'invalid_blocks', errors: ['blocks[0].text.text: longer than 3000'] });
    expect(call('chat.postMessage', { channel: HOME_CHANNEL.id, text: 'a'.repeat(40_001) })).toEqual({ ok: false, error: 'msg_too_long' });

    expect(ws.messages.filter((m) => !m.notice)).toEqual([]);
    expect(noticesIn(ws, HOME_CHANNEL.id)).toEqual([
      { title: "Slack refused the app's chat.postMessage: invalid_blocks", details: ['blocks: more than 50 items (51)'] },
      { title: "Slack refused the app's chat.postMessage: invalid_blocks", details: ['blocks[0].text.text: longer than 3000'] },
      { title: "Slack refused the app's chat.postMessage: msg_too_long", details: [] },
    ]);
  });

  it('takes 50 blocks, and edits a message in place with chat.update under the same limits', () => {
    const { ws, call } = workspace();
    const posted = call('chat.postMessage', { channel: HOME_CHANNEL.id, text: 'x', blocks: Array.from({ length: 50 }, () => section('hi')) });
    expect(posted).toMatchObject({ ok: true, channel: HOME_CHANNEL.id });
    expect(call('chat.update', { channel: HOME_CHANNEL.id, ts: posted.ts, text: 'y', blocks: [section('b'.repeat(3001))] })).toMatchObject({
      error: 'invalid_blocks',
    });
    expect(call('chat.update', { channel: HOME_CHANNEL.id, ts: posted.ts, text: 'y', blocks: [section('edited')] })).toMatchObject({ ok: true });
    expect(ws.messages.filter((m) => !m.notice)).toMatchObject([{ ts: posted.ts, text: 'y', edited: true, blocks: [{ text: { text: 'edited' } }] }]);
  });

  it('refuses a modal of more than 100 blocks or with a title over 24 characters, and a trigger_id used twice or too late', () => {
    const { ws, call } = workspace();
    const trigger = ws.issueTrigger(admin);
    expect(call('views.open', { trigger_id: trigger, view: modal(Array.from({ length: 101 }, () => section('hi'))) })).toMatchObject({
      error: 'invalid_blocks',
      errors: ['blocks: more than 100 items (101)'],
    });
    expect(call('views.open', { trigger_id: trigger, view: modal([section('hi')]) })).toEqual({ ok: false, error: 'invalid_trigger_id' });
    expect(
      call('views.open', {
        trigger_id: ws.issueTrigger(admin),
        view: { ...modal([section('hi')]), title: { type: 'plain_text', text: 'A title far too long for Slack' } },
      }),
    ).toMatchObject({ error: 'invalid_blocks', errors: ['title.text: longer than 24'] });

    const late = ws.issueTrigger(admin);
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + 3001);
      expect(call('views.open', { trigger_id: late, view: modal([section('hi')]) })).toEqual({ ok: false, error: 'expired_trigger_id' });
    } finally {
      vi.useRealTimers();
    }
    expect(ws.topView(admin)).toBeUndefined();
  });

  it('answers a response_url five times, then no more, as Slack does', () => {
    const { ws } = workspace();
    const url = ws.issueResponseUrl({ user: admin, channel: HOME_CHANNEL.id });
    const id = url.slice(url.lastIndexOf('/') + 1);
    for (let i = 0; i < 5; i++) expect(ws.respond(id, { text: `answer ${i}` })).toMatchObject({ status: 200, body: { ok: true } });
    expect(ws.respond(id, { text: 'one too many' })).toMatchObject({ status: 404, body: { error: 'used_url' } });
    expect(ws.messages.map((m) => [m.text, m.visibleTo])).toEqual([0, 1, 2, 3, 4].map((i) => [`answer ${i}`, admin]));
  });

  it('refuses a call without the bot token', () => {
    const { ws } = workspace();
    expect(ws.call('auth.test', {}, undefined).body).toEqual({ ok: false, error: 'not_authed' });
    expect(ws.call('auth.test', {}, 'xoxb-someone-else').body).toEqual({ ok: false, error: 'invalid_auth' });
    expect(ws.call('auth.test', {}, TOKEN).body).toMatchObject({ ok: true, user_id: 'U0ROSTERBOT', bot_id: 'B0ROSTER' });
  });
});
