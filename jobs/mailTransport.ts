import nodemailer, { type Transporter } from 'nodemailer';
import type { Logger } from 'pino';
import { ConfigError, type Config } from '../src/config.ts';
import type { MailTemplate } from '../src/domain/tokens.ts';

/** How the mail worker sends: SMTP when SMTP_URL is set, else to the log without links. */
export interface MailSettings {
  /** Unset: there is no SMTP server, so each mail is written to the log instead, with its link left out. */
  transport?: Transporter;
  from: string;
  /** Where links point (ROSTER_PUBLIC_URL); required with a transport. */
  publicUrl?: string;
  /** How long a link works, counted from the moment its mail is sent. */
  linkValidForMs: { readonly [T in MailTemplate]: number };
}

/**
 * Called once per worker process at start, which is when the log says where mail goes. `localOutbox`: the local
 * console's outbox, which takes the mail when SMTP_URL is unset, links and all (they point at this machine).
 */
export function mailSettings(config: Config, logger: Logger, localOutbox?: Transporter): MailSettings {
  const linkValidForMs = {
    invitation: config.ROSTER_INVITATION_LINK_DAYS * 24 * 3600 * 1000,
    'password-reset': config.ROSTER_RESET_LINK_MINUTES * 60 * 1000,
  };
  if (!config.SMTP_URL && localOutbox) {
    const publicUrl = config.ROSTER_PUBLIC_URL ?? `http://localhost:${config.PORT}`;
    logger.info("SMTP_URL is unset: invitation and password reset mails go to the local console's outbox.");
    return { transport: localOutbox, from: config.MAIL_FROM, publicUrl, linkValidForMs };
  }
  if (!config.SMTP_URL) {
    logger.warn('SMTP_URL is unset: invitation and password reset mails are written to the log, without their links, instead of being sent.');
    return { from: config.MAIL_FROM, linkValidForMs };
  }
  if (!config.ROSTER_PUBLIC_URL)
    throw new ConfigError('Invalid environment: ROSTER_PUBLIC_URL is required when SMTP_URL is set (the links in mails point there)');
  // Short timeouts: a job that cannot reach the server fails fast and is retried with backoff, instead of waiting minutes.
  const transport = nodemailer.createTransport({ url: config.SMTP_URL, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 });
  // The URL may carry SMTP credentials: only its host is logged.
  logger.info({ smtpHost: new URL(config.SMTP_URL).host }, 'mail is sent over SMTP');
  return { transport, from: config.MAIL_FROM, publicUrl: config.ROSTER_PUBLIC_URL, linkValidForMs };
}
