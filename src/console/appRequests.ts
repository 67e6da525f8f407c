import { createHmac, randomBytes } from 'node:crypto';
import { APP_ID, BOT_USER_ID, TEAM_DOMAIN, TEAM_ID } from './workspace.ts';

type Json = Record<string, any>;

/** Slack waits this long for the app's acknowledgement before it tells the person the app did not answer. */
const ACK_TIMEOUT_MS = 3000;

// Bolt's receiver parses a form body only when the content type is exactly this (no charset).
const FORM = 'application/x-www-form-urlencoded';

type AppAnswer = { ok: true; status: number; body: any } | { ok: false; error: string };

/**
 * Requests to the app's own /slack/events, signed with the local signing secret as Slack signs them (v0 HMAC of the
 * timestamp and body). The secret stays in this process: the page asks the console, the console signs.
 */
export function appRequester(eventsUrl: string, signingSecret: string) {
  const post = async (contentType: string, rawBody: string): Promise<AppAnswer> => {
    const timestamp = Math.floor(Date.now() / 1000);
    const signature = `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;
    try {
      const response = await fetch(eventsUrl, {
        method: 'POST',
        headers: { 'Content-Type': contentType, 'X-Slack-Request-Timestamp': String(timestamp), 'X-Slack-Signature': signature },
        body: rawBody,
        signal: AbortSignal.timeout(ACK_TIMEOUT_MS),
      });
      const text = await response.text();
      if (response.status !== 200) return { ok: false, error: `http_error_${response.status}` };
      return { ok: true, status: response.status, body: parseBody(text) };
    } catch (error) {
      return { ok: false, error: (error as Error).name === 'TimeoutError' ? 'operation_timeout' : 'dispatch_failed' };
    }
  };
  return {
    command: (fields: Record<string, string>) => post(FORM, new URLSearchParams(fields).toString()),
    interaction: (payload: Json) => post(FORM, new URLSearchParams({ payload: JSON.stringify(payload) }).toString()),
    event: (event: Json) => post('application/json', JSON.stringify(eventCallback(event))),
  };
}

export type AppRequester = ReturnType<typeof appRequester>;

function parseBody(text: string): any {
  if (text.trim() === '') return '';
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export const actionTs = () => (Date.now() / 1000).toFixed(6);

const payloadUser = (userId: string, name: string) => ({ id: userId, username: name, name, team_id: TEAM_ID });

export const payloadCommon = (userId: string, name: string) => ({
  user: payloadUser(userId, name),
  api_app_id: APP_ID,
  token: 'local-verification-token',
  team: { id: TEAM_ID, domain: TEAM_DOMAIN },
  enterprise: null,
  is_enterprise_install: false,
});

function eventCallback(event: Json): Json {
  return {
    token: 'local-verification-token',
    team_id: TEAM_ID,
    api_app_id: APP_ID,
    event: { event_ts: actionTs(), ...event },
    type: 'event_callback',
    event_id: `Ev${randomBytes(6).toString('hex').toUpperCase()}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ enterprise_id: null, team_id: TEAM_ID, user_id: BOT_USER_ID, is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false,
  };
}
