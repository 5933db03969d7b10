/**
 * PostgreSQL, MariaDB and Redis started with TLS on a free loopback port, in a temp folder of
 * their own, for the TLS tests. PostgreSQL refuses to run as root, so it runs as `postgres`
 * (runuser); MariaDB runs as root with `--user=root`. `stop()` ends the server and removes the
 * folder; an exit hook kills whatever a crashed test left behind.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { chmod, chown, copyFile, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './redis-servers.js';
import type { IssuedCertificate } from './test-ca.js';

import { until } from './until.js';

export { until };

const run = promisify(execFile);
const live = new Set<ChildProcess>();
const pgDirs = new Set<string>();
process.once('exit', () => {
  for (const p of live) p.kill('SIGKILL');
});

export interface TlsServer {
  readonly port: number;
  readonly dir: string;
  /** Serves `cert` from now on (PostgreSQL: reload; Redis, MariaDB: not supported). */
  useCertificate?(cert: IssuedCertificate): Promise<void>;
  stop(): Promise<void>;
}

async function pgBin(name: string): Promise<string> {
  const versions = (await readdir('/usr/lib/postgresql')).sort((a, b) => Number(b) - Number(a));
  return join('/usr/lib/postgresql', versions[0] ?? '', 'bin', name);
}

/** PostgreSQL with `ssl = on`, trusting TLS connections from loopback (`hostssl … trust`). */
export async function startTlsPostgres(cert: IssuedCertificate): Promise<TlsServer> {
  const dir = await mkdtemp(join(tmpdir(), 'lb-pg-tls-'));
  const { stdout } = await run('id', ['-u', 'postgres']);
  const { stdout: gid } = await run('id', ['-g', 'postgres']);
  const [uid, group] = [Number(stdout.trim()), Number(gid.trim())];
  await chown(dir, uid, group);
  const data = join(dir, 'data');
  const asPg = (bin: string, args: string[]) => run('runuser', ['-u', 'postgres', '--', bin, ...args]);
  await asPg(await pgBin('initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  const install = async (c: IssuedCertificate) => {
    await copyFile(c.certPath, join(data, 'server.crt'));
    await copyFile(c.keyPath, join(data, 'server.key'));
    for (const f of ['server.crt', 'server.key']) {
      await chown(join(data, f), uid, group);
      await chmod(join(data, f), 0o600);
    }
  };
  await install(cert);
  const { writeFile } = await import('node:fs/promises');
  // TLS only: a plain connection from loopback has no matching line and is refused.
  await writeFile(join(data, 'pg_hba.conf'), 'local all all trust\nhostssl all all 127.0.0.1/32 trust\n');
  await chown(join(data, 'pg_hba.conf'), uid, group);
  const port = await freePort();
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c ssl=on -c fsync=off`;
  await asPg(await pgBin('pg_ctl'), ['start', '-w', '-D', data, '-l', join(dir, 'log'), '-o', options]);
  pgDirs.add(data);
  return {
    port,
    dir,
    async useCertificate(c) {
      await install(c);
      await asPg(await pgBin('pg_ctl'), ['reload', '-D', data]);
    },
    async stop() {
      pgDirs.delete(data);
      await asPg(await pgBin('pg_ctl'), ['stop', '-m', 'immediate', '-D', data]).catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

process.once('exit', () => {
  for (const data of pgDirs) {
    // Synchronous on the way out: the test process is ending.
    spawn('runuser', ['-u', 'postgres', '--', 'pg_ctl', 'stop', '-m', 'immediate', '-D', data], {
      stdio: 'ignore',
      detached: true,
    }).unref();
  }
});

/** Spawns a server process and tracks it for the exit hook. */
export function track(child: ChildProcess): ChildProcess {
  live.add(child);
  child.once('exit', () => live.delete(child));
  return child;
}

/** MariaDB with `require_secure_transport`, so only TLS connections get in (grant tables skipped). */
export async function startTlsMariadb(
  ca: string,
  cert: IssuedCertificate,
): Promise<TlsServer & { socket: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'lb-maria-tls-'));
  const data = join(dir, 'data');
  await run('mariadb-install-db', ['--no-defaults', `--datadir=${data}`, '--user=root', '--skip-test-db'], {
    timeout: 60_000,
  });
  const { writeFile } = await import('node:fs/promises');
  const caPath = join(dir, 'ca.pem');
  await writeFile(caPath, ca);
  const port = await freePort();
  const socket = join(dir, 'mysqld.sock');
  const child = track(
    spawn(
      'mariadbd',
      [
        '--no-defaults',
        `--datadir=${data}`,
        '--user=root',
        `--port=${port}`,
        '--bind-address=127.0.0.1',
        `--socket=${socket}`,
        '--skip-grant-tables',
        '--require-secure-transport=ON',
        `--ssl-ca=${caPath}`,
        `--ssl-cert=${cert.certPath}`,
        `--ssl-key=${cert.keyPath}`,
        '--innodb-buffer-pool-size=16M',
        '--skip-log-bin',
      ],
      { stdio: 'ignore' },
    ),
  );
  const { connect } = await import('node:net');
  await until(
    () =>
      new Promise<boolean>((resolve) => {
        const s = connect(port, '127.0.0.1');
        s.once('connect', () => {
          s.destroy();
          resolve(true);
        });
        s.once('error', () => resolve(false));
      }),
    40_000,
  );
  return {
    port,
    dir,
    socket,
    async stop() {
      child.kill('SIGKILL');
      await new Promise((r) => (child.exitCode === null ? child.once('exit', r) : r(undefined)));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** redis-server with TLS only (`--port 0 --tls-port`), clients not asked for certificates. */
export async function startTlsRedis(cert: IssuedCertificate, caPath: string): Promise<TlsServer> {
  const dir = await mkdtemp(join(tmpdir(), 'lb-redis-tls-'));
  const port = await freePort();
  const child = track(
    spawn(
      'redis-server',
      [
        '--port',
        '0',
        '--tls-port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--dir',
        dir,
        '--tls-cert-file',
        cert.certPath,
        '--tls-key-file',
        cert.keyPath,
        '--tls-ca-cert-file',
        caPath,
        '--tls-auth-clients',
        'no',
      ],
      { stdio: 'ignore' },
    ),
  );
  const { probeServerCertificate } = await import('../../core/tls-probe.js');
  await until(
    async () => (await probeServerCertificate({ host: '127.0.0.1', port, startTls: 'direct' })) !== undefined,
  );
  return {
    port,
    dir,
    async stop() {
      child.kill('SIGKILL');
      await new Promise((r) => (child.exitCode === null ? child.once('exit', r) : r(undefined)));
      await rm(dir, { recursive: true, force: true });
    },
  };
}
