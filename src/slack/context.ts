import type { ActionServices } from '../actions/action.ts';
import type { Actor, SlackActors } from '../actions/actor.ts';
import { nextSweepRun } from '../domain/schedule.ts';
import type { CardReader } from './blocks/lookupReply.ts';

/** What every listener needs. */
export interface ListenerDeps {
  services: ActionServices;
  actors: SlackActors;
  /** When the nightly inactivity sweep runs (ROSTER_SWEEP_CRON in ROSTER_TIMEZONE), for cards of accounts it will suspend. */
  sweep: { cron: string; timezone: string };
  /** ROSTER_IMPORT_MAX_ROWS and ROSTER_IMPORT_MAX_FILE_MB, which the import modal names. */
  importLimits: { maxRows: number; maxFileMb: number };
}

/** The caller of this request, resolved once by the app's middleware before any listener runs. */
export function requestActor(context: Record<string, unknown>): Actor {
  const actor = context.actor as Actor | undefined;
  if (!actor) throw new Error('the request has no Slack user, so it has no actor');
  return actor;
}

/** The caller, and how cards read to them: their grants decide the buttons, the clock what a card says is due. */
export function requestCaller(deps: ListenerDeps, context: Record<string, unknown>): { actor: Actor; reader: CardReader } {
  const actor = requestActor(context);
  const now = new Date();
  return { actor, reader: { grants: actor.grants, times: { now, nextSweepAt: nextSweep(deps, now) } } };
}

const nextSweeps = new WeakMap<ListenerDeps['sweep'], Date>();

/** The next sweep, worked out again only once it has passed. */
function nextSweep(deps: ListenerDeps, now: Date): Date {
  const known = nextSweeps.get(deps.sweep);
  if (known && known > now) return known;
  const next = nextSweepRun(deps.sweep.cron, deps.sweep.timezone, now);
  nextSweeps.set(deps.sweep, next);
  return next;
}
