import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CustomRoute } from '@slack/bolt';
import QRCode from 'qrcode';
import { runAction, type ActionServices } from '../actions/action.ts';
import { linkHolderActor } from '../actions/actor.ts';
import { enrolMfa } from '../actions/accounts/enrolMfa.ts';
import { openMfaEnrolment } from '../actions/accounts/openMfaEnrolment.ts';
import { openPasswordLink } from '../actions/accounts/openPasswordLink.ts';
import { setPassword } from '../actions/accounts/setPassword.ts';
import { FieldRefusedError, RefusedError, type RefusalCode } from '../domain/errors.ts';
import { MAIL_TEMPLATES, type MailTemplate } from '../domain/tokens.ts';
import { pathForLog } from '../logger.ts';
import {
  donePage,
  ENROLMENT_PATH,
  enrolmentForm,
  FORM_PATHS,
  messagePage,
  passwordForm,
  STYLE_HASH,
  type AccountGreeting,
  type FieldError,
} from './pageHtml.ts';
import { CsrfCookie, FormTooLargeError, pageHeaders, readForm } from './pageSecurity.ts';

export interface PasswordPagesOptions {
  services: ActionServices;
  /** ROSTER_PUBLIC_URL: the pages sit behind a proxy at this address; https makes the cookie Secure. */
  publicUrl: string | undefined;
}

const STATUS_OF_REFUSAL: { readonly [C in RefusalCode]: number } = {
  'not-found': 404,
  'invalid-state': 410,
  'invalid-input': 422,
  forbidden: 403,
  conflict: 409,
};

const LINK_REFUSED_TITLE = 'This link does not work';

/**
 * The pages behind the invitation and reset mail links (`/invitation`, `/reset-password`) and the two-step
 * verification step after them (`/mfa-enrolment`). Each page asks an action and shows its answer; the link's token
 * arrives in the URL once and travels in form bodies after that, and no log line carries a URL's query or a field.
 */
