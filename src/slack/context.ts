import type { Logger } from 'pino';
import type { ActionServices } from '../actions/action.ts';

/** What every listener needs, with a logger that carries the request's id. */
export interface ListenerDeps {
  services: ActionServices;
}

export function requestServices(deps: ListenerDeps, context: Record<string, unknown>): ActionServices & { logger: Logger } {
  return { ...deps.services, logger: (context.log as Logger | undefined) ?? deps.services.logger };
}
