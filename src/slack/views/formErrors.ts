import type { z } from 'zod';
import { FieldRefusedError, type RefusedError } from '../../domain/errors.ts';

export type FieldErrors = Record<string, string>;

/**
 * A refusal as messages under the modal's fields (block_id -> message, for `response_action: 'errors'`), or null when
 * it is not about a field of this form. Input problems are read again from the action's own schema, so the form shows
 * exactly the rules the action applies, each under its field.
 */
export function fieldErrors(error: RefusedError, schema: z.ZodType, rawInput: unknown, blocks: Readonly<Record<string, string>>): FieldErrors | null {
  if (error instanceof FieldRefusedError && blocks[error.field]) return { [blocks[error.field]!]: asFieldMessage(error.userMessage) };
  if (error.code !== 'invalid-input') return null;
  const parsed = schema.safeParse(rawInput);
  if (parsed.success) return null;
  const errors: FieldErrors = {};
  for (const issue of parsed.error.issues) {
    const block = blocks[String(issue.path[0])];
    if (block && !errors[block]) errors[block] = asFieldMessage(issue.message.charAt(0).toUpperCase() + issue.message.slice(1));
  }
  return Object.keys(errors).length ? errors : null;
}

/** A message under a field is short; a long one (a list of groups) is cut, never refused. */
export function asFieldMessage(sentence: string): string {
  return sentence.length > 500 ? `${sentence.slice(0, 499)}…` : sentence;
}
