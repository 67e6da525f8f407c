// Signed requests to the app's Bolt HTTP receiver, shaped like the ones Slack sends, plus builders
// for realistic interaction payloads.
import { createHmac, randomBytes } from 'node:crypto';

export interface SignOptions {
  /** Request timestamp in seconds; defaults to now. */
  timestamp?: number;
  /** Sign with this secret instead of the app's (to test rejection). */
  secret?: string;
  omitSignature?: boolean;
}

export interface SlackResponse {
  status: number;
  /** Parsed JSON when the body is JSON, else the text ('' when empty). */
  body: any;
}

export interface CommandOptions {
  /** Defaults to '/user'. */
  command?: string;
  text: string;
  userId: string;
  channelId?: string;
  responseUrl?: string;
  triggerId?: string;
  teamId?: string;
}

export interface SlackRequester {
  command(opts: CommandOptions, sign?: SignOptions): Promise<SlackResponse>;
  /** block_actions, view_submission, view_closed, shortcuts: form field payload=<json>. */
  interaction(payload: Record<string, any>, sign?: SignOptions): Promise<SlackResponse>;
  /** block_suggestion (external select typeahead). */
  options(payload: Record<string, any>, sign?: SignOptions): Promise<SlackResponse>;
  /** An event_callback envelope, or a bare event (`{ type: 'app_home_opened', ... }`) to wrap in one. */
  event(payload: Record<string, any>, sign?: SignOptions): Promise<SlackResponse>;
}

const TEAM_ID = 'T0FAKE';
const TEAM_DOMAIN = 'fake';
const APP_ID = 'A0ROSTER';
const BOT_USER_ID = 'U0BOT';
const BOT_ID = 'B0BOT';
const VERIFICATION_TOKEN = 'fake-verification-token';
const DEFAULT_CHANNEL_ID = 'C0GENERAL';

// Bolt's receiver only parses a form body when the content type is exactly this (no charset).
const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';

export function slackRequester(appUrl: string, signingSecret: string): SlackRequester {
  const endpoint = `${appUrl.replace(/\/+$/, '')}/slack/events`;

  const post = async (contentType: string, rawBody: string, sign: SignOptions = {}): Promise<SlackResponse> => {
    const timestamp = sign.timestamp ?? Math.floor(Date.now() / 1000);
    const headers: Record<string, string> = { 'Content-Type': contentType, 'X-Slack-Request-Timestamp': String(timestamp) };
    if (!sign.omitSignature) headers['X-Slack-Signature'] = signature(sign.secret ?? signingSecret, timestamp, rawBody);
    const response = await fetch(endpoint, { method: 'POST', headers, body: rawBody });
    return { status: response.status, body: parseResponseBody(response.headers.get('content-type'), await response.text()) };
  };
  const postPayload = (payload: Record<string, any>, sign?: SignOptions) =>
    post(FORM, new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), sign);

  return {
    command(opts, sign) {
      const channelId = opts.channelId ?? DEFAULT_CHANNEL_ID;
      const fields: Record<string, string> = {
        token: VERIFICATION_TOKEN,
        team_id: opts.teamId ?? TEAM_ID,
        team_domain: TEAM_DOMAIN,
        channel_id: channelId,
        channel_name: channelId.startsWith('D') ? 'directmessage' : channelId.toLowerCase(),
        user_id: opts.userId,
        user_name: opts.userId.toLowerCase(),
        command: opts.command ?? '/user',
        text: opts.text,
        api_app_id: APP_ID,
        is_enterprise_install: 'false',
      };
      if (opts.responseUrl !== undefined) fields.response_url = opts.responseUrl;
      fields.trigger_id = opts.triggerId ?? triggerId();
      return post(FORM, new URLSearchParams(fields).toString(), sign);
    },
    interaction: postPayload,
    options: postPayload,
    event(payload, sign) {
      const envelope = ['event_callback', 'url_verification', 'app_rate_limited'].includes(payload.type) ? payload : eventCallback(payload);
      return post(JSON_TYPE, JSON.stringify(envelope), sign);
    },
  };
}

function signature(secret: string, timestampSeconds: number, rawBody: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestampSeconds}:${rawBody}`).digest('hex')}`;
}

