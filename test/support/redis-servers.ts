/**
 * Real `redis-server` processes on 127.0.0.1 for the Sentinel and Cluster tests: a master with a
 * replica watched by three sentinels, or a cluster of three masters. Every process runs without
 * persistence in a temp folder of its own; `stop()` kills them all and removes the folder, and an
 * exit hook kills whatever a crashed test left behind.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';

const run = promisify(execFile);
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const p of live) p.kill('SIGKILL');
});

export interface RedisProcesses {
  readonly dir: string;
  /** Kills every process of the set (SIGKILL) and removes its folder. */
  stop(): Promise<void>;
}

export interface SentinelSet extends RedisProcesses {
  readonly masterName: string;
  readonly masterPort: number;
  readonly replicaPort: number;
  readonly sentinelPorts: readonly number[];
  /** The port the sentinels currently name as master. */
  currentMasterPort(): Promise<number>;
  /** Kills the first master's process (SIGKILL), as a crashed host would vanish. */
  killMaster(): Promise<void>;
  /** Clients subscribed to a channel, over the sentinels (sentinels do not subscribe to each other). */
  sentinelSubscribers(): Promise<number>;
}

export interface RedisClusterSet extends RedisProcesses {
  readonly ports: readonly number[];
}

/** A port that is free on loopback, and so is `port + 10000` when `withBus` (a cluster's bus port). */
export async function freePort(withBus = false): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 25_000);
    if ((await canListen(port)) && (!withBus || (await canListen(port + 10_000)))) return port;
  }
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

// A master sends its first full copy to a replica over the socket only after
// repl-diskless-sync-delay (5 s by default, to gather more replicas into one transfer): the set
// has one replica, so it starts at once.
const BASE_ARGS = [
  '--bind',
  '127.0.0.1',
  '--save',
  '',
  '--appendonly',
  'no',
  '--protected-mode',
  'no',
  '--repl-diskless-sync-delay',
  '0',
];

function spawnServer(args: readonly string[], dir: string): ChildProcess {
  const p = spawn('redis-server', [...args], { cwd: dir, stdio: 'ignore' });
  live.add(p);
  p.once('exit', () => live.delete(p));
  return p;
}

const READY_TIMEOUT_MS = 20_000;

/**
 * Waits until the server on `port` answers PING (and, when given, until `ready` holds). Fails at
 * once when a process of the set has exited (its port was taken, say).
 */
async function waitFor(
  group: readonly ChildProcess[],
  port: number,
  password: string | undefined,
  ready?: (client: Redis) => Promise<boolean>,
) {
  const end = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (group.some((p) => p.exitCode !== null || p.signalCode !== null)) {
      throw new Error(`a redis-server of the set exited before port ${port} was ready`);
    }
    const client = adminClient(port, password, true);
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.ping();
      if (!ready || (await ready(client))) return;
    } catch {
      // Not up yet.
    } finally {
      client.disconnect();
    }
    if (Date.now() > end) throw new Error(`redis on port ${port} not ready within ${READY_TIMEOUT_MS} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A client for the test's own checks and commands (never licbridge's connections). */
export function adminClient(port: number, password?: string, lazyConnect = false): Redis {
  const client = new Redis({
    port,
    host: '127.0.0.1',
    lazyConnect,
    retryStrategy: () => null,
    ...(password ? { password } : {}),
  });
  client.on('error', () => undefined);
  return client;
}

/**
 * A free port can be taken by another test between the check and redis-server binding it (test
 * files run in parallel): the set is then started again on other ports.
 */
async function withRetries<T>(start: () => Promise<T>, attempts = 3): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await start();
    } catch (e) {
      if (i >= attempts) throw e;
    }
  }
}

function stopper(dir: string, processes: ChildProcess[]): () => Promise<void> {
  return async () => {
    await Promise.all(
      processes.map(
        (p) =>
          new Promise<void>((resolve) => {
            if (p.exitCode !== null || p.signalCode !== null) return resolve();
            p.once('exit', () => resolve());
            p.kill('SIGKILL');
          }),
      ),
    );
    await rm(dir, { recursive: true, force: true });
  };
}

/** One `redis-server` of a test's own, for a test that stops it (the shared one is never stopped). */
export interface LoneRedis extends RedisProcesses {
  readonly port: number;
  /** `redis://127.0.0.1:<port>`. */
  readonly url: string;
}

