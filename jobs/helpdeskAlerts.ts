import type { KnownBlock } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import type { Job } from 'bullmq';
import type { Logger } from 'pino';
import type { LockoutAlerts } from '../src/actions/action.ts';
import { Account, HelpdeskAlert, type IHelpdeskAlert } from '../src/db/entities/index.ts';
import type { Orm } from '../src/db/orm.ts';
import { handOff } from './handOff.ts';
import { type HelpdeskAlertData, LOCKED_OUT_JOB, type Queues, UNLOCKED_JOB } from './queues.ts';
import type { LockoutFacts } from '../src/present/lockoutFacts.ts';

export function helpdeskAlerts(queues: Queues, logger: Logger): LockoutAlerts {
  return {
    async lockedOut(event) {
      const at = event.at.toISOString();
      const jobId = `${LOCKED_OUT_JOB}-${event.accountId}-${event.at.getTime()}`;
      await handOff(queues.helpdesk.add(LOCKED_OUT_JOB, { ...event, at }, { jobId }), logger, { queue: queues.helpdesk.name, accountId: event.accountId });
    },
    async unlocked(event) {
      const jobId = `${UNLOCKED_JOB}-${event.accountId}-${event.at.getTime()}`;
      await handOff(queues.helpdesk.add(UNLOCKED_JOB, { ...event, at: event.at.toISOString() }, { jobId }), logger, {
        queue: queues.helpdesk.name,
        accountId: event.accountId,
      });
    },
  };
}

type Message = { text: string; blocks: KnownBlock[] };

/** How alerts read (the Slack adapter's blocks, handed in at start-up so jobs need not know Block Kit). */
export interface AlertMessages {
  lockedOut(facts: LockoutFacts): Message;
  unlocked(facts: LockoutFacts, by: string, at: Date): Message;
}

export interface HelpdeskDeps {
  orm: Orm;
  logger: Logger;
  slack: WebClient;
  helpdeskChannel: string | undefined;
  alertMessages: AlertMessages;
}

/**
 * Posts one alert per lockout (a retried job finds the row it wrote and the message it posted), or edits the open
 * alerts of an unlocked account to say who unlocked it and when. Without a helpdesk channel nothing is posted.
 */
export async function processHelpdeskAlert(job: Job<HelpdeskAlertData>, deps: HelpdeskDeps): Promise<void> {
  const em = deps.orm.em.fork();
  const data = job.data;
  if (job.name === LOCKED_OUT_JOB && 'attempts' in data) {
    if (!deps.helpdeskChannel) return;
    const lockedAt = new Date(data.at);
    await em.getConnection().execute(
      `insert into helpdesk_alert (id, account_id, locked_at, attempts, ip, channel) values (gen_random_uuid(), ?, ?, ?, ?, ?)
       on conflict (account_id, locked_at) do nothing`,
      [data.accountId, lockedAt, data.attempts, data.ip.slice(0, 64), deps.helpdeskChannel],
    );
    const alert = await em.findOneOrFail(HelpdeskAlert, { accountId: data.accountId, lockedAt });
    if (alert.messageTs || alert.resolvedAt) return;
    const facts = await factsOf(deps, alert);
    if (!facts) return;
    const posted = await deps.slack.chat.postMessage({ channel: deps.helpdeskChannel, ...deps.alertMessages.lockedOut(facts) });
    alert.messageTs = posted.ts ?? null;
    await em.flush();
    return;
  }
  if (job.name === UNLOCKED_JOB && 'by' in data) {
    const at = new Date(data.at);
    const open = await em.find(HelpdeskAlert, { accountId: data.accountId, resolvedAt: null });
    for (const alert of open) {
      alert.resolvedAt = at;
      alert.resolvedBy = data.by.slice(0, 64);
      const facts = await factsOf(deps, alert);
      if (facts && alert.channel && alert.messageTs) {
        await deps.slack.chat.update({ channel: alert.channel, ts: alert.messageTs, ...deps.alertMessages.unlocked(facts, data.by, at) });
      }
    }
    await em.flush();
    return;
  }
  throw new Error(`unknown helpdesk job "${job.name}"`);
}

async function factsOf(deps: HelpdeskDeps, alert: IHelpdeskAlert): Promise<LockoutFacts | null> {
  const account = await deps.orm.em.fork().findOne(Account, { id: alert.accountId }, { populate: ['organisation'] });
  if (!account) return null;
  return {
    accountId: account.id,
    name: `${account.firstName} ${account.lastName}`,
    email: account.email,
    organisation: account.organisation.slug,
    attempts: alert.attempts,
    ip: alert.ip,
    lockedAt: alert.lockedAt,
  };
}
