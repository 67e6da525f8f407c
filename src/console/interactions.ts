import { isObject } from './blockKitLimits.ts';
import type { Identity } from './identities.ts';
import { type AppRequester, actionTs, payloadCommon } from './appRequests.ts';
import { BOT_ID, BOT_USER_ID, type ConsoleMessage, type ConsoleView, TEAM_DOMAIN, TEAM_ID, type Workspace } from './workspace.ts';

type Json = Record<string, any>;

/** The slash commands the app's manifest declares; Slack knows no others. */
const COMMANDS = ['/user', '/users'];

/** What the page says a person entered in one element: a text, chosen option values, chosen suggestions, files. */
interface EnteredValue {
  value?: string | null;
  selected?: string[];
  /** For external selects: the options the app suggested that the person chose. */
  options?: { text: string; value: string }[];
  fileIds?: string[];
}

/** block_id -> action_id -> what was entered. */
export type EnteredValues = Record<string, Record<string, EnteredValue>>;

export type Where = { channel: string; ts: string } | { viewId: string };

interface ActionInput {
  where: Where;
  blockId: string;
  actionId: string;
  entered?: EnteredValue;
  values?: EnteredValues;
}

/** What the page is told after a request: nothing, or the sentence Slack would show. */
export type Outcome = { ok: true; options?: Json[]; optionGroups?: Json[] } | { ok: false; error: string };

const SELECTS_WITH_OPTIONS = new Set(['static_select', 'multi_static_select', 'radio_buttons', 'checkboxes', 'overflow']);
const EXTERNAL = new Set(['external_select', 'multi_external_select']);
const MULTI = new Set(['multi_static_select', 'multi_external_select', 'checkboxes', 'multi_users_select', 'multi_conversations_select']);

function optionsOf(element: Json): Json[] {
  return [...(element.options ?? []), ...(element.option_groups ?? []).flatMap((group: Json) => group.options ?? [])];
}

function findElement(blocks: unknown, blockId: string, actionId: string): Json | undefined {
  if (!Array.isArray(blocks)) return undefined;
  const block = blocks.find((b) => isObject(b) && b.block_id === blockId);
  if (!block) return undefined;
  return [block.accessory, block.element, ...(Array.isArray(block.elements) ? block.elements : [])].find((e) => isObject(e) && e.action_id === actionId);
}

const externalOption = (option: { text: string; value: string }) => ({
  text: { type: 'plain_text', text: String(option.text), emoji: true },
  value: String(option.value),
});

/** One element's state as Slack reports it: the element's type and what is chosen, only ever options the element offers. */
function elementState(workspace: Workspace, user: string, element: Json, entered: EnteredValue | undefined): Json {
  const state: Json = { type: element.type };
  if (element.type === 'plain_text_input' || element.type === 'email_text_input' || element.type === 'number_input' || element.type === 'url_text_input') {
    const value = entered ? entered.value : element.initial_value;
    state.value = typeof value === 'string' && value !== '' ? value : null;
  } else if (element.type === 'file_input') {
    const files = (entered?.fileIds ?? []).map((id) => workspace.files.get(id)).filter((file) => file?.user === user);
    state.files = files.map((file) => workspace.fileObject(file!));
  } else if (SELECTS_WITH_OPTIONS.has(element.type) || EXTERNAL.has(element.type)) {
    const chosen = EXTERNAL.has(element.type)
      ? entered
        ? (entered.options ?? []).map(externalOption)
        : [element.initial_option, ...(element.initial_options ?? [])].filter(isObject)
      : entered
        ? optionsOf(element).filter((option) => entered.selected?.includes(option.value))
        : [element.initial_option, ...(element.initial_options ?? [])].filter(isObject);
    if (MULTI.has(element.type)) state.selected_options = chosen;
    else state.selected_option = chosen[0] ?? null;
  }
  return state;
}

