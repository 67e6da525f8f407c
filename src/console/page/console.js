// The local console's page: shows the workspace the console keeps (what the app posted, as Block Kit) and sends what
// you do to the console, which signs it and hands it to the app as Slack would. Plain DOM, no framework; every text
// from the app goes into the page as text nodes, never as HTML.

const HEADERS = { 'content-type': 'application/json', 'x-roster-console': '1' };
const EMOJI = {
  warning: '⚠️',
  white_check_mark: '✅',
  heavy_check_mark: '✔️',
  no_entry: '⛔',
  no_entry_sign: '🚫',
  wastebasket: '🗑️',
  outbox_tray: '📤',
  inbox_tray: '📥',
  lock: '🔒',
  unlock: '🔓',
  information_source: 'ℹ️',
  hourglass: '⌛',
  hourglass_flowing_sand: '⏳',
  scroll: '📜',
  raised_hand: '✋',
  page_facing_up: '📄',
  octagonal_sign: '🛑',
  mag: '🔍',
  key: '🔑',
  construction: '🚧',
  x: '❌',
  email: '📧',
  bust_in_silhouette: '👤',
  busts_in_silhouette: '👥',
  bell: '🔔',
  tada: '🎉',
};

let me = sessionStorage.getItem('roster-console-as') || 'owner';
let place = { kind: 'channel', id: 'C0ROSTER' };
let state;
let polling;
/** What you typed in each open view, by view id: block_id -> action_id -> entered value. */
const entered = new Map();
let shownModal = '';
let shownHome = '';

const $ = (id) => document.getElementById(id);

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) if (child !== undefined && child !== null) node.append(child);
  return node;
}

async function post(path, body) {
  const response = await fetch(path, { method: 'POST', headers: HEADERS, body: JSON.stringify({ as: me, ...body }) });
  const answer = await response.json().catch(() => ({ ok: false, error: `HTTP ${response.status}` }));
  $('status').textContent = answer.ok ? '' : answer.error;
  return answer;
}

// ---- mrkdwn -------------------------------------------------------------------------------------------------------

const unescapeText = (text) => text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

function formatDate(seconds, format, fallback) {
  const date = new Date(seconds * 1000);
  if (Number.isNaN(date.getTime())) return fallback;
  const day = date.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric' });
  const time = date.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });
  return format
    .replace(/\{date_(short_pretty|long_pretty|pretty|short|long)\}|\{date\}/g, day)
    .replace('{date_num}', date.toISOString().slice(0, 10))
    .replace('{time_secs}', date.toLocaleTimeString('en-GB'))
    .replace('{time}', time);
}

/** `<...>` in mrkdwn: a link, a mention, a channel, a date. */
function special(inner) {
  const [target, label] = inner.split('|', 2);
  if (target.startsWith('@')) return el('span', { class: 'mention' }, `@${state?.users?.[target.slice(1)] ?? target.slice(1)}`);
  if (target.startsWith('#')) return el('span', { class: 'mention' }, `#${label ?? target.slice(1)}`);
  if (target.startsWith('!date^')) {
    const [, seconds, format] = target.split('^');
    return document.createTextNode(formatDate(Number(seconds), format ?? '{date}', label ?? ''));
  }
  if (target.startsWith('!')) return el('span', { class: 'mention' }, `@${target.slice(1)}`);
  if (/^(https?:|mailto:)/.test(target)) return el('a', { href: target, target: '_blank', rel: 'noopener noreferrer' }, unescapeText(label ?? target));
  return document.createTextNode(unescapeText(label ?? target));
}

