import { createHash } from 'node:crypto';
import escapeHtml from 'escape-html';
import { PASSWORD_RULES } from '../domain/passwordRules.ts';
import type { MailTemplate } from '../domain/tokens.ts';

/** The one stylesheet, inline so the pages need no second request; the CSP names it by this hash. */
const STYLE = `
body { font: 1rem/1.5 system-ui, sans-serif; color: #1d1d1f; background: #f4f4f6; margin: 0; }
main { max-width: 32rem; margin: 2rem auto; padding: 1.5rem 2rem 2rem; background: #fff; border-radius: 8px; box-shadow: 0 1px 4px rgb(0 0 0 / 12%); }
h1 { font-size: 1.5rem; margin: 0 0 1rem; }
label { display: block; font-weight: 600; margin: 1rem 0 0.25rem; }
input[type=password], input[type=text], input[type=email] { box-sizing: border-box; width: 100%; font: inherit; padding: 0.5rem; border: 1px solid #8a8a8e; border-radius: 4px; }
input[readonly] { background: #f4f4f6; }
input:focus, button:focus { outline: 3px solid #2b6cb0; outline-offset: 1px; }
input[aria-invalid=true] { border: 2px solid #b00020; }
button { margin-top: 1.5rem; font: inherit; font-weight: 600; padding: 0.6rem 1.2rem; color: #fff; background: #2b6cb0; border: 0; border-radius: 4px; cursor: pointer; }
.rules-intro { margin: 1.25rem 0 0; }
.rules { margin: 0.25rem 0 0; padding-left: 1.25rem; color: #3a3a3c; }
.error { margin: 0.5rem 0 0; padding: 0.5rem 0.75rem; color: #b00020; background: #fdecee; border-left: 4px solid #b00020; }
.secret { display: block; width: fit-content; margin: 0.25rem 0 0.5rem; font: 1.1rem/1.6 ui-monospace, monospace; letter-spacing: 0.05em; word-spacing: 0.3em; background: #f4f4f6; padding: 0.25rem 0.5rem; }
.qr { display: block; width: 12rem; height: 12rem; margin: 0.5rem 0; image-rendering: pixelated; }
`;

export const STYLE_HASH = `sha256-${createHash('sha256').update(STYLE, 'utf8').digest('base64')}`;

const html = (text: string | number) => escapeHtml(String(text));

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${html(title)} · Roster</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>${html(title)}</h1>
${body}
</main>
</body>
</html>
`;
}

/** The path each link's form posts back to, relative so that a proxy's path prefix (in ROSTER_PUBLIC_URL) stays. */
export const FORM_PATHS: { readonly [T in MailTemplate]: string } = { invitation: 'invitation', 'password-reset': 'reset-password' };
export const ENROLMENT_PATH = 'mfa-enrolment';

export interface AccountGreeting {
  firstName: string;
  email: string;
  username: string;
  organisationName: string;
}

export interface FieldError {
  field: string;
  message: string;
}

/** An error under its field, tied to it for screen readers (aria-describedby) and announced when the page loads. */
function errorFor(field: string, error: FieldError | undefined): string {
  return error?.field === field ? `<p class="error" id="${field}-error" role="alert">${html(error.message)}</p>` : '';
}

function invalid(field: string, error: FieldError | undefined, describedBy: string[] = []): string {
  const ids = error?.field === field ? [...describedBy, `${field}-error`] : describedBy;
  return `${ids.length ? ` aria-describedby="${ids.join(' ')}"` : ''}${error?.field === field ? ' aria-invalid="true"' : ''}`;
}

const hidden = (name: string, value: string) => `<input type="hidden" name="${name}" value="${html(value)}">`;

/** The set-password form: the account, the rules, two password fields; the link's token rides in the form body. */
export function passwordForm(purpose: MailTemplate, account: AccountGreeting, hiddenFields: { token: string; csrf: string }, error?: FieldError): string {
  const title = purpose === 'invitation' ? 'Choose your password' : 'Choose a new password';
  const intro =
    purpose === 'invitation'
      ? `Hello ${html(account.firstName)}, welcome to ${html(account.organisationName)}. Choose the password you will sign in with.`
      : `Hello ${html(account.firstName)}, choose a new password for your ${html(account.organisationName)} account.`;
  return page(
    title,
    `<p>${intro}</p>
<form method="post" action="${FORM_PATHS[purpose]}">
${hidden('token', hiddenFields.token)}
${hidden('csrf', hiddenFields.csrf)}
<label for="username">Your account</label>
<input id="username" name="username" type="text" autocomplete="username" value="${html(account.username)}" readonly>
<p class="rules-intro" id="rules-intro">Your password must be:</p>
<ul class="rules" id="password-rules" aria-labelledby="rules-intro">
${PASSWORD_RULES.map((rule) => `<li>${html(rule)}</li>`).join('\n')}
</ul>
<label for="password">New password</label>
<input id="password" name="password" type="password" autocomplete="new-password" required${invalid('password', error, ['password-rules'])}>
${errorFor('password', error)}
<label for="repeat">Type it again</label>
<input id="repeat" name="repeat" type="password" autocomplete="new-password" required${invalid('repeat', error)}>
${errorFor('repeat', error)}
<button type="submit">Set password</button>
</form>`,
  );
}

/** The two-step verification step: the QR code, the same secret to type, and the code that confirms it. */
export function enrolmentForm(
  account: AccountGreeting,
  enrolment: { qrDataUrl: string; secret: string },
  hiddenFields: { ticket: string; csrf: string },
  error?: FieldError,
): string {
  const grouped = enrolment.secret.match(/.{1,4}/g)!.join(' ');
  return page(
    'Set up two-step verification',
    `<p>Your password is set. ${html(account.organisationName)} also asks for a code from an authenticator app each time you sign in.</p>
<ol>
<li>Open your authenticator app and add an account by scanning this code:
<img class="qr" src="${enrolment.qrDataUrl}" alt="QR code that adds your ${html(account.organisationName)} account to an authenticator app; the key below holds the same."></li>
<li>Or type this key into the app: <span class="secret" id="totp-secret">${html(grouped)}</span></li>
<li>Type the 6-digit code the app shows.</li>
</ol>
<form method="post" action="${ENROLMENT_PATH}">
${hidden('ticket', hiddenFields.ticket)}
${hidden('secret', enrolment.secret)}
${hidden('csrf', hiddenFields.csrf)}
<label for="code">Code from the app</label>
<input id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" required${invalid('code', error)}>
${errorFor('code', error)}
<button type="submit">Confirm</button>
</form>`,
  );
}

/** The end of the flow. */
export function donePage(account: AccountGreeting, withMfa: boolean): string {
  const how = withMfa ? 'your new password and a code from your authenticator app' : 'your new password';
  return page(
    'You are all set',
    `<p>You can now sign in to ${html(account.organisationName)} as <strong>${html(account.username)}</strong> with ${how}.</p>
<p>You can close this page.</p>`,
  );
}

/** A page that only says something: a refused link, a form that could not be checked, a failure on our side. */
export function messagePage(title: string, sentence: string): string {
  return page(title, `<p role="alert">${html(sentence)}</p>`);
}
