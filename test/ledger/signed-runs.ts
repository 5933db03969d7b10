/** Signed versions in the ledger, as a run and the sign stage leave them for the deliver stage. */
import { encodeKeyPosition } from '../../connectors/key-position.js';
import type { Ledger, VersionCandidate } from '../../ledger/ledger.js';
import { candidates, signature } from './fixtures.js';

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

/** Signed versions committed for the deliver stage's tests, a license at a time. */
export interface SignedDeliveries {
  /** As {@link signedRuns}. */
  commit(list: VersionCandidate[]): Promise<number[]>;
  /** The number of a license no call has used yet. */
  nextLicense(): number;
  /** One new signed version of a new license, and its delivery key at the province. */
  oneDelivery(): Promise<{ ids: number[]; key: string }>;
}

export function signedDeliveries(ledger: () => Ledger, pipeline: string, sealId: string): SignedDeliveries {
  const commit = signedRuns(ledger, pipeline, sealId);
  let n = 0;
  const nextLicense = (): number => {
    n += 1;
    return n;
  };
  return {
    commit,
    nextLicense,
    async oneDelivery() {
      const ids = await commit(candidates(nextLicense(), 1, { pipeline }));
      const [row] = await ledger().ensureDeliveries(ids, 'province');
      return { ids, key: row?.key ?? '' };
    },
  };
}
