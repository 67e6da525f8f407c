// Block Kit's limits as Slack enforces them: a payload beyond them is refused with `invalid_blocks`. The local console
// answers the app with this, and the tests' fake Slack does too, so a card that would fail in Slack fails everywhere.

type Json = Record<string, any>;

const MAX_BLOCKS = { message: 50, modal: 100, home: 100 } as const;

const KNOWN_BLOCK_TYPES = new Set([
  'section',
  'divider',
  'header',
  'context',
  'actions',
  'input',
  'image',
  'rich_text',
  'video',
  'file',
  'markdown',
  'table',
  'call',
]);

/**
 * The Block Kit problems real Slack would refuse `payload` for, each naming its path
 * (`blocks[3].text.text: longer than 3000`); [] when valid. For 'modal' and 'home' the payload
 * is the view object (a `{ view }` wrapper is unwrapped); for 'message' it is the message
 * arguments (`blocks`, and `attachments[].blocks`).
 */
export function blockKitErrors(surface: 'message' | 'modal' | 'home', payload: Record<string, any>): string[] {
  const v = new Validator();
  if (surface === 'message') {
    v.blockList('blocks', decodeIfString(payload.blocks), MAX_BLOCKS.message);
    const attachments = decodeIfString(payload.attachments);
    if (Array.isArray(attachments)) {
      attachments.forEach((a: unknown, i) => {
        if (isObject(a)) v.blockList(`attachments[${i}].blocks`, decodeIfString(a.blocks), MAX_BLOCKS.message);
      });
    }
  } else {
    const view = payload.blocks === undefined && isObject(payload.view) ? payload.view : payload;
    v.view(surface, view);
  }
  return v.errors;
}

