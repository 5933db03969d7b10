/**
 * A replay groups its dead letters by pipeline and target before enqueueing them. Each group was
 * copied whole for every letter added: a week's backlog of one target (100,000 letters) spent
 * minutes there before the first job was enqueued. The groups keep the ledger's order.
 */
import { describe, expect, it } from 'vitest';
import type { DeadLetter } from '../../ledger/ledger.js';
import { replayGroups } from '../../pipelines/dead-letters.js';

function letter(i: number, target: string): DeadLetter {
  return {
    key: `L${i}:1:${target}`,
    licenseId: `L${i}`,
    version: 1,
    versionId: i,
    target,
    state: 'dead',
    attempts: 1,
    revision: 1,
    platformId: null,
    reasons: ['503'],
    receipt: null,
    updatedAt: new Date(0),
    pipeline: 'food',
    runId: 'r',
    operation: 'issue',
    lastError: null,
  };
}

/**
 * `run()` with every element an array iterator hands out counted: a spread (`[...group, d]`) or
 * `for … of` over an array steps through it. Counted, not timed, so the check holds on any machine.
 */
function arraySteps<T>(run: () => T): { result: T; steps: number } {
  const proto = Array.prototype as unknown as { [Symbol.iterator]: () => Iterator<unknown> };
  const original = proto[Symbol.iterator];
  let steps = 0;
  proto[Symbol.iterator] = function counted(this: unknown[]) {
    const inner = original.call(this);
    return {
      next() {
        const r = inner.next();
        if (!r.done) steps++;
        return r;
      },
      [Symbol.iterator]() {
        return this;
      },
    };
  };
  try {
    return { result: run(), steps };
  } finally {
    proto[Symbol.iterator] = original;
  }
}

describe('replay groups', () => {
  it('groups a backlog by pipeline and target in the order read, each letter handled once', () => {
    const n = 4000;
    const letters = Array.from({ length: n }, (_, i) => letter(i, i < 3000 ? 'province' : 'city'));
    const { result: groups, steps } = arraySteps(() => replayGroups(letters));
    expect([...groups.values()].map((g) => g.length)).toEqual([3000, 1000]);
    const province = groups.get('food\u0000province') ?? [];
    expect(province.every((d, i) => d.versionId === i)).toBe(true);
    // Linear: the letters read once. A group copied per letter added steps through ~n²/2
    // (about 5,000,000 here; five billion for a week's 100,000).
    expect(steps).toBeLessThanOrEqual(2 * n);
  });
});
