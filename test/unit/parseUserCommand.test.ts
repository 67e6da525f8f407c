import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseUserCommand } from '../../src/slack/commands/parseUserCommand.ts';

describe('parseUserCommand', () => {
  it('returns a command or a usage answer for any text, and never throws', () => {
    const slackish = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 600 }),
      fc.string({ unit: 'binary', maxLength: 80 }),
      fc
        .array(fc.constantFrom('lookup', 'help', '"', '“', '”', '<@U123|bob>', '<mailto:a@b.c|a@b.c>', ' ', 'alice', '\n', '\u0000', '<@', '|', '>'), {
          maxLength: 20,
        })
        .map((parts) => parts.join('')),
    );
    fc.assert(
      fc.property(slackish, (text) => {
        const parsed = parseUserCommand(text);
        expect(['usage', 'lookup', 'lookup-mention']).toContain(parsed.kind);
        if (parsed.kind === 'lookup') expect(parsed.query.trim()).not.toBe('');
      }),
      { numRuns: 2000 },
    );
  });

  it.each([
    ['', { kind: 'usage' }],
    ['help', { kind: 'usage' }],
    ['alice@example.com', { kind: 'lookup', query: 'alice@example.com' }],
    ['<mailto:alice@example.com|alice@example.com>', { kind: 'lookup', query: 'alice@example.com' }],
    ['lookup lock', { kind: 'lookup', query: 'lock' }],
    ['"Mary Ann" Smith', { kind: 'lookup', query: 'Mary Ann Smith' }],
    ['<@U0ABC123|alice>', { kind: 'lookup-mention', slackUserId: 'U0ABC123' }],
    ['O&amp;Brien', { kind: 'lookup', query: 'O&Brien' }],
  ])('reads %j', (text, expected) => {
    expect(parseUserCommand(text)).toEqual(expected);
  });

  it('names the problem in text it cannot read', () => {
    expect(parseUserCommand('"Mary Ann')).toMatchObject({ kind: 'usage', problem: expect.stringContaining('quotation mark') });
    expect(parseUserCommand('x'.repeat(501))).toMatchObject({ kind: 'usage', problem: expect.stringContaining('at most 500') });
    expect(parseUserCommand('lookup')).toMatchObject({ kind: 'usage', problem: expect.stringContaining('whose account') });
  });
});