export interface LoneRedisOptions {
  /** A server stopped before, started again where its clients reconnect: tried once, as another port would not do. @defaultValue a free port */
  port?: number;
  /** `requirepass`: clients must give it. @defaultValue none */
  password?: string;
}

/** Starts a `redis-server` without persistence, and resolves once it answers PING. */
export function startLoneRedis(options: LoneRedisOptions = {}): Promise<LoneRedis> {
  const once = async () => {
    const dir = await mkdtemp(join(tmpdir(), 'licbridge-redis-'));
    const port = options.port ?? (await freePort());
    const auth = options.password === undefined ? [] : ['--requirepass', options.password];
    const p = spawnServer(['--port', String(port), ...BASE_ARGS, ...auth], dir);
    const stop = stopper(dir, [p]);
    try {
      await waitFor([p], port, options.password);
    } catch (e) {
      await stop();
      throw e;
    }
    return { dir, port, url: `redis://127.0.0.1:${port}`, stop };
  };
  return options.port === undefined ? withRetries(once) : once();
}

export interface SentinelSetOptions {
  masterName?: string;
  /** `requirepass` of master and replica. */
  password?: string;
  /** `requirepass` of the sentinels. */
  sentinelPassword?: string;
}

/**
 * A master, one replica in sync with it, and three sentinels (quorum 2) that already know the
 * replica and each other, so a failover can be started at once. Sentinels judge a master down
 * after 1 s.
 */
export function startSentinelSet(options: SentinelSetOptions = {}): Promise<SentinelSet> {
  return withRetries(() => sentinelSetOnce(options));
}

