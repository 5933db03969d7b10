/**
 * `verify` over a large ledger tells how far it is on stderr when its results do not (`--json`, or
 * stdout to a file): versions checked and the rate, at most once an interval, a version with two
 * signatures counted once.
 */
import { describe, expect, it } from 'vitest';
import { verifyProgress } from '../../cli/commands/verify.js';
import type { VerifyResult } from '../../pipelines/verify/signatures.js';

const result = (versionId: number): VerifyResult => ({
  licenseId: `L${versionId}`,
  version: 1,
  versionId,
  sealId: 's',
  ok: true,
  key: null,
  reasons: [],
});

describe('verify progress', () => {
  it('writes versions checked and their rate once an interval', () => {
    let now = 1_000_000;
    const lines: string[] = [];
    const tell = verifyProgress(
      (l) => lines.push(l),
      5000,
      () => now,
    );
    for (let id = 1; id <= 4000; id++) {
      tell(result(id));
      if (id === 2000) tell(result(id)); // a second seal's signature of the same version
      now += 2;
    }
    expect(lines).toEqual(['verify: 2501 version(s) checked, 500/s\n']);
  });
});
