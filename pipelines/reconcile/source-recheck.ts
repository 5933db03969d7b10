/**
 * A revocation's last look at the source. A plan ends a license whose row the check did not find
 * (`deleted-at-source`, `reconcile.deletedAtSource: revoke | cancel`), and is applied after the whole
 * check: one that ran while the source was being reloaded (a nightly truncate-and-insert, a view
 * rebuilt by maintenance) saw rows gone that are back once the reload ended. A row
 * that is there again by then still stands for its license, and a run that reads it unchanged
 * writes no new version: revoked, the license would stay revoked at the platform while the
 * business system shows it valid. Right before the repair's versions are written, the source's
 * key set is read once more; a license whose row is back is not ended (`AppliedRepairs.rowsBack`).
 */
import type { PipelineParts } from '../runtime.js';
import type { PlannedRepair } from './repair.js';
import { storedForms } from './stored-key.js';

/**
 * Of `items`, the revocations and cancellations whose source row is there now: their license ids.
 * Told to stop (`signal`, a repair's SIGTERM), it stops at the next chunk of keys, whether the
 * connector heeds the signal or not, and a key set that ends under a stop is not taken for read
 * out: the rows past the stop would be gone, their licenses ended. It throws the signal's reason.
 */
export async function rowsBackAtSource(
  parts: PipelineParts,
  items: readonly PlannedRepair[],
  signal?: AbortSignal,
): Promise<Set<string>> {
  const ending = new Map<string, string>();
  for (const { action, difference: d } of items) {
    if ((action === 'revoke' || action === 'cancel') && d.sourceKey !== null)
      ending.set(d.sourceKey, d.licenseId);
  }
  const back = new Set<string>();
  if (ending.size === 0) return back;
  signal?.throwIfAborted();
  for await (const chunk of parts.source.keys(parts.config.stream, signal ? { signal } : {})) {
    // A connector that does not heed the signal is stopped here, at its next chunk.
    signal?.throwIfAborted();
    for (const k of chunk) {
      // The plan names the key as the ledger reads it back (stored-key.ts).
      for (const form of storedForms(k)) {
        const licenseId = ending.get(form);
        if (licenseId !== undefined) back.add(licenseId);
      }
    }
    if (back.size === ending.size) break;
  }
  // A key set ended quietly by the stop was not read out (as a full check's source, source-side.ts).
  signal?.throwIfAborted();
  return back;
}
