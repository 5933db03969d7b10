import { readFile, writeFile } from 'node:fs/promises';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { createLogger } from '../../core/logger.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { createSyncWorkspace, type SyncWorkspace } from '../pipelines/sync-workspace.js';
import { licbridge } from '../support/cli.js';
import { adminClient, type RedisClusterSet, startRedisCluster } from '../support/redis-servers.js';

const logger = createLogger({ level: process.env.LB_TEST_LOG ?? 'silent' });
const PIPELINE = 'food-business-licenses';
// Two pages of the demo's 100 and six batches of 20 for each platform: every stage's queue is used
// on the cluster more than once. 300 rows (3da6b0c9) only added more of the same.
const ROWS = 120;

describe('queues on a Redis Cluster of three masters', () => {
  let cluster: RedisClusterSet;
  let ws: SyncWorkspace;
  let config: Readonly<Config>;
  let prefix: string;

  beforeAll(async () => {
    cluster = await startRedisCluster();
    // A Redis of the test's own: cleanup then leaves the machine's shared Redis alone.
    ws = await createSyncWorkspace({ rows: ROWS, redis: 'redis://127.0.0.1:1', timeoutMs: 5000 });
    prefix = `{${ws.prefix}}`;
    const yaml = await readFile(ws.configFile, 'utf8');
    await writeFile(
      ws.configFile,
      yaml.replace(
        /^queue: .*$/m,
        [
          'queue:',
          '  redis:',
          // One node is enough to discover the others.
          `    cluster: ["127.0.0.1:${cluster.ports[0]}"]`,
          `  prefix: "${prefix}"`,
          '  connectTimeoutMs: 3000',
        ].join('\n'),
      ),
    );
    config = await loadConfig({ file: ws.configFile, env: {} });
  }, 60_000);

  afterAll(async () => {
    await ws?.cleanup();
    await cluster?.stop();
  });

  /** Every key under the prefix, with the port of the master holding it. */
  const queueKeys = async (): Promise<{ key: string; port: number }[]> => {
    const found: { key: string; port: number }[] = [];
    for (const port of cluster.ports) {
      const node = adminClient(port);
      try {
        for (const key of await node.keys(`${prefix}:*`)) found.push({ key, port });
      } finally {
        node.disconnect();
      }
    }
    return found;
  };

  it('completes with every valid row delivered once to each platform, nothing lost, nothing doubled', async () => {
    const [s] = await runPipelines(config, { pipelines: [PIPELINE], full: false, logger });
    expect(s?.state).toBe('done');
    expect(s?.read).toBe(ROWS);
    expect(s?.read).toBe((s?.created ?? 0) + (s?.unchanged ?? 0) + (s?.quarantined ?? 0));
    expect(s?.created).toBeGreaterThan((ROWS * 2) / 3);
    expect(s?.signed).toBe(s?.created);
    expect(s?.delivered).toEqual({ province: s?.created, city: s?.created });
    expect(s?.deadLettered).toEqual({ province: 0, city: 0 });
    for (const sim of [ws.province, ws.city]) {
      expect(sim.stats().accepted).toBe(s?.created);
      expect(sim.stats().duplicates).toBe(0);
    }
  }, 60_000);

  it('works from the command line too, and each command ends (it closes its cluster connections)', async () => {
    const run = await licbridge(['run', '--all', '--config', ws.configFile], { timeoutMs: 45_000 });
    expect(run.stderr).not.toMatch(/CROSSSLOT|MOVED|error/i);
    expect(run.status, run.stderr).toBe(0);
    const status = await licbridge(['status', '--json', '--config', ws.configFile], { timeoutMs: 30_000 });
    const report = JSON.parse(status.stdout) as { attention: string[] };
    expect(report.attention).toEqual([]);
    expect(status.status).toBe(0);
    for (const sim of [ws.province, ws.city]) expect(sim.stats().duplicates).toBe(0);
  }, 60_000);

  it('keeps every queue key in one hash slot, on one master, by the hash tag in the prefix', async () => {
    const keys = await queueKeys();
    expect(keys.length).toBeGreaterThan(0);
    // Every stage's queue is there: extract, sign and one per target.
    for (const queue of ['extract', 'sign', 'deliver-province', 'deliver-city']) {
      expect(keys.some(({ key }) => key.startsWith(`${prefix}:${queue}:`))).toBe(true);
    }
    const node = adminClient(cluster.ports[0] ?? 0);
    try {
      const slots = new Set<number>();
      for (const { key } of keys) slots.add(Number(await node.call('CLUSTER', 'KEYSLOT', key)));
      expect(slots.size).toBe(1);
    } finally {
      node.disconnect();
    }
    expect(new Set(keys.map((k) => k.port)).size).toBe(1);
  });

  it('keeps personal data out of the cluster: jobs carry ids only', async () => {
    const legacy = new Database(ws.legacyDb, { readonly: true });
    const personal = legacy
      .prepare('SELECT TRIM(JYZMC) a, TRIM(TYSHXYDM) b, TRIM(FDDBR) c, TRIM(FDDBRSFZ) d FROM T_SPXK_XKZ')
      .all() as Record<string, string>[];
    legacy.close();
    let dump = '';
    for (const { key, port } of await queueKeys()) {
      const node = adminClient(port);
      try {
        const type = await node.type(key);
        if (type === 'hash') dump += JSON.stringify(await node.hgetall(key));
        else if (type === 'string') dump += await node.get(key);
        else if (type === 'list') dump += JSON.stringify(await node.lrange(key, 0, -1));
        else if (type === 'stream') dump += JSON.stringify(await node.xrange(key, '-', '+'));
      } finally {
        node.disconnect();
      }
    }
    expect(dump).toContain('versionIds');
    for (const row of personal) {
      for (const value of Object.values(row)) {
        if (value && value.length >= 2) expect(dump).not.toContain(value);
      }
    }
  });
});
