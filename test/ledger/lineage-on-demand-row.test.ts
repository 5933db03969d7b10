/**
 * A version read back keeps of its row only what its lineage is read from (toVersion in
 * ledger/rows.ts): its row, with the payload's JSON text, is left to the garbage collector once
 * the version is made. A lineage text that does not read fails, where it is first asked for, as a
 * ledger failure.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { ErrorCodes, isLicbridgeError } from '../../core/errors.js';
import { toVersion, type VersionRow } from '../../ledger/rows.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function row(lineage: string): VersionRow {
  return {
    version_id: 7,
    license_id: 'L-1',
    version: 1,
    pipeline: 'p',
    identifier: 'ID-1',
    content_hash: 'h',
    status: 'valid',
    operation: 'issue',
    payload: JSON.stringify({ holder: 'x'.repeat(1000) }),
    lineage,
    run_id: 'r',
    created_at: '2026-01-01T00:00:00.000Z',
    context_id: null,
  };
}

describe('a version read back', () => {
  it('does not keep its row', async () => {
    const made = (() => {
      const r = row(JSON.stringify({ s: 'src', k: 'key-1' }));
      return { version: toVersion(r), ref: new WeakRef(r) };
    })();
    // A WeakRef's target lives at least until the end of the current job.
    await new Promise((resolve) => setTimeout(resolve, 0));
    gc();
    expect(made.ref.deref()).toBeUndefined();
    expect(made.version.lineage).toMatchObject({
      source: 'src',
      sourceKey: 'key-1',
      pipeline: 'p',
      runId: 'r',
    });
  });

  it('fails as the ledger does on a lineage text that does not read', () => {
    const version = toVersion(row('{not json'));
    let thrown: unknown;
    try {
      void version.lineage;
    } catch (e) {
      thrown = e;
    }
    expect(isLicbridgeError(thrown)).toBe(true);
    expect((thrown as { code: string }).code).toBe(ErrorCodes.LEDGER);
    expect((thrown as Error).message).toBe('ledger: the lineage of version 7 does not read: SyntaxError');
  });
});
