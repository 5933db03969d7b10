/**
 * A repair whose writes fail (the ledger refusing one, a platform's look-up failing) ends its run
 * `failed` with the reason before it lets the pipeline go, as one that gives up later does. Its run
 * was started by those writes and was left `running`, its lease let go: `licbridge status` showed
 * it running, and a run of the pipeline could start beside it until its process was gone.
 */
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../core/logger.js';
import type { Ledger } from '../../ledger/ledger.js';
import { applyRepairs } from '../../pipelines/reconcile/apply-repairs.js';
import { Runtime } from '../../pipelines/runtime.js';
import {
  REVOKE_PIPELINE as PIPELINE,
  planRevocation,
  useRevokeWorkspace,
} from '../support/revoke-workspace.js';

const logger = createLogger({ level: 'silent' });

const fixture = useRevokeWorkspace({ seed: 73 }, logger);

describe('a repair whose writes fail', () => {
  it('ends its run failed, naming why, and lets the pipeline go', async () => {
    const rt = new Runtime(fixture.config, logger);
    try {
      const { ledger, plan } = await planRevocation(rt, fixture.ws);
      expect(plan.byAction).toMatchObject({ revoke: 1 });
      let runId = '';
      const append = ledger.appendRepairVersions.bind(ledger);
      Object.assign(ledger, {
        appendRepairVersions: (input: Parameters<Ledger['appendRepairVersions']>[0]) => {
          runId = input.runId;
          return Promise.reject(new Error('disk I/O error'));
        },
      });
      try {
        await expect(applyRepairs(rt, plan, { logger })).rejects.toThrow('disk I/O error');
      } finally {
        Object.assign(ledger, { appendRepairVersions: append });
      }
      expect(runId).toMatch(/^repair-/);
      expect(await ledger.getRun(runId)).toMatchObject({
        state: 'failed',
        error: expect.stringContaining('disk I/O error'),
      });
      expect(await ledger.pipelineLeases.holderOf(PIPELINE)).toBeNull();
    } finally {
      await rt.close();
    }
  }, 60_000);
});
