/**
 * A repair stopped (SIGTERM, SIGINT) while it adds its jobs to queues whose Redis has gone away
 * stops at once. Adding them waits for a reconnecting Redis, bounded by the idle timeout alone (120
 * s): the stop waited for that bound, past a supervisor's own (systemd sends SIGKILL after 90 s).
 * Now it ends its run `abandoned` and lets the pipeline go as soon as it is asked to.
 * Uses a `redis-server` of this test's own (the shared one is never stopped).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../config/types.js';
import { createLogger } from '../../core/logger.js';
import type { Ledger } from '../../ledger/ledger.js';
import { applyRepairs } from '../../pipelines/reconcile/apply-repairs.js';
import { reconcilePipeline } from '../../pipelines/reconcile/reconcile.js';
import { planRepairs } from '../../pipelines/reconcile/repair.js';
import { RunStopped } from '../../pipelines/run-stop.js';
import { Runtime } from '../../pipelines/runtime.js';
import type { DemoWorkspace } from '../support/demo-workspace.js';
import { type LoneRedis, startLoneRedis } from '../support/redis-servers.js';
import {
  LEGACY_TABLE,
  legacySql,
  openRevokeWorkspace,
  REVOKE_PIPELINE as PIPELINE,
} from '../support/revoke-workspace.js';

const logger = createLogger({ level: 'silent' });

let redis: LoneRedis;
let ws: DemoWorkspace;
let config: Readonly<Config>;

beforeAll(async () => {
  redis = await startLoneRedis();
  ({ ws, config } = await openRevokeWorkspace(
    { rows: 20, seed: 67, reconcile: 'maxRepairShare: 1', redisUrl: redis.url },
    logger,
  ));
}, 120_000);
afterAll(async () => {
  await redis?.stop();
  await ws?.cleanup();
});

describe('a repair stopped while Redis is away', () => {
  it('stops before its jobs are added, its run abandoned and the pipeline let go', async () => {
    const rt = new Runtime(config, logger);
    try {
      const ledger = await rt.ledger();
      const [gone] = (await ledger.pipelineLicenses(PIPELINE)).filter((l) => l.status === 'valid');
      if (!gone) throw new Error('a valid license expected');
      legacySql(ws, `DELETE FROM ${LEGACY_TABLE} WHERE ID = ?`, gone.sourceKey);
      const plan = planRepairs(rt, await reconcilePipeline(rt, { pipeline: PIPELINE }));
      expect(plan.byAction).toMatchObject({ revoke: 1 });
      // The last write of the plan: then Redis goes away, and the repair is asked to stop.
      const stop = new AbortController();
      const reopen = ledger.reopenDeliveries.bind(ledger);
      Object.assign(ledger, {
        reopenDeliveries: async (...args: Parameters<Ledger['reopenDeliveries']>) => {
          await redis.stop();
          stop.abort('SIGTERM');
          return reopen(...args);
        },
      });
      const runId = await applyRepairs(rt, plan, {
        logger,
        idleTimeoutMs: 600_000,
        stop: stop.signal,
      }).then(
        () => {
          throw new Error('the repair was stopped; it should not have completed');
        },
        (e: unknown) => {
          expect(e).toBeInstanceOf(RunStopped);
          return (e as RunStopped).runs[0]?.runId ?? '';
        },
      );
      expect((await ledger.getRun(runId))?.state).toBe('abandoned');
      expect(await ledger.pipelineLeases.holderOf(PIPELINE)).toBeNull();
    } finally {
      await rt.close();
    }
  }, 60_000);
});
