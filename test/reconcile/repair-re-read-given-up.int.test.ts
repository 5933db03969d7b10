/**
 * A repair that gives up while its re-read is still to be read ends the re-read's run before it
 * lets the pipeline go. It left that run `running` (its workers were to end it), so the extract
 * job a worker process still held, or took later, read the source and committed versions under no
 * lease of the repair's, beside whichever run took the pipeline next. Now the run is `failed`
 * (`abandoned` once extracted) first: a page lands only in a running run, and the late job reads
 * nothing. The extract queue is paused here, as a worker process busy elsewhere holds it back.
 */
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../core/logger.js';
import { createQueues } from '../../pipelines/queues.js';
import { applyRepairs } from '../../pipelines/reconcile/apply-repairs.js';
import { queueConnection } from '../../pipelines/redis.js';
import { Runtime } from '../../pipelines/runtime.js';
import { startWorkers } from '../../pipelines/workers.js';
import {
  LEGACY_TABLE,
  legacySql,
  REVOKE_PIPELINE as PIPELINE,
  planRepairsNow,
  useRevokeWorkspace,
  validLicense,
} from '../support/revoke-workspace.js';

const logger = createLogger({ level: 'silent' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const fixture = useRevokeWorkspace({ seed: 67 }, logger);

describe('a repair that gives up before its re-read is read', () => {
  it('ends the re-read run first: the extract job taken later reads nothing', async () => {
    const { config } = fixture;
    const rt = new Runtime(config, logger);
    const connection = queueConnection(config.queue.redis);
    const queues = createQueues(connection, config.queue.prefix, config.pipelines[PIPELINE]?.targets ?? []);
    try {
      const ledger = await rt.ledger();
      const edited = await validLicense(ledger);
      legacySql(
        fixture.ws,
        `UPDATE ${LEGACY_TABLE} SET JYCS = JYCS || '（新址）' WHERE ID = ?`,
        edited.sourceKey,
      );
      const plan = await planRepairsNow(rt);
      expect(plan.byAction).toMatchObject({ 're-read': 1 });

      await queues.extract.pause();
      const failed = await applyRepairs(rt, plan, { logger, idleTimeoutMs: 4000 }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(failed).toMatchObject({ message: expect.stringContaining('nothing moved') });
      const runs = (await ledger.runningRuns()).filter((r) => r.pipeline === PIPELINE);
      expect(runs).toEqual([]);
      const [job] = await queues.extract.getJobs(['waiting']);
      const runId = job?.data.runId ?? '';
      expect(runId).toMatch(/^repair-/);
      expect((await ledger.getRun(runId))?.state).toBe('failed');
      expect(await ledger.pipelineLeases.holderOf(PIPELINE)).toBeNull();

      // A worker takes the extract job now: its run has ended, so it reads nothing.
      await queues.extract.resume();
      const workers = startWorkers(rt, {
        connection,
        prefix: config.queue.prefix,
        queues,
        stages: ['extract'],
      });
      try {
        const until = Date.now() + 30_000;
        while (Date.now() < until && (await queues.extract.getJobState(job?.id ?? '')) !== 'completed')
          await sleep(100);
        expect(await queues.extract.getJobState(job?.id ?? '')).toBe('completed');
      } finally {
        await workers.close();
      }
      const now = (await ledger.pipelineLicenses(PIPELINE)).find((l) => l.licenseId === edited.licenseId);
      expect(now?.version).toBe(edited.version);
      expect((await ledger.getRun(runId))?.state).toBe('failed');
    } finally {
      await queues.close();
      await rt.close();
    }
  }, 120_000);
});
