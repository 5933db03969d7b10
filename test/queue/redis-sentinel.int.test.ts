// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${env:…}` is config reference syntax, not a template slip.
import { randomUUID } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { createLogger } from '../../core/logger.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { createSyncWorkspace, type SyncWorkspace } from '../pipelines/sync-workspace.js';
import { type GateProxy, startGateProxy } from '../support/gate-proxy.js';
import { adminClient, type SentinelSet, startSentinelSet } from '../support/redis-servers.js';
import { until } from '../support/until.js';

const logger = createLogger({ level: process.env.LB_TEST_LOG ?? 'silent' });
const PIPELINE = 'food-business-licenses';
const ROWS = 120;

/** Role, the master followed (a replica), link state and replication offset of one Redis. */
async function replication(port: number, password: string) {
  const client = adminClient(port, password);
  try {
    const info = await client.info('replication');
    const field = (name: string) => new RegExp(`^${name}:(.*)$`, 'm').exec(info)?.[1]?.trim();
    return {
      role: field('role'),
      masterPort: Number(field('master_port') ?? 0),
      link: field('master_link_status'),
      offset: Number(field('master_repl_offset') ?? 0),
    };
  } finally {
    client.disconnect();
  }
}

/**
 * Failovers the sentinels have made: the master's config epoch, 0 before the first. The sentinels
 * judge a master down after 1 s without an answer: a master stalled for a few seconds (2.5 s on a
 * loaded machine) is failed over without the test asking, which these counts then name.
 */
async function failovers(set: SentinelSet, sentinelPassword: string): Promise<number> {
  const sentinel = adminClient(set.sentinelPorts[0] ?? 0, sentinelPassword);
  try {
    const fields = (await sentinel.call('SENTINEL', 'MASTER', set.masterName)) as string[];
    return Number(fields[fields.indexOf('config-epoch') + 1]);
  } finally {
    sentinel.disconnect();
  }
}

/**
 * How the master goes away: the operator's failover, or the master process killed outright. Each
 * resolves to whether the old master lives on (the sentinels then make it a replica of the new one).
 */
const FAILOVERS: [string, (set: SentinelSet, sentinelPassword: string) => Promise<boolean>][] = [
  [
    'SENTINEL FAILOVER',
    async (set, sentinelPassword) => {
      const sentinel = adminClient(set.sentinelPorts[1] ?? 0, sentinelPassword);
      try {
        await sentinel.call('SENTINEL', 'FAILOVER', set.masterName);
        return true;
      } finally {
        sentinel.disconnect();
      }
    },
  ],
  [
    'the master killed (SIGKILL)',
    async (set) => {
      await set.killMaster();
      return false;
    },
  ],
];

