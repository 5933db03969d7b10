import { describe, expect, it } from 'vitest';
import { abandonedWhileRun, PIPELINE } from './abandoned-while-run.js';

const REASON = 'the process running it stopped before its work was complete; a later run finishes the work';

/**
 * Another process ended this `licbridge run`'s run `abandoned` while it drove it: a `licbridge
 * run` or scheduled tick on a host whose clock is ahead, or that saw this process's heartbeat go
 * quiet during a long pause, judged it dead. The extract job then reads no further page and the
 * run can never complete. The run says so at once, with the reason the ledger holds, instead of
 * waiting out its idle timeout and ending with `nothing moved`.
 */
describe('a run another process ended abandoned while it ran', () => {
  const abandonedWith = abandonedWhileRun();

  it('ends failed with the ledger reason, not as a run where nothing moved', async () => {
    // No worker takes the extract job: the run stays unextracted until it is ended elsewhere.
    const { summaries, run } = await abandonedWith(REASON);
    expect(summaries).toHaveLength(1);
    expect(summaries[0]).toMatchObject({
      pipeline: PIPELINE,
      state: 'failed',
      error: `another process ended the run abandoned while this one drove it: ${REASON}`,
    });
    expect(run).toMatchObject({ state: 'abandoned', error: REASON });
  }, 30_000);
});
