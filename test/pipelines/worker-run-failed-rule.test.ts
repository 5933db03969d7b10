/**
 * The one rule `licbridge run` and `licbridge worker` share: an extract job failing for good after
 * its run was extracted is not the run's failure; any other stage's, or an extract job's before
 * the extraction was over, is.
 */
import { describe, expect, it } from 'vitest';
import { extractFailedAfterExtraction } from '../../pipelines/workers/run-failures.js';

describe('extractFailedAfterExtraction', () => {
  const extracted = { extractedAt: new Date('2026-01-02T03:04:05Z') };
  const reading = { extractedAt: null };

  it('is the extract job failing once the run was extracted', () => {
    expect(extractFailedAfterExtraction('extract: ledger: busy', extracted)).toBe(true);
    expect(extractFailedAfterExtraction('extract: job x stalled out 2 times: …', extracted)).toBe(true);
  });

  it('is not a failure before the extraction was over, nor another stage’s', () => {
    expect(extractFailedAfterExtraction('extract: ledger: busy', reading)).toBe(false);
    expect(extractFailedAfterExtraction('sign: signer: refused', extracted)).toBe(false);
    expect(extractFailedAfterExtraction('deliver-province: timeout', extracted)).toBe(false);
  });
});
