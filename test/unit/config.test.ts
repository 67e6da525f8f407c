import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/logger.ts';
import { Writable } from 'node:stream';

const slack = { SLACK_SIGNING_SECRET: 'secret', SLACK_BOT_TOKEN: 'xoxb-1' };

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig({ ...slack });
    expect(config).toMatchObject({
      REDIS_URL: 'redis://127.0.0.1:6379',
      PORT: 3000,
      LOG_LEVEL: 'info',
      SLACK_API_URL: 'https://slack.com/api/',
      ROSTER_BOOTSTRAP_ADMINS: [],
    });
    expect(config.DATABASE_URL).toMatch(/^postgres:\/\/[^@]+@127\.0\.0\.1:5432\/roster$/);
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

describe('createLogger', () => {
  it('redacts secrets wherever they sit in a logged object', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write: (chunk, _e, done) => {
        lines.push(String(chunk));
        done();
      },
    });
    const logger = createLogger('info', sink);
    logger.info(
      { token: 'xoxb-abc', config: { signingSecret: 's3cr3t', botToken: 'xoxb-def' }, user: { password: 'hunter2', profile: { totpSecret: 'JBSWY3DP' } } },
      'hello',
    );
    const out = lines.join('');
    for (const secret of ['xoxb-abc', 's3cr3t', 'xoxb-def', 'hunter2', 'JBSWY3DP']) expect(out).not.toContain(secret);
    expect(JSON.parse(out)).toMatchObject({ msg: 'hello', token: '[redacted]' });
  });
});
