import pg from 'pg';
import type { Logger } from 'pino';

/** The channel the slack_grant trigger notifies, with the Slack user ID whose grants changed ('*' after a truncate). */
export const GRANT_CHANGES_CHANNEL = 'roster_slack_grant';
export const ALL_USERS = '*';

/** The application_name of the listening connection, so operators (and tests) can tell it apart in pg_stat_activity. */
export const GRANT_LISTENER_NAME = 'roster-grant-listener';

export interface GrantChanges {
  /** True only while a LISTEN is in place: a change committed meanwhile will be announced. */
  readonly listening: boolean;
  /**
   * `slackUserId` when that user's grants changed, `ALL_USERS` when anything may have changed unannounced (the
   * connection was lost or has just been made again).
   */
  onChange(listener: (slackUserId: string) => void): void;
  close(): Promise<void>;
}

const RETRY_MIN_MS = 100;
const RETRY_MAX_MS = 5_000;

/**
 * A connection of its own that LISTENs for grant changes, reconnecting after Postgres restarts or the connection
 * breaks. Notifications sent while it is away are lost, so every (re)connection and every loss is announced as a
 * change of all users. Hand-written on `pg` (which MikroORM already uses): the LISTEN libraries on npm are
 * unmaintained, and this needs to say exactly when it is listening.
 */
export function listenForGrantChanges(databaseUrl: string, logger: Logger): GrantChanges {
  const listeners: ((slackUserId: string) => void)[] = [];
  const announce = (slackUserId: string) => {
    for (const listener of listeners) listener(slackUserId);
  };
  let client: pg.Client | undefined;
  let listening = false;
  let closed = false;
  let retryMs = RETRY_MIN_MS;
  let retryTimer: NodeJS.Timeout | undefined;

  const lost = (current: pg.Client, error?: Error) => {
    if (client !== current) return;
    client = undefined;
    const wasListening = listening;
    listening = false;
    announce(ALL_USERS);
    current.end().catch(() => {});
    if (closed) return;
    if (wasListening) logger.warn({ err: error }, 'grant change listener lost its connection; reading grants from the database until it is back');
    retryTimer = setTimeout(connect, retryMs);
    retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
  };

  const connect = async () => {
    retryTimer = undefined;
    const current = new pg.Client({ connectionString: databaseUrl, application_name: GRANT_LISTENER_NAME });
    client = current;
    current.on('error', (error) => lost(current, error));
    current.on('end', () => lost(current));
    current.on('notification', (message) => {
      if (message.channel === GRANT_CHANGES_CHANNEL && message.payload) announce(message.payload);
    });
    try {
      await current.connect();
      await current.query(`listen ${GRANT_CHANGES_CHANNEL}`);
    } catch (error) {
      lost(current, error as Error);
      return;
    }
    if (client !== current) return;
    listening = true;
    retryMs = RETRY_MIN_MS;
    // Whatever changed before the LISTEN took effect was not announced to this connection.
    announce(ALL_USERS);
  };

  void connect();
  return {
    get listening() {
      return listening;
    },
    onChange(listener) {
      listeners.push(listener);
    },
    async close() {
      closed = true;
      clearTimeout(retryTimer);
      const current = client;
      client = undefined;
      listening = false;
      await current?.end().catch(() => {});
    },
  };
}
