import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { filterSql } from '../../src/db/scimUsers.ts';
import { groupFilterSql } from '../../src/db/scimGroups.ts';
import { parseGroupFilter, parseUserFilter, parseUserPath, ScimError, ScimFilterError } from '../../src/domain/scimFilter.ts';
import { applyGroupPatch } from '../../src/domain/scimGroup.ts';
import { applyPatch, type ScimUserFields } from '../../src/domain/scimUser.ts';

/** Pieces a filter is made of, so that generated strings often come close to parsing (and sometimes do). */
const piece = fc.constantFrom(
  'userName',
  'name.familyName',
  'emails',
  '[',
  ']',
  '.value',
  'type',
  'meta.created',
  'active',
  'externalId',
  'eq',
  'NE',
  'co',
  'sw',
  'ew',
  'pr',
  'gt',
  'le',
  'and',
  'OR',
  'not',
  '(',
  ')',
  '"work"',
  '"2026-01-01T00:00:00Z"',
  'true',
  '"a\\"b"',
  '"\\u00e9"',
  '"\\x"',
  '"',
  '\\',
  ' ',
);

function parsesOrRefuses(text: string): void {
  try {
    parseUserFilter(text);
  } catch (error) {
    if (!(error instanceof ScimFilterError)) throw error;
    expect(error.scimType).toBe('invalidFilter');
    expect(error.message).toMatch(/\w.*\./);
  }
}

describe('parseUserFilter', () => {
  it('any string parses or is refused as invalidFilter with a sentence, never another error', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), parsesOrRefuses), { numRuns: 2000 });
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), (pieces) => parsesOrRefuses(pieces.join(' '))),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), (pieces) => parsesOrRefuses(pieces.join(''))),
      { numRuns: 1000 },
    );
  });

  it('refuses nesting deeper than it allows instead of running out of stack', () => {
    expect(() => parseUserFilter(`${'not ('.repeat(500)}active eq true${')'.repeat(500)}`)).toThrow(ScimFilterError);
    expect(() => parseUserFilter('('.repeat(3000))).toThrow(ScimFilterError);
  });

  it('binds and tighter than or, and reads attribute names and operators in any case', () => {
    expect(parseUserFilter('USERNAME EQ "a" or userName eq "b" AND active eq TRUE')).toEqual({
      kind: 'or',
      left: { kind: 'compare', attribute: 'userName', op: 'eq', value: 'a' },
      right: {
        kind: 'and',
        left: { kind: 'compare', attribute: 'userName', op: 'eq', value: 'b' },
        right: { kind: 'compare', attribute: 'active', op: 'eq', value: true },
      },
    });
  });

  it('reads a value path with a sub-attribute as both conditions', () => {
    expect(parseUserFilter('emails[type eq "work"].value ew "@example.com"')).toEqual({
      kind: 'and',
      left: { kind: 'compare', attribute: 'emailType', op: 'eq', value: 'work' },
      right: { kind: 'compare', attribute: 'email', op: 'ew', value: '@example.com' },
    });
  });

  it('puts every value in a parameter, never in the SQL text', () => {
    const value = `x'); drop table account; --`;
    const { sql, params } = filterSql(parseUserFilter(`userName eq "${value}" or not (name.familyName co "${value}")`));
    expect(sql).not.toContain('drop');
    expect(params).toEqual([value.toLowerCase(), `%${value.toLowerCase()}%`]);
    expect(sql.split('?')).toHaveLength(params.length + 1);
  });
});

describe('applyPatch', () => {
  const user: ScimUserFields = { userName: 'sam', givenName: 'Sam', familyName: 'Scim', email: 'sam@example.test', active: true, externalId: null };

  it('reads paths like the filters do', () => {
    expect(parseUserPath('emails[type eq "work"].value')).toMatchObject({ attribute: 'email' });
    expect(parseUserPath('Name.GivenName')).toEqual({ attribute: 'givenName' });
  });

  it('applies operations in order, each op in any case', () => {
    expect(
      applyPatch(user, [
        { op: 'Add', path: 'externalId', value: 'x1' },
        { op: 'REPLACE', value: { name: { familyName: 'Other' }, active: 'false' } },
        { op: 'remove', path: 'externalId' },
      ]),
    ).toEqual({ ...user, familyName: 'Other', active: false, externalId: null });
  });

  it('refuses a required attribute removed, and a value that is not one', () => {
    expect(() => applyPatch(user, [{ op: 'remove', path: 'userName' }])).toThrow(expect.objectContaining({ scimType: 'invalidValue' }));
    expect(() => applyPatch(user, [{ op: 'replace', path: 'active', value: 'maybe' }])).toThrow(expect.objectContaining({ scimType: 'invalidValue' }));
  });
});

