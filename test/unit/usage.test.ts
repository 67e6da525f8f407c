import { describe, expect, it } from 'vitest';
import type { TypedAction } from '../../src/actions/action.ts';
import { commandInput, commandUsage } from '../../src/actions/commandArgs.ts';
import { typedActions } from '../../src/actions/registry.ts';
import { mrkdwnSentence } from '../../src/slack/blocks/text.ts';
import { sentenceBlocks, usageBlocks } from '../../src/slack/blocks/usage.ts';
import { blockKitErrors } from '../support/fakeSlack.ts';

const typed = typedActions;

describe('/user help', () => {
  it('lists every typed action with its arguments, within Block Kit limits', () => {
    const blocks = usageBlocks(typed, 'A quotation mark is not closed.');
    const text = JSON.stringify(blocks);
    for (const action of typed) expect(text).toContain(`/user ${action.name} `);
    expect(blockKitErrors('message', { blocks })).toEqual([]);
  });

  it('spreads a long usage over several sections instead of cutting it', () => {
    const many = Array.from({ length: 120 }, (_, i) => ({ ...typed[0]!, name: `action-number-${i}` }) as TypedAction);
    const blocks = usageBlocks(many);
    expect(blocks.length).toBeGreaterThan(2);
    expect(JSON.stringify(blocks)).toContain('/user action-number-119 ');
    expect(JSON.stringify(blocks)).not.toContain('…');
    expect(blockKitErrors('message', { blocks })).toEqual([]);
  });
});

describe('placeholders in mrkdwn', () => {
  it('escapes `<who>` and `<text>`, which Slack would read as links, and keeps mentions, dates and links', () => {
    expect(mrkdwnSentence('Only <@U0ABC>, in <#C0DEF>, since <!date^1764806400^{date}|4 Dec>: see <https://x.test/a|docs>; lock <who> [--reason <text>]')).toBe(
      'Only <@U0ABC>, in <#C0DEF>, since <!date^1764806400^{date}|4 Dec>: see <https://x.test/a|docs>; lock &lt;who&gt; [--reason &lt;text&gt;]',
    );
    const blocks = JSON.stringify([...usageBlocks(typed, 'lock needs <account>.'), ...sentenceBlocks('Usage: role <who> <user|manager|administrator>')]);
    expect(blocks).not.toMatch(/<(who|account|text|user\|manager)/);
    expect(blocks).toContain('lock needs &lt;account&gt;.');
    expect(blocks).toContain('`/user lock &lt;who&gt;');
    expect(mrkdwnSentence('/user grant <@someone> <viewer|admin>')).toBe('/user grant &lt;@someone&gt; &lt;viewer|admin&gt;');
  });

  it('says how to quote a value with spaces when a word is left over', () => {
    const username = typed.find((action) => action.name === 'username')!;
    expect(() => commandInput('username', username.command, ['alice@example.test', "'bad", "name'"])).toThrow(
      'Unexpected “name\'”; put text with spaces in double quotes ("like this"). Usage: username <who> <new-username> [--reason <text>]',
    );
  });

  it('names each option once in an action’s usage', () => {
    for (const action of typed) {
      const options = commandUsage(action.command).match(/--[a-z-]+/g) ?? [];
      expect(options, action.name).toEqual([...new Set(options)]);
    }
  });
});
