import { METHODS, type IncomingMessage, type ServerResponse } from 'node:http';
import { ErrorCode, type CodedError, type CustomRoute, type ReceiverDispatchErrorHandlerArgs } from '@slack/bolt';
import type { Logger } from 'pino';
import { pathForLog, scrubPaths } from '../logger.ts';

/**
 * Mail links (`/invitation?token=...`) and API calls may reach the app on paths it does not serve. Bolt's own answer
 * logs the whole URL, query and all, so Roster answers these itself: 404, a small JSON body, and at most a debug line
 * with the path stripped of its query and of anything that could be a token.
 */
export function answerNotFound(logger: Logger, req: IncomingMessage, res: ServerResponse): void {
  logger.debug({ method: req.method, path: pathForLog(req.url ?? '') }, 'no route for this request');
  res.writeHead(404, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ error: 'not found' }));
}

/** For HTTPReceiver, which hands every request it cannot route (and any error before routing) to this handler. */
export function dispatchErrorHandler(logger: Logger): (args: ReceiverDispatchErrorHandlerArgs) => void {
  return ({ error, request, response }) => {
    if ((error as CodedError).code === ErrorCode.HTTPReceiverDeferredRequestError) return answerNotFound(logger, request, response);
    logger.error({ method: request.method, path: pathForLog(request.url ?? ''), reason: scrubPaths(error.message) }, 'request failed before reaching a route');
    response.writeHead(500, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ error: 'internal error' }));
  };
}

/**
 * For SocketModeReceiver, whose HTTP server has no such hook: a route matching every path and every method Node
 * accepts, listed after the real routes so that it only takes what they leave.
 */
export function notFoundRoute(logger: Logger): CustomRoute {
  return { path: '/{*path}', method: [...METHODS], handler: (req, res) => answerNotFound(logger, req, res) };
}
