import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { localStandIns } from '../../src/local/standIns.ts';
import { createLogger, pathForLog } from '../../src/logger.ts';
import { slackLogger } from '../../src/slackWebClient.ts';
import { Writable } from 'node:stream';

const slack = { SLACK_SIGNING_SECRET: 'secret', SLACK_BOT_TOKEN: 'xoxb-1' };

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig({ ...slack });
    expect(config).toMatchObject({
      PORT: 3000,
      LOG_LEVEL: 'info',
      SLACK_API_URL: 'https://slack.com/api/',
      ROSTER_BOOTSTRAP_ADMINS: [],
    });
    // Unset: local mode's stand-ins (the embedded PostgreSQL, the queues in PostgreSQL).
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.REDIS_URL).toBeUndefined();
    expect(loadConfig({ ...slack, DATABASE_URL: 'postgres://127.0.0.1:5432/roster' }).DATABASE_URL).toMatch(/^postgres:\/\/[^@]+@127\.0\.0\.1:5432\/roster$/);
  });

  it.each([
    [{ PORT: 'eighty' }, /^Invalid environment: PORT /],
    [{ DATABASE_URL: 'mysql://x/y' }, /^Invalid environment: DATABASE_URL /],
    [{ SLACK_BOT_TOKEN: 'xoxp-user' }, /^Invalid environment: SLACK_BOT_TOKEN must be a bot token/],
    [{ ROSTER_BOOTSTRAP_ADMINS: 'U0123ABC,alice' }, /^Invalid environment: ROSTER_BOOTSTRAP_ADMINS/],
    [{ ROSTER_REPORTS_CHANNEL: '#general' }, /^Invalid environment: ROSTER_REPORTS_CHANNEL must be a Slack channel ID/],
    [{ LOG_LEVEL: 'loud' }, /^Invalid environment: LOG_LEVEL/],
  ])('stops on %j with one line naming the variable', (bad, message) => {
    expect(() => loadConfig({ ...slack, ...bad })).toThrow(ConfigError);
    expect(() => loadConfig({ ...slack, ...bad })).toThrow(message);
  });

  it('needs the signing secret in HTTP mode but not in Socket Mode', () => {
    expect(() => loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1' })).toThrow(/SLACK_SIGNING_SECRET is required/);
    expect(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' }).SLACK_APP_TOKEN).toBe('xapp-1');
  });

  it('needs no Slack credentials for a worker-only process or the CLI', () => {
    expect(loadConfig({ ROSTER_ROLE: 'worker' }).ROSTER_ROLE).toBe('worker');
    expect(loadConfig({}, { needsSlack: false }).PORT).toBe(3000);
  });
});

describe('localStandIns', () => {
  const database = 'postgres://db.example/roster';
  const redis = 'redis://cache.example:6379';

  it.each([
    [{}, { database: true, queue: true }],
    [{ DATABASE_URL: database }, { database: false, queue: true }],
    [{ REDIS_URL: redis }, { database: true, queue: false }],
    [
      { DATABASE_URL: database, REDIS_URL: redis },
      { database: false, queue: false },
    ],
    [
      { DATABASE_URL: '', REDIS_URL: '' },
      { database: true, queue: true },
    ],
  ])('stands in for each unset variable on its own: %j', (env, expected) => {
    expect(localStandIns(env)).toMatchObject(expected);
  });

  it('keeps its data in .roster/ of the current directory unless ROSTER_LOCAL_DIR says where', () => {
    expect(localStandIns({}).directory).toBe(`${process.cwd()}/.roster`);
    expect(localStandIns({ ROSTER_LOCAL_DIR: '/var/tmp/roster-demo' }).directory).toBe('/var/tmp/roster-demo');
  });
});

describe('NODE_ENV=production', () => {
  const database = 'postgres://db.example/roster';
  const redis = 'redis://cache.example:6379';
  const refusal = (named: string) => `Roster does not start local stand-ins with NODE_ENV=production: set ${named} (see README "Local mode").`;

  it.each([
    [{}, 'DATABASE_URL, REDIS_URL, SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET'],
    [{ ...slack }, 'DATABASE_URL and REDIS_URL'],
    [{ ...slack, REDIS_URL: redis }, 'DATABASE_URL'],
    [{ ...slack, DATABASE_URL: database }, 'REDIS_URL'],
    [{ DATABASE_URL: database, REDIS_URL: redis }, 'SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET'],
    [{ ...slack, DATABASE_URL: '', REDIS_URL: redis }, 'DATABASE_URL'],
  ])('refuses every stand-in in one sentence naming what to set: %j', (env, named) => {
    expect(() => loadConfig({ NODE_ENV: 'production', ...env })).toThrow(ConfigError);
    expect(() => loadConfig({ NODE_ENV: 'production', ...env })).toThrow(refusal(named));
  });

  it('asks the CLI and a worker-only process for no Slack credentials', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' }, { needsSlack: false })).toThrow(refusal('DATABASE_URL and REDIS_URL'));
    expect(() => loadConfig({ NODE_ENV: 'production', ROSTER_ROLE: 'worker', DATABASE_URL: database })).toThrow(refusal('REDIS_URL'));
  });

  it('starts with every variable set', () => {
    expect(loadConfig({ NODE_ENV: 'production', ...slack, DATABASE_URL: database, REDIS_URL: redis })).toMatchObject({ REDIS_URL: redis });
    expect(localStandIns({ NODE_ENV: 'production', DATABASE_URL: database, REDIS_URL: redis })).toMatchObject({ database: false, queue: false });
  });
});

