import { parseArgs, type ParseArgsConfig } from 'node:util';
import { runAction, runCommand, type ActionServices } from '../actions/action.ts';
import { cliActor } from '../actions/actor.ts';
import { grantRole } from '../actions/access/grantRole.ts';
import { createApiToken } from '../actions/access/createApiToken.ts';
import { listApiTokens } from '../actions/access/listApiTokens.ts';
import { revokeApiToken } from '../actions/access/revokeApiToken.ts';
import { createAccount } from '../actions/accounts/createAccount.ts';
import { listAccounts } from '../actions/accounts/listAccounts.ts';
import { lookupAccount } from '../actions/accounts/lookupAccount.ts';
import { createOrganisation } from '../actions/organisations/createOrganisation.ts';
import { setAutoUnlock } from '../actions/organisations/setAutoUnlock.ts';
import { setApprovals } from '../actions/organisations/setApprovals.ts';
import { commandUsage } from '../actions/commandArgs.ts';
import { typedActions, typedActionsByVerb } from '../actions/registry.ts';
import { loadConfig, ConfigError, type Config } from '../config.ts';
import { createOrm, migrate, type Orm } from '../db/orm.ts';
import { seedDemo } from '../db/seedDemo.ts';
import { LocalResetRefused, resetLocalDirectory, startLocalRuntime } from '../local/runtime.ts';
import { queueBackendFor } from '../../jobs/queueBackend.ts';
import { ACCOUNT_FILTER_USAGE, filterTextFromWords } from '../domain/accountFilter.ts';
import { RefusedError } from '../domain/errors.ts';
import { nextSweepRun } from '../domain/schedule.ts';
import { createLogger } from '../logger.ts';
import { lazyQueueAccess } from '../../jobs/queueAccess.ts';
import { sweepAllInactiveAccounts } from '../actions/accounts/sweepInactiveAccounts.ts';
import { accountPageText } from '../present/accountListText.ts';
import { accountCardText, matchLine } from '../present/cardText.ts';
import { groupCardText } from '../present/groupFacts.ts';

const USAGE = `usage: npm run roster -- <command>
  migrate                                            apply database migrations
  grant <SlackUserId> <viewer|helpdesk|admin|owner> [--org <slug>]
  org create <slug> --name "<Name>" [--lockout-threshold N] [--inactivity-days N] [--deletion-policy soft|hard|never] [--mfa-required] [--auto-unlock-minutes N]
  org auto-unlock <slug> <minutes|off>              unlock lockouts by themselves after that long (off: only people do)
  org approvals|set <slug> [--approvers owners|admins] [--hours N] [--bulk-deactivate-over N|off] [--owner-grants approval|direct]
                                                     who decides approval requests, how long they wait (default: owners, 24 h),
                                                     above how many accounts a bulk deactivate needs approval too, and
                                                     whether making someone an owner of it does
  user create --email <email> --first <first> --last <last> [--username <login>] [--role user|manager|administrator] [--org <slug>] [--no-invite] [--sso]
  user lookup <email|username|id|name>
${typedActions.map((a) => `  user ${a.name} ${commandUsage(a.command)}`).join('\n')}
  token create --org <slug> [--name <label>] [--scope sign-in|scim]
                                                     an API token for the sign-in API or SCIM (printed once)
  token list [--org <slug>]                          API tokens, without their secrets
  token revoke <id | roster_prefix>
  users list ${ACCOUNT_FILTER_USAGE} [--after <cursor> | --before <cursor>]
  seed --users <N> [--org <slug>]                    fill a demo organisation (default "demo")
  sweep [--dry-run]                                  suspend accounts inactive past their organisation's period
  local reset                                        wipe .roster/ (local mode's embedded database); refused while Roster runs`;

/** A usage problem: printed with the usage text, exit code 2, nothing touched. */
class UsageError extends Error {}

type Run = (orm: Orm, services: ActionServices, config: Config) => Promise<string>;

function parse<const Options extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: Options = {} as Options) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true as const });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

function positiveInt(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`${flag} takes a whole number, not "${value}"`);
  return Number(value);
}

