import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';

describe('loadConfig without Slack credentials', () => {
  it('runs against the local console: a signing secret and bot token of its own each start, the Web API at its own port', () => {
    const first = loadConfig({ PORT: '3456' });
    const second = loadConfig({ PORT: '3456' });
    expect(first).toMatchObject({ slackConsole: true, SLACK_API_URL: 'http://127.0.0.1:3456/console/api/', ROSTER_APPROVALS_CHANNEL: 'C0APPROVALS' });
    expect(first.SLACK_BOT_TOKEN).toMatch(/^xoxb-local-[0-9a-f]{48}$/);
    expect(first.SLACK_SIGNING_SECRET).toMatch(/^[0-9a-f]{64}$/);
    expect(second.SLACK_SIGNING_SECRET).not.toBe(first.SLACK_SIGNING_SECRET);
  });

  it('uses Slack as soon as a credential is set, and asks for the rest', () => {
    expect(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' }).slackConsole).toBeUndefined();
    expect(() => loadConfig({ SLACK_SIGNING_SECRET: 's' })).toThrow(/SLACK_BOT_TOKEN is required/);
  });

  it('refuses to start in production, and on a port chosen at random', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', DATABASE_URL: 'postgres://db.example/roster', REDIS_URL: 'redis://cache.example:6379' })).toThrow(
      'Roster does not start local stand-ins with NODE_ENV=production: set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (see README "Local mode").',
    );
    expect(() => loadConfig({ PORT: '0' })).toThrow('Invalid environment: PORT must be a fixed port for the local console');
  });

  it('leaves a worker-only process and the CLI without a console', () => {
    expect(loadConfig({ ROSTER_ROLE: 'worker' }).slackConsole).toBeUndefined();
    expect(loadConfig({}, { needsSlack: false }).slackConsole).toBeUndefined();
  });
});
