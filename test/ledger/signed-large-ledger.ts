/**
 * The large signed ledger two kinds of plan tests start from: SEED licenses copied COPIES times
 * (100,500 versions, ./plan-harness.ts `largeLedger`), every one signed by SEAL. The review-count
 * files (./review-plan-fixture.ts) deliver and review its versions, wave-reads-plan deliveries of
 * its own. On SQLite it is a copy of the one the first file to ask built (./sqlite-snapshot.ts):
 * writing it took ~3 s of CPU in each of the four files, the deliveries they add ~0.3 s.
 */
import type { Backend } from './backends.js';
import { signature } from './fixtures.js';
import { largeLedger } from './plan-harness.js';
import { type BuiltLedger, snapshotLedger } from './sqlite-snapshot.js';

export const SEED = 500;
export const COPIES = 200;
export const SEAL = 'seal-h';

/** The test sources its rows follow from. */
const SOURCES = [
  'test/ledger/signed-large-ledger.ts',
  'test/ledger/plan-harness.ts',
  'test/ledger/fixtures.ts',
];

export function signedLargeLedger(backend: Backend): Promise<BuiltLedger> {
  return snapshotLedger(backend, 'signed-large', SOURCES, () =>
    largeLedger(backend, {
      seed: SEED,
      copies: COPIES,
      seeded: async (ledger, ids) => {
        await ledger.recordSignatures(ids.map((id) => signature(id, SEAL)));
      },
      copied: ['signatures'],
    }),
  );
}
