import { describe, expect, it } from 'vitest';
import type { TypedAction } from '../../src/actions/action.ts';
import { typedActions } from '../../src/actions/registry.ts';
import { usageBlocks } from '../../src/slack/blocks/usage.ts';
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
