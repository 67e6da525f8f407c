import { z } from 'zod';
import type { AnyAction } from './action.ts';

/**
 * One value a person gives an account action besides the account itself, read from the action's typed `command` and
 * its zod input: what a form asks for, so forms are generated from the definitions rather than written per action.
 */
export interface ActionField {
  /** The action's input field, e.g. `until` (a zod issue about it names it in its path). */
  name: string;
  /** Text, a yes/no flag, or one of a fixed set of values (the schema is an enum). */
  kind: 'text' | 'boolean' | 'choice';
  /** The enum's values, for `choice`. */
  choices: readonly string[];
  /** The action runs without it. */
  optional: boolean;
  /** What the schema fills in when it is left out, e.g. `member`; undefined when nothing is filled in. */
  initial: string | boolean | undefined;
}

/** A typed action whose first word names one account (`/user role <who> ...`), so it can be offered on the account card. */
export function isAccountAction(action: AnyAction): boolean {
  return action.command?.positional[0] === 'account';
}

/** The values after the account, in the order they are typed: the remaining positional words, then the flags. */
export function accountActionFields(action: AnyAction): ActionField[] {
  const spec = action.command;
  if (!spec) return [];
  const shape = action.input instanceof z.ZodObject ? (action.input.shape as Record<string, z.ZodType>) : {};
  const positional = spec.positional.slice(1).map((name) => field(name, shape[name], false));
  const flags = Object.values(spec.flags ?? {}).map((flag) => field(flag.field, shape[flag.field], flag.type === 'boolean'));
  return [...positional, ...flags];
}

/** Nothing to ask: every value has a default, so the action runs at once (a read such as `audit`, on its first page). */
export function runsWithoutForm(action: AnyAction): boolean {
  return accountActionFields(action).every((f) => f.initial !== undefined);
}

function field(name: string, schema: z.ZodType | undefined, boolean: boolean): ActionField {
  const whenLeftOut = schema?.safeParse(undefined);
  const initial =
    whenLeftOut?.success && (typeof whenLeftOut.data === 'string' || typeof whenLeftOut.data === 'boolean' || typeof whenLeftOut.data === 'number')
      ? whenLeftOut.data
      : undefined;
  const choices = schema ? enumValues(schema) : undefined;
  return {
    name,
    kind: boolean ? 'boolean' : choices ? 'choice' : 'text',
    choices: choices ?? [],
    optional: whenLeftOut?.success ?? true,
    initial: typeof initial === 'number' ? String(initial) : initial,
  };
}

/** The values of an enum under optional/default wrappers or at the end of a pipe (`on|off` is trimmed and lower-cased first). */
function enumValues(schema: z.ZodType): string[] | undefined {
  if (schema instanceof z.ZodEnum) return (schema.options as unknown[]).map(String);
  const def = schema._zod.def as { type: string; innerType?: z.ZodType; in?: z.ZodType; out?: z.ZodType };
  if (def.innerType && ['optional', 'default', 'prefault', 'nullable', 'nonoptional', 'readonly', 'catch'].includes(def.type)) return enumValues(def.innerType);
  if (def.type === 'pipe') return (def.out && enumValues(def.out)) ?? (def.in && enumValues(def.in));
  return undefined;
}
