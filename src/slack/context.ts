import type { Logger } from 'pino';
import type { ActionServices } from '../actions/action.ts';
import type { Actor, SlackActors } from '../actions/actor.ts';

/** What every listener needs. */
export interface ListenerDeps {
  services: ActionServices;
  actors: SlackActors;
}

/** The services for one request, with a logger that carries the request's id. */
export function requestServices(deps: ListenerDeps, context: Record<string, unknown>): ActionServices & { logger: Logger } {
  return { ...deps.services, logger: (context.log as Logger | undefined) ?? deps.services.logger };
}

/** The caller of this request, resolved once by the app's middleware before any listener runs. */
export function requestActor(context: Record<string, unknown>): Actor {
  const actor = context.actor as Actor | undefined;
  if (!actor) throw new Error('the request has no Slack user, so it has no actor');
  return actor;
}
