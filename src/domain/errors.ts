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