/** A view's state.values, built from the view the app sent and what the person entered in it. */
export function viewState(workspace: Workspace, stored: ConsoleView, entered: EnteredValues = {}): Json {
  const values: Json = {};
  for (const block of stored.view.blocks ?? []) {
    if (!isObject(block)) continue;
    const elements = block.type === 'input' ? [block.element] : block.type === 'actions' ? (block.elements ?? []) : [];
    for (const element of elements) {
      if (!isObject(element) || !element.action_id || element.type === 'button' || element.type === 'overflow') continue;
      values[block.block_id] ??= {};
      values[block.block_id][element.action_id] = elementState(workspace, stored.user, element, entered[block.block_id]?.[element.action_id]);
    }
  }
  return values;
}

const isEmpty = (state: Json) =>
  state.value === null ||
  state.selected_option === null ||
  (Array.isArray(state.selected_options) && state.selected_options.length === 0) ||
  (Array.isArray(state.files) && state.files.length === 0);

/** Slack checks required inputs itself, before the app hears of the submission. */
function missingRequired(stored: ConsoleView, values: Json): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const block of stored.view.blocks ?? []) {
    if (!isObject(block) || block.type !== 'input' || block.optional === true) continue;
    const state = values[block.block_id]?.[block.element?.action_id];
    if (state && isEmpty(state)) errors[block.block_id] = 'Please complete this required field.';
  }
  return errors;
}

