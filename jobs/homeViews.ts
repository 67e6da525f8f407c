import type { HomeView } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import type { Logger } from 'pino';
import { type ActionServices, type HomeViews, runAction } from '../src/actions/action.ts';
import { slackActor } from '../src/actions/actor.ts';
import { type HomeOverview, homeOverview } from '../src/actions/home/homeOverview.ts';
import { RefusedError } from '../src/domain/errors.ts';
import { HOME_REFRESH_JOB, type Queues } from './queues.ts';
import type { HomeViewers } from './sharedState.ts';

/** A Home tab opened within this long is kept current; one not looked at since is left until it is opened again. */
const VIEWER_DAYS = 1;

/**
 * Home tabs follow changes: every committed change asks for a refresh, and all the asks of one window of `everyMs`
 * become a single job (one job id per window, in this process and across processes) that runs at the window's end, so
 * each viewer's tab is published at most once per window. Nothing here is awaited by a change.
 */
export function homeViews(queues: Queues, viewers: HomeViewers, everyMs: number, logger: Logger): HomeViews {
  let lastWindow = -1;
  return {
    changed() {
      const window = Math.floor(Date.now() / everyMs);
      if (window === lastWindow) return;
      lastWindow = window;
      const delay = (window + 1) * everyMs - Date.now();
      queues.home.add(HOME_REFRESH_JOB, {}, { jobId: `${HOME_REFRESH_JOB}-${window}`, delay }).catch((error: unknown) => {
        logger.warn({ err: error }, 'could not ask for a Home tab refresh; tabs catch up when next opened');
      });
    },
    opened: (slackUserId) => viewers.opened(slackUserId),
  };
}

export interface HomeRefreshDeps extends ActionServices {
  slack: WebClient;
  homeViewers: HomeViewers;
  homeView(overview: HomeOverview, now: Date): HomeView;
}

/** Publishes, for each person who opened Home lately, their tab as their grants see it now. */
export async function processHomeRefresh(deps: HomeRefreshDeps): Promise<{ published: number }> {
  const viewers = await deps.homeViewers.since(Date.now() - VIEWER_DAYS * 86_400_000);
  let published = 0;
  for (const slackUserId of viewers) {
    try {
      const actor = await slackActor(deps.orm.em.fork(), slackUserId);
      if (actor.grants.length === 0) {
        await deps.homeViewers.forget(slackUserId);
        continue;
      }
      const overview = await runAction(deps, homeOverview, actor, {});
      await deps.slack.views.publish({ user_id: slackUserId, view: deps.homeView(overview, new Date()) });
      published++;
    } catch (error) {
      if (!(error instanceof RefusedError)) deps.logger.warn({ err: error, slackUserId }, 'Home tab refresh failed for one viewer');
    }
  }
  return { published };
}
