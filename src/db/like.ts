/** Escapes LIKE's wildcards in user input, so `50%_off` matches itself (the default escape character is a backslash). */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