const INLINE = [
  [/```([\s\S]+?)```/, (m) => el('pre', {}, unescapeText(m[1]))],
  [/`([^`\n]+)`/, (m) => el('code', {}, unescapeText(m[1]))],
  [/<([^<>\n]+)>/, (m) => special(m[1])],
  [/(?<![\w*])\*([^*\n]+)\*(?![\w*])/, (m) => el('strong', {}, inline(m[1]))],
  [/(?<![\w_])_([^_\n]+)_(?![\w_])/, (m) => el('em', {}, inline(m[1]))],
  [/(?<![\w~])~([^~\n]+)~(?![\w~])/, (m) => el('s', {}, inline(m[1]))],
  [/:([a-z0-9_+-]+):/, (m) => document.createTextNode(EMOJI[m[1]] ?? m[0])],
];

function inline(text) {
  let best;
  for (const [pattern, make] of INLINE) {
    const match = pattern.exec(text);
    if (match && (!best || match.index < best.match.index)) best = { match, make };
  }
  if (!best) return [document.createTextNode(unescapeText(text))];
  const { match, make } = best;
  return [document.createTextNode(unescapeText(text.slice(0, match.index))), make(match), ...inline(text.slice(match.index + match[0].length))];
}

function mrkdwn(text) {
  const node = el('div', { class: 'mrkdwn' });
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    if (line.startsWith('&gt; ') || line.startsWith('> ')) node.append(el('span', { class: 'quote' }, inline(line.replace(/^(&gt;|>) /, ''))));
    else node.append(...inline(line));
    if (i < lines.length - 1) node.append('\n');
  });
  return node;
}

const textObject = (t) => (!t ? document.createTextNode('') : t.type === 'mrkdwn' ? mrkdwn(t.text) : el('span', { class: 'mrkdwn' }, replaceEmoji(t.text)));
const plain = (t) => replaceEmoji(t?.text ?? '');
const replaceEmoji = (text) => String(text).replace(/:([a-z0-9_+-]+):/g, (m, name) => EMOJI[name] ?? m);

// ---- Block Kit ----------------------------------------------------------------------------------------------------

/** Where blocks are shown: a message (channel, ts) or a view (its id; `form` for a modal's inputs). */
function renderBlocks(blocks, where) {
  return (blocks ?? []).map((block) => renderBlock(block, where)).filter(Boolean);
}

function renderBlock(block, where) {
  switch (block.type) {
    case 'header':
      return el('h3', { class: 'bk-header' }, plain(block.text));
    case 'divider':
      return el('hr', { class: 'bk-divider' });
    case 'section':
      return el(
        'div',
        { class: 'bk-section', 'data-block-id': block.block_id },
        el(
          'div',
          { class: 'text' },
          block.text ? textObject(block.text) : null,
          block.fields ? el('div', { class: 'fields' }, block.fields.map(textObject)) : null,
        ),
        block.accessory ? renderElement(block.accessory, block, where) : null,
      );
    case 'context':
      return el(
        'div',
        { class: 'bk-context' },
        (block.elements ?? []).map((e) => (e.type === 'image' ? el('span', {}, `[${e.alt_text}]`) : textObject(e))),
      );
    case 'actions':
      return el(
        'div',
        { class: 'bk-actions', 'data-block-id': block.block_id },
        (block.elements ?? []).map((e) => renderElement(e, block, where)),
      );
    case 'input':
      return renderInput(block, where);
    case 'image':
      return el('p', { class: 'bk-context' }, `[image: ${block.alt_text}]`);
    case 'markdown':
      return mrkdwn(block.text ?? '');
    case 'rich_text':
      return el('div', { class: 'mrkdwn' }, richText(block.elements));
    default:
      return null;
  }
}

function richText(elements) {
  return (elements ?? []).map((e) => (e.type === 'text' ? e.text : e.elements ? richText(e.elements) : e.type === 'link' ? (e.text ?? e.url) : ''));
}

function valuesOf(viewId) {
  if (!entered.has(viewId)) entered.set(viewId, {});
  return entered.get(viewId);
}

function setEntered(where, block, element, value) {
  if (!where.viewId) return;
  const values = valuesOf(where.viewId);
  values[block.block_id] ??= {};
  values[block.block_id][element.action_id] = value;
}

function enteredFor(where, block, element) {
  return where.viewId ? entered.get(where.viewId)?.[block.block_id]?.[element.action_id] : undefined;
}

async function confirmed(confirm) {
  if (!confirm) return true;
  return new Promise((resolve) => {
    const layer = $('confirm-layer');
    const done = (answer) => {
      layer.hidden = true;
      layer.replaceChildren();
      resolve(answer);
    };
    const title = plain(confirm.title);
    layer.replaceChildren(
      el(
        'div',
        { class: 'dialog', role: 'alertdialog', 'aria-modal': 'true', 'aria-label': title },
        el('header', {}, el('h2', {}, title)),
        el('div', { class: 'body' }, textObject(confirm.text)),
        el(
          'footer',
          {},
          el('button', { type: 'button', class: 'bk-button', onclick: () => done(false) }, plain(confirm.deny) || 'Cancel'),
          el('button', { type: 'button', class: `bk-button ${confirm.style ?? 'primary'}`, onclick: () => done(true) }, plain(confirm.confirm) || 'Yes'),
        ),
      ),
    );
    layer.hidden = false;
  });
}

/** Tells the app about a click or a choice (block_actions), with the view's state when it happened in a view. */
async function act(where, block, element, value) {
  const whereBody = where.viewId ? { viewId: where.viewId } : { channel: where.channel, ts: where.ts };
  return post('/console/action', {
    where: whereBody,
    blockId: block.block_id,
    actionId: element.action_id,
    entered: value,
    values: where.viewId ? valuesOf(where.viewId) : undefined,
  });
}

/** A choice in an input block only changes the form, unless the app asked to hear of it (dispatch_action). */
const dispatches = (block) => block.type !== 'input' || block.dispatch_action === true;

function renderElement(element, block, where) {
  switch (element.type) {
    case 'button': {
      const style = element.style ? ` ${element.style}` : '';
      return el(
        'button',
        {
          type: 'button',
          class: `bk-button${style}`,
          onclick: async () => {
            if (!(await confirmed(element.confirm))) return;
            if (/^https?:/.test(element.url ?? '')) window.open(element.url, '_blank', 'noopener,noreferrer');
            await act(where, block, element);
          },
        },
        plain(element.text),
      );
    }
    case 'overflow':
      return overflowMenu(element, block, where);
    case 'static_select':
    case 'multi_static_select':
      return staticSelect(element, block, where);
    case 'external_select':
    case 'multi_external_select':
      return externalSelect(element, block, where);
    case 'checkboxes':
    case 'radio_buttons':
      return choiceList(element, block, where);
    default:
      return null;
  }
}

function overflowMenu(element, block, where) {
  const menu = el('div', { class: 'menu', role: 'menu', hidden: true });
  const toggle = el(
    'button',
    { type: 'button', class: 'bk-button', 'aria-label': 'More actions', 'aria-haspopup': 'menu', onclick: () => (menu.hidden = !menu.hidden) },
    '⋯',
  );
  menu.append(
    ...element.options.map((option) =>
      el(
        'button',
        {
          type: 'button',
          role: 'menuitem',
          onclick: async () => {
            menu.hidden = true;
            if (!(await confirmed(element.confirm))) return;
            await act(where, block, element, { selected: [option.value] });
          },
        },
        plain(option.text),
      ),
    ),
  );
  return el('div', { class: 'overflow' }, toggle, menu);
}

const allOptions = (element) => [...(element.options ?? []), ...(element.option_groups ?? []).flatMap((g) => g.options)];

function staticSelect(element, block, where) {
  const multi = element.type === 'multi_static_select';
  const before =
    enteredFor(where, block, element)?.selected ?? [element.initial_option, ...(element.initial_options ?? [])].filter(Boolean).map((o) => o.value);
  const option = (o) => el('option', { value: o.value, selected: before.includes(o.value) }, plain(o.text));
  const select = el(
    'select',
    {
      multiple: multi,
      id: `${block.block_id}-${element.action_id}`,
      'aria-label': where.form ? undefined : plain(element.placeholder) || 'Choose',
      onchange: async () => {
        const value = { selected: [...select.selectedOptions].map((o) => o.value).filter(Boolean) };
        setEntered(where, block, element, value);
        if (!dispatches(block)) return;
        if (!(await confirmed(element.confirm))) return;
        await act(where, block, element, value);
      },
    },
    multi ? null : el('option', { value: '' }, plain(element.placeholder) || 'Choose an option'),
    element.option_groups
      ? element.option_groups.map((g) => el('optgroup', { label: plain(g.label) }, g.options.map(option)))
      : allOptions(element).map(option),
  );
  return select;
}

/** An external select: what you type goes to the app as block_suggestion; its options are offered to pick from. */
function externalSelect(element, block, where) {
  const multi = element.type === 'multi_external_select';
  let chosen =
    enteredFor(where, block, element)?.options ??
    [element.initial_option, ...(element.initial_options ?? [])].filter(Boolean).map((o) => ({ text: plain(o.text), value: o.value }));
  const chips = el('div', { class: 'chips' });
  const list = el('div', { class: 'menu', role: 'listbox', hidden: true });
  const label = where.label ?? (plain(element.placeholder) || 'Search');
  const input = el('input', {
    type: 'text',
    id: `${block.block_id}-${element.action_id}`,
    role: 'combobox',
    'aria-label': label,
    'aria-expanded': 'false',
    autocomplete: 'off',
    placeholder: plain(element.placeholder),
  });
  const showChosen = () => {
    chips.replaceChildren(...chosen.map((o) => el('span', { class: 'chip' }, o.text)));
    if (!multi) input.value = chosen[0]?.text ?? '';
  };
  let timer;
  let asked = 0;
  input.addEventListener('input', () => {
    clearTimeout(timer);
    const typed = input.value;
    if (typed.length < (element.min_query_length ?? 3)) return;
    timer = setTimeout(async () => {
      const ask = ++asked;
      const answer = await post('/console/suggest', {
        where: where.viewId ? { viewId: where.viewId } : { channel: where.channel, ts: where.ts },
        blockId: block.block_id,
        actionId: element.action_id,
        typed,
        values: where.viewId ? valuesOf(where.viewId) : undefined,
      });
      if (ask !== asked || !answer.ok) return;
      const options = [...(answer.options ?? []), ...(answer.optionGroups ?? []).flatMap((g) => g.options ?? [])];
      list.replaceChildren(
        ...(options.length ? options : [{ none: true }]).map((o) =>
          o.none
            ? el('div', { class: 'empty' }, 'No results')
            : el(
                'div',
                {
                  role: 'option',
                  tabindex: '-1',
                  onclick: async () => {
                    const picked = { text: plain(o.text), value: o.value };
                    chosen = multi ? [...chosen.filter((c) => c.value !== o.value), picked] : [picked];
                    list.hidden = true;
                    input.setAttribute('aria-expanded', 'false');
                    showChosen();
                    if (multi) input.value = '';
                    const value = { options: chosen };
                    setEntered(where, block, element, value);
                    if (dispatches(block) && (await confirmed(element.confirm))) await act(where, block, element, value);
                  },
                },
                plain(o.text),
              ),
        ),
      );
      list.hidden = false;
      input.setAttribute('aria-expanded', 'true');
    }, 250);
  });
  showChosen();
  return el('div', { class: 'combo' }, input, multi ? chips : null, list);
}

function choiceList(element, block, where) {
  const radio = element.type === 'radio_buttons';
  const before =
    enteredFor(where, block, element)?.selected ?? [element.initial_option, ...(element.initial_options ?? [])].filter(Boolean).map((o) => o.value);
  const name = `${block.block_id}-${element.action_id}`;
  const group = el('div', { role: radio ? 'radiogroup' : 'group', 'aria-label': where.label });
  const inputs = element.options.map((o) => el('input', { type: radio ? 'radio' : 'checkbox', name, value: o.value, checked: before.includes(o.value) }));
  group.addEventListener('change', async () => {
    const value = { selected: inputs.filter((i) => i.checked).map((i) => i.value) };
    setEntered(where, block, element, value);
    if (dispatches(block)) await act(where, block, element, value);
  });
  element.options.forEach((o, i) => {
    group.append(el('label', {}, inputs[i], ' ', plain(o.text), o.description ? el('span', { class: 'hint' }, ` — ${plain(o.description)}`) : null), el('br'));
  });
  return group;
}

function textInput(element, block, where) {
  const id = `${block.block_id}-${element.action_id}`;
  const before = enteredFor(where, block, element)?.value ?? element.initial_value ?? '';
  const attributes = { id, placeholder: plain(element.placeholder), maxlength: element.max_length, value: element.multiline ? undefined : before };
  const input = element.multiline ? el('textarea', attributes, before) : el('input', { type: 'text', ...attributes });
  input.addEventListener('input', () => setEntered(where, block, element, { value: input.value }));
  return input;
}

function fileInput(element, block, where) {
  const id = `${block.block_id}-${element.action_id}`;
  const accept = (element.filetypes ?? []).map((t) => `.${t}`).join(',') || undefined;
  const input = el('input', { type: 'file', id, accept, multiple: (element.max_files ?? 10) > 1 });
  const status = el('span', { class: 'hint' });
  input.addEventListener('change', async () => {
    const ids = [];
    for (const file of input.files) {
      status.textContent = `Uploading ${file.name}…`;
      const id = await attach(file);
      if (id) ids.push(id);
    }
    status.textContent = ids.length ? `${ids.length} file${ids.length > 1 ? 's' : ''} attached` : '';
    setEntered(where, block, element, { fileIds: ids });
  });
  return el('span', {}, input, ' ', status);
}

function renderInput(block, where) {
  const element = block.element;
  const label = plain(block.label);
  const id = `${block.block_id}-${element.action_id}`;
  const error = where.errors?.[block.block_id];
  const inner = { ...where, label };
  let control;
  if (element.type === 'plain_text_input' || element.type === 'email_text_input' || element.type === 'url_text_input' || element.type === 'number_input')
    control = textInput(element, block, inner);
  else if (element.type === 'file_input') control = fileInput(element, block, inner);
  else control = renderElement(element, block, inner);
  const labelled = ['checkboxes', 'radio_buttons'].includes(element.type);
  const errorId = `${id}-error`;
  if (control && error) {
    const focusable = control.matches('input, select, textarea') ? control : control.querySelector('input, select, textarea');
    focusable?.setAttribute('aria-invalid', 'true');
    focusable?.setAttribute('aria-describedby', errorId);
  }
  return el(
    'div',
    { class: `bk-input${error ? ' invalid' : ''}`, 'data-block-id': block.block_id },
    labelled ? el('span', { class: 'label' }, label) : el('label', { for: id }, label, block.optional ? el('span', { class: 'hint' }, ' (optional)') : null),
    control,
    block.hint ? el('p', { class: 'hint' }, plain(block.hint)) : null,
    error ? el('p', { class: 'error', id: errorId, role: 'alert' }, error) : null,
  );
}

// ---- Places -------------------------------------------------------------------------------------------------------

function messageNode(message, replies) {
  const where = { channel: message.channel, ts: message.ts };
  const time = new Date(Number(message.ts.split('.')[0]) * 1000).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });
  const classes = ['message', message.ephemeral ? 'ephemeral' : '', message.notice ? 'notice' : ''].filter(Boolean).join(' ');
  let body;
  if (message.notice)
    body = el(
      'div',
      {},
      el('p', {}, message.notice.title),
      message.notice.details.length
        ? el(
            'ul',
            {},
            message.notice.details.map((d) => el('li', {}, d)),
          )
        : null,
    );
  else if (message.blocks?.length) body = el('div', { class: 'blocks' }, renderBlocks(message.blocks, where));
  else body = message.text ? mrkdwn(message.text) : null;
  return el(
    'article',
    { class: classes, 'data-ts': message.ts, 'aria-label': `Message from ${message.author}` },
    el(
      'header',
      {},
      el('span', { class: 'author' }, message.author),
      message.fromApp ? el('span', { class: 'app-badge' }, 'APP') : null,
      el('time', { datetime: new Date(Number(message.ts.split('.')[0]) * 1000).toISOString() }, time),
      message.ephemeral ? el('span', { class: 'only-you' }, 'Only visible to you') : null,
      message.edited ? el('span', { class: 'edited' }, '(edited)') : null,
    ),
    body,
    (message.attachments ?? []).map((a) => el('div', { class: 'attachment' }, a.blocks ? renderBlocks(a.blocks, where) : a.text ? mrkdwn(a.text) : null)),
    message.files.length
      ? el(
          'div',
          { class: 'files' },
          message.files.map((f) => el('a', { class: 'file', href: f.url, download: f.name }, `📎 ${f.title} (${f.size} bytes)`)),
        )
      : null,
    replies?.length
      ? el(
          'div',
          { class: 'thread', 'aria-label': 'Thread' },
          replies.map((r) => messageNode(r)),
        )
      : null,
  );
}

/** Drawn messages by channel and ts, with what they were drawn from: an unchanged message keeps its node (and an open menu). */
const drawn = new Map();

function renderMessages() {
  const list = $('messages');
  const here = state.messages.filter((m) => m.channel === place.id);
  const replies = new Map();
  for (const m of here) if (m.threadTs && m.threadTs !== m.ts) replies.set(m.threadTs, [...(replies.get(m.threadTs) ?? []), m]);
  const top = here.filter((m) => !m.threadTs || m.threadTs === m.ts || !here.some((p) => p.ts === m.threadTs));
  const stick = list.scrollTop + list.clientHeight >= list.scrollHeight - 40;
  const nodes = top.map((m) => {
    const key = `${m.channel}/${m.ts}`;
    const source = JSON.stringify([m, replies.get(m.ts), state.users]);
    const known = drawn.get(key);
    if (known?.source === source) return known.node;
    const node = messageNode(m, replies.get(m.ts));
    drawn.set(key, { source, node });
    return node;
  });
  const wanted = nodes.length ? nodes : [el('p', { class: 'empty' }, 'No messages yet. Type a command below.')];
  // Nodes that stay are never moved: a native menu open in one of them stays open.
  const keep = new Set(wanted);
  for (const child of [...list.children]) if (!keep.has(child)) child.remove();
  wanted.forEach((node, i) => {
    if (list.children[i] !== node) list.insertBefore(node, list.children[i] ?? null);
  });
  if (stick) list.scrollTop = list.scrollHeight;
}

function renderHome() {
  const home = state.home;
  const key = home ? `${home.id}:${home.hash}` : '';
  if (key === shownHome) return;
  shownHome = key;
  $('home').replaceChildren(
    ...(home ? renderBlocks(home.view.blocks, { viewId: home.id }) : [el('p', { class: 'empty' }, 'Roster has not published a Home tab for you yet.')]),
  );
}

function renderOutbox() {
  const mails = [...state.outbox].reverse();
  const linkified = (text) =>
    text
      .split(/(https?:\/\/[^\s]+)/)
      .map((part, i) => (i % 2 ? el('a', { href: part, target: '_blank', rel: 'noopener noreferrer' }, part) : document.createTextNode(part)));
  $('outbox').replaceChildren(
    el('p', { class: 'hint' }, 'Mail Roster sent while SMTP_URL is unset. Nothing leaves this machine.'),
    ...(mails.length
      ? mails.map((mail) =>
          el(
            'article',
            { class: 'mail', 'aria-label': mail.subject },
            el('h3', {}, mail.subject),
            el('p', { class: 'hint' }, `To ${mail.to} · ${new Date(mail.at).toLocaleString('en-GB')}`),
            el('pre', {}, linkified(mail.text)),
          ),
        )
      : [el('p', { class: 'empty' }, 'No mail yet.')]),
  );
}

function renderModal() {
  const layer = $('modal-layer');
  const modal = state.modal;
  const key = modal ? `${modal.id}:${modal.hash}:${JSON.stringify(modal.errors)}` : '';
  if (key === shownModal) return;
  shownModal = key;
  if (!modal) {
    layer.hidden = true;
    layer.replaceChildren();
    return;
  }
  const { view } = modal;
  const title = plain(view.title);
  const where = { viewId: modal.id, form: true, errors: modal.errors };
  const formError = el('p', { class: 'form-error', role: 'alert', hidden: true });
  const submit = async () => {
    const answer = await post('/console/submit', { viewId: modal.id, values: valuesOf(modal.id) });
    if (!answer.ok) {
      formError.textContent = answer.error;
      formError.hidden = false;
    }
  };
  const close = () => post('/console/close', { viewId: modal.id });
  layer.replaceChildren(
    el(
      'div',
      { class: 'dialog', role: 'dialog', 'aria-modal': 'true', 'aria-label': title },
      el('header', {}, el('h2', {}, title), el('button', { type: 'button', class: 'close-x', 'aria-label': 'Close', onclick: close }, '×')),
      el('div', { class: 'body' }, formError, renderBlocks(view.blocks, where)),
      el(
        'footer',
        {},
        el('button', { type: 'button', class: 'bk-button', onclick: close }, plain(view.close) || 'Cancel'),
        view.submit ? el('button', { type: 'button', class: 'bk-button primary', onclick: submit }, plain(view.submit)) : null,
      ),
    ),
  );
  layer.hidden = false;
  layer.querySelector('input, select, textarea')?.focus();
}

function renderSidebar() {
  const picker = $('identity');
  if (!picker.options.length) {
    picker.append(...state.identities.map((i) => el('option', { value: i.key }, `${i.name} (${i.role})`)));
    picker.addEventListener('change', () => {
      me = picker.value;
      sessionStorage.setItem('roster-console-as', me);
      entered.clear();
      drawn.clear();
      shownModal = '';
      shownHome = '';
      if (place.kind !== 'outbox' && place.id?.startsWith('D')) place = { kind: 'channel', id: 'C0ROSTER' };
      restartPolling();
    });
  }
  picker.value = me;
  const button = (label, target, current) =>
    el('li', {}, el('button', { type: 'button', class: 'place', 'aria-current': current ? 'true' : 'false', onclick: () => go(target) }, label));
  $('channels').replaceChildren(
    ...state.channels.filter((c) => !c.dm).map((c) => button(`# ${c.name}`, { kind: 'channel', id: c.id }, place.kind === 'channel' && place.id === c.id)),
  );
  const dm = state.channels.find((c) => c.dm);
  $('apps').replaceChildren(dm ? button('Roster', { kind: 'home', id: dm.id }, place.id === dm.id && place.kind !== 'channel') : '');
  if (dm && place.kind === 'dm') place.id = dm.id;
  $('outbox-link').setAttribute('aria-current', place.kind === 'outbox' ? 'true' : 'false');
  $('outbox-count').textContent = state.outbox.length ? String(state.outbox.length) : '';
}

