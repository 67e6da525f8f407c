export type RefusalCode = 'forbidden' | 'invalid-state' | 'conflict' | 'not-found' | 'invalid-input';

/** A refusal every surface knows how to show: `userMessage` is a sentence meant for the person who asked. */
export class RefusedError extends Error {
  readonly userMessage: string;
  readonly code: RefusalCode;

  constructor(userMessage: string, code: RefusalCode) {
    super(userMessage);
    this.name = 'RefusedError';
    this.userMessage = userMessage;
    this.code = code;
  }
}

/**
 * A refusal about one input field (an email someone else has, an organisation the caller may not move to), so a
 * form can show the sentence under that field; every other surface shows it like any refusal.
 */
export class FieldRefusedError extends RefusedError {
  /** The action's input field, e.g. `email`. */
  readonly field: string;

  constructor(userMessage: string, code: RefusalCode, field: string) {
    super(userMessage, code);
    this.name = 'FieldRefusedError';
    this.field = field;
  }
}
