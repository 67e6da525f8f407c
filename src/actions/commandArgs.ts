import { RefusedError } from '../domain/errors.ts';

/** How an action reads words typed after its verb, in Slack (`/user lock alice --reason "left"`) and in the CLI. */
export interface CommandSpec {
  /** Shown in usage, after the verb: e.g. `<who> [--until <date>]`; the flags that carry their own usage follow it. */
  usage: string;
  /** Input fields taken from the words in order. */
  positional: readonly string[];
  flags?: Readonly<Record<string, { field: string; type: 'string' | 'boolean'; usage?: string }>>;
  /** Other words that name the action ("ban" for deactivate, as some consoles call it). */
  synonyms?: readonly string[];
  /** What an @mention stands for: the account with that person's Slack email (default), or the Slack user. */
  mentions?: 'account' | 'slack-user';
}

/** Turns words into the action's raw input; the action's zod schema then checks the values. */
export function commandInput(verb: string, spec: CommandSpec, words: readonly string[]): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  const positional: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (!word.startsWith('--')) {
      positional.push(word);
      continue;
    }
    const name = word.slice(2);
    const flag = spec.flags?.[name];
    if (!flag) throw usageRefusal(verb, spec, `${verb} has no option ${word}.`);
    if (flag.type === 'boolean') {
      input[flag.field] = true;
      continue;
    }
    const value = words[++i];
    if (value === undefined || value.startsWith('--')) throw usageRefusal(verb, spec, `${word} needs a value.`);
    input[flag.field] = value;
  }
  if (positional.length < spec.positional.length) throw usageRefusal(verb, spec, `${verb} needs ${positionalWords(spec).slice(positional.length).join(' ')}.`);
  if (positional.length > spec.positional.length)
    throw usageRefusal(verb, spec, `Unexpected “${positional.slice(spec.positional.length).join(' ')}”; put text with spaces in double quotes ("like this").`);
  for (const [i, field] of spec.positional.entries()) input[field] = positional[i];
  return input;
}

/** A problem with what was typed, with the command's usage after it. */
export function usageRefusal(verb: string, spec: CommandSpec, problem: string): RefusedError {
  const sentence = /[.!?]$/.test(problem) ? problem : `${problem}.`;
  return new RefusedError(`${sentence} Usage: ${verb} ${commandUsage(spec)}`, 'invalid-input');
}

/** The positional words as usage shows them (`<@someone>`, `<new name>`, `on|off`), in order. */
function positionalWords(spec: CommandSpec): string[] {
  const [leading = ''] = spec.usage.split('[');
  return (leading.match(/<[^>]+>|\S+/g) ?? []).slice(0, spec.positional.length);
}

/** What follows the verb in usage: the action's own words, then each shared flag's (`[--reason <text>]`). */
export function commandUsage(spec: CommandSpec): string {
  const shared = Object.values(spec.flags ?? {}).flatMap((flag) => (flag.usage ? [flag.usage] : []));
  return [spec.usage, ...shared].filter(Boolean).join(' ');
}
