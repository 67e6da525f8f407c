import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { App, HTTPReceiver, SocketModeReceiver, type CustomRoute } from '@slack/bolt';
import type { Config } from '../config.ts';
import { dispatchErrorHandler, notFoundRoute } from '../http/unknownPaths.ts';
import { withLogFields } from '../logger.ts';
import { slackLogger } from '../slackWebClient.ts';
import { registerActions } from './actions/index.ts';
import { registerCommands } from './commands/index.ts';
import { registerEvents } from './events/index.ts';
import { registerOptions } from './options/index.ts';
import { registerViews } from './views/index.ts';
import { registerHome } from './home.ts';
import type { ListenerDeps } from './context.ts';

export interface SlackAdapter {
  /** Starts listening; resolves to the HTTP port serving Slack (HTTP mode) or the health routes (Socket Mode). */
  start(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * The Bolt app: HTTP mode at POST /slack/events, or Socket Mode when SLACK_APP_TOKEN is set; both serve `routes`, and
 * both answer any other path with a quiet 404 rather than Bolt's default, which logs the URL with its query.
 */
export function createSlackAdapter(config: Config, deps: ListenerDeps, routes: CustomRoute[]): SlackAdapter {
  const logger = slackLogger(deps.services.logger);
  const clientOptions = { slackApiUrl: config.SLACK_API_URL };
  const receiver = config.SLACK_APP_TOKEN
    ? new SocketModeReceiver({
        appToken: config.SLACK_APP_TOKEN,
        customRoutes: [...routes, notFoundRoute(deps.services.logger)],
        installerOptions: { port: config.PORT, clientOptions },
        logger,
      })
    : new HTTPReceiver({
        signingSecret: config.SLACK_SIGNING_SECRET!,
        endpoints: '/slack/events',
        customRoutes: routes,
        dispatchErrorHandler: dispatchErrorHandler(deps.services.logger),
        logger,
      });
  const app = new App({ receiver, token: config.SLACK_BOT_TOKEN, clientOptions, logger });

  app.use(async ({ context, body, next }) => {
    // A command names its user user_id, an interaction user.id, an event (Home opened) event.user.
    const slackUser =
      (body as { user_id?: string }).user_id ?? (body as { user?: { id?: string } }).user?.id ?? (body as { event?: { user?: string } }).event?.user;
    await withLogFields({ requestId: randomUUID(), slackUser }, async () => {
      if (slackUser) context.actor = await deps.actors.actorFor(slackUser);
      await next();
    });
  });
  app.error(async (error) => {
    deps.services.logger.error({ err: error }, 'unhandled Slack listener error');
  });
  registerCommands(app, deps);
  registerActions(app, deps);
  registerOptions(app, deps);
  registerViews(app, deps);
  registerEvents(app, deps);
  registerHome(app, deps);

  return {
    async start() {
      const started = await app.start(config.PORT);
      if (receiver instanceof HTTPReceiver) return ((started as Server).address() as AddressInfo).port;
      return config.PORT;
    },
    async stop() {
      await app.stop();
    },
  };
}