/** The console's side of every request the page makes: each becomes the request Slack would send the app. */
export function interactions(workspace: Workspace, app: AppRequester) {
  const failed = (error: string): Outcome => ({ ok: false, error });

  const inChannel = (channel: string, ts: string): ConsoleMessage | undefined => workspace.messages.find((m) => m.channel === channel && m.ts === ts);

  /** Where an interaction happened, as a payload names it: the message (with its response_url) or the view. */
  const origin = (identity: Identity, where: Where, values?: EnteredValues): Json | undefined => {
    if ('viewId' in where) {
      const stored = workspace.viewOf(identity.userId, where.viewId);
      if (!stored) return undefined;
      const state = viewState(workspace, stored, values);
      return { container: { type: 'view', view_id: stored.id }, view: workspace.payloadView(stored, state), state: { values: state } };
    }
    const message = inChannel(where.channel, where.ts);
    if (!message || (message.visibleTo && message.visibleTo !== identity.userId)) return undefined;
    const channel = workspace.channels.get(message.channel)!;
    const fields: Json = {
      container: { type: 'message', message_ts: message.ts, channel_id: message.channel, is_ephemeral: Boolean(message.visibleTo) },
      channel: { id: channel.id, name: channel.dmOf ? 'directmessage' : channel.name },
      state: { values: {} },
      response_url: workspace.issueResponseUrl({ user: identity.userId, channel: message.channel, messageTs: message.ts }),
    };
    // Slack sends an ephemeral message's place, not the message.
    if (!message.visibleTo)
      fields.message = {
        type: 'message',
        user: BOT_USER_ID,
        bot_id: BOT_ID,
        app_id: 'A0ROSTER',
        team: TEAM_ID,
        ts: message.ts,
        text: message.text,
        blocks: message.blocks,
      };
    return fields;
  };

  const blocksAt = (identity: Identity, where: Where): unknown =>
    'viewId' in where ? workspace.viewOf(identity.userId, where.viewId)?.view.blocks : inChannel(where.channel, where.ts)?.blocks;

  return {
    async command(identity: Identity, channelId: string, typed: string): Promise<Outcome> {
      const channel = workspace.channels.get(channelId);
      if (!channel || (channel.dmOf && channel.dmOf !== identity.userId)) return failed('channel_not_found');
      const [, command = '', text = ''] = /^(\/\S+)\s*([\s\S]*)$/.exec(typed.trim()) ?? [];
      if (!COMMANDS.includes(command)) {
        workspace.notice(
          channelId,
          identity.userId,
          `${command || typed} is not a valid command. In Slack, all messages that start with "/" are interpreted as commands.`,
        );
        return { ok: true };
      }
      const fields = {
        token: 'local-verification-token',
        team_id: TEAM_ID,
        team_domain: TEAM_DOMAIN,
        channel_id: channel.id,
        channel_name: channel.dmOf ? 'directmessage' : channel.name,
        user_id: identity.userId,
        user_name: identity.name,
        command,
        text,
        api_app_id: 'A0ROSTER',
        is_enterprise_install: 'false',
        response_url: workspace.issueResponseUrl({ user: identity.userId, channel: channel.id }),
        trigger_id: workspace.issueTrigger(identity.userId),
      };
      const answer = await app.command(fields);
      if (!answer.ok) {
        workspace.notice(channel.id, identity.userId, `${command} failed with the error "${answer.error}"`);
        return { ok: true };
      }
      // An ack with a body is the command's answer, shown as a response_url post would be.
      if (answer.body !== '') {
        const body = typeof answer.body === 'string' ? { text: answer.body } : answer.body;
        const url = workspace.issueResponseUrl({ user: identity.userId, channel: channel.id });
        workspace.respond(url.slice(url.lastIndexOf('/') + 1), body);
      }
      return { ok: true };
    },

    /** A message typed in a channel, with any files attached: posted as the person's; in the app's DM the app hears of it (message.im). */
    async message(identity: Identity, channelId: string, text: string, fileIds: string[] = []): Promise<Outcome> {
      const channel = workspace.channels.get(channelId);
      if (!channel || (channel.dmOf && channel.dmOf !== identity.userId)) return failed('channel_not_found');
      const files = fileIds.map((id) => workspace.files.get(id)).filter((file) => file?.user === identity.userId);
      for (const file of files) file!.channels.push(channel.id);
      const ts = workspace.nextTs();
      workspace.messages.push({ ts, channel: channel.id, user: identity.userId, text, fileIds: files.map((file) => file!.id) });
      workspace.changed();
      if (channel.dmOf) {
        const event: Json = { type: 'message', channel: channel.id, channel_type: 'im', user: identity.userId, text, ts };
        if (files.length) Object.assign(event, { subtype: 'file_share', files: files.map((file) => workspace.fileObject(file!)) });
        const answer = await app.event(event);
        if (!answer.ok) workspace.notice(channel.id, identity.userId, `Roster did not take the message: ${answer.error}`);
      }
      return { ok: true };
    },

    async action(identity: Identity, input: ActionInput): Promise<Outcome> {
      const element = findElement(blocksAt(identity, input.where), input.blockId, input.actionId);
      const where = origin(identity, input.where, input.values);
      if (!element || !where) return failed('This message or view has changed; nothing was sent.');
      const action: Json = { type: element.type, action_id: element.action_id, block_id: input.blockId, action_ts: actionTs() };
      if (element.type === 'button') {
        action.text = element.text;
        if (element.value !== undefined) action.value = element.value;
        if (element.style) action.style = element.style;
      } else {
        Object.assign(action, elementState(workspace, identity.userId, element, input.entered));
        action.type = element.type;
      }
      const payload = {
        type: 'block_actions',
        ...payloadCommon(identity.userId, identity.name),
        trigger_id: workspace.issueTrigger(identity.userId),
        ...where,
        actions: [action],
      };
      const answer = await app.interaction(payload);
      return answer.ok ? { ok: true } : failed(`Roster did not answer (${answer.error}).`);
    },

    /** block_suggestion: what the app offers for the text typed in an external select. */
    async suggest(identity: Identity, input: ActionInput & { typed: string }): Promise<Outcome> {
      const element = findElement(blocksAt(identity, input.where), input.blockId, input.actionId);
      const where = origin(identity, input.where, input.values);
      if (!element || !EXTERNAL.has(element.type) || !where) return failed('This menu has changed.');
      delete where.response_url; // Slack sends none with a suggestion request
      const payload = {
        type: 'block_suggestion',
        ...payloadCommon(identity.userId, identity.name),
        action_id: element.action_id,
        block_id: input.blockId,
        value: input.typed,
        ...where,
      };
      const answer = await app.interaction(payload);
      if (!answer.ok) return failed(`Roster did not answer (${answer.error}).`);
      const body = isObject(answer.body) ? answer.body : {};
      const options = Array.isArray(body.options) ? body.options : [];
      const optionGroups = Array.isArray(body.option_groups) ? body.option_groups : [];
      // Slack shows at most 100 options and nothing at all when the answer breaks its limits.
      if (options.length > 100 || optionGroups.length > 100) return failed('Slack could not show these options: more than 100.');
      return { ok: true, options, optionGroups };
    },

    async submit(identity: Identity, viewId: string, entered: EnteredValues): Promise<Outcome> {
      const stored = workspace.viewOf(identity.userId, viewId);
      if (!stored || workspace.topView(identity.userId) !== stored) return failed('This form is no longer open.');
      const values = viewState(workspace, stored, entered);
      const missing = missingRequired(stored, values);
      if (Object.keys(missing).length) {
        stored.errors = missing;
        workspace.changed();
        return { ok: true };
      }
      const payload = {
        type: 'view_submission',
        ...payloadCommon(identity.userId, identity.name),
        trigger_id: workspace.issueTrigger(identity.userId),
        view: workspace.payloadView(stored, values),
        response_urls: [],
      };
      const answer = await app.interaction(payload);
      if (!answer.ok) return failed('We had some trouble connecting. Try again?');
      const body = isObject(answer.body) ? answer.body : {};
      switch (body.response_action) {
        case 'errors': {
          const blockIds = new Set((stored.view.blocks ?? []).filter((b: Json) => b.type === 'input').map((b: Json) => b.block_id));
          const errors = isObject(body.errors) ? body.errors : {};
          const unknown = Object.keys(errors).filter((id) => !blockIds.has(id));
          if (unknown.length) return failed(`Slack refused the app's errors: no input block ${unknown.join(', ')} in this form (invalid_arguments).`);
          stored.errors = Object.fromEntries(Object.entries(errors).map(([id, message]) => [id, String(message)]));
          workspace.changed();
          return { ok: true };
        }
        case 'update':
        case 'push': {
          const done = body.response_action === 'update' ? workspace.updateFromSubmission(stored, body.view) : workspace.pushView(identity.userId, body.view);
          if (done.body.ok) return { ok: true };
          return failed(`Slack refused the app's answer (${done.body.error}): ${(done.body.errors ?? []).join('; ')}`);
        }
        case 'clear':
          workspace.closeViews(identity.userId, true);
          return { ok: true };
        default:
          workspace.closeViews(identity.userId, false);
          return { ok: true };
      }
    },

    async close(identity: Identity, viewId: string): Promise<Outcome> {
      const stored = workspace.viewOf(identity.userId, viewId);
      if (!stored) return { ok: true };
      workspace.closeViews(identity.userId, false);
      if (stored.view.notify_on_close) {
        await app.interaction({
          type: 'view_closed',
          ...payloadCommon(identity.userId, identity.name),
          view: workspace.payloadView(stored, {}),
          is_cleared: false,
        });
      }
      return { ok: true };
    },

    async openHome(identity: Identity): Promise<Outcome> {
      const home = workspace.views.get(workspace.homes.get(identity.userId) ?? '');
      const event: Json = { type: 'app_home_opened', user: identity.userId, channel: workspace.dmChannelOf(identity.userId), tab: 'home' };
      if (home) event.view = workspace.payloadView(home, {});
      const answer = await app.event(event);
      return answer.ok ? { ok: true } : failed(`Roster did not answer (${answer.error}).`);
    },
  };
}
