import { randomBytes } from 'node:crypto';
import { userInfo } from 'node:os';
import { z } from 'zod';

const slackUserIds = z
  .string()
  .default('')
  .transform((list) =>
    list
      .split(',')
      .map((id) => id.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.string().regex(/^[UW][A-Z0-9]{2,}$/, 'each entry must be a Slack user ID such as U012ABCDEF')));

const optionalChannel = z
  .string()
  .regex(/^[CGD][A-Z0-9]{2,}$/, 'must be a Slack channel ID such as C012ABCDEF')
  .optional();

/** Like psql: a URL without a user connects as PGUSER, else as the operating-system user. */
export function withDefaultUser(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  if (!url.username) url.username = process.env.PGUSER ?? userInfo().username;
  return url.toString();
}

const emptyAsUnset = (value: unknown) => (value === '' ? undefined : value);

export const configSchema = z.object({
  // Unset: Roster starts an embedded PostgreSQL (local mode, src/local/); unset REDIS_URL: the queues live in PostgreSQL.
  DATABASE_URL: z.preprocess(
    emptyAsUnset,
    z
      .url({ protocol: /^postgres(ql)?$/ })
      .transform(withDefaultUser)
      .optional(),
  ),
  REDIS_URL: z.preprocess(emptyAsUnset, z.url({ protocol: /^rediss?$/ }).optional()),
  REDIS_PREFIX: z.string().min(1).default('roster'),
  SLACK_SIGNING_SECRET: z.string().min(1).optional(),
  SLACK_BOT_TOKEN: z
    .string()
    .regex(/^xoxb-/, 'must be a bot token starting with xoxb-')
    .optional(),
  SLACK_APP_TOKEN: z.preprocess(
    emptyAsUnset,
    z
      .string()
      .regex(/^xapp-/, 'must be an app-level token starting with xapp-')
      .optional(),
  ),
  SLACK_API_URL: z.url().default('https://slack.com/api/'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ROSTER_BOOTSTRAP_ADMINS: slackUserIds,
  ROSTER_APPROVALS_CHANNEL: z.preprocess(emptyAsUnset, optionalChannel),
  ROSTER_HELPDESK_CHANNEL: z.preprocess(emptyAsUnset, optionalChannel),
  ROSTER_REPORTS_CHANNEL: z.preprocess(emptyAsUnset, optionalChannel),
  ROSTER_SWEEP_CRON: z.string().min(9).default('0 3 * * *'),
  ROSTER_TIMEZONE: z.string().min(1).default('UTC'),
  ROSTER_ROLE: z.enum(['all', 'web', 'worker']).default('all'),
  ROSTER_SHUTDOWN_GRACE_SECONDS: z.coerce.number().int().min(0).max(3600).default(25),
  ROSTER_OUTBOX_PASS_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  ROSTER_LOCK_EXPIRY_PASS_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  ROSTER_APPROVALS_PASS_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  ROSTER_HOME_REFRESH_SECONDS: z.coerce.number().int().min(1).max(3600).default(5),
  ROSTER_SLACK_UPDATES_PER_MINUTE: z.coerce.number().int().min(1).max(1000).default(45),
  SMTP_URL: z.preprocess(emptyAsUnset, z.url({ protocol: /^smtps?$/, error: 'must be a URL such as smtp://user:password@mail.example.com:587' }).optional()),
  MAIL_FROM: z.string().regex(/@/, 'must be a sender address such as "Roster <roster@example.com>"').default('Roster <roster@localhost>'),
  ROSTER_PUBLIC_URL: z.preprocess(emptyAsUnset, z.url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://roster.example.com' }).optional()),
  ROSTER_INVITATION_LINK_DAYS: z.coerce.number().int().min(1).max(90).default(7),
  ROSTER_IMPORT_MAX_ROWS: z.coerce.number().int().min(1).max(10_000_000).default(1_000_000),
  ROSTER_IMPORT_MAX_FILE_MB: z.coerce.number().int().min(1).max(1024).default(200),
  ROSTER_RESET_LINK_MINUTES: z.coerce
    .number()
    .int()
    .min(5)
    .max(7 * 24 * 60)
    .default(60),
  ROSTER_SIGN_IN_PER_IP_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(600),
  ROSTER_SIGN_IN_PER_LOGIN_PER_MINUTE: z.coerce.number().int().min(1).max(10_000).default(10),
  ROSTER_SCIM_PER_TOKEN_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(1200),
});

export type Config = z.infer<typeof configSchema> & {
  /** Set when no Slack credentials are given: the local console (src/console) stands in for Slack. */
  slackConsole?: boolean;
};

/** The channels the console shows for approvals and helpdesk alerts when none are configured. */
export const CONSOLE_CHANNELS = { approvals: 'C0APPROVALS', helpdesk: 'C0HELPDESK' } as const;

/** A config problem that start-up reports as one line naming the variable. */
export class ConfigError extends Error {}

/** `needsSlack`: the web process must have Slack credentials; the CLI and a worker-only process need none. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, { needsSlack = true } = {}): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(`Invalid environment: ${issue.path.join('.')} ${issue.message}`);
  }
  let config: Config = parsed.data;
  const noSlackCredentials = !config.SLACK_BOT_TOKEN && !config.SLACK_SIGNING_SECRET && !config.SLACK_APP_TOKEN;
  const slackConsole = needsSlack && noSlackCredentials && config.ROSTER_ROLE === 'all';
  refuseStandInsInProduction(config, env, slackConsole);
  if (slackConsole) {
    config = withSlackConsole(config);
  } else if (needsSlack && config.ROSTER_ROLE !== 'worker') {
    // Socket Mode authenticates with the app token; HTTP mode verifies every request with the signing secret.
    const required = config.SLACK_APP_TOKEN ? (['SLACK_BOT_TOKEN'] as const) : (['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET'] as const);
    for (const name of required) {
      if (!config[name]) throw new ConfigError(`Invalid environment: ${name} is required (see README "Slack setup")`);
    }
  }
  if (config.SMTP_URL && !config.ROSTER_PUBLIC_URL)
    throw new ConfigError('Invalid environment: ROSTER_PUBLIC_URL is required when SMTP_URL is set (the links in mails point there)');
  return config;
}

/**
 * Each of DATABASE_URL, REDIS_URL and the Slack credentials has a local stand-in while it is unset (src/local/,
 * src/console/): for trying Roster on one machine, never in production, where a Roster that lost a variable would
 * otherwise start on an empty embedded database, keep its jobs where nobody looks, or answer a console instead of Slack.
 */
function refuseStandInsInProduction(config: Config, env: NodeJS.ProcessEnv, slackConsole: boolean): void {
  if (env.NODE_ENV !== 'production') return;
  const missing = [
    ...(config.DATABASE_URL ? [] : ['DATABASE_URL']),
    ...(config.REDIS_URL ? [] : ['REDIS_URL']),
    ...(slackConsole ? ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET'] : []),
  ];
  if (missing.length === 0) return;
  const named = missing.length === 1 ? missing[0] : `${missing.slice(0, -1).join(', ')} and ${missing.at(-1)}`;
  throw new ConfigError(`Roster does not start local stand-ins with NODE_ENV=production: set ${named} (see README "Local mode").`);
}

/**
 * Without Slack credentials Roster runs against its local console: a signing secret and bot token made up for this
 * run, and the Web API at the console's own path.
 */
function withSlackConsole(config: Config): Config {
  if (config.PORT === 0) throw new ConfigError('Invalid environment: PORT must be a fixed port for the local console (the app calls its Web API there)');
  return {
    ...config,
    slackConsole: true,
    SLACK_SIGNING_SECRET: randomBytes(32).toString('hex'),
    SLACK_BOT_TOKEN: `xoxb-local-${randomBytes(24).toString('hex')}`,
    SLACK_API_URL: `http://127.0.0.1:${config.PORT}/console/api/`,
    ROSTER_APPROVALS_CHANNEL: config.ROSTER_APPROVALS_CHANNEL ?? CONSOLE_CHANNELS.approvals,
    ROSTER_HELPDESK_CHANNEL: config.ROSTER_HELPDESK_CHANNEL ?? CONSOLE_CHANNELS.helpdesk,
  };
}
