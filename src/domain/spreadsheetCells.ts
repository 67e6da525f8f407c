/**
 * Spreadsheet programs run a cell that begins with one of these as a formula (OWASP's CSV injection list): `=`, `+`,
 * `-`, `@`, tab, carriage return, line feed and NUL.
 */
export const FORMULA_TRIGGERS: readonly string[] = ['=', '+', '-', '@', '\t', '\r', '\n', '\0'];

const QUOTE = "'";

function needsQuote(text: string): boolean {
  let i = 0;
  // A text that already begins with quotes before a trigger gets one more, so that reading it back is exact.
  while (text[i] === QUOTE) i++;
  return i < text.length && FORMULA_TRIGGERS.includes(text[i]!);
}

/**
 * The cell to write for `text`: a single quote before a text a spreadsheet would run, the text itself otherwise. The
 * text is kept, so a name like "-Ana" or "=Sam" survives an export and comes back from an import.
 */
export function neutraliseFormula(text: string): string {
  return needsQuote(text) ? QUOTE + text : text;
}

/** The text a cell written by `neutraliseFormula` stood for; any other cell is returned as it is. */
export function recoverFormula(cell: string): string {
  return cell.startsWith(QUOTE) && needsQuote(cell.slice(1)) ? cell.slice(1) : cell;
}