describe.each(FAILOVERS)('queues on Redis behind Sentinel, failed over mid-run by %s', (_how, failover) => {
  let set: SentinelSet;
  let ws: SyncWorkspace;
  let gate: GateProxy;
  let config: Readonly<Config>;
  const password = `pw-${randomUUID()}`;
  const sentinelPassword = `spw-${randomUUID()}`;

  beforeAll(async () => {
    set = await startSentinelSet({ password, sentinelPassword });
    ws = await createSyncWorkspace({
      // Two pages, six batches a platform: the run goes on through and past the failover, as 300
      // rows did, in less than half the signing and delivering.
      rows: ROWS,
      // A Redis of the test's own: cleanup then leaves the machine's shared Redis alone.
      redis: 'redis://127.0.0.1:1',
      // Longer than any failover: a delivery held at the gate must not time out and be re-sent.
      timeoutMs: 30_000,
    });
    // Deliveries to the province wait at a closed gate: the run is mid-way, with deliver jobs
    // active, for as long as the failover takes, however fast the machine is.
    gate = await startGateProxy(ws.province.url, { open: false });
    const yaml = await readFile(ws.configFile, 'utf8');
    expect(yaml).toContain(`url: "${ws.province.url}"`);
    await writeFile(
      ws.configFile,
      yaml
        .replace(`url: "${ws.province.url}"`, `url: "${gate.url}"`)
        .replace(
          /^queue: .*$/m,
          [
            'queue:',
            '  redis:',
            `    sentinels: [${set.sentinelPorts.map((p) => `"127.0.0.1:${p}"`).join(', ')}]`,
            `    name: ${set.masterName}`,
            '    password: "${env:LB_TEST_REDIS_PASSWORD}"',
            '    sentinelPassword: "${env:LB_TEST_SENTINEL_PASSWORD}"',
            `  prefix: ${ws.prefix}`,
            '  connectTimeoutMs: 3000',
          ].join('\n'),
        ),
    );
    config = await loadConfig({
      file: ws.configFile,
      env: { LB_TEST_REDIS_PASSWORD: password, LB_TEST_SENTINEL_PASSWORD: sentinelPassword },
    });
  }, 60_000);

  afterAll(async () => {
    gate?.open();
    await gate?.close();
    await ws?.cleanup();
    await set?.stop();
  });

  it('completes with every valid row delivered once to each platform, nothing lost, nothing doubled', async () => {
    let finishedAt = 0;
    const running = runPipelines(config, { pipelines: [PIPELINE], full: false, logger }).finally(() => {
      finishedAt = Date.now();
    });
    // Fail over while deliveries are under way: deliver jobs active, held at the gate.
    await until(() => gate.waiting > 0 || finishedAt > 0, 30_000, { what: 'first delivery', every: 50 });
    expect(finishedAt).toBe(0);
    expect(await failovers(set, sentinelPassword), 'failovers before the test made one').toBe(0);
    const oldMasterLives = await failover(set, sentinelPassword);
    await until(async () => (await set.currentMasterPort()) === set.replicaPort, 20_000, {
      what: 'failover',
      every: 50,
    });
    // Every province delivery is still to be made, on the new master.
    expect(ws.province.stats().accepted).toBe(0);
    expect(finishedAt).toBe(0);
    gate.open();

    const [s] = await running;
    expect(await failovers(set, sentinelPassword), 'failovers by the end of the run').toBe(1);
    // The queues live on the new master: their keys are there, and the old master, when it lives,
    // is its replica. Sentinel demotes an old master that still says "master" only seconds after
    // the switch (8 s in Redis 7); until then that master takes the writes of the clients still
    // connected to it and drops them when it copies the new master, so the new master is looked
    // at once the old one follows it, not the moment the run ends.
    expect((await replication(set.replicaPort, password)).role).toBe('master');
    if (oldMasterLives) {
      await until(
        async () => {
          // Demoting it, the sentinels close its clients (CLIENT KILL): this one too, mid-question.
          const old = await replication(set.masterPort, password).catch(() => undefined);
          return old?.role === 'slave' && old.masterPort === set.replicaPort && old.link === 'up';
        },
        20_000,
        { what: 'old master replicating the new one', every: 50 },
      );
    }
    const newMaster = adminClient(set.replicaPort, password);
    try {
      const queues = ['extract', 'sign', 'deliver-province', 'deliver-city'];
      const metas = await Promise.all(queues.map((q) => newMaster.exists(`${ws.prefix}:${q}:meta`)));
      const old = oldMasterLives ? JSON.stringify(await replication(set.masterPort, password)) : 'killed';
      const now = `new master ${JSON.stringify(await replication(set.replicaPort, password))}, old master ${old}`;
      expect(metas, `meta keys of ${queues.join(', ')} on the new master (${now})`).toEqual([1, 1, 1, 1]);
    } finally {
      newMaster.disconnect();
    }

    // The run closed its queues and workers, leaving no subscription to a sentinel open.
    await until(async () => (await set.sentinelSubscribers()) === 0, 5000, {
      what: 'subscriptions to the sentinels closed',
      every: 50,
    });

    expect(s?.state).toBe('done');
    expect(s?.read).toBe(ROWS);
    expect(s?.read).toBe((s?.created ?? 0) + (s?.unchanged ?? 0) + (s?.quarantined ?? 0));
    expect(s?.created).toBeGreaterThan(ROWS * 0.8);
    expect(s?.signed).toBe(s?.created);
    expect(s?.delivered).toEqual({ province: s?.created, city: s?.created });
    expect(s?.deadLettered).toEqual({ province: 0, city: 0 });
    for (const sim of [ws.province, ws.city]) {
      expect(sim.stats().accepted).toBe(s?.created);
      expect(sim.stats().duplicates).toBe(0);
    }
  }, 60_000);
});
