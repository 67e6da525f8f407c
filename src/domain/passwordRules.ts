import { dictionary } from '@zxcvbn-ts/language-common';

/** The shortest password anyone may choose: length is what makes a password hard to guess. */
export const MIN_PASSWORD_LENGTH = 12;

/** Longer than any password a person types or a manager generates; argon2 would hash a megabyte just as patiently. */
export const MAX_PASSWORD_LENGTH = 256;

// The zxcvbn project's list of the passwords most often found in breaches (about 49,000, most frequent first),
// folded to lower case, so that "Qwerty123456" counts as the "qwerty123456" it is.
const COMMON_PASSWORDS: ReadonlySet<string> = new Set(dictionary['passwords-common'].map((password) => password.toLowerCase()));

/** The rules as the set-password page lists them, in the order they are checked. */
export const PASSWORD_RULES: readonly string[] = [
  `At least ${MIN_PASSWORD_LENGTH} characters; a few unrelated words make a good one.`,
  'Not your email address, username or name.',
  'Not one of the passwords most often found in data breaches.',
];

export interface PasswordOwner {
  email: string;
  username: string;
  firstName: string;
  lastName: string;
}

/**
 * Why this password may not be chosen by this owner, as a sentence for the page, or undefined when it may. The
 * sentence never repeats the password.
 */
export function passwordProblem(password: string, owner: PasswordOwner): string | undefined {
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) return `That password has ${length} characters; choose one of at least ${MIN_PASSWORD_LENGTH}.`;
  if (length > MAX_PASSWORD_LENGTH) return `That password has ${length} characters; choose one of at most ${MAX_PASSWORD_LENGTH}.`;
  const folded = fold(password);
  const email = fold(owner.email);
  const mailbox = email.split('@')[0] ?? '';
  const names = [email, mailbox, fold(owner.username), fold(owner.firstName), fold(owner.lastName), fold(`${owner.firstName}${owner.lastName}`)];
  if (names.some((name) => name.length > 0 && folded === name))
    return 'That password is your email address, username or name; choose one nobody could guess from your account.';
  if (COMMON_PASSWORDS.has(password.toLowerCase()) || COMMON_PASSWORDS.has(folded))
    return 'That password is one of the most common ones, which attackers try first; choose another.';
  return undefined;
}

// Case, spaces and punctuation do not make "Alice Liddell" a different password from "aliceliddell".
function fold(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s._-]+/g, '');
}
