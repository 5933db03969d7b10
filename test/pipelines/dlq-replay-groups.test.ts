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

describe('replay groups', () => {
  it('groups a large backlog by pipeline and target in the order read', () => {
    const letters = Array.from({ length: 60_000 }, (_, i) => letter(i, i < 50_000 ? 'province' : 'city'));
    const groups = replayGroups(letters);
    expect([...groups.values()].map((g) => g.length)).toEqual([50_000, 10_000]);
    const province = groups.get('food\u0000province') ?? [];
    expect(province.every((d, i) => d.versionId === i)).toBe(true);
    // Linear: a copy per letter took over a minute for these on an idle machine.
  }, 10_000);
});
