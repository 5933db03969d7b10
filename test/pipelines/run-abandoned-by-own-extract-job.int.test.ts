import { describe, expect, it } from 'vitest';
import { EXTRACTED_UNMARKED } from '../../pipelines/workers/extract-worker.js';
import { abandonedWhileRun } from './abandoned-while-run.js';

// As the extract job writes it when, given up after its last page, the ledger refuses the run's
// extracted mark (pipelines/workers/extract-worker.ts).
const REASON = `${EXTRACTED_UNMARKED}: ledger: markExtracted failed: connection lost; its versions go on to be signed and delivered, and a later run finishes the work`;

/**
 * A `licbridge run` whose run its own extract job ended `abandoned` (given up after its last page,
 * the ledger refusing the extracted mark) was told that another process had ended it while this one
 * drove it: no other process had. The summary now says it as the run's stored reason does.
 */
describe('a run its own extract job ended abandoned under licbridge run', () => {
  const abandonedWith = abandonedWhileRun();

  it('is described by its stored reason, not as ended by another process', async () => {
    const { summaries, run } = await abandonedWith(REASON);
    expect(summaries).toHaveLength(1);
    const error = summaries[0]?.error ?? '';
    expect(error).not.toMatch(/another process/);
    expect(error).toBe(`the run ended abandoned: ${REASON}`);
    expect(run).toMatchObject({ state: 'abandoned', error: REASON });
  }, 30_000);
});