function logSink(): { lines: string[]; sink: Writable } {
  const lines: string[] = [];
  const sink = new Writable({
    write: (chunk, _e, done) => {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, sink };
}

describe('createLogger', () => {
  it('redacts secrets wherever they sit in a logged object', () => {
    const { lines, sink } = logSink();
    const logger = createLogger('info', sink);
    logger.info(
      { token: 'xoxb-abc', config: { signingSecret: 's3cr3t', botToken: 'xoxb-def' }, user: { password: 'hunter2', profile: { totpSecret: 'JBSWY3DP' } } },
      'hello',
    );
    const out = lines.join('');
    for (const secret of ['xoxb-abc', 's3cr3t', 'xoxb-def', 'hunter2', 'JBSWY3DP']) expect(out).not.toContain(secret);
    expect(JSON.parse(out)).toMatchObject({ msg: 'hello', token: '[redacted]' });
  });

  it('redacts the password and TOTP code of a sign-in body, keeping the login', () => {
    const { lines, sink } = logSink();
    const logger = createLogger('info', sink);
    logger.info({ body: { login: 'alice@example.test', password: 'hunter2-sign-in', totp: '492039' } }, 'sign-in body');
    const out = lines.join('');
    expect(out).not.toContain('hunter2-sign-in');
    expect(out).not.toContain('492039');
    expect(JSON.parse(out)).toMatchObject({ body: { login: 'alice@example.test', password: '[redacted]', totp: '[redacted]' } });
  });

  it.each(['/api/v1/sign-in', '/scim/v2/Users'])('redacts the bearer token of a request to %s, however its header is spelt', (path) => {
    const { lines, sink } = logSink();
    const logger = createLogger('info', sink);
    logger.info({ req: { method: 'POST', url: path, headers: { authorization: 'Bearer lower-case-bearer' } } }, 'request');
    logger.info({ method: 'POST', path, headers: { Authorization: 'Bearer capitalised-bearer' } }, 'request');
    const out = lines.join('');
    expect(out).not.toContain('lower-case-bearer');
    expect(out).not.toContain('capitalised-bearer');
    expect(lines.map((line) => JSON.parse(line))).toMatchObject([
      { req: { url: path, headers: { authorization: '[redacted]' } } },
      { path, headers: { Authorization: '[redacted]' } },
    ]);
  });
});

describe('pathForLog', () => {
  it('keeps the route and drops the query string and fragment', () => {
    expect(pathForLog('/invitation?token=abc#top')).toBe('/invitation');
    expect(pathForLog('/scim/v2/Users?filter=userName%20eq%20%22a%22')).toBe('/scim/v2/Users');
  });

  it('replaces every segment that could be a token or an ID', () => {
    expect(pathForLog('/invitation/kq3Xw9-Zp1rT7mNcV2bYhL0sDfGjA8eUuQiOoPxRtEw/accept')).toBe('/invitation/[redacted]/accept');
    expect(pathForLog('/api/v1/accounts/0b7c53f2-4d1e-4a37-9c8e-2f5b6a1d9e40')).toBe('/api/v1/accounts/[redacted]');
    expect(pathForLog('/reset/a1b2c3d4')).toBe('/reset/[redacted]');
    expect(pathForLog('/link/token=abc')).toBe('/link/[redacted]');
  });
});

describe('slackLogger', () => {
  it('scrubs the URLs that Bolt and the Slack SDKs interpolate into their messages', () => {
    const { lines, sink } = logSink();
    const logger = slackLogger(createLogger('debug', sink));
    logger.info('Unhandled HTTP request (GET) made to /invitation?token=mailed-secret-123');
    logger.warn('An unhandled HTTP request (GET) made to http://roster.example.test/reset-password/kq3Xw9-Zp1rT7mNcV2bYhL0sDfGjA8eUuQiOoPxRtEw was ignored');
    const out = lines.join('');
    expect(out).not.toContain('mailed-secret-123');
    expect(out).not.toContain('kq3Xw9');
    expect(lines.map((line) => JSON.parse(line).msg)).toEqual([
      'Unhandled HTTP request (GET) made to /invitation',
      'An unhandled HTTP request (GET) made to http://roster.example.test/reset-password/[redacted] was ignored',
    ]);
  });
});