function decodeIfString(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Slack counts characters, not UTF-16 code units. */
function charCount(s: string): number {
  return [...s].length;
}

interface TextRules {
  max: number;
  plainOnly?: boolean;
  required?: boolean;
}

class Validator {
  readonly errors: string[] = [];
  private readonly blockIds = new Map<string, string>();
  /** Where the blocks are shown: Slack takes a file input only in a modal's input block. */
  private surface: 'message' | 'modal' | 'home' = 'message';

  private fail(path: string, problem: string): void {
    this.errors.push(`${path}: ${problem}`);
  }

  view(surface: 'modal' | 'home', view: Json): void {
    this.surface = surface;
    if (view.type !== surface) this.fail('type', `must be "${surface}"`);
    if (surface === 'modal') {
      this.text('title', view.title, { max: 24, plainOnly: true, required: true });
      this.text('submit', view.submit, { max: 24, plainOnly: true });
      this.text('close', view.close, { max: 24, plainOnly: true });
      if (Array.isArray(view.blocks) && view.blocks.some((b: unknown) => isObject(b) && b.type === 'input') && view.submit === undefined) {
        this.fail('submit', 'required when the view has input blocks');
      }
    }
    this.maxLength('private_metadata', view.private_metadata, 3000);
    this.maxLength('callback_id', view.callback_id, 255);
    this.maxLength('external_id', view.external_id, 255);
    this.blockList('blocks', decodeIfString(view.blocks), MAX_BLOCKS[surface], true);
  }

  blockList(path: string, blocks: unknown, max: number, required = false): void {
    if (blocks === undefined) {
      if (required) this.fail(path, 'required');
      return;
    }
    if (!Array.isArray(blocks)) return this.fail(path, 'must be an array');
    this.count(path, blocks, max);
    blocks.forEach((block: unknown, i) => this.block(`${path}[${i}]`, block));
  }

  private block(path: string, block: unknown): void {
    if (!isObject(block)) return this.fail(path, 'must be an object');
    if (!KNOWN_BLOCK_TYPES.has(block.type)) return this.fail(`${path}.type`, `unknown block type "${String(block.type)}"`);
    if (block.block_id !== undefined) {
      if (this.maxLength(`${path}.block_id`, block.block_id, 255)) {
        const earlier = this.blockIds.get(block.block_id);
        if (earlier !== undefined) this.fail(`${path}.block_id`, `duplicate "${block.block_id}" (also at ${earlier})`);
        else this.blockIds.set(block.block_id, path);
      }
    }
    const actionIds = new Map<string, string>();
    switch (block.type) {
      case 'section':
        if (block.text === undefined && block.fields === undefined) this.fail(path, 'must have text or fields');
        this.text(`${path}.text`, block.text, { max: 3000 });
        if (block.fields !== undefined) {
          if (!Array.isArray(block.fields)) this.fail(`${path}.fields`, 'must be an array');
          else {
            this.count(`${path}.fields`, block.fields, 10);
            block.fields.forEach((f: unknown, i) => this.text(`${path}.fields[${i}]`, f, { max: 2000, required: true }));
          }
        }
        if (block.accessory !== undefined) this.element(`${path}.accessory`, block.accessory, actionIds, 'outside-input');
        break;
      case 'header':
        this.text(`${path}.text`, block.text, { max: 150, plainOnly: true, required: true });
        break;
      case 'context':
        if (!this.nonEmptyArray(`${path}.elements`, block.elements)) break;
        this.count(`${path}.elements`, block.elements, 10);
        block.elements.forEach((e: unknown, i: number) => {
          const p = `${path}.elements[${i}]`;
          if (isObject(e) && e.type === 'image') this.image(p, e);
          else this.text(p, e, { max: 3000, required: true });
        });
        break;
      case 'actions':
        if (!this.nonEmptyArray(`${path}.elements`, block.elements)) break;
        this.count(`${path}.elements`, block.elements, 25);
        block.elements.forEach((e: unknown, i: number) => this.element(`${path}.elements[${i}]`, e, actionIds, 'outside-input'));
        break;
      case 'input':
        this.text(`${path}.label`, block.label, { max: 2000, plainOnly: true, required: true });
        this.text(`${path}.hint`, block.hint, { max: 2000, plainOnly: true });
        if (block.element === undefined) this.fail(`${path}.element`, 'required');
        else this.element(`${path}.element`, block.element, actionIds);
        break;
      case 'image':
        this.image(path, block);
        this.text(`${path}.title`, block.title, { max: 2000, plainOnly: true });
        break;
      case 'markdown':
        this.maxLength(`${path}.text`, block.text, 12000);
        break;
    }
  }

  private image(path: string, image: Json): void {
    if (!image.image_url && !image.slack_file) this.fail(`${path}.image_url`, 'required');
    this.maxLength(`${path}.image_url`, image.image_url, 3000);
    if (typeof image.alt_text !== 'string' || image.alt_text === '') this.fail(`${path}.alt_text`, 'required');
    else this.maxLength(`${path}.alt_text`, image.alt_text, 2000);
  }

  private element(path: string, el: unknown, actionIds: Map<string, string>, where: 'input' | 'outside-input' = 'input'): void {
    if (!isObject(el)) return this.fail(path, 'must be an object');
    if (el.type === 'image') return this.image(path, el);
    if (el.action_id !== undefined && this.maxLength(`${path}.action_id`, el.action_id, 255)) {
      const earlier = actionIds.get(el.action_id);
      if (earlier !== undefined) this.fail(`${path}.action_id`, `duplicate "${el.action_id}" in this block (also at ${earlier})`);
      else actionIds.set(el.action_id, path);
    }
    if (el.confirm !== undefined) this.confirm(`${path}.confirm`, el.confirm);
    this.text(`${path}.placeholder`, el.placeholder, { max: 150, plainOnly: true });

    switch (el.type) {
      case 'button':
        this.text(`${path}.text`, el.text, { max: 75, plainOnly: true, required: true });
        this.maxLength(`${path}.value`, el.value, 2000);
        this.maxLength(`${path}.url`, el.url, 3000);
        if (el.style !== undefined && el.style !== 'primary' && el.style !== 'danger') this.fail(`${path}.style`, 'must be "primary" or "danger"');
        break;
      case 'overflow':
        if (!this.nonEmptyArray(`${path}.options`, el.options)) break;
        this.count(`${path}.options`, el.options, 5);
        this.options(`${path}.options`, el.options, true);
        break;
      case 'radio_buttons':
      case 'checkboxes':
        if (!this.nonEmptyArray(`${path}.options`, el.options)) break;
        this.count(`${path}.options`, el.options, 10);
        this.options(`${path}.options`, el.options, false);
        break;
      case 'static_select':
      case 'multi_static_select':
        this.staticSelect(path, el);
        break;
      case 'file_input':
        if (where !== 'input' || this.surface !== 'modal') this.fail(`${path}.type`, 'a file_input works only in an input block of a modal');
        if (el.max_files !== undefined && !(Number.isInteger(el.max_files) && el.max_files >= 1 && el.max_files <= 10))
          this.fail(`${path}.max_files`, 'must be a whole number from 1 to 10');
        if (el.filetypes !== undefined && !(Array.isArray(el.filetypes) && el.filetypes.every((type: unknown) => typeof type === 'string' && type !== '')))
          this.fail(`${path}.filetypes`, 'must be an array of file extensions');
        break;
      case 'plain_text_input':
        this.maxLength(`${path}.initial_value`, el.initial_value, 3000);
        if (typeof el.max_length === 'number' && el.max_length > 3000) this.fail(`${path}.max_length`, 'more than 3000');
        break;
    }
    if (isObject(el.initial_option)) this.option(`${path}.initial_option`, el.initial_option, el.type === 'radio_buttons');
    if (Array.isArray(el.initial_options))
      el.initial_options.forEach((o: unknown, i: number) => this.option(`${path}.initial_options[${i}]`, o, el.type === 'checkboxes'));
  }

  private staticSelect(path: string, el: Json): void {
    if (el.options !== undefined && el.option_groups !== undefined) this.fail(path, 'options and option_groups are mutually exclusive');
    let total = 0;
    if (el.options !== undefined && this.nonEmptyArray(`${path}.options`, el.options)) {
      total += el.options.length;
      this.options(`${path}.options`, el.options, true);
    }
    if (el.option_groups !== undefined && this.nonEmptyArray(`${path}.option_groups`, el.option_groups)) {
      this.count(`${path}.option_groups`, el.option_groups, 100);
      el.option_groups.forEach((g: unknown, i: number) => {
        const gp = `${path}.option_groups[${i}]`;
        if (!isObject(g)) return this.fail(gp, 'must be an object');
        this.text(`${gp}.label`, g.label, { max: 75, plainOnly: true, required: true });
        if (this.nonEmptyArray(`${gp}.options`, g.options)) {
          total += g.options.length;
          this.options(`${gp}.options`, g.options, true);
        }
      });
    }
    if (el.options === undefined && el.option_groups === undefined) this.fail(`${path}.options`, 'required');
    if (total > 100) this.fail(el.options !== undefined ? `${path}.options` : `${path}.option_groups`, `more than 100 options (${total})`);
  }

  private options(path: string, options: unknown[], plainOnly: boolean): void {
    options.forEach((o, i) => this.option(`${path}[${i}]`, o, plainOnly));
  }

  private option(path: string, option: unknown, plainOnly: boolean): void {
    if (!isObject(option)) return this.fail(path, 'must be an object');
    this.text(`${path}.text`, option.text, { max: 75, plainOnly, required: true });
    this.text(`${path}.description`, option.description, { max: 75, plainOnly });
    if (typeof option.value !== 'string' || option.value === '') this.fail(`${path}.value`, 'required');
    else this.maxLength(`${path}.value`, option.value, 150);
    this.maxLength(`${path}.url`, option.url, 3000);
  }

  private confirm(path: string, confirm: unknown): void {
    if (!isObject(confirm)) return this.fail(path, 'must be an object');
    this.text(`${path}.title`, confirm.title, { max: 100, plainOnly: true, required: true });
    this.text(`${path}.text`, confirm.text, { max: 300, required: true });
    this.text(`${path}.confirm`, confirm.confirm, { max: 30, plainOnly: true, required: true });
    this.text(`${path}.deny`, confirm.deny, { max: 30, plainOnly: true, required: true });
    if (confirm.style !== undefined && confirm.style !== 'primary' && confirm.style !== 'danger') this.fail(`${path}.style`, 'must be "primary" or "danger"');
  }

  private text(path: string, t: unknown, rules: TextRules): void {
    if (t === undefined) {
      if (rules.required) this.fail(path, 'required');
      return;
    }
    if (!isObject(t)) return this.fail(path, 'must be a text object');
    if (t.type !== 'plain_text' && t.type !== 'mrkdwn') return this.fail(`${path}.type`, 'must be "plain_text" or "mrkdwn"');
    if (rules.plainOnly && t.type !== 'plain_text') this.fail(`${path}.type`, 'must be "plain_text"');
    if (typeof t.text !== 'string' || t.text === '') return this.fail(`${path}.text`, 'must not be empty');
    this.maxLength(`${path}.text`, t.text, rules.max);
  }

  /** Reports a non-string or a string longer than `max`; true when the value is a string within bounds. */
  private maxLength(path: string, value: unknown, max: number): boolean {
    if (value === undefined) return false;
    if (typeof value !== 'string') {
      this.fail(path, 'must be a string');
      return false;
    }
    if (charCount(value) > max) {
      this.fail(path, `longer than ${max}`);
      return false;
    }
    return true;
  }

  private count(path: string, items: unknown[], max: number): void {
    if (items.length > max) this.fail(path, `more than ${max} items (${items.length})`);
  }

  private nonEmptyArray(path: string, value: unknown): value is unknown[] {
    if (!Array.isArray(value)) {
      this.fail(path, value === undefined ? 'required' : 'must be an array');
      return false;
    }
    if (value.length === 0) {
      this.fail(path, 'must not be empty');
      return false;
    }
    return true;
  }
}
