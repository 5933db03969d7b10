import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { createLogger } from '../../core/logger.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { createSyncWorkspace, type SyncWorkspace } from './sync-workspace.js';

const logger = createLogger({ level: process.env.LB_TEST_LOG ?? 'silent' });

/**
 * Platforms that throttle: bursts of 429 with Retry-After. The target's queue pauses for the
 * platform's delay instead of burning attempts, and every license still lands exactly once.
 */
describe('delivery to platforms answering bursts of 429 with Retry-After', () => {
  let ws: SyncWorkspace;
  let config: Readonly<Config>;

  beforeAll(async () => {
    const faults = { throttleRate: 0.1, throttleBurst: 2, retryAfterSeconds: 1, seed: 7 };
    // Throttling is what is tested, not timeouts: a request that outlives the workspace's short
    // timeout on a busy machine is sent again (the platform dedups it by key) and counted here as
    // a duplicate, which is not what this test is about.
    // 120 rows: two pages of versions, so two deliver jobs a target. The seeds throttle the first
    // requests of each platform, before anything has landed (7: four in a row, 19: two), and each
    // 429 pauses the target's queue for its Retry-After second. At a share of 0.2 (seeds 7 and 8)
    // the platforms answered 24 and 20 429s in all, each a second's pause that checked nothing
    // more than the first: the file took 29 s; with 4 and 2, 9-13 s.
    ws = await createSyncWorkspace({
      rows: 120,
      timeoutMs: 5000,
      provinceFaults: faults,
      cityFaults: { ...faults, seed: 19 },
    });
    config = await loadConfig({ file: ws.configFile, env: {} });
  });
  afterAll(async () => ws?.cleanup());

  it('delivers everything to both platforms, none dead-lettered, no duplicate', async () => {
    const [s] = await runPipelines(config, { pipelines: ['food-business-licenses'], full: false, logger });
    expect(s?.state).toBe('done');
    expect(s?.delivered).toEqual({ province: s?.created, city: s?.created });
    expect(s?.deadLettered).toEqual({ province: 0, city: 0 });
    for (const sim of [ws.province, ws.city]) {
      expect(sim.stats().throttled ?? 0).toBeGreaterThan(0);
      expect(sim.stats().duplicates).toBe(0);
    }
  });
});
