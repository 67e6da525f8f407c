import type { MailTemplate } from '../domain/tokens.ts';

export interface MailContent {
  subject: string;
  text: string;
}

export interface MailFacts {
  firstName: string;
  username: string;
  organisationName: string;
  /** The single-use link, or a note saying why it is left out (mail written to the log). */
  link: string;
  /** How long the link works, e.g. 7 days. */
  validForMs: number;
}

/** Where each link leads under ROSTER_PUBLIC_URL; the token rides in the query string. */
const LINK_PATHS: { readonly [T in MailTemplate]: string } = {
  invitation: 'invitation',
  'password-reset': 'reset-password',
};

/** `https://roster.example.com/invitation?token=...`, keeping any path ROSTER_PUBLIC_URL has (a proxy prefix). */
export function accountLink(publicUrl: string, template: MailTemplate, rawToken: string): string {
  const base = new URL(publicUrl.endsWith('/') ? publicUrl : `${publicUrl}/`);
  const url = new URL(LINK_PATHS[template], base);
  url.searchParams.set('token', rawToken);
  return url.toString();
}

/** Subject and plain-text body of each mail; plain text keeps the link readable and the mail free of markup to escape. */
export function mailContent(template: MailTemplate, facts: MailFacts): MailContent {
  const validFor = describeDuration(facts.validForMs);
  switch (template) {
    case 'invitation':
      return {
        subject: `Your ${facts.organisationName} account is ready`,
        text: [
          `Hello ${facts.firstName},`,
          '',
          `An account has been created for you at ${facts.organisationName}; your username is ${facts.username}.`,
          `Choose your password with this link. It works once, for ${validFor}:`,
          '',
          facts.link,
          '',
          'If you did not expect this invitation, you can ignore this mail.',
        ].join('\n'),
      };
    case 'password-reset':
      return {
        subject: `Reset your ${facts.organisationName} password`,
        text: [
          `Hello ${facts.firstName},`,
          '',
          `Your helpdesk has reset the password of your ${facts.organisationName} account (${facts.username}).`,
          `Choose a new password with this link. It works once, for ${validFor}:`,
          '',
          facts.link,
          '',
          'If you did not ask for this, tell your helpdesk.',
        ].join('\n'),
      };
  }
}

/** 7 days, 1 hour, 90 minutes: the largest whole unit. */
export function describeDuration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  const [count, unit] = minutes % 1440 === 0 ? [minutes / 1440, 'day'] : minutes % 60 === 0 ? [minutes / 60, 'hour'] : [minutes, 'minute'];
  return `${count} ${unit}${count === 1 ? '' : 's'}`;
}