const groupPiece = fc.constantFrom(
  'displayName',
  'members',
  '[',
  ']',
  'value',
  '.display',
  'externalId',
  'meta.created',
  'eq',
  'co',
  'pr',
  'gt',
  'and',
  'or',
  'not',
  '(',
  ')',
  '"x"',
  '"2026-01-01"',
  ' ',
);

describe('parseGroupFilter', () => {
  it('any string parses or is refused as invalidFilter, never another error', () => {
    const parsesOrRefusesGroup = (text: string) => {
      try {
        parseGroupFilter(text);
      } catch (error) {
        if (!(error instanceof ScimFilterError)) throw error;
      }
    };
    fc.assert(fc.property(fc.string({ maxLength: 200 }), parsesOrRefusesGroup), { numRuns: 1000 });
    fc.assert(
      fc.property(fc.array(groupPiece, { maxLength: 30 }), (pieces) => parsesOrRefusesGroup(pieces.join(' '))),
      { numRuns: 2000 },
    );
  });

  it('reads members[value eq ...] as a condition on the members, its value a parameter', () => {
    const filter = parseGroupFilter('Members[Value eq "a1"] and displayName sw "Eng"');
    expect(filter).toEqual({
      kind: 'and',
      left: { kind: 'compare', attribute: 'memberValue', op: 'eq', value: 'a1' },
      right: { kind: 'compare', attribute: 'displayName', op: 'sw', value: 'Eng' },
    });
    const { sql, params } = groupFilterSql(filter);
    expect(sql).toMatch(
      /^\(exists \(select 1 from membership m join account ma .* and \(cast\(m.account_id as text\) = \?\)\) and \(lower\(g.name\) like \?\)\)$/,
    );
    expect(params).toEqual(['a1', 'eng%']);
    expect(() => parseGroupFilter('userName eq "a"')).toThrow(ScimFilterError);
    expect(() => parseGroupFilter('members gt "a"')).toThrow(ScimFilterError);
  });
});

describe('applyGroupPatch', () => {
  const group = {
    displayName: 'Eng',
    externalId: null,
    members: [
      { value: 'aaa', display: 'Ann Archer' },
      { value: 'bbb', display: 'Bob Baker' },
    ],
  };

  it('adds each member once, removes by filter on value or display, and replaces the whole list', () => {
    expect(applyGroupPatch(group, [{ op: 'Add', path: 'members', value: [{ value: 'BBB' }, { value: 'ccc' }] }]).members).toEqual(['aaa', 'bbb', 'ccc']);
    expect(applyGroupPatch(group, [{ op: 'remove', path: 'members[value eq "aaa"]' }]).members).toEqual(['bbb']);
    expect(applyGroupPatch(group, [{ op: 'remove', path: 'members[display sw "bob"]' }]).members).toEqual(['aaa']);
    expect(applyGroupPatch(group, [{ op: 'remove', path: 'members[value eq "zzz"]' }]).members).toEqual(['aaa', 'bbb']);
    expect(applyGroupPatch(group, [{ op: 'Remove', path: 'members', value: [{ value: 'bbb' }] }]).members).toEqual(['aaa']);
    expect(applyGroupPatch(group, [{ op: 'remove', path: 'members' }]).members).toEqual([]);
    expect(applyGroupPatch(group, [{ op: 'replace', path: 'members', value: [{ value: 'ccc' }] }]).members).toEqual(['ccc']);
    expect(applyGroupPatch(group, [{ op: 'replace', value: { id: 'ignored', displayName: 'Eng 2', members: [] } }])).toEqual({
      displayName: 'Eng 2',
      externalId: null,
      members: [],
    });
  });

  it('refuses what a group cannot take with the scimType a client acts on', () => {
    const refusal = (operation: { op: string; path?: string; value?: unknown }) => {
      try {
        applyGroupPatch(group, [operation]);
      } catch (error) {
        if (error instanceof ScimError) return error.scimType;
        throw error;
      }
      return 'applied';
    };
    expect(refusal({ op: 'remove' })).toBe('noTarget');
    expect(refusal({ op: 'remove', path: 'displayName' })).toBe('invalidValue');
    expect(refusal({ op: 'add', path: 'members', value: [{ display: 'no value' }] })).toBe('invalidValue');
    expect(refusal({ op: 'add', path: 'members[', value: [] })).toBe('invalidPath');
    expect(refusal({ op: 'replace', path: 'meta.created', value: 'x' })).toBe('mutability');
    expect(refusal({ op: 'copy', path: 'members' })).toBe('invalidSyntax');
  });
});