async function sentinelSetOnce(options: SentinelSetOptions): Promise<SentinelSet> {
  const masterName = options.masterName ?? 'lbmaster';
  const { password, sentinelPassword } = options;
  const auth = password ? ['--requirepass', password, '--masterauth', password] : [];
  const dir = await mkdtemp(join(tmpdir(), 'licbridge-sentinel-'));
  const processes: ChildProcess[] = [];
  const stop = stopper(dir, processes);
  try {
    const masterPort = await freePort();
    const replicaPort = await freePort();
    processes.push(spawnServer(['--port', String(masterPort), '--dir', dir, ...BASE_ARGS, ...auth], dir));
    await waitFor(processes, masterPort, password);
    processes.push(
      spawnServer(
        [
          '--port',
          String(replicaPort),
          '--dir',
          dir,
          ...BASE_ARGS,
          ...auth,
          '--replicaof',
          '127.0.0.1',
          String(masterPort),
        ],
        dir,
      ),
    );
    // "Link up" on the replica can come up to a second before the master's writes reach it (Redis
    // 7.0: one set in four had a replica still at offset 0 while its master had written). A
    // failover then promotes a replica without the writes made since the set started, so the set
    // is ready once the replica has applied a write from the stream: its offset moves (the first
    // copy leaves it at 0). Each look writes once more on the master.
    const writer = adminClient(masterPort, password);
    try {
      await waitFor(processes, replicaPort, password, async (c) => {
        await writer.incr('licbridge-test:replicated');
        const info = await c.info('replication');
        return /master_link_status:up/.test(info) && Number(/slave_repl_offset:(\d+)/.exec(info)?.[1]) > 0;
      });
    } finally {
      writer.disconnect();
    }
    const sentinelPorts: number[] = [];
    for (let i = 0; i < 3; i++) sentinelPorts.push(await freePort());
    // Each sentinel is told its own id and the others' and the replica up front: found by itself,
    // the others announce themselves on the master every 2 s, which cost seconds per set.
    const ids = sentinelPorts.map(() => randomBytes(20).toString('hex'));
    for (const [i, port] of sentinelPorts.entries()) {
      // Sentinel rewrites its config file, so each has one of its own.
      const file = join(dir, `sentinel-${port}.conf`);
      await writeFile(
        file,
        [
          `port ${port}`,
          'bind 127.0.0.1',
          'protected-mode no',
          `dir ${dir}`,
          `sentinel monitor ${masterName} 127.0.0.1 ${masterPort} 2`,
          `sentinel down-after-milliseconds ${masterName} 1000`,
          `sentinel failover-timeout ${masterName} 10000`,
          `sentinel parallel-syncs ${masterName} 1`,
          ...(password ? [`sentinel auth-pass ${masterName} ${password}`] : []),
          ...(sentinelPassword ? [`requirepass ${sentinelPassword}`] : []),
          `sentinel myid ${ids[i]}`,
          `sentinel known-replica ${masterName} 127.0.0.1 ${replicaPort}`,
          ...sentinelPorts.flatMap((other, j) =>
            j === i ? [] : [`sentinel known-sentinel ${masterName} 127.0.0.1 ${other} ${ids[j]}`],
          ),
          '',
        ].join('\n'),
      );
      processes.push(spawnServer([file, '--sentinel'], dir));
    }
    for (const port of sentinelPorts) {
      await waitFor(processes, port, sentinelPassword, async (c) => {
        const replicas = (await c.call('SENTINEL', 'REPLICAS', masterName)) as unknown[];
        const sentinels = (await c.call('SENTINEL', 'SENTINELS', masterName)) as unknown[];
        return replicas.length === 1 && sentinels.length === 2;
      });
    }
    const currentMasterPort = async (): Promise<number> => {
      const client = adminClient(sentinelPorts[0] ?? 0, sentinelPassword);
      try {
        const addr = (await client.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', masterName)) as string[];
        return Number(addr[1]);
      } finally {
        client.disconnect();
      }
    };
    const master = processes[0];
    const killMaster = async (): Promise<void> => {
      if (!master || master.exitCode !== null || master.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => master.once('exit', () => resolve()));
      master.kill('SIGKILL');
      await exited;
    };
    const sentinelSubscribers = async (): Promise<number> => {
      let count = 0;
      for (const port of sentinelPorts) {
        const client = adminClient(port, sentinelPassword);
        try {
          const list = String(await client.call('CLIENT', 'LIST'));
          count += list.split('\n').filter((line) => /\bsub=[1-9]/.test(line)).length;
        } finally {
          client.disconnect();
        }
      }
      return count;
    };
    return {
      dir,
      masterName,
      masterPort,
      replicaPort,
      sentinelPorts,
      currentMasterPort,
      killMaster,
      sentinelSubscribers,
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** Three cluster masters, no replicas, all 16384 slots assigned and the cluster state `ok`. */
export function startRedisCluster(): Promise<RedisClusterSet> {
  return withRetries(clusterOnce);
}

async function clusterOnce(): Promise<RedisClusterSet> {
  const dir = await mkdtemp(join(tmpdir(), 'licbridge-cluster-'));
  const processes: ChildProcess[] = [];
  const stop = stopper(dir, processes);
  try {
    const ports: number[] = [];
    for (let i = 0; i < 3; i++) {
      const port = await freePort(true);
      ports.push(port);
      processes.push(
        spawnServer(
          [
            '--port',
            String(port),
            '--dir',
            dir,
            ...BASE_ARGS,
            '--cluster-enabled',
            'yes',
            '--cluster-config-file',
            `nodes-${port}.conf`,
            '--cluster-node-timeout',
            '2000',
          ],
          dir,
        ),
      );
    }
    for (const port of ports) await waitFor(processes, port, undefined);
    await run('redis-cli', [
      '--cluster',
      'create',
      ...ports.map((p) => `127.0.0.1:${p}`),
      '--cluster-replicas',
      '0',
      '--cluster-yes',
    ]);
    for (const port of ports) {
      await waitFor(processes, port, undefined, async (c) =>
        /cluster_state:ok/.test(String(await c.call('CLUSTER', 'INFO'))),
      );
    }
    return { dir, ports, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
