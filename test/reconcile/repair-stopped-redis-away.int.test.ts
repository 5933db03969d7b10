/**
 * A repair stopped (SIGTERM, SIGINT) while it adds its jobs to queues whose Redis has gone away
 * stops at once. Adding them waits for a reconnecting Redis, bounded by the idle timeout alone (120
 * s): the stop waited for that bound, past a supervisor's own (systemd sends SIGKILL after 90 s).
 * Now it ends its run `abandoned` and lets the pipeline go as soon as it is asked to.
 * Uses a `redis-server` of this test's own (the shared one is never stopped).
 */
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../core/logger.js';
import type { Ledger } from '../../ledger/ledger.js';
import { applyRepairs } from '../../pipelines/reconcile/apply-repairs.js';
import { RunStopped } from '../../pipelines/run-stop.js';
import { Runtime } from '../../pipelines/runtime.js';
import {
  REVOKE_PIPELINE as PIPELINE,
  planRevocation,
  useRevokeWorkspace,
} from '../support/revoke-workspace.js';

const logger = createLogger({ level: 'silent' });

const fixture = useRevokeWorkspace({ seed: 67, ownRedis: true }, logger);

describe('a repair stopped while Redis is away', () => {
  it('stops before its jobs are added, its run abandoned and the pipeline let go', async () => {
    const rt = new Runtime(fixture.config, logger);
    try {
      const { ledger, plan } = await planRevocation(rt, fixture.ws);
      expect(plan.byAction).toMatchObject({ revoke: 1 });
      // Once the plan's versions are written: then Redis goes away, and the repair is asked to stop.
      // (A revocation reopens no delivery: its writes are the versions, and their quarantines.)
      const stop = new AbortController();
      const append = ledger.appendRepairVersions.bind(ledger);
      Object.assign(ledger, {
        appendRepairVersions: async (...args: Parameters<Ledger['appendRepairVersions']>) => {
          const written = await append(...args);
          if (!stop.signal.aborted) {
            await fixture.redis.stop();
            stop.abort('SIGTERM');
          }
          return written;
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
