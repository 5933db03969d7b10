/**
 * A version's stored license as a reconciliation reads it, without letting one corrupt text fail
 * the whole check or repair. A text that does not read throws where it is first asked for
 * (ledger/rows.ts payloadOf); one that reads yet no longer hashes to the content hash its version
 * records (edited by hand, restored from another copy) is another license than the one signed and
 * delivered: ending it as it reads would sign an altered license anew.
 */
import { storedContentHash } from '../../catalog/canonical.js';
import type { License } from '../../catalog/license.js';
import type { StoredVersion } from '../../ledger/ledger.js';
import { storedTextHashes } from '../../ledger/stored-signed-form.js';

/** The stored license, or what is wrong with its text: never a value of the license. */
export type StoredText = { license: License } | { problem: string };

/** `v`'s license read (`checkHash`: and matched with its content hash), or what is wrong with it. */
export function storedText(
  v: Pick<StoredVersion, 'payload' | 'contentHash'>,
  checkHash: boolean,
): StoredText {
  let license: License;
  try {
    license = v.payload;
  } catch (e) {
    // The error's name only: its message may quote the text (a holder's name or number).
    const cause = e instanceof Error && e.cause instanceof Error ? e.cause.name : 'error';
    return { problem: `its stored text does not read (${cause})` };
  }
  if (!checkHash) return { license };
  // Its text proven first (ledger/stored-signed-form.ts): serialising the parsed license again
  // to hash it was most of a delivery's check of every version it sends (stages/deliver-items.ts).
  const hashed = storedTextHashes(v) ? { hash: v.contentHash } : storedContentHash(license);
  if ('cannot' in hashed) return unhashable(hashed.cannot);
  if (hashed.hash !== v.contentHash)
    return {
      problem:
        'its stored text does not match the content hash its version records (altered since it was written)',
    };
  return { license };
}

/**
 * A text that reads yet cannot be hashed: a number past the doubles (`1e999` reads as Infinity,
 * which the canonical form refuses) or values nested deeper than the stack. Thrown from the hash,
 * it failed every run at its version's page. The error's name only, as for a text that does not read.
 */
export function unhashable(error: unknown): { problem: string } {
  const name = typeof error === 'string' ? error : error instanceof Error ? error.name : 'error';
  return { problem: `its stored text does not hash (${name})` };
}

/** `v`'s license, or `undefined` when its text does not read: for counts and samples, not for writes. */
export function readableLicense(v: Pick<StoredVersion, 'payload'>): License | undefined {
  try {
    return v.payload;
  } catch {
    return undefined;
  }
}
