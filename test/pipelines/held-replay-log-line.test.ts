/**
 * The line a deliver job logs for the letters it replayed names at most five licenses, as the
 * other deliver lines do (`first: slice(0, 5)`): a job of 500 licenses logged every id.
 */
import { describe, expect, it } from 'vitest';
import type { QueueSet } from '../../pipelines/queues.js';
import { queueHeldReplays } from '../../pipelines/workers/held-replay-jobs.js';

describe('the held-replay log line', () => {
  it('names the first five licenses and counts them all', async () => {
    const lines: Record<string, unknown>[] = [];
    const log = { info: (o: object) => lines.push({ ...o }), warn: (o: object) => lines.push({ ...o }) };
    const licenseIds = Array.from({ length: 12 }, (_, i) => `L.${i}`);
    const versionIds = licenseIds.map((_, i) => i + 1);
    // No queue to take them: the warning says so, with the same fields.
    const queues = { deliver: new Map() } as unknown as QueueSet;
    await queueHeldReplays(
      { targets: {} },
      queues,
      'province',
      [{ pipeline: 'p', versionIds, licenseIds }],
      log,
    );
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ licenses: 12, licenseIds: licenseIds.slice(0, 5), deliveries: 12 });
  });
});
