import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { createLogger } from '../../core/logger.js';
import { applyLegacyChanges } from '../../examples/west-coast/update-legacy-db.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { createSyncWorkspace, type SyncWorkspace } from './sync-workspace.js';

const logger = createLogger({ level: process.env.LB_TEST_LOG ?? 'silent' });
const PIPELINE = 'food-business-licenses';

/**
 * The fault scenario at test size: both platforms fail 30 % of requests with 5xx and
 * hold 10 % open past the client's timeout. (The 10,000-license run is `bench/deliver.ts --faults`.)
 */
describe('delivery to a province REST and a city SOAP platform that fail 40 % of requests', () => {
  let ws: SyncWorkspace;
  let config: Readonly<Config>;
  const faults = { errorRate: 0.3, timeoutRate: 0.1, seed: 42 };

  beforeAll(async () => {
    ws = await createSyncWorkspace({
      // 10 batches of 20 per platform: with their retries and status polls, enough requests for
      // the seeded faults to fall on both (checked below); more rows only add more of the same.
      rows: 200,
      timeoutMs: 800,
      provinceFaults: faults,
      cityFaults: { ...faults, seed: 43 },
    });
    config = await loadConfig({ file: ws.configFile, env: {} });
  });
  afterAll(async () => ws?.cleanup());

  it('delivers every license to both platforms, and neither counts a duplicate', async () => {
    const [s] = await runPipelines(config, { pipelines: [PIPELINE], full: false, logger });
    expect(s?.state).toBe('done');
    expect(s?.created).toBeGreaterThan(150);
    expect(s?.delivered).toEqual({ province: s?.created, city: s?.created });
    expect(s?.deadLettered).toEqual({ province: 0, city: 0 });
    for (const sim of [ws.province, ws.city]) {
      const stats = sim.stats();
      expect(stats.faultsInjected).toBeGreaterThan(0);
      expect(stats.accepted).toBe(s?.created);
      expect(stats.duplicates).toBe(0);
    }
  });

  it('delivers a revocation to both platforms after the issue it follows, never before', async () => {
    const changes = await applyLegacyChanges(ws.legacyDb, { revoke: 8, modify: 0, add: 0, seed: 5 });
    const [s] = await runPipelines(config, { pipelines: [PIPELINE], full: false, logger });
    expect(s?.created).toBe(changes.revoked.length);
    expect(s?.delivered).toEqual({ province: s?.created, city: s?.created });
    for (const sim of [ws.province, ws.city]) {
      expect(sim.stats().outOfOrder).toBe(0);
      expect(sim.stats().duplicates).toBe(0);
      const byLicense = new Map<string, { version: number; operation: string; at: string }[]>();
      for (const e of sim.licenses()) {
        byLicense.set(e.licenseId, [
          ...(byLicense.get(e.licenseId) ?? []),
          { version: e.version, operation: e.operation, at: e.acceptedAt },
        ]);
      }
      const revoked = [...byLicense.values()].filter((v) => v.some((x) => x.version === 2));
      expect(revoked.length).toBe(changes.revoked.length);
      for (const versions of revoked) {
        const v1 = versions.find((x) => x.version === 1);
        const v2 = versions.find((x) => x.version === 2);
        expect(v2?.operation).toBe('07');
        expect(v1 && v2 && v1.at <= v2.at).toBe(true);
      }
    }
  });
});
