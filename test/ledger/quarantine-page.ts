/**
 * The steps the quarantine-record tests share: commit one page of a run holding some candidates
 * and quarantined rows, and list the open records' reason codes by key.
 */
import { encodeKeyPosition } from '../../connectors/key-position.js';
import type { CommitPageInput, Ledger } from '../../ledger/ledger.js';

/** The `n`th page of `runId` (checkpoint `c<n>`/`k<n>`), its rows read counted from what it holds. */
export function commitQuarantinePage(
  ledger: Ledger,
  pipeline: string,
  runId: string,
  n: number,
  over: Partial<CommitPageInput>,
) {
  const candidates = over.candidates ?? [];
  const quarantined = over.quarantined ?? [];
  return ledger.commitPage({
    pipeline,
    runId,
    checkpoint: encodeKeyPosition({ cursor: `c${n}`, key: `k${n}` }),
    rowsRead: candidates.length + quarantined.length,
    candidates,
    quarantined,
    ...over,
  });
}

/** Each open record of `pipeline` as `[key, its reason codes sorted]`. */
export async function openReasonCodes(ledger: Ledger, pipeline: string) {
  return (await ledger.openQuarantine({ pipeline })).map((e) => [
    e.sourceKey,
    e.reasons.map((r) => r.code).sort(),
  ]);
}
