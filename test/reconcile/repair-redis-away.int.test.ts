/**
 * A repair whose Redis goes away while it waits for its deliveries gives up within a bounded time.
 * It read the queues' counts with commands that wait for a reconnecting Redis without a bound,
 * while its heartbeat kept renewing the pipeline's lease: the pipeline stayed held, and its run
 * `running`, for as long as the process lived. Now a look Redis does not answer sees nothing move:
 * once the idle timeout has passed it gives up (`LB_QUEUE_UNREACHABLE`), its workers and queues
 * closed within bounds, its run ended `failed` and the pipeline let go.
 * Uses a `redis-server` of this test's own (the shared one is never stopped).
 */
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../core/logger.js';
import { applyRepairs } from '../../pipelines/reconcile/apply-repairs.js';
import { Runtime } from '../../pipelines/runtime.js';
import {
  REVOKE_PIPELINE as PIPELINE,
  planRevocation,
  useRevokeWorkspace,
} from '../support/revoke-workspace.js';

const logger = createLogger({ level: 'silent' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const fixture = useRevokeWorkspace({ seed: 61, ownRedis: true }, logger);

describe('a repair whose Redis goes away while it waits', () => {
  it('gives up within a bounded time, its run failed and the pipeline let go', async () => {
    const rt = new Runtime(fixture.config, logger);
    try {
      const { ledger, gone, plan } = await planRevocation(rt, fixture.ws);
      expect(plan.byAction).toMatchObject({ revoke: 1, 're-read': 0 });
      // The platform gone too: the revocation's delivery waits in its retries, the repair with it.
      await fixture.ws.simulator.close();
      const applying = applyRepairs(rt, plan, { logger, idleTimeoutMs: 5000 }).then(
        () => null,
        (e: unknown) => e,
      );
      // Waiting: the revocation written, and its delivery tried once.
      const key = `${gone.licenseId}:${gone.version + 1}:province`;
      const until = Date.now() + 20_000;
      let tried = false;
      while (!tried && Date.now() < until) {
        await sleep(100);
        tried = ((await ledger.getDeliveries([key]))[0]?.attempts ?? 0) > 0;
      }
      expect(tried).toBe(true);
      const held = await ledger.pipelineLeases.holderOf(PIPELINE);
      expect(held?.runId).toMatch(/^repair-/);

      await fixture.redis.stop();
      const outcome = await Promise.race([applying, sleep(60_000).then(() => 'still waiting' as const)]);
      expect(outcome).not.toBe('still waiting');
      expect(outcome).toMatchObject({
        code: 'LB_QUEUE_UNREACHABLE',
        message: expect.stringContaining('did not answer'),
      });
      expect((await ledger.getRun(held?.runId ?? ''))?.state).toBe('failed');
      expect(await ledger.pipelineLeases.holderOf(PIPELINE)).toBeNull();
    } finally {
      await rt.close();
    }
  }, 120_000);
});
