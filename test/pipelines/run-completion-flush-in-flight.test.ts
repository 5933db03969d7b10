/**
 * A closing worker set flushes its run completion checks before the runtime closes the ledger
 * (pipelines/workers.ts). A scheduled check whose timer had already fired was still running then:
 * flush() did not wait for it, the ledger closed under it, and the run whose last delivery a job
 * had just recorded stayed `running` until the pipeline's next job or extraction.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RunCompletion } from '../../pipelines/stages/run-completion.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('flushing run completion checks', () => {
  it('waits for a scheduled check already under way', async () => {
    vi.useFakeTimers();
    const completion = new RunCompletion({ minIntervalMs: 1000, onError: () => undefined });
    await completion.check('run-a', async () => undefined);
    let release: () => void = () => undefined;
    let finished = false;
    await completion.check('run-a', async () => {
      await new Promise<void>((r) => {
        release = r;
      });
      finished = true;
    });
    // The scheduled check starts, and holds.
    await vi.advanceTimersByTimeAsync(1000);
    let flushed = false;
    const flushing = completion.flush().then(() => {
      flushed = true;
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(flushed).toBe(false);
    release();
    await flushing;
    expect(finished).toBe(true);
  });
});