function go(target) {
  const openingHome = target.kind === 'home' && place.kind !== 'home';
  place = target;
  render();
  if (openingHome) post('/console/home', {});
}

function render() {
  if (!state) return;
  renderSidebar();
  const dm = state.channels.find((c) => c.dm);
  const inApp = place.kind === 'home' || place.kind === 'dm';
  $('tabs').hidden = !inApp;
  $('tab-home').setAttribute('aria-selected', String(place.kind === 'home'));
  $('tab-messages').setAttribute('aria-selected', String(place.kind === 'dm'));
  $('messages').hidden = !(place.kind === 'channel' || place.kind === 'dm');
  $('home').hidden = place.kind !== 'home';
  $('outbox').hidden = place.kind !== 'outbox';
  $('composer').hidden = !(place.kind === 'channel' || place.kind === 'dm');
  if (place.kind === 'dm' && dm) place.id = dm.id;
  const channel = state.channels.find((c) => c.id === place.id);
  const title = place.kind === 'outbox' ? 'Outbox' : inApp ? 'Roster' : `#${channel?.name ?? place.id}`;
  $('place-title').textContent = title;
  $('composer-input').setAttribute('aria-label', `Message ${title}`);
  if (!$('messages').hidden) renderMessages();
  if (place.kind === 'home') renderHome();
  if (place.kind === 'outbox') renderOutbox();
  renderModal();
}

