// A batch job's id named only the first and last version and the count: two different sets of
// one run with the same ends and count shared an id, and BullMQ ignores an add under an id it
// still holds, so the second job was never queued. The id now depends on every version id,
// and stays the same for the same set (a re-enqueue after a crash is still a no-op).
import { describe, expect, it } from 'vitest';
import { batchJobId } from '../../pipelines/queues.js';

describe('batchJobId', () => {
  it('differs for two sets of one run with the same ends and count', () => {
    const a = batchJobId('deliver-province', 'r1', [5, 7, 9]);
    const b = batchJobId('deliver-province', 'r1', [5, 8, 9]);
    expect(a).not.toBe(b);
    expect(batchJobId('sign', 'r1', [1, 2, 4, 5])).not.toBe(batchJobId('sign', 'r1', [1, 3, 4, 5]));
  });

  it('is the same for the same set, so a re-enqueue is a no-op', () => {
    expect(batchJobId('sign', 'r1', [5, 7, 9])).toBe(batchJobId('sign', 'r1', [5, 7, 9]));
    expect(batchJobId('sign', 'r1', [5, 7, 9])).not.toBe(batchJobId('sign', 'r2', [5, 7, 9]));
    expect(batchJobId('sign', 'r1', [5, 7, 9])).not.toBe(batchJobId('deliver-city', 'r1', [5, 7, 9]));
  });

  it("holds no ':' and is not a bare integer (BullMQ refuses both as a custom id)", () => {
    for (const ids of [[], [1], [5, 7, 9], Array.from({ length: 500 }, (_, i) => i * 3 + 1)]) {
      const id = batchJobId('deliver-province', 'r1', ids);
      expect(id).not.toContain(':');
      expect(`${Number.parseInt(id, 10)}`).not.toBe(id);
    }
  });
});