export function passwordPageRoutes({ services, publicUrl }: PasswordPagesOptions): CustomRoute[] {
  const https = publicUrl?.startsWith('https:') ?? false;
  const csrf = new CsrfCookie(https);
  const headers = pageHeaders(STYLE_HASH, https);
  const actor = linkHolderActor();

  const send = (req: IncomingMessage, res: ServerResponse, status: number, body: string) => {
    res.writeHead(status, headers);
    res.end(body);
    services.logger.info({ method: req.method, path: pathForLog(req.url ?? ''), status }, 'password page served');
  };
  const refusedLink = (req: IncomingMessage, res: ServerResponse, refusal: RefusedError) =>
    send(req, res, STATUS_OF_REFUSAL[refusal.code], messagePage(LINK_REFUSED_TITLE, refusal.userMessage));

  // Every handler's failure ends as a page: a refusal says why, anything else is logged without the request's fields.
  const guarded =
    (handler: (req: IncomingMessage, res: ServerResponse) => Promise<void>) =>
    (req: IncomingMessage, res: ServerResponse): void => {
      handler(req, res).catch((error: unknown) => {
        if (error instanceof FormTooLargeError)
          return send(req, res, 413, messagePage('Form too large', 'That form was larger than this page ever sends; open the link from your mail again.'));
        services.logger.error({ err: error, method: req.method, path: pathForLog(req.url ?? '') }, 'password page failed');
        if (!res.headersSent)
          send(req, res, 500, messagePage('Something went wrong', 'Something went wrong on our side and nothing was changed; try again in a minute.'));
      });
    };

  const showLink = (purpose: MailTemplate) =>
    guarded(async (req, res) => {
      const token = new URL(req.url ?? '/', 'http://link').searchParams.get('token')?.trim();
      if (!token)
        return send(
          req,
          res,
          400,
          messagePage(LINK_REFUSED_TITLE, 'This link is incomplete; open the whole link from your mail, or ask your helpdesk for a new one.'),
        );
      try {
        const account = await runAction(services, openPasswordLink, actor, { token, purpose });
        send(req, res, 200, passwordForm(purpose, account, { token, csrf: csrf.formToken(req, res) }));
      } catch (error) {
        if (!(error instanceof RefusedError)) throw error;
        refusedLink(req, res, error);
      }
    });

  const submitPassword = (purpose: MailTemplate) =>
    guarded(async (req, res) => {
      const form = await readForm(req);
      if (!csrf.verify(req, form.get('csrf'))) return formNotChecked(req, res);
      const token = form.get('token') ?? '';
      try {
        const done = await runAction(services, setPassword, actor, { token, purpose, password: form.get('password') ?? '', repeat: form.get('repeat') ?? '' });
        if (!done.enrolment) return send(req, res, 200, donePage(done, false));
        const { ticket, secret, uri } = done.enrolment;
        const qrDataUrl = await qrCode(uri);
        send(req, res, 200, enrolmentForm(done, { qrDataUrl, secret }, { ticket, csrf: csrf.formToken(req, res) }));
      } catch (error) {
        if (!(error instanceof FieldRefusedError)) {
          if (error instanceof RefusedError) return refusedLink(req, res, error);
          throw error;
        }
        // The same link, still unused: the form comes back with the reason under the field it is about.
        const account = await greetingFor(token, purpose);
        if (!account) return refusedLink(req, res, error);
        send(req, res, 422, passwordForm(purpose, account, { token, csrf: csrf.formToken(req, res) }, fieldError(error)));
      }
    });

  const submitEnrolment = guarded(async (req, res) => {
    const form = await readForm(req);
    if (!csrf.verify(req, form.get('csrf'))) return formNotChecked(req, res);
    const ticket = form.get('ticket') ?? '';
    const secret = form.get('secret') ?? '';
    try {
      const account = await runAction(services, enrolMfa, actor, { ticket, secret, code: form.get('code') ?? '' });
      send(req, res, 200, donePage(account, true));
    } catch (error) {
      if (!(error instanceof FieldRefusedError)) {
        if (error instanceof RefusedError) return send(req, res, STATUS_OF_REFUSAL[error.code], messagePage('This page does not work', error.userMessage));
        throw error;
      }
      // The same step, still open: the same secret again, with the reason under the code.
      let step: AccountGreeting & { uri: string };
      try {
        step = await runAction(services, openMfaEnrolment, actor, { ticket, secret });
      } catch (reopening) {
        if (!(reopening instanceof RefusedError)) throw reopening;
        return send(req, res, STATUS_OF_REFUSAL[reopening.code], messagePage('This page does not work', reopening.userMessage));
      }
      const qrDataUrl = await qrCode(step.uri);
      send(req, res, 422, enrolmentForm(step, { qrDataUrl, secret }, { ticket, csrf: csrf.formToken(req, res) }, fieldError(error)));
    }
  });

  const formNotChecked = (req: IncomingMessage, res: ServerResponse) =>
    send(
      req,
      res,
      403,
      messagePage(
        'This form could not be checked',
        'This form could not be checked, so nothing was changed (it may have been open too long, or cookies are blocked for this site); open the link from your mail again.',
      ),
    );

  // A refused field comes back on the same form, so the page needs the account again; the token is still unused.
  async function greetingFor(token: string, purpose: MailTemplate): Promise<AccountGreeting | undefined> {
    try {
      return await runAction(services, openPasswordLink, actor, { token, purpose });
    } catch (error) {
      if (error instanceof RefusedError) return undefined;
      throw error;
    }
  }

  return [
    ...MAIL_TEMPLATES.flatMap((purpose): CustomRoute[] => [
      { path: `/${FORM_PATHS[purpose]}`, method: 'GET', handler: showLink(purpose) },
      { path: `/${FORM_PATHS[purpose]}`, method: 'POST', handler: submitPassword(purpose) },
    ]),
    { path: `/${ENROLMENT_PATH}`, method: 'POST', handler: submitEnrolment },
  ];
}

/** The QR code as a PNG data: URL, which the pages' CSP allows as an image (and nothing else). */
function qrCode(uri: string): Promise<string> {
  return QRCode.toDataURL(uri, { errorCorrectionLevel: 'M', margin: 2, scale: 6 });
}

function fieldError(error: FieldRefusedError): FieldError {
  return { field: error.field, message: error.userMessage };
}