function restartPolling() {
  polling?.abort();
  const controller = new AbortController();
  polling = controller;
  let version = -1;
  (async () => {
    while (!controller.signal.aborted) {
      try {
        const response = await fetch(`/console/state?as=${encodeURIComponent(me)}&since=${version}`, { headers: HEADERS, signal: controller.signal });
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        state = await response.json();
        version = state.version;
        render();
      } catch {
        if (controller.signal.aborted) return;
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
  })();
}

/** Hands a file to the console, as Slack keeps a file you attach; answers its ID. */
async function attach(file) {
  const response = await fetch(`/console/attach?as=${encodeURIComponent(me)}&name=${encodeURIComponent(file.name)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream', 'x-roster-console': '1' },
    body: file,
  });
  const answer = await response.json();
  if (!answer.ok) $('status').textContent = answer.error;
  return answer.ok ? answer.file.id : undefined;
}

$('composer').addEventListener('submit', async (event) => {
  event.preventDefault();
  const input = $('composer-input');
  const picker = $('composer-file');
  const text = input.value.trim();
  if (!text && !picker.files.length) return;
  const fileIds = [];
  for (const file of picker.files) fileIds.push(await attach(file));
  input.value = '';
  picker.value = '';
  await post('/console/command', { channel: place.id, text, fileIds: fileIds.filter(Boolean) });
});
$('tab-home').addEventListener('click', () => go({ kind: 'home', id: place.id }));
$('tab-messages').addEventListener('click', () => go({ kind: 'dm', id: place.id }));
$('outbox-link').addEventListener('click', () => go({ kind: 'outbox' }));
document.addEventListener('keydown', (event) => {
  if (event.key !== 'Escape') return;
  if (!$('confirm-layer').hidden) $('confirm-layer').querySelector('footer button')?.click();
  else if (!$('modal-layer').hidden) $('modal-layer').querySelector('.close-x')?.click();
});
restartPolling();
