/**
 * `dlq replay --all`/`--target` takes at most 100,000 dead letters a run. Cut there between two
 * versions of one license at one target, the older was replayed and the later left dead: the
 * platform short of the latest (a revoked license shown valid) until the next run. The cut now
 * falls before that license.
 */
import { describe, expect, it } from 'vitest';
import type { DeadLetter } from '../../ledger/ledger.js';
import { takenAtOnce } from '../../pipelines/dead-letters-taken.js';

function letter(licenseId: string, version: number, target = 'province'): DeadLetter {
  return {
    key: `${licenseId}:${version}:${target}`,
    licenseId,
    version,
    versionId: version,
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
    operation: version === 1 ? 'issue' : 'revoke',
    lastError: null,
  };
}

const keys = (list: readonly DeadLetter[]) => list.map((d) => d.key);

describe('dead letters taken at once', () => {
  it('takes all when they fit', () => {
    const list = [letter('A', 1), letter('B', 1), letter('B', 2)];
    expect(keys(takenAtOnce(list, 3))).toEqual(keys(list));
  });

  it('leaves a license whose versions the cut would split for the next run', () => {
    const list = [letter('A', 1), letter('B', 1), letter('B', 2), letter('B', 3)];
    expect(keys(takenAtOnce(list, 3))).toEqual(['A:1:province']);
  });

  it('cuts between licenses, or between targets, as read', () => {
    const list = [letter('A', 1), letter('B', 1), letter('C', 1)];
    expect(keys(takenAtOnce(list, 2))).toEqual(['A:1:province', 'B:1:province']);
    const targets = [letter('A', 1, 'city'), letter('A', 2, 'city'), letter('A', 3, 'province')];
    expect(keys(takenAtOnce(targets, 2))).toEqual(['A:1:city', 'A:2:city']);
  });

  it('cuts one license with more dead letters than are taken at once', () => {
    const list = [letter('A', 1), letter('A', 2), letter('A', 3)];
    expect(keys(takenAtOnce(list, 2))).toEqual(['A:1:province', 'A:2:province']);
  });
});
