/** Signed versions in the ledger, as a run and the sign stage leave them for the deliver stage. */
import { encodeKeyPosition } from '../../connectors/key-position.js';
import type { Ledger, VersionCandidate } from '../../ledger/ledger.js';
import { signature } from './fixtures.js';

/**
 * A function that commits `list` as the one page of a new run of `pipeline` and signs what it
 * created with `sealId`, returning the new version ids. `ledger` is read at each call, so it may be
 * opened in a `beforeAll` after this is made.
 */
export function signedRuns(
  ledger: () => Ledger,
  pipeline: string,
  sealId: string,
): (list: VersionCandidate[]) => Promise<number[]> {
  let run = 0;
  return async (list) => {
    run += 1;
    const runId = `run-${run}`;
    await ledger().startRun({ runId, pipeline, mode: 'incremental' });
    const r = await ledger().commitPage({
      pipeline,
      runId,
      checkpoint: encodeKeyPosition({ cursor: null, key: `k${run}` }),
      rowsRead: list.length,
      candidates: list,
      quarantined: [],
    });
    await ledger().recordSignatures(r.created.map((c) => signature(c.versionId, sealId)));
    return r.created.map((c) => c.versionId);
  };
}
