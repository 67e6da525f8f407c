import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type AccountFilter,
  accountFilterText,
  describeAccountFilter,
  EMPTY_FILTER,
  filterTextFromWords,
  parseAccountFilter,
  SORT_FIELDS,
} from '../../src/domain/accountFilter.ts';
import { ACCOUNT_ROLES } from '../../src/domain/accounts.ts';
import { ACCOUNT_STATUSES } from '../../src/domain/statuses.ts';

function parsed(text: string): AccountFilter {
  const result = parseAccountFilter(text);
  if (!result.ok) throw new Error(`expected "${text}" to parse, got: ${result.problem}`);
  return result.filter;
}

function problem(text: string): string {
  const result = parseAccountFilter(text);
  if (result.ok) throw new Error(`expected "${text}" to be refused, got ${JSON.stringify(result.filter)}`);
  return result.problem;
}

describe('parseAccountFilter', () => {
  it('reads no words as the default list: every status but deactivated, by last name', () => {
    expect(parsed('')).toEqual(EMPTY_FILTER);
    expect(describeAccountFilter(parsed(''))).toBe('Every status but deactivated, sorted by last name, A to Z');
  });

  it('reads every key, with comma lists, repeats, quotes and the free text around them', () => {
    const filter = parsed(
      'ali status:locked-out,suspended Status:ACTIVE group:"Field Crew" group:FCN-2 role:manager org:Acme inactive>:90 sort:-last-sign-in li',
    );
    expect(filter).toEqual({
      statuses: ['ACTIVE', 'LOCKED_OUT', 'SUSPENDED'],
      groups: ['Field Crew', 'FCN-2'],
      roles: ['manager'],
      organisations: ['acme'],
      inactiveDays: 90,
      sort: { field: 'last-sign-in', direction: 'desc' },
      text: 'ali li',
    });
    expect(describeAccountFilter(filter)).toBe(
      'Status active, locked-out or suspended, in group “Field Crew” or “FCN-2”, role manager, in organisation acme, no sign-in for more than 90 days, name, username or email starting with “ali li”, sorted by last sign-in, newest first',
    );
  });

  it('takes the words other consoles use for statuses (seed words) and curly quotes as Slack sends them', () => {
    expect(parsed('status:banned,validated,denied,password_expired').statuses).toEqual(['ACTIVE', 'PASSWORD_EXPIRED', 'LOCKED_OUT', 'DEACTIVATED']);
    expect(parsed('group:“Field Crew North”').groups).toEqual(['Field Crew North']);
    expect(parsed('"mary ann" sort:first').text).toBe('mary ann');
  });

  it('answers a misspelt key with the closest key and every filter there is', () => {
    const text = problem('stauts:active');
    expect(text).toContain('“stauts:” is not a filter; did you mean `status:`?');
    for (const key of ['status:', 'group:', 'role:', 'org:', 'inactive>:', 'sort:']) expect(text).toContain(`\`${key}\``);
    expect(problem('inactive:30')).toContain('`inactive>:<days>`');
  });

  it('answers an unknown value with the closest value and every value that key takes', () => {
    const text = problem('status:actve');
    expect(text).toContain('`status:` has no value “actve”; did you mean `active`?');
    expect(text).toContain('`locked-out`');
    expect(text).toContain('`deactivated`');
    expect(problem('role:admin')).toContain('`user`, `manager`, `administrator`');
    expect(problem('sort:-last-signin')).toContain('did you mean `last-sign-in`?');
    expect(problem('inactive>:soon')).toContain('`inactive>:90`');
    expect(problem('group:')).toContain('`group:"Field Crew"`');
    expect(problem('group:"Field Crew')).toContain('quotation mark is not closed');
  });

  it('never throws; every refusal is a sentence naming what is allowed', () => {
    const keyish = fc.constantFrom('status', 'stauts', 'group', 'role', 'org', 'inactive>', 'inactive', 'sort', 'sotr', '', 'x');
    const valueish = fc.oneof(
      fc.constantFrom('active', 'actve', 'locked-out', 'manager', 'admin', '-email', 'email', '90', '-1', 'abc', '"Field Crew"', '“x', '', ','),
      fc.string({ maxLength: 12 }),
    );
    const word = fc.oneof(
      fc.tuple(keyish, valueish).map(([k, v]) => `${k}:${v}`),
      fc.string({ unit: 'grapheme', maxLength: 15 }),
      fc.constantFrom('"', '“', '”', ':', 'ali', ' '),
    );
    const text = fc.oneof(
      fc.array(word, { maxLength: 8 }).map((words) => words.join(' ')),
      fc.string({ unit: 'binary', maxLength: 1200 }),
    );
    fc.assert(
      fc.property(text, (input) => {
        const result = parseAccountFilter(input);
        if (!result.ok) expect(result.problem).toMatch(/`[^`]+`.*\.$/s);
      }),
      { numRuns: 3000 },
    );
  });

  it('writes any filter back as text that reads as the same filter', () => {
    const name = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 ,.'-]{0,20}[A-Za-z0-9]$/);
    const filter: fc.Arbitrary<AccountFilter> = fc.record({
      statuses: fc.subarray([...ACCOUNT_STATUSES]),
      groups: fc.uniqueArray(name, { maxLength: 3 }),
      roles: fc.subarray([...ACCOUNT_ROLES]),
      organisations: fc.uniqueArray(fc.stringMatching(/^[a-z0-9-]{1,12}$/), { maxLength: 3 }).map((slugs) => [...slugs].sort()),
      inactiveDays: fc.option(fc.integer({ min: 0, max: 36_500 })),
      sort: fc.record({ field: fc.constantFrom(...SORT_FIELDS), direction: fc.constantFrom('asc' as const, 'desc' as const) }),
      text: fc.array(fc.stringMatching(/^[a-z0-9@.:_-]{1,10}$/), { maxLength: 3 }).map((words) => words.join(' ')),
    });
    fc.assert(
      fc.property(filter, (f) => {
        expect(parsed(accountFilterText(f))).toEqual(f);
      }),
      { numRuns: 1000 },
    );
  });

  it('writes whatever it read back as text that reads the same, so a button can carry any filter typed', () => {
    const word = fc.oneof(
      fc.constantFrom('status:active,banned', 'group:"Field Crew"', 'group:“a "b"”', 'org:Acme,beta', 'sort:-email', 'inactive>:7', '"x:y"', 'ali'),
      fc.string({ unit: 'grapheme', maxLength: 12 }),
      fc.tuple(fc.constantFrom('group:', 'org:', ''), fc.string({ maxLength: 10 })).map(([k, v]) => `${k}"${v.replace(/"/g, '')}"`),
    );
    fc.assert(
      fc.property(fc.array(word, { maxLength: 6 }), (words) => {
        const first = parseAccountFilter(words.join(' '));
        if (first.ok) expect(parsed(accountFilterText(first.filter))).toEqual(first.filter);
      }),
      { numRuns: 3000 },
    );
  });

  it('keeps a shell argument with spaces together', () => {
    expect(parsed(filterTextFromWords(['group:Field Crew North', 'Mary Ann', 'status:active']))).toMatchObject({
      groups: ['Field Crew North'],
      text: 'Mary Ann',
      statuses: ['ACTIVE'],
    });
  });
});