/** Turns argv into the work to do, before any connection is opened. */
export function plan(argv: string[]): Run {
  const [command, ...rest] = argv;
  const actor = cliActor();
  switch (command) {
    case 'migrate': {
      parse(rest);
      // Every command migrates first (below); this one only reports it.
      return async () => 'The database is up to date.';
    }
    case 'grant': {
      const { positionals, values } = parse(rest, { org: { type: 'string' } });
      if (positionals.length !== 2) throw new UsageError('grant takes a Slack user ID and a role');
      const [slackUserId, role] = positionals as [string, string];
      return async (_orm, services) => {
        const grant = await runAction(services, grantRole, actor, { slackUserId, role, organisation: values.org });
        return grant.message;
      };
    }
    case 'org': {
      const [sub, ...more] = rest;
      if (sub === 'auto-unlock') {
        const { positionals } = parse(more);
        const [slug, minutes] = positionals;
        if (positionals.length !== 2 || !slug || !minutes) throw new UsageError('org auto-unlock takes a slug and a number of minutes, or off');
        const input = { organisation: slug, minutes: minutes === 'off' ? null : positiveInt(minutes, 'the minutes') };
        return async (_orm, services) => (await runAction(services, setAutoUnlock, actor, input)).message;
      }
      // `org set` is the same command: an organisation's rules, set by flag.
      if (sub === 'approvals' || sub === 'set') {
        const { positionals, values } = parse(more, {
          approvers: { type: 'string' },
          hours: { type: 'string' },
          'bulk-deactivate-over': { type: 'string' },
          'owner-grants': { type: 'string' },
        });
        if (positionals.length !== 1)
          throw new UsageError(
            'org approvals takes a slug, then --approvers owners|admins, --hours N, --bulk-deactivate-over N|off, --owner-grants approval|direct',
          );
        const input = {
          organisation: positionals[0],
          approvers: values.approvers,
          hours: positiveInt(values.hours, '--hours'),
          bulkDeactivateOver: values['bulk-deactivate-over'],
          ownerGrants: values['owner-grants'],
        };
        return async (_orm, services) => (await runAction(services, setApprovals, actor, input)).message;
      }
      if (sub !== 'create') throw new UsageError('org takes: create, auto-unlock, approvals (or set)');
      const { positionals, values } = parse(more, {
        name: { type: 'string' },
        'auto-unlock-minutes': { type: 'string' },
        'lockout-threshold': { type: 'string' },
        'inactivity-days': { type: 'string' },
        'deletion-policy': { type: 'string' },
        'mfa-required': { type: 'boolean' },
      });
      if (positionals.length !== 1 || !values.name) throw new UsageError('org create takes a slug and --name');
      const input = {
        slug: positionals[0]!,
        name: values.name,
        lockoutThreshold: positiveInt(values['lockout-threshold'], '--lockout-threshold'),
        inactivityDays: positiveInt(values['inactivity-days'], '--inactivity-days'),
        deletionPolicy: values['deletion-policy'],
        mfaRequired: values['mfa-required'],
        autoUnlockMinutes: positiveInt(values['auto-unlock-minutes'], '--auto-unlock-minutes'),
      };
      return async (_orm, services) => {
        return (await runAction(services, createOrganisation, actor, input)).message;
      };
    }
    case 'user': {
      const [sub, ...more] = rest;
      if (sub === 'create') {
        const { positionals, values } = parse(more, {
          email: { type: 'string' },
          first: { type: 'string' },
          last: { type: 'string' },
          username: { type: 'string' },
          role: { type: 'string' },
          org: { type: 'string' },
          'no-invite': { type: 'boolean' },
          sso: { type: 'boolean' },
        });
        if (positionals.length || !values.email || !values.first || !values.last) throw new UsageError('user create needs --email, --first and --last');
        const input = {
          email: values.email,
          firstName: values.first,
          lastName: values.last,
          username: values.username,
          role: values.role,
          organisation: values.org,
          authSource: values.sso ? ('sso' as const) : ('local' as const),
          sendInvitation: !values['no-invite'],
        };
        return async (_orm, services) => {
          const created = await runAction(services, createAccount, actor, input);
          return `${created.message} ID ${created.accountId}.`;
        };
      }
      if (sub === 'lookup') {
        const { positionals } = parse(more);
        if (!positionals.length) throw new UsageError('user lookup takes an email, username, ID or name');
        return async (_orm, services, config) => {
          const result = await runAction(services, lookupAccount, actor, { query: positionals.join(' ') });
          const now = new Date();
          if (result.kind === 'card')
            return accountCardText(result.card, { now, nextSweepAt: nextSweepRun(config.ROSTER_SWEEP_CRON, config.ROSTER_TIMEZONE, now) });
          if (result.kind === 'none') return `No account matches "${result.query}".`;
          return [
            `${result.matches.length}${result.more ? '+' : ''} accounts match "${result.query}":`,
            ...result.matches.map((m) => `  ${matchLine(m)}`),
          ].join('\n');
        };
      }
      const action = sub ? typedActionsByVerb.get(sub) : undefined;
      if (action) {
        return async (_orm, services) => {
          const outcome = await runCommand(services, action, actor, sub!, more);
          if (outcome.kind === 'group' && outcome.card) return groupCardText(outcome.card);
          const secret = outcome.kind === 'account' && outcome.secret ? [`${outcome.secret.label}: ${outcome.secret.value}`] : [];
          return [outcome.message, ...secret].join('\n');
        };
      }
      throw new UsageError(`user takes: create, lookup, ${[...typedActionsByVerb.keys()].join(', ')}`);
    }
    case 'token': {
      const [sub, ...more] = rest;
      if (sub === 'create') {
        const { positionals, values } = parse(more, { org: { type: 'string' }, name: { type: 'string' }, scope: { type: 'string', multiple: true } });
        if (positionals.length || !values.org) throw new UsageError('token create needs --org <slug>');
        return async (_orm, services) => {
          const created = await runAction(services, createApiToken, actor, {
            organisation: values.org,
            name: values.name ?? values.scope?.join(' '),
            scopes: values.scope,
          });
          return [created.message, `${created.secret.label}: ${created.secret.value}`].join('\n');
        };
      }
      if (sub === 'list') {
        const { positionals, values } = parse(more, { org: { type: 'string' } });
        if (positionals.length) throw new UsageError('token list takes only --org <slug>');
        return async (_orm, services) => (await runAction(services, listApiTokens, actor, { organisation: values.org })).message;
      }
      if (sub === 'revoke') {
        const { positionals } = parse(more);
        if (positionals.length !== 1) throw new UsageError('token revoke takes the token ID or its roster_... prefix');
        return async (_orm, services) => (await runAction(services, revokeApiToken, actor, { tokenId: positionals[0] })).message;
      }
      throw new UsageError('token takes: create, list, revoke');
    }
    case 'users': {
      const [sub, ...more] = rest;
      if (sub !== 'list') throw new UsageError('users takes: list');
      const { positionals, values } = parse(more, { after: { type: 'string' }, before: { type: 'string' } });
      const input = { filter: filterTextFromWords(positionals), after: values.after, before: values.before };
      return async (_orm, services) => accountPageText(await runAction(services, listAccounts, actor, input), 'npm run roster -- users list');
    }
    case 'seed': {
      const { positionals, values } = parse(rest, { users: { type: 'string' }, org: { type: 'string' } });
      const users = positiveInt(values.users, '--users');
      if (positionals.length || !users) throw new UsageError('seed needs --users <N> (N at least 1)');
      return async (orm) => {
        const result = await seedDemo(orm.em.fork(), { users, organisation: values.org ?? 'demo' }, (done) => process.stderr.write(`\r${done} accounts`));
        process.stderr.write('\n');
        return `Seeded ${result.accounts} accounts, ${result.groups} groups and ${result.memberships} memberships into ${result.organisation} in ${result.seconds} s.`;
      };
    }
    case 'sweep': {
      const { positionals, values } = parse(rest, { 'dry-run': { type: 'boolean' } });
      if (positionals.length) throw new UsageError('sweep takes only --dry-run');
      return async (_orm, services) => {
        const result = await sweepAllInactiveAccounts(services, actor, { dryRun: values['dry-run'] ?? false });
        const lines = result.byOrganisation.map((o) => `  ${o.slug}: ${o.count} (no sign-in for ${o.inactivityDays} days)`);
        return [`${result.dryRun ? 'Would suspend' : 'Suspended'} ${result.suspended} inactive account${result.suspended === 1 ? '' : 's'}.`, ...lines].join(
          '\n',
        );
      };
    }
    case undefined:
    case 'help':
    case '--help':
      throw new UsageError('');
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

async function main(argv: string[]): Promise<number> {
  if (argv[0] === 'local') return localCommand(argv.slice(1));
  let run: Run;
  try {
    run = plan(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    if (error.message) console.error(`roster: ${error.message}`);
    console.error(USAGE);
    return 2;
  }
  const logger = createLogger(process.env.LOG_LEVEL ?? 'warn', process.stderr as never);
  // Local mode: the embedded PostgreSQL of a running Roster, or one started for this command.
  const runtime = await startLocalRuntime(loadConfig(process.env, { needsSlack: false }), process.env, { app: false });
  const { config } = runtime;
  const orm = await createOrm(config.DATABASE_URL, (message) => logger.info({ component: 'orm' }, message));
  const queueAccess = lazyQueueAccess(() => queueBackendFor(config, config.DATABASE_URL, logger), logger);
  try {
    // Like `npm start`, every command brings the database up to date first, so a fresh clone needs no extra step.
    const applied = await migrate(orm);
    if (applied.length) console.error(`roster: applied ${applied.join(', ')}`);
    console.log(terminalText(await run(orm, { orm, logger, scheduler: queueAccess.scheduler, mail: queueAccess.mail }, config)));
    return 0;
  } catch (error) {
    if (error instanceof RefusedError) {
      console.error(`roster: ${terminalText(error.userMessage)}`);
      return 1;
    }
    throw error;
  } finally {
    await queueAccess.close();
    await orm.close();
    await runtime.stop();
  }
}

/** Roster's sentences are written for Slack, which shows `<@U012ABCDEF>` as the person's name; a terminal gets `@U012ABCDEF`. */
function terminalText(text: string): string {
  return text.replace(/<@([A-Z0-9]+)>/g, '@$1');
}

async function localCommand(args: string[]): Promise<number> {
  if (args.length !== 1 || args[0] !== 'reset') {
    console.error('roster: local takes one command: reset');
    console.error(USAGE);
    return 2;
  }
  try {
    console.log(await resetLocalDirectory(process.env));
    return 0;
  } catch (error) {
    if (!(error instanceof LocalResetRefused)) throw error;
    console.error(`roster: ${error.message}`);
    return 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    console.error(error instanceof ConfigError ? error.message : `roster: ${(error as Error).message}`);
    process.exit(1);
  },
);
