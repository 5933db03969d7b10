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
import { thrownBy } from '../support/unquoted-failures.js';
import { versionRow } from './fixtures.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const row = (lineage: string): VersionRow =>
  versionRow({ version_id: 7, payload: JSON.stringify({ holder: 'x'.repeat(1000) }), lineage });

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
    const thrown: unknown = thrownBy(() => version.lineage);
    expect(isLicbridgeError(thrown)).toBe(true);
    expect((thrown as { code: string }).code).toBe(ErrorCodes.LEDGER);
    expect((thrown as Error).message).toBe('ledger: the lineage of version 7 does not read: SyntaxError');
  });
});
