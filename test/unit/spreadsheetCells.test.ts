import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FORMULA_TRIGGERS, neutraliseFormula, recoverFormula } from '../../src/domain/spreadsheetCells.ts';

describe('formula neutralisation', () => {
  const text = fc.string({ unit: fc.oneof(fc.constantFrom(...FORMULA_TRIGGERS, "'", 'a', ' '), fc.string({ minLength: 1, maxLength: 1 })) });

  it('never lets a cell start with a trigger, and gives back the text it stood for', () => {
    fc.assert(
      fc.property(text, (s) => {
        const cell = neutraliseFormula(s);
        expect(FORMULA_TRIGGERS).not.toContain(cell[0]);
        expect(recoverFormula(cell)).toBe(s);
      }),
      { numRuns: 2000 },
    );
  });

  it('quotes only what needs it, so ordinary names are written as they are', () => {
    expect(['=1+1', '-Ana', "'=x", "''@y"].map(neutraliseFormula)).toEqual(["'=1+1", "'-Ana", "''=x", "'''@y"]);
    expect(['Ana', "O'Brien", "'quoted", 'a=b', ''].map(neutraliseFormula)).toEqual(['Ana', "O'Brien", "'quoted", 'a=b', '']);
    // A quote a person typed before ordinary text is theirs: reading it back keeps it.
    expect(recoverFormula("'quoted")).toBe("'quoted");
  });
});