function parseResponseBody(contentType: string | null, text: string): any {
  const looksLikeJson = contentType?.includes('json') || /^\s*[{[]/.test(text);
  if (text !== '' && looksLikeJson) {
    try {
      return JSON.parse(text);
    } catch {
      // not JSON after all
    }
  }
  return text;
}

/** A trigger_id as Slack makes them: unique, so a test can tell which views.open a request led to. */
export function triggerId(): string {
  return `${Date.now()}.${Math.floor(Math.random() * 1e9)}.${randomBytes(16).toString('hex')}`;
}

function actionTs(): string {
  return (Date.now() / 1000).toFixed(6);
}

function eventCallback(event: Record<string, any>): Record<string, any> {
  return {
    token: VERIFICATION_TOKEN,
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

function userOf(userId: string, teamId: string) {
  return { id: userId, username: userId.toLowerCase(), name: userId.toLowerCase(), team_id: teamId };
}

/** Where an interaction happened: a message in a channel, or a view (modal or App Home). */
type Origin = { view: Record<string, any> } | { channelId?: string; messageTs?: string; blocks?: any[]; responseUrl?: string };

function origin(opts: Origin, teamId: string): Record<string, any> {
  if ('view' in opts) {
    return { container: { type: 'view', view_id: opts.view.id }, view: opts.view };
  }
  const channelId = opts.channelId ?? DEFAULT_CHANNEL_ID;
  const ts = opts.messageTs ?? '1700000000.000100';
  const fields: Record<string, any> = {
    container: { type: 'message', message_ts: ts, channel_id: channelId, is_ephemeral: false },
    channel: { id: channelId, name: channelId.toLowerCase() },
    message: { type: 'message', user: BOT_USER_ID, bot_id: BOT_ID, app_id: APP_ID, team: teamId, ts, text: '', blocks: opts.blocks ?? [] },
  };
  if (opts.responseUrl !== undefined) fields.response_url = opts.responseUrl;
  return fields;
}

/** Finds the element with `actionId` in `blocks`, with its block's block_id. */
function findElement(blocks: any[] | undefined, actionId: string): { blockId?: string; element: Record<string, any> } | undefined {
  for (const block of blocks ?? []) {
    const candidates = [block?.accessory, block?.element, ...(Array.isArray(block?.elements) ? block.elements : [])];
    const element = candidates.find((e) => e?.action_id === actionId);
    if (element) return { blockId: block.block_id, element };
  }
  return undefined;
}

export type BlockActionsOptions = Origin & {
  userId: string;
  actionId: string;
  /** Defaults to the block holding `actionId` in the message/view blocks. */
  blockId?: string;
  /** Button value; defaults to the value of the button found in the blocks. */
  value?: string;
  /** For overflow and select menus. */
  selectedOption?: { value: string; text?: string };
  /** Element type; defaults to the type found in the blocks, else 'static_select' with a selectedOption, else 'button'. */
  type?: string;
  triggerId?: string;
  teamId?: string;
};

/** A block_actions payload as Slack sends it when a user clicks a button or picks a menu option. */
export function blockActionsPayload(opts: BlockActionsOptions): Record<string, any> {
  const teamId = opts.teamId ?? TEAM_ID;
  const blocks = 'view' in opts ? opts.view.blocks : opts.blocks;
  const found = findElement(blocks, opts.actionId);
  const type = opts.type ?? found?.element.type ?? (opts.selectedOption ? 'static_select' : 'button');
  const action: Record<string, any> = {
    type,
    action_id: opts.actionId,
    block_id: opts.blockId ?? found?.blockId ?? `block-${opts.actionId}`,
    action_ts: actionTs(),
  };
  if (type === 'button') {
    action.text = found?.element.text ?? { type: 'plain_text', text: opts.actionId, emoji: true };
    const value = opts.value ?? found?.element.value;
    if (value !== undefined) action.value = value;
    if (found?.element.style) action.style = found.element.style;
  } else if (opts.value !== undefined) {
    action.value = opts.value;
  }
  if (opts.selectedOption) {
    const known = [...(found?.element.options ?? []), ...(found?.element.option_groups ?? []).flatMap((g: any) => g.options ?? [])].find(
      (o: any) => o?.value === opts.selectedOption!.value,
    );
    action.selected_option = known ?? {
      text: { type: 'plain_text', text: opts.selectedOption.text ?? opts.selectedOption.value, emoji: true },
      value: opts.selectedOption.value,
    };
  }
  return {
    type: 'block_actions',
    user: userOf(opts.userId, teamId),
    api_app_id: APP_ID,
    token: VERIFICATION_TOKEN,
    trigger_id: opts.triggerId ?? triggerId(),
    team: { id: teamId, domain: TEAM_DOMAIN },
    enterprise: null,
    is_enterprise_install: false,
    ...origin(opts, teamId),
    state: { values: 'view' in opts ? (opts.view.state?.values ?? {}) : {} },
    actions: [action],
  };
}

export interface ViewSubmissionOptions {
  userId: string;
  callbackId: string;
  /**
   * state.values by block_id then action_id. A string is shorthand for a plain_text_input value;
   * pass an object (`{ type: 'static_select', selected_option: {...} }`) for other elements.
   */
  values?: Record<string, Record<string, string | Record<string, any>>>;
  privateMetadata?: string;
  viewId?: string;
  blocks?: any[];
  title?: string;
  triggerId?: string;
  teamId?: string;
}

/** A view_submission payload as Slack sends it when a user submits a modal. */
export function viewSubmissionPayload(opts: ViewSubmissionOptions): Record<string, any> {
  const teamId = opts.teamId ?? TEAM_ID;
  const viewId = opts.viewId ?? 'V0000000001';
  const values: Record<string, Record<string, Record<string, any>>> = {};
  for (const [blockId, actions] of Object.entries(opts.values ?? {})) {
    values[blockId] = Object.fromEntries(
      Object.entries(actions).map(([actionId, v]) => [actionId, typeof v === 'string' ? { type: 'plain_text_input', value: v } : v]),
    );
  }
  return {
    type: 'view_submission',
    team: { id: teamId, domain: TEAM_DOMAIN },
    user: userOf(opts.userId, teamId),
    api_app_id: APP_ID,
    token: VERIFICATION_TOKEN,
    trigger_id: opts.triggerId ?? triggerId(),
    view: {
      id: viewId,
      team_id: teamId,
      type: 'modal',
      blocks: opts.blocks ?? [],
      private_metadata: opts.privateMetadata ?? '',
      callback_id: opts.callbackId,
      state: { values },
      hash: `${Math.floor(Date.now() / 1000)}.fakehash`,
      title: { type: 'plain_text', text: opts.title ?? 'Roster', emoji: true },
      clear_on_close: false,
      notify_on_close: false,
      close: { type: 'plain_text', text: 'Cancel', emoji: true },
      submit: { type: 'plain_text', text: 'Submit', emoji: true },
      previous_view_id: null,
      root_view_id: viewId,
      app_id: APP_ID,
      external_id: '',
      app_installed_team_id: teamId,
      bot_id: BOT_ID,
    },
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  };
}

/** A view_submission's state value for a plain_text_input (action_id `value`, as in Roster's forms). */
export const plainTextValue = (value: string | null) => ({ value: { type: 'plain_text_input', value } });

/** A view_submission's state value for a static_select with `value` chosen. */
export const staticSelectValue = (value: string) => ({
  value: { type: 'static_select', selected_option: { text: { type: 'plain_text', text: value }, value } },
});

/** A view_submission's state value for checkboxes with the options of these values ticked (none: all left blank). */
export const checkboxesValue = (selected: string[]) => ({
  value: { type: 'checkboxes', selected_options: selected.map((value) => ({ text: { type: 'plain_text', text: value }, value })) },
});

/** A view_submission's state value for a multi_external_select whose element is `actionId`, with these values chosen. */
export const multiExternalSelectValue = (actionId: string, selected: string[]) => ({
  [actionId]: {
    type: 'multi_external_select',
    selected_options: selected.map((value) => ({ text: { type: 'plain_text', text: value }, value })),
  },
});

export type BlockSuggestionOptions = Origin & {
  userId: string;
  actionId: string;
  blockId?: string;
  /** What the user has typed so far. */
  value: string;
  teamId?: string;
};

/** A block_suggestion payload as Slack sends it while a user types in an external select. */
export function blockSuggestionPayload(opts: BlockSuggestionOptions): Record<string, any> {
  const teamId = opts.teamId ?? TEAM_ID;
  const blocks = 'view' in opts ? opts.view.blocks : opts.blocks;
  const where = origin(opts, teamId);
  delete where.response_url; // Slack sends none with a suggestion request
  return {
    type: 'block_suggestion',
    user: userOf(opts.userId, teamId),
    api_app_id: APP_ID,
    token: VERIFICATION_TOKEN,
    action_id: opts.actionId,
    block_id: opts.blockId ?? findElement(blocks, opts.actionId)?.blockId ?? `block-${opts.actionId}`,
    value: opts.value,
    team: { id: teamId, domain: TEAM_DOMAIN },
    enterprise: null,
    is_enterprise_install: false,
    ...where,
  };
}
