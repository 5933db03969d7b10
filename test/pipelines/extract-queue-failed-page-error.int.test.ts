/**
 * A page's sign jobs are queued while the next page is read and committed (6b8c4c75). When that
 * queueing fails and the next page fails on its own too, the page's own outcome decides the job's
 * fate: an `ExtractOvertaken` delays the job without spending an attempt, an `ExtractRunEnded`
 * ends it, a checkpoint moved by another run ends the read with the totals. Thrown in their place,
 * the queueing's Redis error was one more retryable failure. The queueing's failure is logged, not
 * lost; the page's versions are the end-of-run sweep's, as after a crash before their queueing.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ExtractOvertaken } from '../../ledger/commit-page-chain.js';
import { ExtractRunEnded, extractPipeline } from '../../pipelines/stages/extract.js';
import { lineLogger } from '../support/log-lines.js';
import { type FreshRunOptions, overlapRuns } from './extract-overlap-runs.js';

const QUEUEING_FAILED = 'redis: connection lost';

const runs = overlapRuns();

/** Extracts with page 1's queueing failing, `before` staged ahead of page 2's commit. */
async function extractWithFailedQueueing(before: FreshRunOptions['before']) {
  const { logger, lines } = lineLogger();
  const events: string[] = [];
  const { parts, ledger, runId } = await runs.fresh(events, { before, logger });
  let pages = 0;
  const outcome = await extractPipeline(parts, ledger, {
    runId,
    full: true,
    logger,
    onPage: async () => {
      pages += 1;
      events.push(`queue ${pages}`);
      if (pages === 1) throw new Error(QUEUEING_FAILED);
    },
  }).then(
    (totals) => ({ totals }),
    (error: unknown) => ({ error }),
  );
  /** Page 1 committed and its queueing begun, page 2 neither; the queueing's failure logged once. */
  const checkRest = () => {
    expect(events).toEqual(['commit 1', 'queue 1']);
    const told = lines
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => String(l.error).includes(QUEUEING_FAILED));
    expect(told, 'the failed queueing is logged').toEqual([
      expect.objectContaining({ level: 40, pipeline: parts.name, runId }),
    ]);
  };
  return { outcome, checkRest };
}

describe("extract: a page's failed queueing beside the next page's own failure", () => {
  it('throws ExtractOvertaken when another copy of the run committed the next page', async () => {
    const { outcome, checkRest } = await extractWithFailedQueueing(async (input, page, real) => {
      // Another copy of this run's extract job commits page 2 first.
      if (page === 2) await real.commitPage(input);
    });
    expect('error' in outcome && outcome.error).toBeInstanceOf(ExtractOvertaken);
    checkRest();
  });

  it('throws ExtractRunEnded when the run ended before the next page', async () => {
    const { outcome, checkRest } = await extractWithFailedQueueing(async (_input, page, real, runId) => {
      if (page === 2) await real.finishRun(runId, { state: 'abandoned', error: 'given up' });
    });
    expect('error' in outcome && outcome.error).toBeInstanceOf(ExtractRunEnded);
    expect('error' in outcome && (outcome.error as ExtractRunEnded).state).toBe('abandoned');
    checkRest();
  });

  it('returns the totals when another run moved the checkpoint past the next page', async () => {
    const { outcome, checkRest } = await extractWithFailedQueueing(async (input, page, real) => {
      if (page !== 2) return;
      // Another run of the pipeline commits page 2 first.
      const other = randomUUID();
      await real.startRun({ runId: other, pipeline: input.pipeline, mode: 'full' });
      await real.commitPage({ ...input, runId: other });
    });
    expect(outcome).toEqual({ totals: expect.objectContaining({ pages: 1, read: 4 }) });
    checkRest();
  });
});
