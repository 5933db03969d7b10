/**
 * The heap growth a worker process sets for itself, and the operator's own flag winning over it
 * (core/heap-growth.ts, docs/operations.md "Memory").
 */
import { describe, expect, it } from 'vitest';
import { HEAP_GROWING_PERCENT, heapGrowthFlag } from '../../core/heap-growth.js';

describe('heapGrowthFlag', () => {
  it('sets a growth factor of 2 where the operator gave none', () => {
    expect(HEAP_GROWING_PERCENT).toBe(100);
    expect(heapGrowthFlag([], undefined)).toBe('--heap-growing-percent=100');
    expect(heapGrowthFlag(['--enable-source-maps'], '--max-old-space-size=2048')).toBe(
      '--heap-growing-percent=100',
    );
  });

  it("leaves the operator's flag, on the command line or in NODE_OPTIONS, spelled either way", () => {
    expect(heapGrowthFlag(['--heap-growing-percent=50'], undefined)).toBeUndefined();
    expect(heapGrowthFlag([], '--trace-gc  --heap_growing_percent=300')).toBeUndefined();
    expect(heapGrowthFlag(['--heap-growing-percent'], '')).toBeUndefined();
  });

  it('does not take a longer flag of another name for it', () => {
    expect(heapGrowthFlag(['--heap-growing-percentage=5'], '--no-heap-growing-percent')).toBe(
      '--heap-growing-percent=100',
    );
  });
});
